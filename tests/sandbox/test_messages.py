"""Bird's "List conversation messages" in the sandbox: data, paging, filters, errors, methods, faults.

Wire-level cases run in-process and on loopback: both ways go through the same code and must answer alike.
"""

from __future__ import annotations

import base64
import datetime
import json
import subprocess
import sys
import uuid
from typing import Any

import httpx
import pytest

from bird_conversations.models import MessagePage
from conversation_clients.errors import NotFoundError
from conversation_clients.retry import RetryPolicy
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_MISSING_ID,
    SANDBOX_WORKSPACE_ID,
    Faults,
    Sandbox,
)
from tests.cli.helpers import SOURCE_PATH
from tests.sandbox.helpers import BIRD_HEADERS, WAYS, bird_path, ids, message_pages, messages_path, sandbox_http

THEIR_WORKSPACE = "3f1c9a2e-8b4d-4e6f-a0b1-c2d3e4f5a6b7"
FAST_RETRIES = RetryPolicy(max_retries=20, initial_delay=0.001, max_delay=0.002)
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


def instant(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


# -- the data -----------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
def test_paging_returns_every_message_of_every_conversation_once_in_order(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    listed: dict[str, list[Any]] = {}
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        for conversation in conversation_ids(sandbox):
            listed[conversation] = [m for body in message_pages(http, conversation, limit=7) for m in body["results"]]
        long_pages = message_pages(http, longest(sandbox), limit=100)

    for conversation, messages in listed.items():
        assert messages == sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation)
        assert len({message["id"] for message in messages}) == len(messages)
        assert all(message["conversationId"] == conversation for message in messages)
    assert [len(body["results"]) for body in long_pages][:1] == [100] and len(long_pages) == 2
    assert sum(len(messages) for messages in listed.values()) > 100 + COUNT


def test_the_newest_message_is_the_conversations_last_message_and_the_oldest_opened_it() -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    empty = 0
    for index, conversation_id in enumerate(conversation_ids(sandbox)):
        conversation = sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, index)
        messages = sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation_id)
        if "lastMessage" not in conversation:  # opened and never written to
            assert messages == []
            empty += 1
            continue
        newest, oldest = messages[0], messages[-1]
        assert newest["id"] == conversation["lastMessage"]["id"]
        assert newest["createdAt"] == conversation["lastMessage"]["createdAt"]
        assert newest["sender"]["id"] == conversation["lastMessage"]["sender"]["id"]
        assert len(messages) == 1 or oldest["createdAt"] == conversation["createdAt"]
        times = [instant(message["createdAt"]) for message in messages]
        assert times == sorted(times, reverse=True)
        senders = {participant["id"] for participant in conversation["featuredParticipants"]}
        assert all(m["sender"]["id"] in senders or m["sender"]["type"] == "accessKey" for m in messages)
    assert 0 < empty < COUNT


def test_messages_carry_birds_quirks_as_its_example_shows_them() -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    messages = [m for c in conversation_ids(sandbox) for m in sandbox.bird_messages(SANDBOX_WORKSPACE_ID, c)]
    incoming = [message for message in messages if message["sender"]["type"] == "contact"]
    outgoing = [message for message in messages if message["sender"]["type"] != "contact"]

    assert incoming and outgoing and any(message["sender"]["type"] == "accessKey" for message in outgoing)
    assert all(message["interactions"] is None and message["draft"] is False for message in messages)
    assert all("template" not in message for message in messages)
    # sent through the API: reference "", the contact as recipient; received: its own id, no recipients
    assert all(m["reference"] == "" and m["source"] == "conversations" and len(m["recipients"]) == 1 for m in outgoing)
    assert all(m["reference"] == m["id"] and m["source"] == "external" and "recipients" not in m for m in incoming)
    emails = [message for message in incoming if "meta" in message]
    assert emails and all(message["receiverTypes"] == ["to"] for message in emails)
    headers = json.loads(base64.b64decode(emails[0]["meta"]["extraInformation"]["email_headers"]))
    assert list(headers) == ["Subject"]
    failed = [m for m in messages if m["status"] in ("delivery_failed", "sending_failed")]
    assert failed and all(m["reason"] for m in failed)
    assert all("reason" not in m for m in messages if m not in failed)
    assert {message["body"]["type"] for message in messages} >= {"text", "html", "image", "file"}
    assert all(message["createdAt"].endswith("Z") and len(message["createdAt"]) == 24 for message in messages)


@pytest.mark.parametrize("way", WAYS)
def test_every_page_parses_with_the_generated_model(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT, seed=3)
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        bodies = [body for c in conversation_ids(sandbox) for body in message_pages(http, c, limit=100)]

    pages = [MessagePage.from_dict(body) for body in bodies]
    assert sum(len(page.results) for page in pages) > 100
    assert all(MessagePage.from_dict(page.to_dict()) == page for page in pages)  # nothing read as unknown and lost
    assert all(not message.additional_properties for page in pages for message in page.results)


# -- paging -------------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
def test_limits_default_to_10_go_up_to_100_and_refuse_the_rest(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    conversation = longest(sandbox)
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        default = http.get(messages_path(conversation)).json()
        most = http.get(messages_path(conversation), params={"limit": 100}).json()
        one = http.get(messages_path(conversation), params={"limit": 1}).json()
        refused = [http.get(messages_path(conversation), params={"limit": bad}) for bad in ("0", "101", "ten", "-1")]

    assert (len(default["results"]), len(most["results"]), len(one["results"])) == (10, 100, 1)
    for response in refused:
        assert response.status_code == 400
        assert response.json() == {
            "code": "InvalidParameter",
            "message": "limit must be an integer between 1 and 100",
            "details": {"parameter": "limit"},
        }


def test_the_last_page_has_no_token_and_no_total() -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    conversation = with_messages(sandbox, 3)
    with sandbox_http(sandbox, "in-process", BIRD_HEADERS) as http:
        pages = message_pages(http, conversation, limit=2)

    assert all(set(body) == {"results", "nextPageToken"} for body in pages[:-1])
    assert set(pages[-1]) == {"results"}


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


# -- reverse and dateFrom -------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
def test_reverse_lists_oldest_first(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    conversation = longest(sandbox)
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        forward = ids(message_pages(http, conversation, limit=30), "results", "id")
        backward = ids(message_pages(http, conversation, limit=30, reverse="true"), "results", "id")
        go_style = ids(message_pages(http, conversation, limit=100, reverse="1"), "results", "id")
        refused = http.get(messages_path(conversation), params={"reverse": "yes"})

    assert backward == go_style == forward[::-1]
    assert refused.status_code == 400 and refused.json()["details"] == {"parameter": "reverse"}


@pytest.mark.parametrize("way", WAYS)
def test_date_from_keeps_only_messages_created_after_it(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    conversation = longest(sandbox)
    messages = sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation)
    cut = messages[40]["createdAt"]  # a message's own time: it is not after itself
    expected = [m["id"] for m in messages if instant(m["createdAt"]) > instant(cut)]
    in_berlin = instant(cut).astimezone(datetime.timezone(datetime.timedelta(hours=2))).isoformat()
    just_before = (instant(cut) - datetime.timedelta(microseconds=1)).isoformat()
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        after = ids(message_pages(http, conversation, dateFrom=cut, limit=7), "results", "id")
        offset = ids(message_pages(http, conversation, dateFrom=in_berlin, limit=100), "results", "id")
        reversed_after = ids(message_pages(http, conversation, dateFrom=cut, reverse="true"), "results", "id")
        before = ids(message_pages(http, conversation, dateFrom=just_before, limit=100), "results", "id")
        nanoseconds = ids(
            message_pages(http, conversation, dateFrom=cut.replace("Z", "000001Z"), limit=100), "results", "id"
        )
        none_after = http.get(messages_path(conversation), params={"dateFrom": "2100-01-01T00:00:00Z"}).json()
        everything = ids(message_pages(http, conversation, dateFrom="2000-01-01T00:00:00Z", limit=100), "results", "id")

    assert after == offset == nanoseconds == expected and 0 < len(expected) <= 40
    assert reversed_after == expected[::-1]
    assert before == [m["id"] for m in messages if instant(m["createdAt"]) >= instant(cut)]
    assert messages[40]["id"] in before
    assert none_after == {"results": []}
    assert everything == [message["id"] for message in messages]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    "date_from",
    ["yesterday", "2025-06-02", "2025-06-02T09:30:00", "2025-06-02 09:30:00Z", "2025-13-02T09:30:00Z", "1748856600"],
)
def test_a_malformed_date_from_gets_birds_400(date_from: str, way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        response = http.get(messages_path(conversation_ids(sandbox)[0]), params={"dateFrom": date_from})

    assert response.status_code == 400
    assert response.json() == {
        "code": "InvalidParameter",
        "message": "dateFrom must be an RFC 3339 date-time",
        "details": {"parameter": "dateFrom"},
    }


# -- not found, auth, methods ---------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
def test_unknown_conversations_and_workspaces_get_birds_404(way: str) -> None:
    elsewhere = "6c5b4a39-2817-4f6e-9d8c-7b6a59483726"
    sandbox = Sandbox(conversations_per_workspace=COUNT, missing_workspaces=(elsewhere,))
    known = conversation_ids(sandbox)[0]
    beyond = Sandbox(conversations_per_workspace=COUNT + 1).bird_conversation(SANDBOX_WORKSPACE_ID, COUNT)["id"]
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        conversation_missing = [
            http.get(messages_path(conversation))
            for conversation in (str(uuid.UUID(int=1)), SANDBOX_MISSING_ID, beyond, "not-a-uuid", SANDBOX_WORKSPACE_ID)
        ]
        in_another_workspace = http.get(messages_path(known, THEIR_WORKSPACE))
        workspace_missing = [http.get(messages_path(known, w)) for w in (SANDBOX_MISSING_ID, elsewhere, "nope")]
        spelled_otherwise = http.get(messages_path(known.upper(), SANDBOX_WORKSPACE_ID.replace("-", "")))

    for response in [*conversation_missing, in_another_workspace]:
        assert response.status_code == 404
        assert response.json() == {"code": "NotFound", "message": "conversation not found", "details": {}}
    for response in workspace_missing:
        assert response.status_code == 404
        assert response.json() == {"code": "NotFound", "message": "workspace not found", "details": {}}
    assert spelled_otherwise.status_code == 200


@pytest.mark.parametrize("way", WAYS)
def test_any_workspace_serves_the_messages_of_its_own_conversations(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=5)
    theirs = conversation_ids(sandbox, THEIR_WORKSPACE)
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        listed = {c: ids(message_pages(http, c, THEIR_WORKSPACE, limit=100), "results", "id") for c in theirs}

    assert listed == {c: [m["id"] for m in sandbox.bird_messages(THEIR_WORKSPACE, c)] for c in theirs}
    assert not set(theirs) & set(conversation_ids(sandbox))


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("authorization", [None, "AccessKey wrong", f"Bearer {SANDBOX_BIRD_ACCESS_KEY}"])
def test_the_access_key_is_checked_first(authorization: str | None, way: str) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    sandbox = Sandbox()
    conversation = conversation_ids(sandbox)[0]
    with sandbox_http(sandbox, way, headers) as http:
        responses = [http.get(messages_path(SANDBOX_MISSING_ID)), http.post(messages_path(SANDBOX_MISSING_ID))]
        responses.append(http.get(messages_path(conversation)))
        authorized = http.get(messages_path(conversation), headers=BIRD_HEADERS)

    assert authorized.status_code == 200
    for response in responses:
        assert response.status_code == 401
        assert response.json() == {"code": "Unauthorized", "message": "missing or invalid access key"}


@pytest.mark.parametrize("way", WAYS)
def test_head_is_get_without_a_body_and_other_methods_get_405(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    path = messages_path(longest(sandbox))
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        get = http.get(path, params={"limit": 7})
        head = http.head(path, params={"limit": 7})
        head_404 = http.head(messages_path(SANDBOX_MISSING_ID))
        others = [http.request(method, path) for method in ("POST", "DELETE", "OPTIONS", "PROPFIND")]
        after = http.get(path, params={"limit": 7})

    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head_404.status_code == 404 and head_404.content == b""
    for method, response in zip(("POST", "DELETE", "OPTIONS", "PROPFIND"), others, strict=True):
        assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"
        assert response.json() == {
            "code": "MethodNotAllowed",
            "message": f"method {method} is not allowed here",
            "details": {},
        }
    assert after.content == get.content


def test_a_path_below_or_beside_the_messages_is_no_route() -> None:
    sandbox = Sandbox()
    conversation = conversation_ids(sandbox)[0]
    with sandbox_http(sandbox, "in-process", BIRD_HEADERS) as http:
        responses = [
            http.get(messages_path(conversation) + "/x"),
            http.get(f"/workspaces/{SANDBOX_WORKSPACE_ID}/conversations/{conversation}"),
            http.get(f"/workspaces/{SANDBOX_WORKSPACE_ID}/conversations//messages"),
        ]
        served = http.get(messages_path(conversation))

    assert served.status_code == 200
    for response in responses:
        assert response.status_code == 404 and response.json()["message"] == "no such route"


# -- faults and the rate limit --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["429", "429-retry-after", "500", "503", "520"])
def test_faults_replace_a_successful_messages_page(kind: str) -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=(kind,)))
    with sandbox_http(sandbox, "in-process", BIRD_HEADERS) as http:
        response = http.get(messages_path(conversation_ids(sandbox)[0]))
        not_found = http.get(messages_path(SANDBOX_MISSING_ID))

    assert response.status_code == int(kind[:3])
    assert ("retry-after" in response.headers) == (kind == "429-retry-after")
    assert not_found.status_code == 404  # an answer that fails on its own is never replaced


def test_a_dropped_connection_and_the_rate_limit_apply_to_messages() -> None:
    dropping = Sandbox(faults=Faults(failure_rate=1.0, kinds=("drop",)))
    limited = Sandbox(faults=Faults(requests_per_second=1))
    with sandbox_http(dropping, "in-process", BIRD_HEADERS) as http, pytest.raises(httpx.RemoteProtocolError):
        http.get(messages_path(conversation_ids(dropping)[0]))
    with sandbox_http(limited, "in-process", BIRD_HEADERS) as http:
        statuses = [http.get(messages_path(conversation_ids(limited)[0])).status_code for _ in range(3)]

    assert statuses[0] == 200 and 429 in statuses
    assert limited.request_count == 3


# -- the clients ----------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_the_clients_list_every_message_in_process_on_loopback_and_through_faults() -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    conversation = longest(sandbox)
    expected = [message["id"] for message in sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation)]
    with sandbox.bird_client() as bird:
        in_process = [message.id for message in bird.list_messages(SANDBOX_WORKSPACE_ID, conversation, limit=100)]
    async with sandbox.async_bird_client() as async_bird:
        in_process_async = [m.id async for m in async_bird.list_messages(SANDBOX_WORKSPACE_ID, conversation)]
    with sandbox.serve() as base_url, sandbox.bird_client(base_url=base_url, transport=None) as over_http:
        on_loopback = [m.id for m in over_http.list_messages(SANDBOX_WORKSPACE_ID, conversation, limit=30)]
        with pytest.raises(NotFoundError) as missing:
            list(over_http.list_messages(SANDBOX_WORKSPACE_ID, SANDBOX_MISSING_ID))
    faulty = Sandbox(conversations_per_workspace=COUNT, faults=Faults(failure_rate=0.4, seed=7))
    with faulty.bird_client(retry_policy=FAST_RETRIES) as bird:
        through_faults = [m.id for m in bird.list_messages(SANDBOX_WORKSPACE_ID, conversation, limit=20)]

    assert in_process == in_process_async == on_loopback == through_faults == expected
    assert missing.value.status_code == 404 and missing.value.code == "NotFound"
    assert faulty.request_count > len(expected) // 20 + 1  # faults were drawn, and retried through


def test_the_clients_date_from_and_reverse_reach_the_sandbox() -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    conversation = longest(sandbox)
    messages = sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation)
    cut = instant(messages[25]["createdAt"])
    with sandbox.bird_client() as bird:
        after = [m.id for m in bird.list_messages(SANDBOX_WORKSPACE_ID, conversation, date_from=cut, reverse=True)]

    assert after == [m["id"] for m in messages if instant(m["createdAt"]) > cut][::-1]


# -- determinism ----------------------------------------------------------------------------------


def test_the_same_ids_give_the_same_messages_in_another_process() -> None:
    here = Sandbox(seed=3, conversations_per_workspace=12)
    conversations = conversation_ids(here, THEIR_WORKSPACE)
    with sandbox_http(here, "in-process", BIRD_HEADERS) as http:
        listed = {
            c: [m for body in message_pages(http, c, THEIR_WORKSPACE, limit=4) for m in body["results"]]
            for c in conversations
        }
    program = (
        "import json\n"
        "from conversation_clients.sandbox import Sandbox\n"
        "sandbox = Sandbox(seed=3, conversations_per_workspace=12)\n"
        f"ids = [sandbox.bird_conversation({THEIR_WORKSPACE!r}, i)['id'] for i in range(12)]\n"
        f"print(json.dumps({{c: sandbox.bird_messages({THEIR_WORKSPACE!r}, c) for c in ids}}))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", program],
        env={"PYTHONPATH": SOURCE_PATH, "PYTHONHASHSEED": "12345"},  # another str hash, on purpose
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert json.loads(other.stdout) == listed
    assert sum(len(messages) for messages in listed.values()) > 12


def test_conversation_ids_are_distinct_version_4_uuids_that_name_their_conversation() -> None:
    sandbox = Sandbox(conversations_per_workspace=2_000)
    listed = conversation_ids(sandbox)

    assert len(set(listed)) == len(listed)
    assert all(uuid.UUID(conversation).version == 4 for conversation in listed)
    # ids do not share a visible prefix or suffix (they encipher the index, they do not spell it)
    assert len({conversation[:8] for conversation in listed}) > 1_900
    assert len({conversation[-8:] for conversation in listed}) > 1_900
    with pytest.raises(ValueError, match="no conversation"):
        sandbox.bird_messages(SANDBOX_WORKSPACE_ID, str(uuid.uuid4()))
