"""Checks of caller arguments shared by both vendors, run before any request is sent.

Each raises ``TypeError`` (wrong kind of value) or ``ValueError`` (out of range) naming the
argument, so the mistake is reported where it was made rather than as a vendor's 400.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Final
from urllib.parse import quote

from dateutil.parser import isoparse

__all__ = [
    "MAX_PAGE_TOKEN_CHARS",
    "page_token_problem",
    "require_aware_datetime",
    "require_bool",
    "require_int",
    "require_page_size",
    "require_page_token",
    "require_text",
    "require_uuid",
]

#: The longest page token the clients send back, counted percent-encoded (32 KiB). httpx refuses
#: a URL component over 65,536 characters; under this cap the whole URL stays well inside that.
MAX_PAGE_TOKEN_CHARS: Final = 32 * 1024


def page_token_problem(token: str) -> str | None:
    """What makes ``token`` impossible to send back as a query parameter, or None if it can be.

    The one rule for page tokens, from a server (``next_token_from``) and from a caller
    (:func:`require_page_token`): the token must encode as UTF-8 (no lone surrogate), and
    percent-encoded it must fit in :data:`MAX_PAGE_TOKEN_CHARS` characters. The description
    never quotes the token.

    >>> page_token_problem("eyJjb250aW51YXRpb24iOjJ9") is None
    True
    >>> page_token_problem("a" * 40_000)
    'is 40000 characters percent-encoded, over the 32768-character limit'
    >>> page_token_problem(chr(0xD800))
    'is not valid Unicode (a lone surrogate at character 0)'
    """
    try:
        token.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"is not valid Unicode (a lone surrogate at character {error.start})"
    # Cheap bound first: no character encodes to more than 12 characters (4 bytes, each %XX).
    if len(token) * 12 <= MAX_PAGE_TOKEN_CHARS:
        return None
    encoded_length = len(quote(token, safe=""))
    if encoded_length > MAX_PAGE_TOKEN_CHARS:
        return f"is {encoded_length} characters percent-encoded, over the {MAX_PAGE_TOKEN_CHARS}-character limit"
    return None


def require_page_token(value: str | None, argument: str) -> str | None:
    """``value`` if it is a page token the client can send (or None); raise otherwise.

    ``TypeError`` for anything but a string, ``ValueError`` (naming ``argument``, never quoting
    the token) for one :func:`page_token_problem` refuses, before any request is sent.

    >>> require_page_token("t2", "page_token")
    't2'
    >>> require_page_token("a" * 40_000, "page_token")
    Traceback (most recent call last):
    ...
    ValueError: page_token cannot be sent back as a page token: it is 40000 characters percent-encoded, over the 32768-character limit
    """
    if value is None:
        return None
    # caller input, checked at run time whatever the annotation says
    if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a string, not {type(value).__name__}")
    problem = page_token_problem(value)
    if problem is not None:
        raise ValueError(f"{argument} cannot be sent back as a page token: it {problem}")
    return value


def require_uuid(value: str | uuid.UUID, argument: str) -> uuid.UUID:
    """``value`` as a UUID.

    >>> require_uuid("E58899BF-1E8D-4FF7-B9DB-A60BEFAF90D2", "workspace_id")
    UUID('e58899bf-1e8d-4ff7-b9db-a60befaf90d2')
    >>> require_uuid("nope", "workspace_id")
    Traceback (most recent call last):
    ...
    ValueError: workspace_id must be a UUID, got 'nope'
    """
    if isinstance(value, uuid.UUID):
        return value
    # caller input, checked at run time whatever the annotation says
    if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a UUID or a string, not {type(value).__name__}")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValueError(f"{argument} must be a UUID, got {value[:64]!r}") from None


def require_page_size(value: int | None, argument: str, *, maximum: int) -> int | None:
    """``value``, an optional page size, checked against 1..``maximum`` (the vendor's documented maximum).

    >>> require_page_size(100, "limit", maximum=100)
    100
    >>> require_page_size(500, "limit", maximum=100)
    Traceback (most recent call last):
    ...
    ValueError: limit must be between 1 and 100 (the API's maximum page size), got 500
    """
    if value is None:
        return None
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be an int, not {type(value).__name__}")
    if not 1 <= value <= maximum:
        raise ValueError(f"{argument} must be between 1 and {maximum} (the API's maximum page size), got {value}")
    return value


def require_int(value: int, argument: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` if it is an int (not a bool) within the document's ``minimum``..``maximum``.

    >>> require_int(3, "count", minimum=1, maximum=5)
    3
    >>> require_int(0, "count", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: count must be at least 1, got 0
    """
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be an int, not {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{argument} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{argument} must be at most {maximum}, got {value}")
    return value


def require_bool(value: bool, argument: str) -> bool:
    """``value`` if it is a bool (``1`` and ``"true"`` are refused: the query would say something else).

    >>> require_bool(True, "reverse")
    True
    >>> require_bool(1, "reverse")
    Traceback (most recent call last):
    ...
    TypeError: reverse must be a bool, not int
    """
    # caller input, checked at run time whatever the annotation says
    if not isinstance(value, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a bool, not {type(value).__name__}")
    return value


def require_text(value: str, argument: str, *, min_length: int = 1, max_length: int | None = None) -> str:
    """``value`` if it is a string of ``min_length`` to ``max_length`` characters (the document's bounds).

    An empty string is refused unless the document allows it (``minLength: 0``): as a filter it
    would be sent as ``resource=`` and mean something the caller did not ask for.

    >>> require_text("task:1", "resource", max_length=60)
    'task:1'
    >>> require_text("x" * 61, "resource", max_length=60)
    Traceback (most recent call last):
    ...
    ValueError: resource must be 1 to 60 characters, got 61
    """
    # caller input, checked at run time whatever the annotation says
    if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a string, not {type(value).__name__}")
    if len(value) < min_length or (max_length is not None and len(value) > max_length):
        bounds = f"at least {min_length}" if max_length is None else f"{min_length} to {max_length}"
        raise ValueError(f"{argument} must be {bounds} characters, got {len(value)}")
    return value


def require_aware_datetime(
    value: datetime.datetime | str,
    argument: str,
    *,
    parse: Callable[[str], datetime.datetime] | None = None,
) -> datetime.datetime:
    """``value`` (a datetime, or ISO 8601 text) as a timezone-aware datetime.

    A naive time is refused: it is sent with its offset, and without one it is ambiguous.
    ``parse`` reads accepted text once more, into the value returned: a generated package's
    ``types.parse_datetime`` gives a datetime that remembers digits past microseconds
    (``.9049594``), which its ``format_datetime`` sends back exactly as given.

    >>> require_aware_datetime("2025-04-15T12:00:00+02:00", "since").isoformat()
    '2025-04-15T12:00:00+02:00'
    >>> require_aware_datetime("2025-04-15T12:00:00", "since")
    Traceback (most recent call last):
    ...
    ValueError: since must include a timezone, e.g. 2025-04-15T12:00:00Z or ...+02:00 (or datetime.now(timezone.utc)), got '2025-04-15T12:00:00'
    """
    text: str | None = None
    if isinstance(value, str):
        text = value
        try:
            value = isoparse(text)
        except (ValueError, OverflowError):
            raise ValueError(f"{argument} is not an ISO 8601 date-time: {text[:64]!r}") from None
    # caller input, checked at run time whatever the annotation says
    if not isinstance(value, datetime.datetime):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a datetime or an ISO 8601 string, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{argument} must include a timezone, e.g. 2025-04-15T12:00:00Z or ...+02:00 "
            f"(or datetime.now(timezone.utc)), got {value.isoformat()[:64]!r}"
        )
    if parse is not None and text is not None:
        try:
            return parse(text)
        except (ValueError, OverflowError):  # a form only isoparse reads: the instant, without the extra digits
            return value
    return value
