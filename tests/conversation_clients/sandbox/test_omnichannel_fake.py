"""The sandbox's Omnichannel (:mod:`conversation_clients.sandbox._omnichannel_fake`) on the wire:
paging, tokens, filters, ids, headers, methods and problems as the API does them, and bodies that
validate against the corrected document.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from conversation_clients import AsyncOmnichannelClient, OmnichannelClient
from conversation_clients.sandbox import (
    SANDBOX_CHANNEL_ID,
    SANDBOX_MISSING_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    Faults,
    Sandbox,
)
from conversation_clients.sandbox._omnichannel_data import dotnet_timestamp, omnichannel_created_ticks
from tests.support.openapi_schemas import component_schema, corrected_document, response_schema
from tests.support.sandbox_wire import (
    OMNICHANNEL_HEADERS,
    OMNICHANNEL_PATH,
    WAYS,
    ids,
    omnichannel_http,
    omnichannel_pages,
    sandbox_http,
)

THEIR_ORGANIZATION = "7d0e5c4b-3a29-4f18-b7e6-d5c4b3a29180"
THEIR_CHANNEL = "b1a2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
THEIR_HEADERS = {**OMNICHANNEL_HEADERS, "organization-id": THEIR_ORGANIZATION, "channel-id": THEIR_CHANNEL}
ELSEWHERE = "6c5b4a39-2817-4f6e-9d8c-7b6a59483726"


def omnichannel_ids(sandbox: Sandbox, channel: str) -> list[str]:
    count = sandbox.conversations_per_workspace
    return [sandbox.omnichannel_conversation(channel, index)["conversationid"] for index in range(count)]


# -- Omnichannel --------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
def test_any_well_formed_organization_and_channel_are_served(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=23)
    with sandbox_http(sandbox, way, THEIR_HEADERS) as http:
        theirs = ids(omnichannel_pages(http, PageSize=10), "conversations", "conversationid")

    assert theirs == omnichannel_ids(sandbox, THEIR_CHANNEL)
    assert not set(theirs) & set(omnichannel_ids(sandbox, SANDBOX_CHANNEL_ID))
    assert (sandbox.organization_id, sandbox.channels) == (SANDBOX_ORGANIZATION_ID, (SANDBOX_CHANNEL_ID,))


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    ("headers", "status", "error_code"),
    [
        ({"channel-id": SANDBOX_MISSING_ID}, 404, 30004),
        ({"channel-id": ELSEWHERE}, 404, 30004),  # said missing below
        ({"organization-id": SANDBOX_MISSING_ID}, 400, 30001),
        ({"organization-id": "acme"}, 400, 30001),
        ({"channel-id": "not-a-guid"}, 400, 30002),
    ],
)
def test_the_reserved_id_the_ids_said_missing_and_malformed_ids_keep_the_vendors_errors(
    headers: dict[str, str], status: int, error_code: int, way: str
) -> None:
    sandbox = Sandbox(missing_channels=(ELSEWHERE,))
    with sandbox_http(sandbox, way, {**THEIR_HEADERS, **headers}) as http:
        response = http.get(OMNICHANNEL_PATH)

    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errorCode"] == error_code
    assert sandbox.missing_channels == (SANDBOX_MISSING_ID, ELSEWHERE)


@pytest.mark.anyio
async def test_the_omnichannel_clients_list_a_channel_nobody_configured() -> None:
    sandbox = Sandbox(conversations_per_workspace=15)
    options: dict[str, Any] = {"organization_id": THEIR_ORGANIZATION, "channel_id": THEIR_CHANNEL}
    with sandbox.omnichannel_client(**options) as omnichannel:
        listed = [str(c.conversationid) for c in omnichannel.list_conversations(page_size=4)]
    async with sandbox.async_omnichannel_client(**options) as async_omnichannel:
        async_listed = [str(c.conversationid) async for c in async_omnichannel.list_conversations(page_size=4)]
    with (
        sandbox.serve() as base_url,
        OmnichannelClient(
            base_url, token=SANDBOX_OMNICHANNEL_TOKEN, polling_warning_interval=None, **options
        ) as over_http,
    ):
        served = [str(c.conversationid) for c in over_http.list_conversations(page_size=250)]

    assert listed == async_listed == served == omnichannel_ids(sandbox, THEIR_CHANNEL)
    assert isinstance(async_omnichannel, AsyncOmnichannelClient)


# -- Every HTTP method gets the vendor's answer: GET lists, HEAD is GET without a body, the rest 405
# with Allow ---------------------------------------------------------------------------------------


#: Methods the endpoints do not allow: the usual ones, the two http.server had no handler for
#: (it answered its 501 HTML page) and a WebDAV one no library names.
OTHER_METHODS = ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND")
WITH_A_BODY = {"POST", "PUT", "PATCH", "PROPFIND"}
ALLOW = "GET, HEAD"


def send(http: httpx.Client, method: str, path: str) -> httpx.Response:
    return http.request(method, path, content=b'{"name": "x"}' if method in WITH_A_BODY else None)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("method", OTHER_METHODS)
def test_omnichannel_answers_any_other_method_with_405_allow_and_a_problem(method: str, way: str) -> None:
    with sandbox_http(Sandbox(), way, OMNICHANNEL_HEADERS) as http:
        response = send(http, method, OMNICHANNEL_PATH)
        after = http.get(OMNICHANNEL_PATH)

    assert response.status_code == 405
    assert response.headers["allow"] == ALLOW
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    uuid.UUID(response.headers["x-ms-correlation-id"])
    body = response.json()
    assert body == {
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        "title": "Method Not Allowed",
        "status": 405,
        "detail": f"The method {method} is not allowed on this resource.",
    }
    assert after.status_code == 200


# -- The sandbox's Omnichannel endpoint on the wire: paging, tokens, filters, headers and problems ---


OTHER_CHANNEL = "99999999-8888-4777-8666-555555555555"


def expected_omnichannel_ids(sandbox: Sandbox, indices: range, channel: str = SANDBOX_CHANNEL_ID) -> list[str]:
    return [sandbox.omnichannel_conversation(channel, index)["conversationid"] for index in indices]


def assert_problem(response: httpx.Response, status: int, error_code: int | None) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    uuid.UUID(response.headers["x-ms-correlation-id"])
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["type"] and body["detail"]
    assert body.get("errorCode") == error_code
    return body


def test_default_page_size_is_50_and_every_conversation_comes_exactly_once() -> None:
    sandbox = Sandbox(conversations_per_workspace=120)
    with omnichannel_http(sandbox) as http:
        bodies = omnichannel_pages(http)

    assert [len(body["conversations"]) for body in bodies] == [50, 50, 20]
    assert ids(bodies, "conversations", "conversationid") == expected_omnichannel_ids(sandbox, range(120))


def test_page_size_250_is_the_maximum() -> None:
    sandbox = Sandbox(conversations_per_workspace=600)
    with omnichannel_http(sandbox) as http:
        bodies = omnichannel_pages(http, PageSize=250)

    assert [len(body["conversations"]) for body in bodies] == [250, 250, 100]
    assert ids(bodies, "conversations", "conversationid") == expected_omnichannel_ids(sandbox, range(600))


def test_the_last_page_sends_a_null_token_and_an_empty_listing_is_one_empty_page() -> None:
    with omnichannel_http(Sandbox(conversations_per_workspace=100)) as http:
        bodies = omnichannel_pages(http)
    with omnichannel_http(Sandbox(conversations_per_workspace=0)) as http:
        empty = omnichannel_pages(http)

    assert len(bodies) == 2 and bodies[-1]["continuationtoken"] is None
    uuid.UUID(bodies[0]["continuationtoken"])  # documented as a GUID
    assert empty == [{"conversations": [], "continuationtoken": None}]


@pytest.mark.parametrize("page_size", ["0", "251", "-5", "many", "9" * 5000])
def test_a_page_size_out_of_range_is_refused_with_30007(page_size: str) -> None:
    with omnichannel_http(Sandbox()) as http:
        response = http.get(OMNICHANNEL_PATH, params={"PageSize": page_size})

    body = assert_problem(response, 400, 30007)
    assert body["detail"] == "The page size for conversations must either be null or between 1 and 250."


def test_start_timestamp_keeps_the_conversations_created_after_it() -> None:
    sandbox = Sandbox(conversations_per_workspace=40)
    tenth_ticks = omnichannel_created_ticks(0, SANDBOX_CHANNEL_ID, 10)
    tenth = sandbox.omnichannel_conversation(SANDBOX_CHANNEL_ID, 10)["timestamp"]
    assert tenth == dotnet_timestamp(tenth_ticks)
    with omnichannel_http(sandbox) as http:
        exact = omnichannel_pages(http, StartTimeStamp=tenth, PageSize=7)
        offset_form = omnichannel_pages(http, StartTimeStamp=tenth.replace("Z", "+00:00"), PageSize=250)
        just_before = omnichannel_pages(http, StartTimeStamp=dotnet_timestamp(tenth_ticks - 1), PageSize=250)
        everything = omnichannel_pages(http, StartTimeStamp="2000-01-01T00:00:00Z", PageSize=250)
        nothing = omnichannel_pages(http, StartTimeStamp="2999-01-01T00:00:00Z")

    assert ids(exact, "conversations", "conversationid") == expected_omnichannel_ids(sandbox, range(11, 40))
    assert ids(offset_form, "conversations", "conversationid") == expected_omnichannel_ids(sandbox, range(11, 40))
    # 100 ns earlier: the seventh digit counts
    assert ids(just_before, "conversations", "conversationid") == expected_omnichannel_ids(sandbox, range(10, 40))
    assert ids(everything, "conversations", "conversationid") == expected_omnichannel_ids(sandbox, range(40))
    assert nothing == [{"conversations": [], "continuationtoken": None}]


@pytest.mark.parametrize("timestamp", ["yesterday", "2025-13-01T00:00:00Z", "2025-04-15T12:00:00 00:00"])
def test_an_unreadable_start_timestamp_is_refused_with_30006(timestamp: str) -> None:
    with omnichannel_http(Sandbox()) as http:
        response = http.get(OMNICHANNEL_PATH, params={"StartTimeStamp": timestamp})

    assert_problem(response, 400, 30006)


# -- auth, headers and routes -------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_missing_or_wrong_bearer_token_gets_a_401_problem(token: str | None) -> None:
    with omnichannel_http(Sandbox(), token=token) as http:
        response = http.get(OMNICHANNEL_PATH)

    assert_problem(response, 401, None)
    assert response.headers["www-authenticate"] == "Bearer"


# Any other well-formed organization is served (below).
@pytest.mark.parametrize("organization_id", [None, "not-a-guid", SANDBOX_MISSING_ID])
def test_a_missing_or_wrong_organization_is_refused_with_30001(organization_id: str | None) -> None:
    with omnichannel_http(Sandbox(), organization_id=organization_id) as http:
        assert_problem(http.get(OMNICHANNEL_PATH), 400, 30001)


@pytest.mark.parametrize("channel_id", [None, "not-a-guid"])
def test_a_missing_or_malformed_channel_is_refused_with_30002(channel_id: str | None) -> None:
    with omnichannel_http(Sandbox(), channel_id=channel_id) as http:
        assert_problem(http.get(OMNICHANNEL_PATH), 400, 30002)


@pytest.mark.parametrize("channel_id", [SANDBOX_MISSING_ID, OTHER_CHANNEL])
def test_an_unknown_channel_is_a_404_with_30004(channel_id: str) -> None:
    # Any other well-formed channel is served (below): "unknown" is the reserved
    # id or one said missing.
    with omnichannel_http(Sandbox(missing_channels=(OTHER_CHANNEL,)), channel_id=channel_id) as http:
        assert_problem(http.get(OMNICHANNEL_PATH), 404, 30004)


def test_the_older_header_names_are_accepted() -> None:
    with omnichannel_http(Sandbox(), organization_id=None, channel_id=None) as http:
        response = http.get(
            OMNICHANNEL_PATH,
            headers={"x-ms-organization-id": SANDBOX_ORGANIZATION_ID, "x-ms-channel-id": SANDBOX_CHANNEL_ID.upper()},
        )

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/v1.0/consumer/conversation", "/api/v1.0/consumer/conversations/x"])
def test_an_unknown_path_gets_a_404_problem(path: str) -> None:
    with omnichannel_http(Sandbox()) as http:
        assert_problem(http.get(path), 404, None)


def test_only_get_is_allowed() -> None:
    with omnichannel_http(Sandbox()) as http:
        assert_problem(http.delete(OMNICHANNEL_PATH), 405, None)


def test_every_failure_has_its_own_correlation_id() -> None:
    with omnichannel_http(Sandbox(), token="wrong") as http:
        correlation_ids = {http.get(OMNICHANNEL_PATH).headers["x-ms-correlation-id"] for _ in range(5)}

    assert len(correlation_ids) == 5


# -- What the sandbox sends validates against the corrected OpenAPI documents the clients were
# generated from -----------------------------------------------------------------------------------


OMNICHANNEL = corrected_document("omnichannel_messaging")
OMNICHANNEL_PAGE = response_schema(OMNICHANNEL, "/api/v1.0/consumer/conversations")
PROBLEM = component_schema(OMNICHANNEL, "ProblemDetails")


def validate(body: Any, schema: Any) -> None:
    OAS30Validator(schema, format_checker=oas30_format_checker).validate(body)


def test_omnichannel_pages_validate() -> None:
    with omnichannel_http(Sandbox(conversations_per_workspace=300)) as http:
        bodies = omnichannel_pages(http, PageSize=250)

    assert len(bodies) == 2
    for body in bodies:
        validate(body, OMNICHANNEL_PAGE)


def test_omnichannel_problems_validate() -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("429-retry-after", "500", "503")))
    with omnichannel_http(sandbox) as http, omnichannel_http(sandbox, channel_id=None) as no_channel:
        responses = [
            http.get(OMNICHANNEL_PATH, params={"PageSize": 0}),
            http.get(OMNICHANNEL_PATH, params={"ContinuationToken": "x"}),
            http.get(OMNICHANNEL_PATH, params={"StartTimeStamp": "x"}),
            http.get("/nowhere"),
            no_channel.get(OMNICHANNEL_PATH),
            *(http.get(OMNICHANNEL_PATH) for _ in range(10)),
        ]

    assert {response.status_code for response in responses} >= {400, 404, 429, 500, 503}
    for response in responses:
        validate(response.json(), PROBLEM)


def test_omnichannel_timestamps_are_checked_as_date_times() -> None:
    conversation = Sandbox().omnichannel_conversation(SANDBOX_CHANNEL_ID, 0)
    validate({"conversations": [conversation], "continuationtoken": None}, OMNICHANNEL_PAGE)
    broken = {"conversations": [{**conversation, "timestamp": "2025-04-15 noon"}], "continuationtoken": None}
    assert not OAS30Validator(OMNICHANNEL_PAGE, format_checker=oas30_format_checker).is_valid(broken)
