"""Item 9 of issue 9: a page in hand reaches the caller without waiting on the next request's
credential, and a credential that blocks is bounded by the attempt's deadline.

The credential answers at once for page 1, then takes ``SLOW`` seconds for every later token
(each token expires at once, so page 2's request fetches a new one).
"""

from __future__ import annotations

import pytest

from tests.hostile.harness import run_listing
from tests.hostile.pages import MODES, item_id, page_body
from tests.hostile.server import json_page, serve

SLOW = 3.0
SLACK = 1.5


def _credential(mode: str) -> str:
    return "slow_after_first" if mode == "sync" else "async_slow_after_first"


@pytest.mark.parametrize("mode", MODES)
def test_page_one_is_not_held_back_by_page_two_s_credential(mode: str) -> None:
    pages = (json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2])))
    with serve(*pages) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url,
            credential=_credential(mode), credential_options={"seconds": SLOW}, timeout=30,
        )  # fmt: skip
    assert outcome.error_type is None, outcome.error_message
    assert outcome.items == (item_id(1), item_id(2))
    first, second = outcome.pages
    assert first.at < 1.0  # not SLOW: page 2's credential is not page 1's business
    assert second.at >= SLOW


@pytest.mark.parametrize("mode", MODES)
def test_a_blocking_credential_is_bounded_by_the_attempt_deadline(mode: str) -> None:
    pages = (json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2])))
    with serve(*pages) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, client_options={"attempt_timeout": 1.0, "prefetch": "always"},
            credential=_credential(mode), credential_options={"seconds": SLOW}, timeout=30,
        )  # fmt: skip
    assert outcome.items == (item_id(1),)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.resume_token == "page-2"
    # async: the awaited get_token is cancelled at the deadline; sync: a blocking call cannot be
    # interrupted, so the attempt ends as soon as it returns, its token unused
    assert outcome.elapsed < (1.0 if mode == "async" else SLOW) + SLACK
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_credential_that_does_not_return_is_bounded_by_the_page_timeout(mode: str) -> None:
    pages = (json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2])))
    with serve(*pages) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, client_options={"attempt_timeout": 1.0, "page_timeout": 1.0, "prefetch": "always"},
            credential=_credential(mode), credential_options={"seconds": 20.0}, timeout=30,
        )  # fmt: skip
    assert outcome.items == (item_id(1),)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.resume_token == "page-2"
    # sync: the prefetch thread stays blocked in get_token; the listing stops waiting for it
    # one second after page_timeout
    assert outcome.elapsed < (1.0 if mode == "async" else 2.0) + SLACK
