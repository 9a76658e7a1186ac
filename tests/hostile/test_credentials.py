"""Item 4 of issue 9: a credential that fails is a ``CredentialError`` (cause kept, no token shown),
with ``resume_token`` when it fails mid-listing.

Omnichannel only: Bird takes a fixed access key, checked when the client is built, so there is no
credential object to fail during a listing.
"""

from __future__ import annotations

import pytest

from tests.hostile.child import BEARER_TOKEN
from tests.hostile.harness import run_listing
from tests.hostile.pages import MODES, item_id, page_body
from tests.hostile.server import json_page, serve

FAILURES = ["raises", "nan", "not_a_string"]


def credential_for(mode: str) -> str:
    return "failing_after" if mode == "sync" else "async_failing_after"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", FAILURES)
def test_a_credential_failing_mid_listing_is_a_credential_error_with_the_resume_token(
    failure: str, mode: str
) -> None:
    pages = json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2], None))
    with serve(*pages) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, credential=credential_for(mode),
            credential_options={"good": 1, "failure": failure}, timeout=30,
        )  # fmt: skip
        requests = len(server.requests)
    assert outcome.error_type == "CredentialError", outcome.error_message
    assert outcome.resume_token == "page-2"
    assert outcome.items == (item_id(1),)
    assert requests == 1  # nothing sent without a token
    assert BEARER_TOKEN not in (outcome.error_message or "")
    assert "FailingCredential" in (outcome.error_message or "")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", FAILURES)
def test_a_credential_failing_at_once_is_a_credential_error_before_anything_is_sent(
    failure: str, mode: str
) -> None:
    with serve(json_page(page_body("omnichannel", [1], None))) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, credential=credential_for(mode),
            credential_options={"good": 0, "failure": failure}, timeout=30,
        )  # fmt: skip
        requests = len(server.requests)
    assert outcome.error_type == "CredentialError", outcome.error_message
    assert outcome.resume_token is None
    assert requests == 0
