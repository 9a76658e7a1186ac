"""Item 7 of issue 9: a server that quotes the caller's credential back.

The child's error (its ``str`` and its ``repr``) and the library's debug log lines (both go to
the child's stderr) never contain the access key or the bearer token.
"""

from __future__ import annotations

import json

import pytest

from tests.hostile.child import ACCESS_KEY, BEARER_TOKEN
from tests.hostile.harness import ListingOutcome, run_listing
from tests.hostile.pages import MODES, VENDORS, page_body
from tests.hostile.server import json_page, serve


def secret_of(vendor: str) -> str:
    return ACCESS_KEY if vendor == "bird" else BEARER_TOKEN


def header_of(vendor: str) -> str:
    return f"AccessKey {ACCESS_KEY}" if vendor == "bird" else f"Bearer {BEARER_TOKEN}"


def assert_never_shown(outcome: ListingOutcome, secret: str) -> None:
    assert "error repr:" in outcome.stderr  # the child did write its error's repr there
    assert secret not in (outcome.error_message or "")
    assert secret not in outcome.stderr
    assert secret not in json.dumps(dict(outcome.error_attributes))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_401_quoting_the_credential_never_shows_it(vendor: str, mode: str) -> None:
    quoted = f"invalid access key {header_of(vendor)}"
    body: dict[str, object]
    if vendor == "bird":
        body = {"code": secret_of(vendor), "message": quoted}
    else:
        body = {"title": quoted, "status": 401, "detail": quoted, "errorCode": secret_of(vendor)}
    with serve(json_page(body, status=401, headers={"x-request-id": secret_of(vendor)})) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=30)
    assert outcome.error_type == "AuthenticationError", outcome.error_message
    assert "***" in (outcome.error_message or "")
    assert_never_shown(outcome, secret_of(vendor))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_page_quoting_the_credential_where_an_id_belongs_never_shows_it(vendor: str, mode: str) -> None:
    body = page_body(vendor, [1], None)
    items, id_field = ("results", "id") if vendor == "bird" else ("conversations", "conversationid")
    body[items][0][id_field] = header_of(vendor)
    with serve(json_page(body)) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=30)
    assert outcome.error_type == "ResponseValidationError", outcome.error_message
    assert_never_shown(outcome, secret_of(vendor))
