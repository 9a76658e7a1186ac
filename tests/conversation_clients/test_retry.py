"""Retry rules (:mod:`conversation_clients.retry`): policy validation, Retry-After parsing, backoff
and decisions, and absurd or repeated Retry-After headers from hostile servers.
"""

from __future__ import annotations

import json
import math
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients.retry import (
    MAX_RETRY_AFTER_SECONDS,
    RetryDecision,
    RetryPolicy,
    backoff_delay,
    decide_after_exception,
    decide_after_response,
    is_retryable_status,
    parse_retry_after,
)
from tests.support.hostile.harness import run_listing
from tests.support.hostile.pages import MODES, VENDOR_NAMES, page_body
from tests.support.hostile.server import Behaviour, json_page, raw, serve

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
REQUEST = httpx.Request("GET", "https://api.example/v1/conversations")


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


# --- RetryPolicy -------------------------------------------------------------------------


def test_policy_defaults() -> None:
    policy = RetryPolicy()

    assert (policy.max_retries, policy.initial_delay, policy.max_delay) == (2, 0.5, 8.0)
    assert (policy.jitter, policy.max_retry_after) == (0.25, 60.0)


def test_policy_is_immutable() -> None:
    policy = RetryPolicy()

    with pytest.raises(AttributeError):
        policy.max_retries = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_retries": -1}, "max_retries must be >= 0"),
        ({"initial_delay": -0.1}, "initial_delay must be a finite number >= 0"),
        ({"max_delay": math.inf}, "max_delay must be a finite number >= 0"),
        ({"initial_delay": math.nan}, "initial_delay must be a finite number >= 0"),
        ({"jitter": 1.5}, "jitter must be between 0 and 1"),
        ({"jitter": -0.1}, "jitter must be a finite number >= 0"),
        ({"max_retry_after": -1.0}, "max_retry_after must be a finite number >= 0"),
        ({"initial_delay": 10.0, "max_delay": 5.0}, "max_delay (5.0) must be >= initial_delay"),
    ],
)
def test_policy_rejects_bad_values_with_clear_messages(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("field", "value"), [("max_retries", True), ("max_retries", 1.5)])
def test_policy_rejects_wrong_types(field: str, value: object) -> None:
    with pytest.raises(TypeError, match=field):
        RetryPolicy(**{field: value})  # type: ignore[arg-type]


def test_policy_accepts_zero_retries_and_zero_delays() -> None:
    policy = RetryPolicy(max_retries=0, initial_delay=0, max_delay=0, jitter=0, max_retry_after=0)

    assert policy.max_retries == 0


# --- is_retryable_status -------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 520, 599])
def test_retryable_statuses(status: int) -> None:
    assert is_retryable_status(status)


@pytest.mark.parametrize("status", [200, 302, 400, 401, 403, 404, 409, 422, 499, 600, 999])
def test_non_retryable_statuses(status: int) -> None:
    assert not is_retryable_status(status)


# --- parse_retry_after -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1.0), ("120", 120.0), (" 7 ", 7.0), ("2.5", 2.5), ("0", 0.0)],
)
def test_retry_after_delta_seconds(value: str, expected: float) -> None:
    assert parse_retry_after({"Retry-After": value}, now=NOW) == expected


def test_retry_after_http_date_in_the_future() -> None:
    headers = {"Retry-After": http_date(NOW + timedelta(seconds=90))}

    assert parse_retry_after(headers, now=NOW) == 90.0


def test_retry_after_http_date_in_the_past_means_no_wait() -> None:
    headers = {"Retry-After": http_date(NOW - timedelta(hours=1))}

    assert parse_retry_after(headers, now=NOW) == 0.0


def test_retry_after_http_date_with_unknown_zone_is_taken_as_utc() -> None:
    # "-0000" makes parsedate_to_datetime return a naive datetime.
    headers = {"Retry-After": "Wed, 01 May 2024 12:00:30 -0000"}

    assert parse_retry_after(headers, now=NOW) == 30.0


def test_retry_after_with_naive_now_is_taken_as_utc() -> None:
    headers = {"Retry-After": http_date(NOW + timedelta(seconds=10))}

    assert parse_retry_after(headers, now=NOW.replace(tzinfo=None)) == 10.0


@pytest.mark.parametrize("value", ["", "soon", "nan", "inf", "1_0", "1e3", "0x10", "Wed, 99 Foo 2024", "-5", "-0.5"])
def test_unreadable_retry_after_is_ignored(value: str) -> None:
    assert parse_retry_after({"Retry-After": value}, now=NOW) is None


def test_missing_retry_after_is_none() -> None:
    assert parse_retry_after({"Content-Type": "application/json"}, now=NOW) is None


@pytest.mark.parametrize("name", ["retry-after-ms", "x-ms-retry-after-ms", "Retry-After-Ms"])
def test_millisecond_headers_win_over_retry_after(name: str) -> None:
    headers = {"Retry-After": "9", name: "1500"}

    assert parse_retry_after(headers, now=NOW) == 1.5


def test_retry_after_ms_is_preferred_to_x_ms_retry_after_ms() -> None:
    headers = {"x-ms-retry-after-ms": "3000", "retry-after-ms": "250"}

    assert parse_retry_after(headers, now=NOW) == 0.25


def test_negative_milliseconds_are_unreadable_not_no_wait() -> None:
    # A negative wait is not HTTP; read as 0 it would mean "retry now" on a garbage header.
    assert parse_retry_after({"retry-after-ms": "-100"}, now=NOW) is None


def test_unreadable_milliseconds_fall_through_to_retry_after() -> None:
    headers = {"retry-after-ms": "later", "Retry-After": "4"}

    assert parse_retry_after(headers, now=NOW) == 4.0


MILLISECOND_HEADERS = ["retry-after-ms", "x-ms-retry-after-ms"]


@pytest.mark.parametrize("name", MILLISECOND_HEADERS)
@pytest.mark.parametrize(
    ("milliseconds", "seconds"),
    [
        ("100000000", 100_000.0),  # issue 17, item 10: used to read as 31,536 s
        ("31535999999", 31_535_999.999),
        ("31536000000", MAX_RETRY_AFTER_SECONDS),  # one year exactly
        ("31536000001", MAX_RETRY_AFTER_SECONDS),
        ("9" * 400, MAX_RETRY_AFTER_SECONDS),  # used to read as 31,536 s
    ],
    ids=["100000-seconds", "just-under-a-year", "a-year", "just-over-a-year", "400-digits"],
)
def test_millisecond_headers_are_capped_at_one_year_in_seconds(name: str, milliseconds: str, seconds: float) -> None:
    assert parse_retry_after({name: milliseconds}, now=NOW) == seconds


@given(milliseconds=st.integers(min_value=0, max_value=10**40), name=st.sampled_from(MILLISECOND_HEADERS))
def test_a_millisecond_header_is_its_seconds_up_to_the_one_year_cap(milliseconds: int, name: str) -> None:
    expected = min(milliseconds / 1000, MAX_RETRY_AFTER_SECONDS)

    assert parse_retry_after({name: str(milliseconds)}, now=NOW) == pytest.approx(expected, rel=1e-12)


def test_retry_after_is_read_from_httpx_headers_ignoring_case() -> None:
    headers = httpx.Headers({"RETRY-AFTER": "3"})

    assert parse_retry_after(headers, now=NOW) == 3.0


@given(value=st.text(max_size=60), ms_value=st.none() | st.text(max_size=20))
def test_parse_retry_after_never_raises(value: str, ms_value: str | None) -> None:
    headers = {"Retry-After": value}
    if ms_value is not None:
        headers["retry-after-ms"] = ms_value

    result = parse_retry_after(headers, now=NOW)

    assert result is None or (math.isfinite(result) and result >= 0)


# --- backoff_delay ---------------------------------------------------------------------------


def test_backoff_doubles_then_stops_at_max_delay() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=0.25)

    delays = [backoff_delay(policy, n, random_fraction=0.0) for n in range(1, 8)]

    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_jitter_at_its_edges() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=8.0, jitter=0.25)

    assert backoff_delay(policy, 3, random_fraction=0.0) == 4.0
    assert backoff_delay(policy, 3, random_fraction=1.0) == 3.0
    assert backoff_delay(policy, 3, random_fraction=0.5) == 3.5


def test_full_jitter_can_reach_zero() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=8.0, jitter=1.0)

    assert backoff_delay(policy, 2, random_fraction=1.0) == 0.0


def test_no_jitter_ignores_the_random_draw() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=8.0, jitter=0.0)

    assert backoff_delay(policy, 2, random_fraction=0.9) == 2.0


def test_huge_retry_numbers_do_not_overflow() -> None:
    assert backoff_delay(RetryPolicy(), 100_000, random_fraction=0.0) == 8.0


@pytest.mark.parametrize(("retry_number", "fraction"), [(0, 0.5), (-1, 0.5), (1, -0.1), (1, 1.1)])
def test_backoff_rejects_out_of_range_arguments(retry_number: int, fraction: float) -> None:
    with pytest.raises(ValueError):
        backoff_delay(RetryPolicy(), retry_number, fraction)


@given(
    initial_delay=st.floats(min_value=0, max_value=100),
    extra=st.floats(min_value=0, max_value=1000),
    jitter=st.floats(min_value=0, max_value=1),
    retry_number=st.integers(min_value=1, max_value=10_000),
    fraction=st.floats(min_value=0, max_value=1),
)
def test_backoff_always_within_bounds(
    initial_delay: float, extra: float, jitter: float, retry_number: int, fraction: float
) -> None:
    policy = RetryPolicy(initial_delay=initial_delay, max_delay=initial_delay + extra, jitter=jitter)
    undisturbed = backoff_delay(policy, retry_number, 0.0)

    delay = backoff_delay(policy, retry_number, fraction)

    assert 0.0 <= delay <= policy.max_delay
    assert delay >= undisturbed * (1 - jitter) - 1e-9
    assert delay <= undisturbed


# --- decide_after_response -------------------------------------------------------------------


def decide(
    status: int,
    headers: dict[str, str] | None = None,
    *,
    retries_done: int = 0,
    policy: RetryPolicy | None = None,
    random_fraction: float = 0.0,
) -> RetryDecision:
    return decide_after_response(
        policy or RetryPolicy(),
        retries_done,
        status,
        headers or {},
        now=NOW,
        random_fraction=random_fraction,
    )


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 302])
def test_non_retryable_status_stops(status: int) -> None:
    decision = decide(status)

    assert not decision.retry
    assert str(status) in decision.reason


def test_non_retryable_status_still_reports_retry_after() -> None:
    assert decide(403, {"Retry-After": "30"}).retry_after == 30.0


def test_retryable_status_without_retry_after_backs_off() -> None:
    policy = RetryPolicy(initial_delay=1.0, jitter=0.5)

    decision = decide(503, retries_done=1, policy=policy, random_fraction=1.0)

    assert decision == RetryDecision(retry=True, delay=1.0, reason="status 503, backing off", retry_after=None)


def test_retry_after_within_the_cap_is_the_delay_exactly() -> None:
    # Jitter must not shorten a wait the server asked for.
    decision = decide(429, {"Retry-After": "1"}, random_fraction=1.0)

    assert decision.retry
    assert decision.delay == 1.0
    assert decision.retry_after == 1.0


def test_retry_after_equal_to_the_cap_is_honoured() -> None:
    decision = decide(429, {"Retry-After": "60"}, policy=RetryPolicy(max_retry_after=60.0))

    assert decision.retry
    assert decision.delay == 60.0


def test_retry_after_over_the_cap_stops_at_once() -> None:
    decision = decide(429, {"Retry-After": "3600"})

    assert not decision.retry
    assert decision.retry_after == 3600.0
    assert "max_retry_after" in decision.reason


def test_a_millisecond_hold_beyond_max_retry_after_is_reported_in_seconds() -> None:
    decision = decide(503, {"retry-after-ms": "100000000"})

    assert not decision.retry
    assert decision.retry_after == 100_000.0
    assert "asks to wait 100000s" in decision.reason


def test_http_date_retry_after_is_measured_from_now() -> None:
    decision = decide(503, {"Retry-After": http_date(NOW + timedelta(seconds=5))})

    assert decision.retry
    assert decision.delay == 5.0


def test_exhausted_retries_stop() -> None:
    policy = RetryPolicy(max_retries=2)

    assert decide(503, retries_done=1, policy=policy).retry
    decision = decide(503, retries_done=2, policy=policy)

    assert not decision.retry
    assert "2 of 2 retries" in decision.reason


def test_zero_max_retries_never_retries() -> None:
    assert not decide(503, policy=RetryPolicy(max_retries=0)).retry


def test_408_and_non_standard_5xx_are_retried() -> None:
    assert decide(408).retry
    assert decide(520).retry


# --- decide_after_exception ------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused", request=REQUEST),
        httpx.ConnectTimeout("slow", request=REQUEST),
        httpx.ReadTimeout("slow", request=REQUEST),
        httpx.PoolTimeout("busy", request=REQUEST),
        httpx.ReadError("reset", request=REQUEST),
        httpx.RemoteProtocolError("peer closed", request=REQUEST),
    ],
)
def test_transient_transport_errors_are_retried(exc: httpx.TransportError) -> None:
    policy = RetryPolicy(initial_delay=0.5, jitter=0.0)

    decision = decide_after_exception(policy, 0, exc, random_fraction=0.7)

    assert decision.retry
    assert decision.delay == 0.5
    assert type(exc).__name__ in decision.reason


@pytest.mark.parametrize(
    "exc",
    [
        httpx.UnsupportedProtocol("ftp://", request=REQUEST),
        httpx.LocalProtocolError("bad header", request=REQUEST),
        httpx.DecodingError("bad gzip", request=REQUEST),
        httpx.HTTPStatusError("x", request=REQUEST, response=httpx.Response(503)),
        ValueError("bug"),
        KeyboardInterrupt(),
    ],
)
def test_other_exceptions_are_never_retried(exc: BaseException) -> None:
    assert not decide_after_exception(RetryPolicy(), 0, exc, random_fraction=0.0).retry


def test_transport_error_after_exhausted_retries_stops() -> None:
    exc = httpx.ConnectError("refused", request=REQUEST)

    decision = decide_after_exception(RetryPolicy(max_retries=2), 2, exc, random_fraction=0.0)

    assert not decision.retry
    assert "2 of 2 retries" in decision.reason


def test_exception_reasons_do_not_quote_the_exception_text() -> None:
    exc = httpx.ConnectError("https://api.example/?pageToken=SECRETTOKEN", request=REQUEST)

    decision = decide_after_exception(RetryPolicy(), 0, exc, random_fraction=0.0)

    assert "SECRETTOKEN" not in decision.reason


# --- absurd and repeated Retry-After headers (issue 9, item 6) ------------------------------


@pytest.mark.parametrize("value", ["9" * 400, "1" + "0" * 20, "9" * 10_000])
def test_a_wait_too_long_to_count_is_the_longest_wait_not_none(value: str) -> None:
    assert parse_retry_after({"Retry-After": value}, now=NOW) == MAX_RETRY_AFTER_SECONDS


def test_a_date_centuries_away_is_capped_too() -> None:
    headers = {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}

    assert parse_retry_after(headers, now=NOW) == MAX_RETRY_AFTER_SECONDS


def test_four_hundred_digits_raise_the_rate_limit_error_at_once() -> None:
    decision = decide_after_response(RetryPolicy(), 0, 429, {"Retry-After": "9" * 400}, now=NOW, random_fraction=0.0)

    assert not decision.retry
    assert decision.retry_after == MAX_RETRY_AFTER_SECONDS
    assert "over max_retry_after" in decision.reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [("5, 7", 7.0), ("7,5", 7.0), ("5, soon", 5.0), ("soon, 3", 3.0), ("2, 9" + "9" * 400, None)],
)
def test_repeated_retry_after_headers_take_the_longest_readable(value: str, expected: float | None) -> None:
    wanted = MAX_RETRY_AFTER_SECONDS if expected is None else expected

    assert parse_retry_after({"Retry-After": value}, now=NOW) == wanted


def test_repeated_headers_as_httpx_joins_them() -> None:
    headers = httpx.Headers([("Retry-After", "5"), ("Retry-After", "7")])

    assert parse_retry_after(headers, now=NOW) == 7.0


def test_repeated_http_dates_take_the_later_one() -> None:
    earlier, later = http_date(NOW + timedelta(seconds=10)), http_date(NOW + timedelta(seconds=40))
    headers = httpx.Headers([("Retry-After", earlier), ("Retry-After", later)])

    assert parse_retry_after(headers, now=NOW) == 40.0


def test_a_date_and_seconds_repeated_take_the_longer() -> None:
    headers = httpx.Headers([("Retry-After", "3"), ("Retry-After", http_date(NOW + timedelta(seconds=20)))])

    assert parse_retry_after(headers, now=NOW) == 20.0


def test_repeated_millisecond_headers_take_the_longest() -> None:
    headers = httpx.Headers([("retry-after-ms", "200"), ("retry-after-ms", "1500")])

    assert parse_retry_after(headers, now=NOW) == 1.5


def test_repeated_headers_over_the_cap_stop_retrying() -> None:
    headers = httpx.Headers([("Retry-After", "5"), ("Retry-After", "3600")])
    decision = decide_after_response(RetryPolicy(), 0, 503, headers, now=NOW, random_fraction=0.0)

    assert (decision.retry, decision.retry_after) == (False, 3600.0)


@given(st.integers(min_value=0, max_value=10**400))
def test_any_whole_number_of_seconds_is_that_wait_up_to_the_cap(seconds: int) -> None:
    waited = parse_retry_after({"Retry-After": str(seconds)}, now=NOW)

    expected = MAX_RETRY_AFTER_SECONDS if seconds > MAX_RETRY_AFTER_SECONDS else float(seconds)
    assert waited == expected


# -- Items 8 to 10 of issue 17: the rate limiter's and Retry-After's arithmetic, over loopback -----


# -- item 10: a millisecond Retry-After is capped in seconds --------------------------------


def unavailable_with(vendor: str, header: str, value: str) -> Behaviour:
    """A 503 whose only wait is ``header: value``."""
    body = (
        {"code": "Unavailable", "message": "down"}
        if vendor == "bird"
        else {"title": "Service Unavailable", "status": 503, "detail": "down"}
    )
    encoded = json.dumps(body).encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
        f"{header}: {value}\r\nContent-Length: {len(encoded)}\r\n\r\n"
    )
    return raw(head.encode() + encoded)


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("header", ["retry-after-ms", "x-ms-retry-after-ms"])
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_100000000_ms_retry_after_is_100000_seconds_and_not_attempted(vendor: str, header: str) -> None:
    retrying = {"retry_policy": {"max_retries": 2, "initial_delay": 0.05, "max_delay": 0.05, "max_retry_after": 60.0}}
    with serve(unavailable_with(vendor, header, "100000000"), json_page({})) as server:
        outcome = run_listing(vendor, "sync", server.base_url, client_options=retrying, timeout=30)
        requests = len(server.requests)
    # over max_retry_after: the typed error at once, with the wait the server asked for
    assert outcome.error_type == "ServerError", outcome.error_message
    assert outcome.error_attributes["retry_after"] == 100_000.0  # was 31,536 s
    assert requests == 1


# -- Item 6 of issue 9: absurd and repeated ``Retry-After`` headers --------------------------------


#: retries are allowed, and quick, so that an ignored header would show as a retry
RETRYING = {"retry_policy": {"max_retries": 2, "initial_delay": 0.05, "max_delay": 0.05, "max_retry_after": 60.0}}


def error_body(vendor: str) -> bytes:
    if vendor == "bird":
        return json.dumps({"code": "TooManyRequests", "message": "slow down"}).encode()
    return json.dumps({"title": "Too Many Requests", "status": 429, "detail": "slow down"}).encode()


def too_many_requests(vendor: str, *retry_after: str) -> Behaviour:
    """A 429 with each ``Retry-After`` value as a header line of its own."""
    body = error_body(vendor)
    head = b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nConnection: close\r\n"
    head += b"".join(f"Retry-After: {value}\r\n".encode() for value in retry_after)
    return raw(head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_retry_after_of_400_digits_is_a_rate_limit_error_at_once(vendor: str, mode: str) -> None:
    with serve(too_many_requests(vendor, "9" * 400), json_page(page_body(vendor, [1], None))) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=RETRYING, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "RateLimitError", outcome.error_message
    assert outcome.error_attributes["retry_after"] == MAX_RETRY_AFTER_SECONDS
    assert requests == 1


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_repeated_retry_after_headers_wait_for_the_longest(vendor: str, mode: str) -> None:
    with serve(too_many_requests(vendor, "0", "1"), json_page(page_body(vendor, [1], None))) as server:
        started = time.monotonic()
        outcome = run_listing(vendor, mode, server.base_url, client_options=RETRYING, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type is None, outcome.error_message
    assert requests == 2
    assert outcome.elapsed >= 1.0  # the longer of the two waits, not the 0.05 s backoff
    assert time.monotonic() - started < 20


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_repeated_retry_after_headers_over_the_cap_stop_at_once(vendor: str, mode: str) -> None:
    with serve(too_many_requests(vendor, "1", "3600")) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=RETRYING, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "RateLimitError", outcome.error_message
    assert outcome.error_attributes["retry_after"] == 3600.0
    assert requests == 1
