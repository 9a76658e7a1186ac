"""Item 6 of issue 9: absurd and repeated ``Retry-After`` headers.

A wait too long to count (400 digits) is the longest wait, over ``max_retry_after``: the
``RateLimitError`` comes at once, with ``retry_after``; never "retry now". Repeated headers count
as their longest readable value.
"""

from __future__ import annotations

import json
import time

import pytest

from conversation_clients.retry import MAX_RETRY_AFTER_SECONDS
from tests.hostile.harness import run_listing
from tests.hostile.pages import MODES, VENDORS, page_body
from tests.hostile.server import Behaviour, json_page, raw, serve

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


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_retry_after_of_400_digits_is_a_rate_limit_error_at_once(vendor: str, mode: str) -> None:
    with serve(too_many_requests(vendor, "9" * 400), json_page(page_body(vendor, [1], None))) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=RETRYING, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "RateLimitError", outcome.error_message
    assert outcome.error_attributes["retry_after"] == MAX_RETRY_AFTER_SECONDS
    assert requests == 1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_repeated_retry_after_headers_wait_for_the_longest(vendor: str, mode: str) -> None:
    with serve(too_many_requests(vendor, "0", "1"), json_page(page_body(vendor, [1], None))) as server:
        started = time.monotonic()
        outcome = run_listing(vendor, mode, server.base_url, client_options=RETRYING, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type is None, outcome.error_message
    assert requests == 2
    assert outcome.elapsed >= 1.0  # the longer of the two waits, not the 0.05 s backoff
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_repeated_retry_after_headers_over_the_cap_stop_at_once(vendor: str, mode: str) -> None:
    with serve(too_many_requests(vendor, "1", "3600")) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=RETRYING, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "RateLimitError", outcome.error_message
    assert outcome.error_attributes["retry_after"] == 3600.0
    assert requests == 1
