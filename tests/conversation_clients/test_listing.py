"""Reading a listing's pages (:mod:`conversation_clients._listing`): a 2xx body that does not fit
its model, or a next token that is not a string, is a ``ResponseValidationError`` naming the field
(both vendors, sync and async, over loopback); from a hostile server, a wrong-typed value on page
two names its field and resumes there, and a list that is not an array is not an empty page. Each
page holds its items as the server sent them (``Page.raw_items``) beside their models.
"""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import pytest

from conversation_clients import errors
from tests.support.hostile.harness import run_listing
from tests.support.hostile.pages import MODES, VENDOR_NAMES, item_id, page_body
from tests.support.hostile.server import json_page, serve
from tests.support.scripted import (
    Vendor,
    close,
    items,
    list_pager,
    pages,
    scripted,
)

#: Each vendor's item id, as its JSON names it.
ID_FIELD = {"bird": "id", "omnichannel": "conversationid"}


@pytest.mark.anyio
@pytest.mark.loopback
@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"<html>gateway</html>", None),
        (b'{"results": null, "conversations": null}', "results"),
        (b"[1, 2]", None),
    ],
    ids=["not-json", "null-list", "top-level-array"],
)
async def test_a_2xx_body_that_does_not_fit_is_a_validation_error(
    vendor: Vendor, kind: str, body: bytes, field: str | None
) -> None:
    with scripted(httpx.Response(200, content=body)) as (_, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(errors.ResponseValidationError) as caught:
            await items(list_pager(client, vendor))
        await close(client)
    assert caught.value.body == body
    expected_field = field if vendor.family == "bird" or field is None else "conversations"
    assert caught.value.field == expected_field


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_non_string_token_is_a_validation_error_not_an_end(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(1), 12345)) as (_, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(errors.ResponseValidationError) as caught:
            await items(list_pager(client, vendor))
        await close(client)
    assert caught.value.field in ("nextPageToken", "continuationtoken")


# -- Item 5 of issue 9: a server whose second page holds a value of the wrong type -----------------


# (vendor, key in the second conversation of the page, wrong value, field, reason)
WRONG_VALUES: list[tuple[str, str, object, str, str]] = [
    ("bird", "activeParticipantCount", "lots", "results[1].activeParticipantCount", "expected integer, got string"),
    ("bird", "activeParticipantCount", math.nan, "results[1].activeParticipantCount", "expected integer, got NaN"),
    ("bird", "name", 12345, "results[1].name", "expected string, got integer"),
    ("bird", "read", "no", "results[1].read", "expected boolean, got string"),
    ("bird", "tags", {"a": 1}, "results[1].tags", "expected array, got object"),
    (
        "omnichannel", "timestamp", "2025-04-15T12:36:40.9049594", "conversations[1].timestamp",
        "date-time without a UTC offset: '2025-04-15T12:36:40.9049594'",
    ),
    ("omnichannel", "timestamp", "2025-04-15", "conversations[1].timestamp", "date-time without a UTC offset: '2025-04-15'"),
]  # fmt: skip


def _second_page(vendor: str, key: str, value: object) -> dict[str, Any]:
    body = page_body(vendor, [3, 4, 5], "page-3")
    body["results" if vendor == "bird" else "conversations"][1][key] = value
    return body


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("vendor", "key", "value", "field", "reason"),
    WRONG_VALUES,
    ids=[f"{case[0]}-{case[1]}={case[2]!r}" for case in WRONG_VALUES],
)
def test_a_wrong_typed_value_on_page_two_names_the_field_and_resumes_there(
    vendor: str, key: str, value: object, field: str, reason: str, mode: str
) -> None:
    first = json_page(page_body(vendor, [1, 2], "page-2"))
    with serve(first, json_page(_second_page(vendor, key, value))) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=60)
    assert outcome.error_type == "ResponseValidationError", outcome.error_message
    assert outcome.error_attributes.get("field") == field
    assert outcome.error_attributes.get("reason") == reason
    assert outcome.resume_token == "page-2"
    assert outcome.items == (item_id(1), item_id(2))


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@pytest.mark.parametrize("empty", [{}, ""], ids=["object", "string"])
def test_a_page_whose_list_is_not_an_array_is_not_an_empty_page(vendor: str, mode: str, empty: object) -> None:
    second = page_body(vendor, [], None)
    list_key = "results" if vendor == "bird" else "conversations"
    second[list_key] = empty
    with serve(json_page(page_body(vendor, [1], "page-2")), json_page(second)) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=60)
    assert outcome.error_type == "ResponseValidationError", outcome.error_message
    assert outcome.error_attributes.get("field") == list_key
    assert outcome.resume_token == "page-2"
    assert outcome.items == (item_id(1),)


@pytest.mark.anyio
@pytest.mark.loopback
async def test_each_page_holds_its_items_as_the_server_sent_them_beside_their_models(vendor: Vendor, kind: str) -> None:
    first, last = vendor.page(range(1, 4), "t2"), vendor.page(range(4, 6), None)
    sent = [json.loads(response.content) for response in (first, last)]
    with scripted(first, last) as (_, base_url):
        client = vendor.client(kind, base_url)
        listed = await pages(list_pager(client, vendor))
        await close(client)
    for page, body in zip(listed, sent, strict=True):
        raw_items = body["results" if vendor.family == "bird" else "conversations"]
        assert len(page.items) == len(page.raw_items)
        # the decoded items themselves: every key in the server's order, every value as sent
        assert [list(item.items()) for item in page.raw_items] == [list(item.items()) for item in raw_items]
        assert [vendor.item_id(item) for item in page.items] == [
            str(item[ID_FIELD[vendor.family]]) for item in raw_items
        ]
