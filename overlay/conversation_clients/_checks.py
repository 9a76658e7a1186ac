"""Checks of what callers give: each method's arguments, before any request is sent, and a client's
options, when it is built rather than at its first request.

A careless value otherwise fails later and further away: a vendor's 400 for a bad argument, a
wait for ever (``timeout=httpx.Timeout(None)``), or an ``AttributeError``/``TypeError`` from deep
inside httpx (``prefetch="no"``, a sync transport given to an async client). Each check raises
``TypeError`` for the wrong kind of value and ``ValueError`` for a value out of range, naming the
argument or option (and the component of a timeout), and returns the value as the client uses it.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Final, Literal, cast
from urllib.parse import quote

import httpx
from dateutil.parser import isoparse

from conversation_clients.retry import RetryPolicy

#: The longest page token the clients send back, counted percent-encoded (32 KiB). httpx refuses
#: a URL component over 65,536 characters; under this cap the whole URL stays well inside that.
MAX_PAGE_TOKEN_CHARS: Final = 32 * 1024

_TIMEOUT_COMPONENTS: Final = ("connect", "read", "write", "pool")

#: Headers the package sets itself on every request, refused in ``with_options(headers=...)``:
#: the credential, where the request goes, and the body's framing and encoding (the body cap
#: decodes only what it asked for). A vendor's held parameters are refused as well.
OWNED_HEADERS: Final = frozenset({"authorization", "host", "accept-encoding", "content-length", "transfer-encoding"})

_BREAKS: Final = re.compile(r"[\r\n\x00]")


def _is_number(value: object) -> bool:
    # bool is an int subclass, but True seconds is a mistake, not one second
    return isinstance(value, int | float) and not isinstance(value, bool)


def _seconds(value: object, name: str, kind: str) -> float:
    if not _is_number(value):
        raise TypeError(f"{name} must be {kind}, not {type(value).__name__}")
    return float(cast(float, value))


def _an_int(value: object, name: str, kind: str = "an int") -> int:
    # caller input, checked at run time whatever the annotation says; True is not 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be {kind}, not {type(value).__name__}")
    return value


# --- a method's arguments -----------------------------------------------------------------------


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
    if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]  # caller input
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
    if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]  # caller input
        raise TypeError(f"{argument} must be a UUID or a string, not {type(value).__name__}")
    try:
        return _parsed_uuid(value)
    except ValueError:
        raise ValueError(f"{argument} must be a UUID, got {value[:64]!r}") from None


# A client lists the same few workspaces and channels again and again: each id is parsed once
# (UUIDs are immutable, so one object serves every call; a refused text is not remembered).
_parsed_uuid = functools.lru_cache(maxsize=256)(uuid.UUID)


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
    if not 1 <= _an_int(value, argument) <= maximum:
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
    _an_int(value, argument)
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
    if not isinstance(value, bool):  # pyright: ignore[reportUnnecessaryIsInstance]  # caller input
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
    if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]  # caller input
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
    if not isinstance(value, datetime.datetime):  # pyright: ignore[reportUnnecessaryIsInstance]  # caller input
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


# --- a client's options -------------------------------------------------------------------------


def require_timeout(value: object, argument: str = "timeout") -> httpx.Timeout:
    """``value`` (seconds, or an ``httpx.Timeout``) as an ``httpx.Timeout`` whose every component is finite and above 0.

    ``None`` anywhere would wait forever; ``0``, negative, NaN and infinite values fail at the
    first request (or never end); text is a mistake.

    >>> require_timeout(5)
    Timeout(timeout=5.0)
    >>> require_timeout(httpx.Timeout(5, read=None))
    Traceback (most recent call last):
    ...
    ValueError: timeout.read must be a finite number of seconds above 0, got None (None would wait forever)
    """
    if value is None:
        raise ValueError(f"{argument}: None would wait forever; pass a number of seconds or an httpx.Timeout")
    if isinstance(value, httpx.Timeout):
        for component in _TIMEOUT_COMPONENTS:
            require_seconds(getattr(value, component), f"{argument}.{component}")
        return value
    if not _is_number(value):
        raise TypeError(f"{argument} must be a number of seconds or an httpx.Timeout, not {type(value).__name__}")
    return httpx.Timeout(require_seconds(value, argument))


def require_seconds(value: object, name: str) -> float:
    """``value`` as a float if it is a finite number of seconds above 0; else ``TypeError``/``ValueError``.

    >>> require_seconds(60, "attempt_timeout")
    60.0
    """
    if value is None:
        raise ValueError(f"{name} must be a finite number of seconds above 0, got None (None would wait forever)")
    seconds = _seconds(value, name, "a number of seconds")
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"{name} must be a finite number of seconds above 0, got {value!r}")
    return seconds


def require_polling_interval(value: object) -> float | None:
    """``value`` (seconds, or None to never warn) as a float, if finite and >= 0.

    >>> require_polling_interval(-1)
    Traceback (most recent call last):
    ...
    ValueError: polling_warning_interval must be a finite number of seconds >= 0 (or None), got -1
    """
    if value is None:
        return None
    seconds = _seconds(value, "polling_warning_interval", "a number of seconds or None")
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ValueError(f"polling_warning_interval must be a finite number of seconds >= 0 (or None), got {value!r}")
    return seconds


def require_retry_policy(value: object) -> RetryPolicy | None:
    """``value`` if it is a :class:`~conversation_clients.retry.RetryPolicy` or None.

    >>> require_retry_policy("x")
    Traceback (most recent call last):
    ...
    TypeError: retry_policy must be a RetryPolicy or None, not str
    """
    if value is None or isinstance(value, RetryPolicy):
        return value
    raise TypeError(f"retry_policy must be a RetryPolicy or None, not {type(value).__name__}")


def require_max_retries(value: object) -> int:
    """``value`` if it is an int >= 0 (checked even when a ``retry_policy`` overrides it).

    >>> require_max_retries(2.0)
    Traceback (most recent call last):
    ...
    TypeError: max_retries must be an int, not float
    """
    count = _an_int(value, "max_retries")
    if count < 0:
        raise ValueError(f"max_retries must be >= 0 (0 disables retries), got {count}")
    return count


def require_max_items(value: object) -> int | None:
    """``value`` if it is None (no cap) or an int above 0: how many items a listing may hand over.

    >>> require_max_items(True)
    Traceback (most recent call last):
    ...
    TypeError: max_items must be an int or None, not bool
    >>> require_max_items(0)
    Traceback (most recent call last):
    ...
    ValueError: max_items must be at least 1 (None: no cap), got 0
    """
    if value is None:
        return None
    count = _an_int(value, "max_items", "an int or None")
    if count < 1:
        raise ValueError(f"max_items must be at least 1 (None: no cap), got {count}")
    return count


def require_prefetch(value: object) -> bool | Literal["always"]:
    """``value`` if it is a bool or ``"always"`` (``"no"`` is truthy, so anything else is refused).

    >>> require_prefetch("always")
    'always'
    >>> require_prefetch("no")
    Traceback (most recent call last):
    ...
    TypeError: prefetch must be a bool or "always", not str 'no'
    """
    if isinstance(value, str) and value == "always":
        return "always"
    if not isinstance(value, bool):
        shown = f" {value!r}" if isinstance(value, str) else ""  # a str is a mode name, never a secret
        raise TypeError(f'prefetch must be a bool or "always", not {type(value).__name__}{shown}')
    return value


def require_transport(value: object, *, asynchronous: bool) -> None:
    """Check that ``value`` is None or a transport of the client's kind (sync or async).

    Some transports (``httpx.MockTransport``) are both kinds; a sync-only transport given to an
    async client, or the reverse, is refused.

    >>> require_transport(httpx.HTTPTransport(), asynchronous=True)
    Traceback (most recent call last):
    ...
    TypeError: transport must be an httpx.AsyncBaseTransport (e.g. httpx.AsyncHTTPTransport) or None, not HTTPTransport
    """
    if value is None:
        return
    expected, example = (httpx.AsyncBaseTransport, "Async") if asynchronous else (httpx.BaseTransport, "")
    if not isinstance(value, expected):
        raise TypeError(
            f"transport must be an httpx.{expected.__name__} (e.g. httpx.{example}HTTPTransport) or None, "
            f"not {type(value).__name__}"
        )


def require_http_client(value: object, transport: object, *, asynchronous: bool) -> None:
    """Check that ``value`` is None or an httpx client of the client's kind, and not given with ``transport``.

    >>> require_http_client(httpx.Client(), None, asynchronous=True)
    Traceback (most recent call last):
    ...
    TypeError: http_client must be an httpx.AsyncClient or None, not Client
    """
    if value is None:
        return
    expected = httpx.AsyncClient if asynchronous else httpx.Client
    if not isinstance(value, expected):
        raise TypeError(f"http_client must be an httpx.{expected.__name__} or None, not {type(value).__name__}")
    if transport is not None:
        raise TypeError("give transport= or http_client=, not both (put the transport in your http_client)")


def require_extra_headers(value: object, *, held: Iterable[str] = ()) -> dict[str, str]:
    """``value`` (a mapping of header names to values, both text) as a dict, for ``with_options(headers=...)``.

    A header the package owns (:data:`OWNED_HEADERS`) or a vendor's held parameter (``held``,
    e.g. Omnichannel's ``organization-id``) is refused with ``ValueError`` naming it: sent twice,
    or overriding ours, it would change where a request goes or what it may read. A name or
    value holding CR, LF or NUL is refused too (header injection).

    >>> require_extra_headers({"X-Team": "exports"})
    {'X-Team': 'exports'}
    >>> require_extra_headers({"Authorization": "Bearer x"})
    Traceback (most recent call last):
    ...
    ValueError: headers: Authorization is set by the client itself and cannot be given
    >>> require_extra_headers({"X-Team": "a\\r\\nHost: evil"})
    Traceback (most recent call last):
    ...
    ValueError: headers: the value of X-Team holds CR, LF or NUL
    """
    if not isinstance(value, Mapping):
        raise TypeError(f"headers must be a mapping of header names to values, not {type(value).__name__}")
    refused = OWNED_HEADERS | {name.lower() for name in held}
    checked: dict[str, str] = {}
    for name, text in cast(Mapping[object, object], value).items():
        if not isinstance(name, str) or not isinstance(text, str):
            raise TypeError(f"headers: names and values must be str, got {type(name).__name__}: {type(text).__name__}")
        if not name or _BREAKS.search(name) or ":" in name or name != name.strip():
            raise ValueError(f"headers: {name!r} is not a header name")
        if name.lower() in refused:
            raise ValueError(f"headers: {name} is set by the client itself and cannot be given")
        if _BREAKS.search(text):
            raise ValueError(f"headers: the value of {name} holds CR, LF or NUL")  # the value is not quoted: a secret?
        checked[name] = text
    return checked
