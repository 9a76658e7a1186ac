"""Checks of the options a client is built with, run when it is built rather than at its first request.

A careless value (``timeout=httpx.Timeout(None)``, ``prefetch="no"``, a sync transport given to an
async client) otherwise waits forever or fails later with an ``AttributeError``/``TypeError`` from
deep inside httpx. Each check raises ``TypeError`` for the wrong kind of value and ``ValueError``
for a value out of range, naming the option (and the component of a timeout), and returns the
value as the client uses it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Final, Literal, cast

import httpx

from conversation_clients.retry import RetryPolicy

__all__ = [
    "OWNED_HEADERS",
    "require_extra_headers",
    "require_http_client",
    "require_max_items",
    "require_max_retries",
    "require_polling_interval",
    "require_prefetch",
    "require_retry_policy",
    "require_timeout",
    "require_seconds",
    "require_transport",
]

_TIMEOUT_COMPONENTS: Final = ("connect", "read", "write", "pool")

#: Headers the package sets itself on every request, refused in ``with_options(headers=...)``:
#: the credential, where the request goes, and the body's framing and encoding (the body cap
#: decodes only what it asked for). A vendor's held parameters are refused as well.
OWNED_HEADERS: Final = frozenset({"authorization", "host", "accept-encoding", "content-length", "transfer-encoding"})


def _is_number(value: object) -> bool:
    # bool is an int subclass, but True seconds is a mistake, not one second
    return isinstance(value, int | float) and not isinstance(value, bool)


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
    if not _is_number(value):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    seconds = float(value)  # type: ignore[arg-type]  # a number, checked just above
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"{name} must be a finite number of seconds above 0, got {value!r}")
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
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_retries must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"max_retries must be >= 0 (0 disables retries), got {value}")
    return value


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
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_items must be an int or None, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"max_items must be at least 1 (None: no cap), got {value}")
    return value


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
    expected, example = (
        (httpx.AsyncBaseTransport, "httpx.AsyncHTTPTransport")
        if asynchronous
        else (httpx.BaseTransport, "httpx.HTTPTransport")
    )
    if not isinstance(value, expected):
        raise TypeError(
            f"transport must be an httpx.{expected.__name__} (e.g. {example}) or None, not {type(value).__name__}"
        )


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


_BREAKS: Final = re.compile(r"[\r\n\x00]")


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


def require_polling_interval(value: object) -> float | None:
    """``value`` (seconds, or None to never warn) as a float, if finite and >= 0.

    >>> require_polling_interval(-1)
    Traceback (most recent call last):
    ...
    ValueError: polling_warning_interval must be a finite number of seconds >= 0 (or None), got -1
    """
    if value is None:
        return None
    if not _is_number(value):
        raise TypeError(f"polling_warning_interval must be a number of seconds or None, not {type(value).__name__}")
    seconds = float(value)  # type: ignore[arg-type]  # a number, checked just above
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ValueError(f"polling_warning_interval must be a finite number of seconds >= 0 (or None), got {value!r}")
    return seconds
