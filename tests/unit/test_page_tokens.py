"""Page tokens the client cannot send back (issue 9, item 3): typed errors, never httpx's or codecs'."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from conversation_clients._checks import MAX_PAGE_TOKEN_CHARS, page_token_problem, require_page_token
from conversation_clients.errors import ResponseValidationError
from conversation_clients.pagination import AsyncPager, next_token_from
from tests.integration.harness import BIRD, VENDORS, Vendor, items, list_pager

KINDS = ["sync", "async"]
TOO_LONG = "a" * 65_536
LONE_SURROGATE = "abc\ud800def"
# 11,000 characters that each percent-encode to three: short, but over the cap once encoded
ENCODES_LONG = "/" * 11_000


def token_field(vendor: Vendor) -> str:
    return "nextPageToken" if vendor is BIRD else "continuationtoken"


def page_reply(vendor: Vendor, numbers: list[int], next_token: str | None) -> httpx.Response:
    body: dict[str, Any] = vendor.page(numbers).json()
    body.pop(token_field(vendor), None)  # the last page: no token at all
    if next_token is not None:
        body[token_field(vendor)] = next_token
    # json.dumps writes a lone surrogate as the escape \ud800, which json.loads reads back as one
    return httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


async def close(client: Any) -> None:
    if hasattr(client, "aclose"):
        await client.aclose()
    else:
        client.close()


# -- the rule -------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["t2", "a" * 10_000, "é" * 5_000, "a b+/?&=%", "x" * MAX_PAGE_TOKEN_CHARS])
def test_sendable_tokens(token: str) -> None:
    assert page_token_problem(token) is None
    assert next_token_from(token) == token


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        (TOO_LONG, "over the 32768-character limit"),
        (ENCODES_LONG, "over the 32768-character limit"),
        ("x" * (MAX_PAGE_TOKEN_CHARS + 1), "over the 32768-character limit"),
        (LONE_SURROGATE, "not valid Unicode (a lone surrogate"),
    ],
)
def test_unsendable_tokens_are_named_without_being_echoed(token: str, problem: str) -> None:
    described = page_token_problem(token)

    assert described is not None and problem in described
    with pytest.raises(ValueError, match="page token") as caught:
        next_token_from(token)
    assert token[:20] not in str(caught.value)


def test_a_sendable_token_fits_in_an_httpx_url() -> None:
    token = "é" * (MAX_PAGE_TOKEN_CHARS // 6)
    assert page_token_problem(token) is None

    httpx.Request("GET", "https://h/v1/conversations", params={"pageToken": token})


# -- from a server ------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("bad_token", [TOO_LONG, LONE_SURROGATE], ids=["65536-chars", "lone-surrogate"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_server_token_that_cannot_be_sent_is_a_validation_error_resuming_at_the_last_good_token(
    vendor: Vendor, kind: str, bad_token: str
) -> None:
    replies = [page_reply(vendor, [1], "t2"), page_reply(vendor, [2], bad_token)]
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return replies.pop(0) if replies else httpx.Response(599)

    client = vendor.client(kind, "https://api.example", transport=httpx.MockTransport(answer), max_retries=0)
    pager = list_pager(client, vendor)
    received: list[Any] = []
    try:
        with pytest.raises(ResponseValidationError) as caught:
            if isinstance(pager, AsyncPager):
                async for page in pager.pages():
                    received.extend(page.items)
            else:
                for page in pager.pages():
                    received.extend(page.items)
    finally:
        await close(client)

    assert caught.value.field == token_field(vendor)
    assert caught.value.resume_token == "t2"
    assert bad_token[:20] not in str(caught.value)
    assert len(received) == 1
    assert len(seen) == 2


# -- from a caller --------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("bad_token", [TOO_LONG, LONE_SURROGATE, ENCODES_LONG])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_caller_token_that_cannot_be_sent_is_a_value_error_before_sending(
    vendor: Vendor, kind: str, bad_token: str
) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return page_reply(vendor, [1], None)

    client = vendor.client(kind, "https://api.example", transport=httpx.MockTransport(answer))
    try:
        with pytest.raises(ValueError, match="page token|continuation token") as caught:
            list_pager(client, vendor, resume=bad_token)
    finally:
        await close(client)
    assert not isinstance(caught.value, ResponseValidationError)
    assert bad_token[:20] not in str(caught.value)
    assert seen == []


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_caller_token_at_the_cap_is_sent(vendor: Vendor, kind: str) -> None:
    token = "x" * MAX_PAGE_TOKEN_CHARS
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return page_reply(vendor, [1], None)

    client = vendor.client(kind, "https://api.example", transport=httpx.MockTransport(answer))
    try:
        assert len(await items(list_pager(client, vendor, resume=token))) == 1
    finally:
        await close(client)
    assert seen[0].url.params[vendor.token_param] == token


@pytest.mark.parametrize(("value", "error"), [(12, TypeError), (b"t", TypeError), (TOO_LONG, ValueError)])
def test_require_page_token_names_the_argument(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="^page_token "):
        require_page_token(value, "page_token")  # type: ignore[arg-type]


def test_require_page_token_passes_none_and_sendable_text() -> None:
    assert require_page_token(None, "page_token") is None
    assert require_page_token("t2", "page_token") == "t2"
