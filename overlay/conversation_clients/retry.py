"""Retry rules: which failures are worth another attempt, and how long to wait first.

Everything here is a pure function of its arguments. The clock and the random draw are
passed in, so the request loop in :mod:`conversation_clients._flow` (shared by the sync
and async clients) stays deterministic under test.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

import attrs
import httpx

__all__ = [
    "MAX_RETRY_AFTER_SECONDS",
    "RetryDecision",
    "RetryPolicy",
    "backoff_delay",
    "decide_after_exception",
    "decide_after_response",
    "is_retryable_status",
    "parse_retry_after",
]

# Millisecond variants win over Retry-After: they are more precise, and Azure services
# send both with the same meaning.
_MILLISECOND_HEADERS: Final = ("retry-after-ms", "x-ms-retry-after-ms")
# RFC 9110 delta-seconds are digits; a fraction is tolerated (Azure's millisecond headers).
# A sign is not: "-5" read as 0 would turn a garbled header into "retry now".
_DELTA_SECONDS: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# An HTTP-date holds a comma after its weekday ("Mon, 01 Jan 2024 ..."), so a header value
# repeated and joined with ", " is split on commas and a weekday is rejoined with what follows.
_WEEKDAY: Final = re.compile(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6}", re.IGNORECASE)

#: The longest wait a Retry-After can ask for, in seconds (one year). A longer one (400 digits,
#: a date in the year 9999) is read as this: still "a very long wait", over any sane
#: ``max_retry_after``, so the caller gets the typed error at once with a finite ``retry_after``
#: (``time.sleep`` refuses infinity).
MAX_RETRY_AFTER_SECONDS: Final = 365.0 * 24 * 3600

# Transport errors that will fail the same way every time: the request is malformed
# or its URL scheme unsupported, so retrying only delays the inevitable error.
_PERMANENT_TRANSPORT_ERRORS: Final = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)

# 2 ** 64 times any sane initial delay is far beyond any sane max_delay; capping the
# exponent keeps a huge retry number from overflowing the float power.
_MAX_BACKOFF_EXPONENT: Final = 64


def _finite_non_negative(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int | float):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{attribute.name} must be a number, got {type(value).__name__}")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{attribute.name} must be a finite number >= 0, got {value!r}")


def _non_negative_int(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{attribute.name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0 (0 disables retries), got {value}")


def _fraction(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    _finite_non_negative(instance, attribute, value)
    if value > 1:
        raise ValueError(f"{attribute.name} must be between 0 and 1, got {value!r}")


@attrs.frozen
class RetryPolicy:
    """How many times to retry and how long to wait between attempts.

    ``max_retries`` counts retries, not attempts: the default 2 means up to 3 attempts,
    and 0 disables retrying. Waits grow from ``initial_delay`` by doubling up to
    ``max_delay``, each shortened at random by up to ``jitter`` (a fraction) so that
    many clients do not retry in lockstep. A server asking for a longer wait than
    ``max_retry_after`` seconds is not retried at all, so the caller sees the
    :class:`~conversation_clients.errors.RateLimitError` instead of a silent long sleep.

    >>> RetryPolicy(max_retries=5, max_delay=30.0).max_retries
    5
    >>> RetryPolicy(jitter=1.5)
    Traceback (most recent call last):
    ...
    ValueError: jitter must be between 0 and 1, got 1.5
    """

    max_retries: int = attrs.field(default=2, validator=_non_negative_int)
    initial_delay: float = attrs.field(default=0.5, validator=_finite_non_negative)
    max_delay: float = attrs.field(default=8.0, validator=_finite_non_negative)
    jitter: float = attrs.field(default=0.25, validator=_fraction)
    max_retry_after: float = attrs.field(default=60.0, validator=_finite_non_negative)

    def __attrs_post_init__(self) -> None:
        if self.max_delay < self.initial_delay:
            raise ValueError(f"max_delay ({self.max_delay!r}) must be >= initial_delay ({self.initial_delay!r})")


@attrs.frozen
class RetryDecision:
    """What to do after one attempt: retry after ``delay`` seconds, or stop.

    ``reason`` is a short log-safe explanation. ``retry_after`` is the wait the server
    asked for, if it asked; it is kept even when not retrying so that the raised error
    can report it.

    >>> RetryDecision(retry=True, delay=1.0, reason="status 503 is retryable")
    RetryDecision(retry=True, delay=1.0, reason='status 503 is retryable', retry_after=None)
    """

    retry: bool
    delay: float
    reason: str
    retry_after: float | None = None


def is_retryable_status(status: int) -> bool:
    """Tell whether a response status is worth retrying: 408, 429 and every 5xx.

    Non-standard 5xx codes count too; CDNs send 520-527 for transient origin trouble.

    >>> [is_retryable_status(s) for s in (408, 429, 500, 520, 404, 600)]
    [True, True, True, True, False, False]
    """
    return status in (408, 429) or 500 <= status <= 599


def parse_retry_after(headers: Mapping[str, str], *, now: datetime) -> float | None:
    """Read the server's requested wait in seconds, or None if it gave none usable.

    Looks at ``retry-after-ms`` and ``x-ms-retry-after-ms`` (milliseconds) first, then
    ``Retry-After`` as delta-seconds or an HTTP-date (measured from ``now``; a naive
    ``now`` is taken as UTC). A date in the past becomes 0; a header that cannot be read
    (a negative number, ``nan``, words) is skipped. A header repeated (httpx joins the
    values with ``", "``) counts as its longest readable value, so that the most cautious
    request wins. A wait too long to matter (hundreds of digits) is read as
    :data:`MAX_RETRY_AFTER_SECONDS`: an absurd value never means "retry now".

    >>> from datetime import datetime, timezone
    >>> now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    >>> parse_retry_after({"Retry-After": "2.5"}, now=now)
    2.5
    >>> parse_retry_after({"Retry-After": "Mon, 01 Jan 2024 00:00:30 GMT"}, now=now)
    30.0
    >>> parse_retry_after({"x-ms-retry-after-ms": "1500", "Retry-After": "9"}, now=now)
    1.5
    >>> parse_retry_after({"Retry-After": "5, 7"}, now=now)
    7.0
    >>> parse_retry_after({"Retry-After": "9" * 400}, now=now) == MAX_RETRY_AFTER_SECONDS
    True
    >>> parse_retry_after({"retry-after-ms": "100000000"}, now=now)  # 100,000 s: under the cap
    100000.0
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    for name in _MILLISECOND_HEADERS:
        seconds = _longest(_parse_delta_seconds(part, per_second=1000) for part in _split_repeated(lowered.get(name)))
        if seconds is not None:
            return seconds
    value = lowered.get("retry-after")
    if value is None:
        return None
    return _longest(_parse_one_retry_after(part, now) for part in _split_repeated(value))


def _split_repeated(value: str | None) -> list[str]:
    # One value, or several joined by ", " (a repeated header); a weekday is rejoined
    # with the date that follows it.
    if value is None:
        return []
    parts: list[str] = []
    pending = ""
    for piece in value.split(","):
        if pending:
            parts.append(f"{pending},{piece}")
            pending = ""
        elif _WEEKDAY.fullmatch(piece.strip(" \t")):
            pending = piece
        else:
            parts.append(piece)
    if pending:
        parts.append(pending)
    return parts


def _longest(waits: Iterable[float | None]) -> float | None:
    readable = [wait for wait in waits if wait is not None]
    return max(readable) if readable else None


def _parse_one_retry_after(value: str, now: datetime) -> float | None:
    seconds = _parse_delta_seconds(value)
    if seconds is not None:
        return seconds
    return _seconds_until_http_date(value, now)


def _parse_delta_seconds(value: str, *, per_second: int = 1) -> float | None:
    # A strict pattern rather than float(): float() also accepts "nan", "inf" and "1_0".
    # Only HTTP's optional whitespace is stripped: str.strip() would also drop control
    # characters, and float() would then refuse what the pattern accepted. ``per_second`` is
    # how many of the header's units make a second (1000: milliseconds); the value is
    # returned in seconds and capped in seconds, whatever the unit.
    trimmed = value.strip(" \t")
    if not _DELTA_SECONDS.fullmatch(trimmed):
        return None
    whole = trimmed.partition(".")[0].lstrip("0")
    if len(whole) > len(str(int(MAX_RETRY_AFTER_SECONDS * per_second))):
        # Hundreds of digits: float() would give inf (and int() refuses over 4300 digits).
        return MAX_RETRY_AFTER_SECONDS
    return min(float(trimmed) / per_second, MAX_RETRY_AFTER_SECONDS)


def _seconds_until_http_date(value: str, now: datetime) -> float | None:
    try:
        when = parsedate_to_datetime(value.strip())
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    try:
        seconds = (_as_utc(when) - _as_utc(now)).total_seconds()
    except OverflowError:
        return MAX_RETRY_AFTER_SECONDS
    return min(max(0.0, seconds), MAX_RETRY_AFTER_SECONDS)


def _as_utc(moment: datetime) -> datetime:
    # HTTP-dates are GMT; parsedate_to_datetime returns naive datetimes for "-0000".
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def backoff_delay(policy: RetryPolicy, retry_number: int, random_fraction: float) -> float:
    """Return the wait before retry number ``retry_number`` (1 for the first retry).

    Doubles from ``initial_delay``, stops growing at ``max_delay``, and then subtracts
    up to ``jitter`` of it: ``random_fraction`` (in [0, 1]) picks how much. The result
    is never above ``max_delay`` and never negative.

    >>> policy = RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=0.25)
    >>> [backoff_delay(policy, n, 0.0) for n in (1, 2, 3, 6)]
    [0.5, 1.0, 2.0, 8.0]
    >>> backoff_delay(policy, 6, 1.0)
    6.0
    """
    if retry_number < 1:
        raise ValueError(f"retry_number counts from 1, got {retry_number}")
    if not 0.0 <= random_fraction <= 1.0:
        raise ValueError(f"random_fraction must be between 0 and 1, got {random_fraction!r}")
    exponent = min(retry_number - 1, _MAX_BACKOFF_EXPONENT)
    capped = min(policy.max_delay, policy.initial_delay * 2.0**exponent)
    return capped * (1.0 - policy.jitter * random_fraction)


def decide_after_response(
    policy: RetryPolicy,
    retries_done: int,
    status: int,
    headers: Mapping[str, str],
    *,
    now: datetime,
    random_fraction: float,
) -> RetryDecision:
    """Decide whether to retry after a response with a non-success ``status``.

    A retryable status is retried while retries remain, after the server's requested
    wait if it gave one (never less) and after :func:`backoff_delay` otherwise. A
    requested wait over ``policy.max_retry_after`` stops retrying at once.

    >>> from datetime import datetime, timezone
    >>> now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    >>> decide_after_response(
    ...     RetryPolicy(), 0, 429, {"Retry-After": "3"}, now=now, random_fraction=0.5
    ... ).delay
    3.0
    >>> decide_after_response(
    ...     RetryPolicy(), 0, 429, {"Retry-After": "3600"}, now=now, random_fraction=0.5
    ... ).retry
    False
    """
    retry_after = parse_retry_after(headers, now=now)

    def stop(reason: str) -> RetryDecision:
        return RetryDecision(retry=False, delay=0.0, reason=reason, retry_after=retry_after)

    if not is_retryable_status(status):
        return stop(f"status {status} is not retryable")
    if retries_done >= policy.max_retries:
        return stop(f"status {status} after {retries_done} of {policy.max_retries} retries")
    if retry_after is not None:
        if retry_after > policy.max_retry_after:
            return stop(
                f"status {status} asks to wait {retry_after:g}s, over max_retry_after={policy.max_retry_after:g}s"
            )
        return RetryDecision(
            retry=True,
            delay=retry_after,
            reason=f"status {status}, server asked to wait {retry_after:g}s",
            retry_after=retry_after,
        )
    return RetryDecision(
        retry=True,
        delay=backoff_delay(policy, retries_done + 1, random_fraction),
        reason=f"status {status}, backing off",
    )


def decide_after_exception(
    policy: RetryPolicy,
    retries_done: int,
    exc: BaseException,
    *,
    random_fraction: float,
) -> RetryDecision:
    """Decide whether to retry after sending raised ``exc``.

    Only httpx transport errors (connection failures, timeouts, dropped connections)
    are retried; anything else is a bug or an interruption and must surface as-is.
    ``UnsupportedProtocol`` and ``LocalProtocolError`` are transport errors too, but
    they fail identically every time, so they are not retried either.

    >>> decide_after_exception(RetryPolicy(), 0, httpx.ConnectTimeout("t"), random_fraction=0).delay
    0.5
    >>> decide_after_exception(RetryPolicy(), 0, KeyError("x"), random_fraction=0).retry
    False
    """
    kind = type(exc).__name__
    if not isinstance(exc, httpx.TransportError) or isinstance(exc, _PERMANENT_TRANSPORT_ERRORS):
        return RetryDecision(retry=False, delay=0.0, reason=f"{kind} is not retryable")
    if retries_done >= policy.max_retries:
        return RetryDecision(
            retry=False,
            delay=0.0,
            reason=f"{kind} after {retries_done} of {policy.max_retries} retries",
        )
    return RetryDecision(
        retry=True,
        delay=backoff_delay(policy, retries_done + 1, random_fraction),
        reason=f"{kind}, backing off",
    )
