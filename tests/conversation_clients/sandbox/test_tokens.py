"""Opaque page tokens (:mod:`conversation_clients.sandbox._tokens`) on the wire: a token resumes
where it was issued (whatever the page size), and a tampered one, or one from another workspace,
organization, filter or seed, is refused the way the vendor refuses a bad token.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from conversation_clients.sandbox import (
    SANDBOX_CHANNEL_ID,
    SANDBOX_WORKSPACE_ID,
    Sandbox,
)
from tests.support.sandbox_wire import (
    BIRD_HEADERS,
    OMNICHANNEL_HEADERS,
    OMNICHANNEL_PATH,
    bird_http,
    bird_path,
    ids,
    messages_path,
    omnichannel_http,
    sandbox_http,
)

OTHER_WORKSPACE = "11111111-2222-4333-8444-555555555555"


def expected_bird_ids(sandbox: Sandbox, count: int, workspace: str = SANDBOX_WORKSPACE_ID) -> list[str]:
    return [sandbox.bird_conversation(workspace, index)["id"] for index in range(count)]


# -- page tokens --------------------------------------------------------------------------------


def _first_bird_token(http: Any, workspace: str = SANDBOX_WORKSPACE_ID, **params: Any) -> str:
    token: str = http.get(bird_path(workspace), params=params).json()["nextPageToken"]
    return token


def _assert_bad_token(response: Any) -> None:
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameter"
    assert response.json()["details"] == {"parameter": "pageToken"}


def test_a_token_resumes_where_it_was_issued_even_with_another_page_size() -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    with bird_http(sandbox) as http:
        token = _first_bird_token(http, limit=10)
        resumed = http.get(bird_path(), params={"pageToken": token, "limit": 20}).json()

    assert ids([resumed], "results", "id") == expected_bird_ids(sandbox, 30)[10:30]
    assert "nextPageToken" not in resumed


@pytest.mark.parametrize("position", [0, 5, -1])
def test_a_tampered_token_is_refused(position: int) -> None:
    with bird_http(Sandbox(conversations_per_workspace=30)) as http:
        token = _first_bird_token(http)
        flipped = "A" if token[position] != "A" else "B"
        tampered = token[:position] + flipped + (token[position + 1 :] if position != -1 else "")
        _assert_bad_token(http.get(bird_path(), params={"pageToken": tampered}))
        _assert_bad_token(http.get(bird_path(), params={"pageToken": token + "!"}))
        _assert_bad_token(http.get(bird_path(), params={"pageToken": "not a token"}))


def test_a_token_from_another_workspace_seed_or_filter_is_refused() -> None:
    sandbox = Sandbox(workspaces=(SANDBOX_WORKSPACE_ID, OTHER_WORKSPACE))
    with bird_http(sandbox) as http, bird_http(Sandbox(seed=7)) as other_seed:
        token = _first_bird_token(http)
        assert http.get(bird_path(), params={"pageToken": token}).status_code == 200
        _assert_bad_token(http.get(bird_path(OTHER_WORKSPACE), params={"pageToken": token}))
        _assert_bad_token(http.get(bird_path(), params={"pageToken": token, "reverse": "true"}))
        _assert_bad_token(other_seed.get(bird_path(), params={"pageToken": token}))


# -- Any well-formed id is served (a newcomer's real ids work), except the ones documented as not
# found --------------------------------------------------------------------------------------------


THEIR_ORGANIZATION = "7d0e5c4b-3a29-4f18-b7e6-d5c4b3a29180"
THEIR_CHANNEL = "b1a2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
THEIR_HEADERS = {**OMNICHANNEL_HEADERS, "organization-id": THEIR_ORGANIZATION, "channel-id": THEIR_CHANNEL}
ELSEWHERE = "6c5b4a39-2817-4f6e-9d8c-7b6a59483726"


def test_a_continuation_token_stays_with_its_organization() -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    with sandbox_http(sandbox, "in-process", THEIR_HEADERS) as http:
        token = http.get(OMNICHANNEL_PATH, params={"PageSize": 10}).json()["continuationtoken"]
        resumed = http.get(OMNICHANNEL_PATH, params={"ContinuationToken": token})
        elsewhere = http.get(
            OMNICHANNEL_PATH, params={"ContinuationToken": token}, headers={"organization-id": ELSEWHERE}
        )

    assert resumed.status_code == 200 and len(resumed.json()["conversations"]) == 20
    assert elsewhere.status_code == 400 and elsewhere.json()["errorCode"] == 30009


# -- Bird's "List conversation messages" in the sandbox: data, paging, filters, errors, methods,
# faults -------------------------------------------------------------------------------------------


#: Twenty conversations of seed 0 hold empty ones, short ones and one of more than 100 messages.
COUNT = 20


def conversation_ids(sandbox: Sandbox, workspace: str = SANDBOX_WORKSPACE_ID) -> list[str]:
    return [sandbox.bird_conversation(workspace, index)["id"] for index in range(sandbox.conversations_per_workspace)]


def longest(sandbox: Sandbox) -> str:
    """The id of the conversation with the most messages (more than a page of 100 in the sandbox above)."""
    conversation = max(conversation_ids(sandbox), key=lambda c: len(sandbox.bird_messages(SANDBOX_WORKSPACE_ID, c)))
    assert len(sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation)) > 100
    return conversation


def with_messages(sandbox: Sandbox, at_least: int) -> str:
    for conversation in conversation_ids(sandbox):
        if at_least <= len(sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation)) <= 30:
            return conversation
    raise AssertionError(f"no conversation with {at_least} to 30 messages")


def test_tokens_are_opaque_and_bound_to_their_listing() -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    conversation = longest(sandbox)
    other = with_messages(sandbox, 3)
    with sandbox_http(sandbox, "in-process", BIRD_HEADERS) as http:
        token = http.get(messages_path(conversation), params={"limit": 10}).json()["nextPageToken"]
        conversations_token = http.get(bird_path(), params={"limit": 1}).json()["nextPageToken"]
        resumed = http.get(messages_path(conversation), params={"pageToken": token, "limit": 5})
        refused = [
            http.get(
                messages_path(conversation), params={"pageToken": token[:-1] + ("A" if token[-1] != "A" else "B")}
            ),
            http.get(messages_path(conversation), params={"pageToken": "10"}),
            http.get(messages_path(other), params={"pageToken": token}),  # another conversation
            http.get(messages_path(conversation), params={"pageToken": token, "reverse": "true"}),
            http.get(messages_path(conversation), params={"pageToken": token, "dateFrom": "2020-01-01T00:00:00Z"}),
            http.get(messages_path(conversation), params={"pageToken": conversations_token}),
            http.get(bird_path(), params={"pageToken": token}),  # and the other way round
        ]

    assert "10" not in token and token.isascii()
    assert resumed.status_code == 200
    assert ids([resumed.json()], "results", "id") == ids(
        [{"results": sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation)[10:15]}], "results", "id"
    )
    for response in refused:
        assert response.status_code == 400
        assert response.json()["details"] == {"parameter": "pageToken"}


def test_a_token_from_another_seed_is_refused() -> None:
    here, there = Sandbox(conversations_per_workspace=COUNT), Sandbox(conversations_per_workspace=COUNT, seed=1)
    with sandbox_http(here, "in-process", BIRD_HEADERS) as http:
        token = http.get(messages_path(longest(here))).json()["nextPageToken"]
    with sandbox_http(there, "in-process", BIRD_HEADERS) as http:
        foreign = http.get(messages_path(longest(there)), params={"pageToken": token})
        own_conversation_of_here = http.get(messages_path(longest(here)))

    assert foreign.status_code == 400 and foreign.json()["details"] == {"parameter": "pageToken"}
    assert own_conversation_of_here.status_code == 404  # its ids are another sandbox's too


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


# -- continuation tokens ------------------------------------------------------------------------


def _first_omnichannel_token(http: httpx.Client, **params: Any) -> str:
    token: str = http.get(OMNICHANNEL_PATH, params={"PageSize": 10, **params}).json()["continuationtoken"]
    return token


def test_a_token_resumes_where_it_was_issued() -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    with omnichannel_http(sandbox) as http:
        token = _first_omnichannel_token(http)
        resumed = http.get(OMNICHANNEL_PATH, params={"ContinuationToken": token, "PageSize": 50}).json()

    assert ids([resumed], "conversations", "conversationid") == expected_omnichannel_ids(sandbox, range(10, 30))
    assert resumed["continuationtoken"] is None


def test_tampered_foreign_and_garbage_tokens_are_refused_with_30009() -> None:
    sandbox = Sandbox(channels=(SANDBOX_CHANNEL_ID, OTHER_CHANNEL))
    with omnichannel_http(sandbox) as http, omnichannel_http(sandbox, channel_id=OTHER_CHANNEL) as other:
        token = _first_omnichannel_token(http)
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
