"""Item 2 of issue 9: every attempt has a total deadline, every page fetch a budget.

The servers drip one byte (or one chunk, or one ``100 Continue``) every 0.2 s: no single read
ever times out, so only a deadline over the whole attempt ends them.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.hostile.harness import run_listing
from tests.hostile.pages import MODES, VENDORS, item_id, page_body
from tests.hostile.server import (
    Behaviour,
    drip_chunked_body,
    drip_headers,
    drip_status_line,
    endless_continue,
    json_page,
    serve,
)

ATTEMPT = 1.0
#: What a loaded machine may add to a deadline (child start-up is not counted: the child times itself).
SLACK = 1.5
QUICK = {"attempt_timeout": ATTEMPT, "timeout": 5.0}

DRIPS: dict[str, Behaviour] = {
    "status line": drip_status_line(0.2),
    "headers": drip_headers(0.2),
    "chunked body": drip_chunked_body(0.2),
    "endless 100 Continue": endless_continue(0.2),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("drip", list(DRIPS))
def test_a_dripping_server_meets_the_attempt_deadline(drip: str, vendor: str, mode: str) -> None:
    with serve(DRIPS[drip]) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=QUICK, timeout=30)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert ATTEMPT * 0.9 < outcome.elapsed < ATTEMPT + SLACK


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_drip_mid_listing_carries_the_token_of_the_page_that_failed(vendor: str, mode: str) -> None:
    with serve(json_page(page_body(vendor, [1], "page-2")), drip_chunked_body(0.2)) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=QUICK, timeout=30)
    assert outcome.items == (item_id(1),)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.resume_token == "page-2"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_the_page_budget_bounds_retries(vendor: str, mode: str) -> None:
    options: dict[str, Any] = {
        "attempt_timeout": 0.6, "page_timeout": 1.5, "timeout": 5.0,
        "retry_policy": {"max_retries": 10, "initial_delay": 0.01, "max_delay": 0.02},
    }  # fmt: skip
    with serve(drip_headers(0.2)) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=options, timeout=30)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.elapsed < 1.5 + SLACK
    assert 2 <= len(server.requests) <= 3  # attempts of 0.6 s, the last one cut to what is left


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_retry_after_wait_past_the_page_budget_is_not_taken(vendor: str, mode: str) -> None:
    options: dict[str, Any] = {"page_timeout": 2.0, "retry_policy": {"max_retries": 3}}
    busy = json_page({"message": "busy"}, status=503, headers={"Retry-After": "30"})
    with serve(json_page(page_body(vendor, [1], "page-2")), busy) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=options, timeout=30)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.resume_token == "page-2"
    assert outcome.elapsed < 1.0
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_retry_after_wait_within_the_page_budget_is_taken(vendor: str, mode: str) -> None:
    options: dict[str, Any] = {"page_timeout": 5.0, "retry_policy": {"max_retries": 3}}
    busy = json_page({"message": "busy"}, status=503, headers={"Retry-After": "1"})
    with serve(busy, json_page(page_body(vendor, [1]))) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=options, timeout=30)
    assert (outcome.error_type, outcome.items) == (None, (item_id(1),))
    assert outcome.elapsed >= 1.0
