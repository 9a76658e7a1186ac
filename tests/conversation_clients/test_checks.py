"""Checks of what callers give (:mod:`conversation_clients._checks`): options refused when a client
is built (``TypeError`` for a wrong kind, ``ValueError`` for a bad value, naming the option); page
tokens the client cannot send back (typed errors, never httpx's or codecs', in memory and from
hostile servers); a ``start_timestamp`` given as text sent with every digit it had.
"""

from __future__ import annotations

import datetime
import json
import math
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from conversation_clients._checks import (
    MAX_PAGE_TOKEN_CHARS,
    page_token_problem,
    require_aware_datetime,
    require_max_retries,
    require_page_token,
    require_polling_interval,
    require_prefetch,
    require_retry_policy,
    require_timeout,
    require_transport,
    require_uuid,
)
from conversation_clients.bird import AsyncBirdClient, BirdClient
from conversation_clients.errors import ResponseValidationError
from conversation_clients.omnichannel import AsyncOmnichannelClient, OmnichannelClient
from conversation_clients.pagination import AsyncPager, next_token_from
from conversation_clients.retry import RetryPolicy
from omnichannel_messaging.types import format_datetime, parse_datetime
from tests.support.hostile.harness import run_listing
from tests.support.hostile.pages import MODES, VENDOR_NAMES, item_id, page_body
from tests.support.hostile.server import Behaviour, response, serve
from tests.support.scripted import (
    ACCESS_KEY,
    BEARER_TOKEN,
    BIRD,
    CHANNEL_ID,
    OMNI,
    ORGANIZATION_ID,
    VENDORS,
    Vendor,
    items,
    list_pager,
)

BASE_URL = "https://api.example"
CLIENTS = ["bird-sync", "bird-async", "omnichannel-sync", "omnichannel-async"]


def build(name: str, **options: Any) -> Any:
    if name == "bird-sync":
        return BirdClient(ACCESS_KEY, base_url=BASE_URL, **options)
    if name == "bird-async":
        return AsyncBirdClient(ACCESS_KEY, base_url=BASE_URL, **options)
    common: dict[str, Any] = {"organization_id": ORGANIZATION_ID, "channel_id": CHANNEL_ID, "token": BEARER_TOKEN}
    if name == "omnichannel-sync":
        return OmnichannelClient(BASE_URL, **common, **options)
    return AsyncOmnichannelClient(BASE_URL, **common, **options)


def sync_transport() -> httpx.BaseTransport:
    return httpx.HTTPTransport()


def async_transport() -> httpx.AsyncBaseTransport:
    return httpx.AsyncHTTPTransport()


# -- item 10: timeouts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timeout", "error", "message"),
    [
        (httpx.Timeout(None), ValueError, "timeout.connect"),
        (httpx.Timeout(5, read=None), ValueError, "timeout.read"),
        (httpx.Timeout(5, pool=None), ValueError, "timeout.pool"),
        (httpx.Timeout(5, write=-1), ValueError, "timeout.write"),
        (httpx.Timeout(math.nan), ValueError, "timeout.connect"),
        (httpx.Timeout(5, connect=math.inf), ValueError, "timeout.connect"),
        (-1, ValueError, "timeout must be a finite number of seconds above 0"),
        (0, ValueError, "timeout must be a finite number of seconds above 0"),
        (math.nan, ValueError, "timeout must be a finite number of seconds above 0"),
        (math.inf, ValueError, "timeout must be a finite number of seconds above 0"),
        ("5", TypeError, "timeout must be a number of seconds or an httpx.Timeout, not str"),
        (True, TypeError, "timeout must be a number of seconds or an httpx.Timeout, not bool"),
        (None, ValueError, "timeout"),
    ],
)
@pytest.mark.parametrize("client", CLIENTS)
def test_a_timeout_that_waits_forever_or_cannot_work_is_refused_at_construction(
    client: str, timeout: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message.replace(".", r"\.")):
        build(client, timeout=timeout)


def test_a_timeout_component_error_says_which_and_what_it_got() -> None:
    with pytest.raises(ValueError) as caught:
        require_timeout(httpx.Timeout(5, read=None))
    assert str(caught.value) == (
        "timeout.read must be a finite number of seconds above 0, got None (None would wait forever)"
    )


@pytest.mark.parametrize("timeout", [5, 0.5, httpx.Timeout(5), httpx.Timeout(30, connect=2)])
def test_finite_positive_timeouts_are_accepted(timeout: float | httpx.Timeout) -> None:
    checked = require_timeout(timeout)
    assert isinstance(checked, httpx.Timeout)
    assert all(value is not None and value > 0 for value in checked.as_dict().values())


# -- item 11: the other options -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"retry_policy": "x"}, TypeError, "retry_policy must be a RetryPolicy or None, not str"),
        ({"retry_policy": {"max_retries": 1}}, TypeError, "retry_policy must be a RetryPolicy or None, not dict"),
        ({"max_retries": "2"}, TypeError, "max_retries must be an int, not str"),
        ({"max_retries": 2.0}, TypeError, "max_retries must be an int, not float"),
        ({"max_retries": True}, TypeError, "max_retries must be an int, not bool"),
        ({"max_retries": -1}, ValueError, "max_retries must be >= 0"),
        ({"max_retries": "2", "retry_policy": RetryPolicy()}, TypeError, "max_retries must be an int"),
        ({"prefetch": "no"}, TypeError, "prefetch must be a bool or \"always\", not str 'no'"),
        ({"prefetch": 0}, TypeError, 'prefetch must be a bool or "always", not int$'),
        ({"prefetch": "Always"}, TypeError, "prefetch must be a bool or \"always\", not str 'Always'"),
        ({"transport": "x"}, TypeError, "transport must be"),
    ],
)
@pytest.mark.parametrize("client", CLIENTS)
def test_wrong_options_are_refused_at_construction(
    client: str, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        build(client, **options)


@pytest.mark.parametrize("client", ["bird-sync", "omnichannel-sync"])
def test_an_async_transport_given_to_a_sync_client_is_refused(client: str) -> None:
    with pytest.raises(TypeError, match=r"transport must be an httpx\.BaseTransport .* not AsyncHTTPTransport"):
        build(client, transport=async_transport())


@pytest.mark.parametrize("client", ["bird-async", "omnichannel-async"])
def test_a_sync_transport_given_to_an_async_client_is_refused(client: str) -> None:
    with pytest.raises(TypeError, match=r"transport must be an httpx\.AsyncBaseTransport .* not HTTPTransport"):
        build(client, transport=sync_transport())


@pytest.mark.parametrize(
    ("interval", "error", "message"),
    [
        ("x", TypeError, "polling_warning_interval must be a number of seconds or None, not str"),
        (True, TypeError, "polling_warning_interval must be a number of seconds or None, not bool"),
        (-1, ValueError, "polling_warning_interval must be a finite number of seconds >= 0"),
        (math.nan, ValueError, "polling_warning_interval must be a finite number of seconds >= 0"),
        (math.inf, ValueError, "polling_warning_interval must be a finite number of seconds >= 0"),
    ],
)
@pytest.mark.parametrize("client", ["omnichannel-sync", "omnichannel-async"])
def test_a_bad_polling_warning_interval_is_refused_at_construction(
    client: str, interval: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        build(client, polling_warning_interval=interval)


@pytest.mark.anyio
@pytest.mark.parametrize("client", CLIENTS)
async def test_good_options_still_build(client: str) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    built = build(
        client, timeout=httpx.Timeout(3, connect=1), retry_policy=RetryPolicy(max_retries=1), prefetch=False,
        transport=transport, max_retries=0,
    )  # fmt: skip
    if hasattr(built, "aclose"):
        await built.aclose()
    else:
        built.close()


def test_the_checks_return_what_they_accept() -> None:
    policy = RetryPolicy()
    transport = sync_transport()
    assert require_retry_policy(policy) is policy
    assert require_retry_policy(None) is None
    assert require_max_retries(3) == 3
    assert require_prefetch(False) is False
    assert require_prefetch("always") == "always"
    require_transport(None, asynchronous=False)
    require_transport(transport, asynchronous=False)
    transport.close()
    assert require_polling_interval(None) is None
    assert require_polling_interval(60) == 60.0


# -- Page tokens the client cannot send back (issue 9, item 3): typed errors, never httpx's or
# codecs' ------------------------------------------------------------------------------------------


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


# -- A start_timestamp given as text goes out with every fractional digit it had (issue 9, item 12) ---


async def sent_start_timestamp(kind: str, start_timestamp: object) -> tuple[str, bytes]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"conversations": []})

    client: Any = OMNI.client(kind, "https://api.example", transport=httpx.MockTransport(answer))
    try:
        pager = client.list_conversations(start_timestamp=start_timestamp)
        await items(pager)
    finally:
        if kind == "async":
            await client.aclose()
        else:
            client.close()
    (request,) = seen
    return request.url.params["StartTimeStamp"], request.url.query


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "text",
    [
        "2025-04-15T12:36:40.9049594+02:00",
        "2025-04-15T12:36:40.9049594Z",
        "2025-04-15T10:36:40.123456789-05:30",
        "2025-04-15T12:36:40.1234567+00:00",
    ],
)
async def test_seven_or_more_fractional_digits_go_out_as_given(kind: str, text: str) -> None:
    value, raw_query = await sent_start_timestamp(kind, text)

    assert value == text
    assert quote(text, safe="").encode() in raw_query or text.encode() in raw_query


def test_require_aware_datetime_keeps_the_text_when_given_a_parser_that_keeps_it() -> None:
    value = require_aware_datetime("2025-04-15T12:36:40.9049594+02:00", "start_timestamp", parse=parse_datetime)

    assert format_datetime(value) == "2025-04-15T12:36:40.9049594+02:00"
    assert value.utcoffset() == datetime.timedelta(hours=2)


def test_naive_text_is_still_refused_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="start_timestamp must include a timezone"):
        require_aware_datetime("2025-04-15T12:36:40.9049594", "start_timestamp", parse=parse_datetime)


# -- Item 3 of issue 9: page tokens the client cannot send back ------------------------------------


# JSON's escape for a lone high surrogate: json.loads reads it back as one
LONE_SURROGATE_JSON = '"abc\\ud800def"'


def token_field_named(vendor: str) -> str:
    return "nextPageToken" if vendor == "bird" else "continuationtoken"


def page_with_raw_token(vendor: str, number: int, token_json: str) -> Behaviour:
    """A page whose next token is written as the given JSON text (no re-encoding on the way)."""
    body = page_body(vendor, [number], "PLACEHOLDER")
    text = json.dumps(body).replace('"PLACEHOLDER"', token_json)
    return response(200, text.encode(), {"Content-Type": "application/json"})


BAD_TOKENS = {"65536 characters": f'"{TOO_LONG}"', "lone surrogate": LONE_SURROGATE_JSON}


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@pytest.mark.parametrize("bad", list(BAD_TOKENS))
def test_a_server_token_that_cannot_be_sent_is_a_validation_error_with_the_last_good_token(
    bad: str, vendor: str, mode: str
) -> None:
    first = page_with_raw_token(vendor, 1, '"page-2"')
    with serve(first, page_with_raw_token(vendor, 2, BAD_TOKENS[bad])) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "ResponseValidationError", outcome.error_message
    assert outcome.error_attributes["field"] == token_field_named(vendor)
    assert outcome.resume_token == "page-2"
    assert outcome.items == (item_id(1),)
    assert requests == 2


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_caller_token_that_cannot_be_sent_is_a_value_error_before_anything_is_sent(vendor: str, mode: str) -> None:
    argument = "page_token" if vendor == "bird" else "continuation_token"
    with serve(page_with_raw_token(vendor, 1, "null")) as server:
        outcome = run_listing(vendor, mode, server.base_url, listing_options={argument: TOO_LONG}, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "ValueError", outcome.error_message
    assert argument in (outcome.error_message or "")
    assert requests == 0


def test_a_uuid_given_as_text_is_parsed_once() -> None:
    # a client lists the same few workspaces and channels over and over
    text = "E58899BF-1E8D-4FF7-B9DB-A60BEFAF90D2"
    assert require_uuid(text, "workspace_id") is require_uuid(text, "workspace_id")
    with pytest.raises(ValueError, match="workspace_id must be a UUID"):
        require_uuid("nope", "workspace_id")
