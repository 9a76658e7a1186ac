"""The decisions about option values: their parsing (ids in one spelling), and the page size to ask for.

Each value parser raises ``argparse.ArgumentTypeError`` with a message argparse shows as it is.
The vendors' command declarations (:mod:`conversation_clients.cli.bird_commands`, ...) name these parsers
in their options; argparse is imported only when a parser refuses a value (the parser itself is
built by :mod:`conversation_clients.cli.parser` and :mod:`conversation_clients.cli.command_parsers`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Final

__all__ = [
    "date_time_problem",
    "date_time_text",
    "guid",
    "integer",
    "non_negative_int",
    "page_size_for",
    "positive_int",
    "positive_seconds",
    "target_id",
]

# RFC 3339's date-time (section 5.6): the date and time, a fraction of a second, the offset (looked
# for apart, to say when it is missing). "T" and "Z" upper case, as the vendors' examples write them.
_RFC3339: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?")
_DATE_TIME_EXAMPLE: Final = "e.g. 2025-04-15T08:00:25Z or 2025-04-15T10:00:25.3426044+02:00"


def _type_error(message: str) -> Exception:
    # argparse shows an ArgumentTypeError's message as it is (any other becomes "invalid value")
    import argparse

    return argparse.ArgumentTypeError(message)


def date_time_problem(text: str, *, fraction_digits: int | None = None) -> str | None:
    """What is wrong with ``text`` as a date-time option's value, in the user's words; None if nothing.

    The value is an RFC 3339 date-time with a timezone and at most ``fraction_digits`` digits of a
    second (None: any number), which the clients accept as well (a month 13 is not a date).

    >>> date_time_problem("2025-04-15T08:00:25.3426044Z", fraction_digits=7) is None
    True
    >>> print(date_time_problem("2025-04-15T08:00:25", fraction_digits=7))
    '2025-04-15T08:00:25' has no timezone; give an RFC 3339 date-time with a timezone, e.g. 2025-04-15T08:00:25Z or 2025-04-15T10:00:25.3426044+02:00, with up to 7 fractional digits
    >>> print(date_time_problem("yesterday"))
    'yesterday' is not a date-time; give an RFC 3339 date-time with a timezone, e.g. 2025-04-15T08:00:25Z or 2025-04-15T10:00:25.3426044+02:00
    """
    shown = repr(text[:64])
    match = _RFC3339.fullmatch(text)
    if match is None:
        problem = f"{shown} is not a date-time"
    elif match.group(2) is None:
        problem = f"{shown} has no timezone"
    elif fraction_digits is not None and len(match.group(1) or "") > fraction_digits:
        problem = f"{shown} has {len(match.group(1))} fractional digits"
    else:
        # the clients' own check, imported when a date-time is given: declaring and --help do not need it
        from conversation_clients._checks import require_aware_datetime

        try:
            require_aware_datetime(text, "the date-time")
        except ValueError:
            problem = f"{shown} is not a valid date-time"
        else:
            return None
    digits = "" if fraction_digits is None else f", with up to {fraction_digits} fractional digits"
    return f"{problem}; give an RFC 3339 date-time with a timezone, {_DATE_TIME_EXAMPLE}{digits}"


def page_size_for(requested: int | None, max_items: int | None, maximum: int) -> int | None:
    """The page size to ask for: the one given, else no more than ``--max-items`` needs.

    >>> page_size_for(None, 3, 100), page_size_for(None, 500, 100), page_size_for(20, 3, 100)
    (3, 100, 20)
    >>> page_size_for(None, None, 100) is None
    True
    """
    if requested is not None:
        return requested
    if max_items is not None:
        return min(max_items, maximum)
    return None


def integer(text: str) -> int:
    """An integer option (its range is the client's check, which names the flag).

    >>> integer("12")
    12
    >>> integer("ten")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: not an integer: 'ten'
    """
    try:
        return int(text)
    except ValueError:
        raise _type_error(f"not an integer: {text[:32]!r}") from None


def positive_int(text: str) -> int:
    """An integer of 1 or more (``--max-items``, ``--max-response-bytes``).

    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a positive integer, got '0'
    """
    value = integer(text)
    if value < 1:
        raise _type_error(f"must be a positive integer, got {text[:32]!r}")
    return value


def non_negative_int(text: str) -> int:
    """An integer of 0 or more (``--max-retries``, ``--port``).

    >>> non_negative_int("0")
    0
    """
    value = integer(text)
    if value < 0:
        raise _type_error(f"must be 0 or more, got {text[:32]!r}")
    return value


def positive_seconds(text: str) -> float:
    """A finite number of seconds above 0 (``--page-timeout``).

    >>> positive_seconds("1.5")
    1.5
    >>> positive_seconds("inf")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a finite number of seconds above 0, got 'inf'
    """
    try:
        value = float(text)
    except ValueError:
        raise _type_error(f"not a number of seconds: {text[:32]!r}") from None
    if not 0 < value < float("inf"):
        raise _type_error(f"must be a finite number of seconds above 0, got {text[:32]!r}")
    return value


def target_id(text: str) -> str:
    """An id option's value (``--workspace-id``, ``--conversation-id``, an export's targets, an ids
    file's lines): blanks around it dropped, a UUID in its canonical lower-case form, any other id
    as given. Every id option of a listing, an export and a load is parsed with it (or with
    :func:`guid`, which applies it too), so a listing sends the id in one spelling, and two
    spellings of one UUID are one export target, with one file and one checkpoint entry.

    >>> target_id(" 5A3D1B0E-7C2F-4E8A-9B61-0D4C2E8F1A01 ")
    '5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01'
    >>> target_id("{5A3D1B0E7C2F4E8A9B610D4C2E8F1A01}"), target_id(" ws_1 ")
    ('5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01', 'ws_1')
    """
    text = text.strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text


def guid(text: str) -> uuid.UUID:
    """An id option that only a GUID fits (Omnichannel's organization and channel): :func:`target_id`'s
    value, refused here when it is not a UUID.

    >>> guid(" 11111111-2222-3333-4444-555555555555 ")
    UUID('11111111-2222-3333-4444-555555555555')
    >>> guid("not-a-guid")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: not a GUID: 'not-a-guid'
    """
    try:
        return uuid.UUID(target_id(text))
    except ValueError:
        raise _type_error(f"not a GUID: {text[:64]!r}") from None


def date_time_text(*, fraction_digits: int | None = None) -> Callable[[str], str]:
    """The argparse type of a date-time option (``--since``, ``--date-from``): an RFC 3339
    date-time with a timezone and at most ``fraction_digits`` digits of a second (None: any
    number), refused in :func:`date_time_problem`'s words (argparse would say "invalid value").

    The text is kept as typed, for the operation to send every digit given: a datetime would drop
    those past the sixth, and a listing of what came after an instant would start before it.

    >>> date_time_text(fraction_digits=7)("2025-04-15T08:00:25.3426044Z")
    '2025-04-15T08:00:25.3426044Z'
    """

    def parse(text: str) -> str:
        problem = date_time_problem(text, fraction_digits=fraction_digits)
        if problem is not None:
            raise _type_error(problem)
        return text

    return parse
