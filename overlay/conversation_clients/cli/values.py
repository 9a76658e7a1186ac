"""The decisions about option values: their parsing, and the page size to ask for.

Each value parser raises ``argparse.ArgumentTypeError`` with a message argparse shows as it is.
The vendors' command declarations (:mod:`conversation_clients.cli.bird_commands`, ...) name these parsers
in their options; argparse is imported only when a parser refuses a value (the parser itself is
built by :mod:`conversation_clients.cli.parser`).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

__all__ = [
    "aware_datetime_text",
    "guid",
    "integer",
    "non_negative_int",
    "page_size_for",
    "parse_since",
    "positive_int",
    "positive_seconds",
    "since",
]


def _type_error(message: str) -> Exception:
    # argparse shows an ArgumentTypeError's message as it is (any other becomes "invalid value")
    import argparse

    return argparse.ArgumentTypeError(message)


def _require_aware_datetime(text: str, name: str) -> datetime.datetime:
    # the clients' own check, imported when a date-time is given: declaring and --help do not need it
    from conversation_clients._checks import require_aware_datetime

    return require_aware_datetime(text, name)


def parse_since(text: str) -> datetime.datetime:
    """Parse ``--since``: an ISO 8601 date-time that must carry a timezone.

    >>> parse_since("2025-04-15T12:00:00+02:00").isoformat()
    '2025-04-15T12:00:00+02:00'
    >>> parse_since("2025-04-15T12:00:00")
    Traceback (most recent call last):
    ...
    ValueError: --since must include a timezone, e.g. 2025-04-15T12:00:00Z or ...+02:00 (or datetime.now(timezone.utc)), got '2025-04-15T12:00:00'
    """
    return _require_aware_datetime(text, "--since")


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


def guid(text: str) -> uuid.UUID:
    """A GUID option.

    >>> guid("11111111-2222-3333-4444-555555555555")
    UUID('11111111-2222-3333-4444-555555555555')
    """
    try:
        return uuid.UUID(text)
    except ValueError:
        raise _type_error(f"not a GUID: {text[:64]!r}") from None


def aware_datetime_text(flag: str) -> Callable[[str], str]:
    """The argparse type of a date-time option named ``flag``: a timezone is required, and the
    message says so (argparse would replace a ValueError's message with "invalid value"). The text
    is kept as typed, so the operation sends every digit given.

    >>> aware_datetime_text("--date-from")("2025-04-15T12:00:00.1234567Z")
    '2025-04-15T12:00:00.1234567Z'
    """

    def parse(text: str) -> str:
        try:
            _require_aware_datetime(text, flag)
        except ValueError as error:
            raise _type_error(str(error).removeprefix(f"{flag} ")) from None
        return text

    return parse


def since(text: str) -> datetime.datetime:
    """``--since`` for argparse: :func:`parse_since`, its message kept (argparse would say "invalid value")."""
    try:
        return parse_since(text)
    except ValueError as error:
        raise _type_error(str(error).removeprefix("--since ")) from None
