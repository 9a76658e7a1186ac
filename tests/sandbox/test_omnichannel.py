"""The sandbox's Omnichannel endpoint on the wire: paging, tokens, filters, headers and problems."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from conversation_clients.sandbox import SANDBOX_CHANNEL_ID, SANDBOX_MISSING_ID, SANDBOX_ORGANIZATION_ID, Sandbox
from conversation_clients.sandbox._omnichannel_data import dotnet_timestamp, omnichannel_created_ticks
from tests.sandbox.helpers import OMNICHANNEL_PATH, ids, omnichannel_http, omnichannel_pages

OTHER_CHANNEL = "99999999-8888-4777-8666-555555555555"
DOTNET_ROUND_TRIP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z")


def expected_ids(sandbox: Sandbox, indices: range, channel: str = SANDBOX_CHANNEL_ID) -> list[str]:
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
    assert ids(bodies, "conversations", "conversationid") == expected_ids(sandbox, range(120))


def test_page_size_250_is_the_maximum() -> None:
    sandbox = Sandbox(conversations_per_workspace=600)
    with omnichannel_http(sandbox) as http:
        bodies = omnichannel_pages(http, PageSize=250)

    assert [len(body["conversations"]) for body in bodies] == [250, 250, 100]
    assert ids(bodies, "conversations", "conversationid") == expected_ids(sandbox, range(600))


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


def test_timestamps_have_seven_fractional_digits_and_ascend() -> None:
    with omnichannel_http(Sandbox(conversations_per_workspace=80)) as http:
        timestamps = [item["timestamp"] for item in omnichannel_pages(http, PageSize=80)[0]["conversations"]]

    assert all(DOTNET_ROUND_TRIP.fullmatch(timestamp) for timestamp in timestamps)
    assert timestamps == sorted(timestamps) and len(set(timestamps)) == 80


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

    assert ids(exact, "conversations", "conversationid") == expected_ids(sandbox, range(11, 40))
    assert ids(offset_form, "conversations", "conversationid") == expected_ids(sandbox, range(11, 40))
    # 100 ns earlier: the seventh digit counts
    assert ids(just_before, "conversations", "conversationid") == expected_ids(sandbox, range(10, 40))
    assert ids(everything, "conversations", "conversationid") == expected_ids(sandbox, range(40))
    assert nothing == [{"conversations": [], "continuationtoken": None}]


def test_start_timestamp_finds_its_place_among_200000_conversations() -> None:
    sandbox = Sandbox(conversations_per_workspace=200_000)
    since = dotnet_timestamp(omnichannel_created_ticks(0, SANDBOX_CHANNEL_ID, 199_990))
    with omnichannel_http(sandbox) as http:
        bodies = omnichannel_pages(http, StartTimeStamp=since)

    assert ids(bodies, "conversations", "conversationid") == expected_ids(sandbox, range(199_991, 200_000))


@pytest.mark.parametrize("timestamp", ["yesterday", "2025-13-01T00:00:00Z", "2025-04-15T12:00:00 00:00"])
def test_an_unreadable_start_timestamp_is_refused_with_30006(timestamp: str) -> None:
    with omnichannel_http(Sandbox()) as http:
        response = http.get(OMNICHANNEL_PATH, params={"StartTimeStamp": timestamp})

    assert_problem(response, 400, 30006)


def test_channels_have_their_own_conversations() -> None:
    sandbox = Sandbox(channels=(SANDBOX_CHANNEL_ID, OTHER_CHANNEL))
    with omnichannel_http(sandbox) as http, omnichannel_http(sandbox, channel_id=OTHER_CHANNEL) as other:
        first = ids(omnichannel_pages(http), "conversations", "conversationid")
        second = ids(omnichannel_pages(other), "conversations", "conversationid")

    assert len(first) == len(second) == 25 and not set(first) & set(second)


# -- continuation tokens ------------------------------------------------------------------------


def _first_token(http: httpx.Client, **params: Any) -> str:
    token: str = http.get(OMNICHANNEL_PATH, params={"PageSize": 10, **params}).json()["continuationtoken"]
    return token


def test_a_token_resumes_where_it_was_issued() -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    with omnichannel_http(sandbox) as http:
        token = _first_token(http)
        resumed = http.get(OMNICHANNEL_PATH, params={"ContinuationToken": token, "PageSize": 50}).json()

    assert ids([resumed], "conversations", "conversationid") == expected_ids(sandbox, range(10, 30))
    assert resumed["continuationtoken"] is None


def test_tampered_foreign_and_garbage_tokens_are_refused_with_30009() -> None:
    sandbox = Sandbox(channels=(SANDBOX_CHANNEL_ID, OTHER_CHANNEL))
    with omnichannel_http(sandbox) as http, omnichannel_http(sandbox, channel_id=OTHER_CHANNEL) as other:
        token = _first_token(http)
        tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
        since = sandbox.omnichannel_conversation(SANDBOX_CHANNEL_ID, 0)["timestamp"]
        refused = [
            http.get(OMNICHANNEL_PATH, params={"ContinuationToken": tampered}),
            http.get(OMNICHANNEL_PATH, params={"ContinuationToken": "garbage"}),
            http.get(OMNICHANNEL_PATH, params={"ContinuationToken": str(uuid.UUID(int=5))}),
            other.get(OMNICHANNEL_PATH, params={"ContinuationToken": token}),
            http.get(OMNICHANNEL_PATH, params={"ContinuationToken": token, "StartTimeStamp": since}),
        ]

    for response in refused:
        body = assert_problem(response, 400, 30009)
        assert body["detail"] == "The provided continuation token is invalid"


# -- auth, headers and routes -------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_missing_or_wrong_bearer_token_gets_a_401_problem(token: str | None) -> None:
    with omnichannel_http(Sandbox(), token=token) as http:
        response = http.get(OMNICHANNEL_PATH)

    assert_problem(response, 401, None)
    assert response.headers["www-authenticate"] == "Bearer"


# Any other well-formed organization is served (tests/sandbox/test_ids.py).
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
    # Any other well-formed channel is served (tests/sandbox/test_ids.py): "unknown" is the reserved
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
