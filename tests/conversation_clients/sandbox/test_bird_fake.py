"""The sandbox's Bird (:mod:`conversation_clients.sandbox._bird_fake`) on the wire: conversations
and messages, paging, tokens, filters, ids, methods, access keys and errors as Bird does them, and
bodies that validate against the corrected documents.

Wire-level cases run in-process and on loopback: both ways go through the same code and must
answer alike.
"""

from __future__ import annotations

import copy
import datetime
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from bird_conversations.models import MessagePage
from conversation_clients import BirdClient
from conversation_clients.errors import NotFoundError
from conversation_clients.retry import RetryPolicy
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_MISSING_ID,
    SANDBOX_WORKSPACE_ID,
    Faults,
    Sandbox,
)
from conversation_clients.sandbox._bird_data import bird_resource
from tests.support.openapi_schemas import corrected_document, response_schema
from tests.support.sandbox_wire import (
    BIRD_HEADERS,
    WAYS,
    bird_http,
    bird_pages,
    bird_path,
    ids,
    message_pages,
    messages_path,
    sandbox_http,
)

OTHER_WORKSPACE = "11111111-2222-4333-8444-555555555555"


def expected_bird_ids(sandbox: Sandbox, count: int, workspace: str = SANDBOX_WORKSPACE_ID) -> list[str]:
    return [sandbox.bird_conversation(workspace, index)["id"] for index in range(count)]


def test_default_page_size_is_10_and_every_conversation_comes_exactly_once() -> None:
    sandbox = Sandbox(conversations_per_workspace=25)
    with bird_http(sandbox) as http:
        bodies = bird_pages(http)

    assert [len(body["results"]) for body in bodies] == [10, 10, 5]
    assert ids(bodies, "results", "id") == expected_bird_ids(sandbox, 25)
    assert all(body["total"] == 25 and body["totalType"] == "equal" for body in bodies)


def test_the_last_page_omits_the_token_and_the_others_carry_distinct_ones() -> None:
    with bird_http(Sandbox(conversations_per_workspace=20)) as http:
        bodies = bird_pages(http)

    assert len(bodies) == 2  # exactly two full pages: no empty third page
    assert "nextPageToken" not in bodies[-1]
    assert isinstance(bodies[0]["nextPageToken"], str) and bodies[0]["nextPageToken"]


def test_limit_100_is_the_maximum_page() -> None:
    sandbox = Sandbox(conversations_per_workspace=250)
    with bird_http(sandbox) as http:
        bodies = bird_pages(http, limit=100)

    assert [len(body["results"]) for body in bodies] == [100, 100, 50]
    assert ids(bodies, "results", "id") == expected_bird_ids(sandbox, 250)


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5", "9" * 5000])
def test_a_limit_out_of_range_or_not_an_integer_is_refused_like_bird(limit: str) -> None:
    with bird_http(Sandbox()) as http:
        response = http.get(bird_path(), params={"limit": limit})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidParameter"
    assert body["details"] == {"parameter": "limit"}
    assert body["message"]


def test_reverse_lists_the_same_conversations_in_the_opposite_order() -> None:
    sandbox = Sandbox(conversations_per_workspace=23)
    with bird_http(sandbox) as http:
        forward = ids(bird_pages(http, limit=7), "results", "id")
        backward = ids(bird_pages(http, limit=7, reverse="true"), "results", "id")
        explicit_false = ids(bird_pages(http, limit=7, reverse="false"), "results", "id")
        bad = http.get(bird_path(), params={"reverse": "sideways"})

    assert backward == forward[::-1]
    assert explicit_false == forward
    assert bad.status_code == 400 and bad.json()["details"] == {"parameter": "reverse"}


def test_default_order_is_newest_first() -> None:
    with bird_http(Sandbox(conversations_per_workspace=15)) as http:
        created = [conversation["createdAt"] for conversation in bird_pages(http)[0]["results"]]

    assert created == sorted(created, reverse=True)


def test_the_resource_filter_finds_the_conversations_of_one_resource() -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    resource = bird_resource(0, SANDBOX_WORKSPACE_ID, 12)
    assert resource is not None
    query = f"{resource.type_}:{resource.id}"
    with bird_http(sandbox) as http:
        bodies = bird_pages(http, resource=query, limit=1)
        reversed_bodies = bird_pages(http, resource=query, reverse="true")
        unknown = bird_pages(http, resource=f"task:{OTHER_WORKSPACE}")
        too_long = http.get(bird_path(), params={"resource": "task:" + "x" * 60})

    assert ids(bodies, "results", "id") == expected_bird_ids(sandbox, 30)[12:16:3]  # conversations 12 and 15
    expected_resource = {"type": str(resource.type_), "id": str(resource.id)}
    assert all(item["resource"] == expected_resource for body in bodies for item in body["results"])
    assert bodies[0]["total"] == 2
    assert ids(reversed_bodies, "results", "id") == ids(bodies, "results", "id")[::-1]
    assert unknown == [{"results": [], "total": 0, "totalType": "equal"}]
    assert too_long.status_code == 400 and too_long.json()["details"] == {"parameter": "resource"}


def test_workspace_ids_match_whatever_their_case() -> None:
    with bird_http(Sandbox()) as http:
        response = http.get(bird_path(SANDBOX_WORKSPACE_ID.upper()))

    assert response.status_code == 200


# -- auth and routes ----------------------------------------------------------------------------


@pytest.mark.parametrize("access_key", [None, "wrong-key"])
def test_a_missing_or_wrong_access_key_gets_birds_401(access_key: str | None) -> None:
    with bird_http(Sandbox(), access_key=access_key) as http:
        response = http.get(bird_path())

    assert response.status_code == 401
    assert response.json() == {"code": "Unauthorized", "message": "missing or invalid access key"}


def test_a_bearer_token_is_not_an_access_key() -> None:
    with bird_http(Sandbox(), access_key=None) as http:
        response = http.get(bird_path(), headers={"Authorization": "Bearer sandbox-bird-access-key"})

    assert response.status_code == 401


def test_a_custom_access_key_is_the_only_one_accepted() -> None:
    sandbox = Sandbox(bird_access_key="my-key")
    with bird_http(sandbox, access_key="my-key") as http, bird_http(sandbox) as default_key:
        assert http.get(bird_path()).status_code == 200
        assert default_key.get(bird_path()).status_code == 401


# Any other well-formed workspace is served (below): "unknown" is the reserved
# id, one said missing, or a malformed one.
@pytest.mark.parametrize("workspace", [SANDBOX_MISSING_ID, OTHER_WORKSPACE, "not-a-uuid"])
def test_an_unknown_workspace_gets_birds_404(workspace: str) -> None:
    with bird_http(Sandbox(missing_workspaces=(OTHER_WORKSPACE,))) as http:
        response = http.get(bird_path(workspace))

    assert response.status_code == 404
    assert response.json() == {"code": "NotFound", "message": "workspace not found", "details": {}}


@pytest.mark.parametrize(
    "path", ["/workspaces", f"/workspaces/{SANDBOX_WORKSPACE_ID}", f"/workspaces/{SANDBOX_WORKSPACE_ID}/messages"]
)
def test_an_unknown_path_under_workspaces_gets_birds_404(path: str) -> None:
    with bird_http(Sandbox()) as http:
        response = http.get(path)

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "NotFound" and body["details"] == {} and body["message"]


def test_only_get_is_allowed() -> None:
    with bird_http(Sandbox()) as http:
        response = http.post(bird_path())

    assert response.status_code == 405
    assert response.json()["code"] == "MethodNotAllowed"


# -- Any well-formed id is served (a newcomer's real ids work), except the ones documented as not
# found --------------------------------------------------------------------------------------------


# Ids a newcomer might bring from their own account: nothing the sandbox was told about.
THEIR_WORKSPACE = "3f1c9a2e-8b4d-4e6f-a0b1-c2d3e4f5a6b7"
ELSEWHERE = "6c5b4a39-2817-4f6e-9d8c-7b6a59483726"


def bird_ids(sandbox: Sandbox, workspace: str) -> list[str]:
    return [sandbox.bird_conversation(workspace, index)["id"] for index in range(sandbox.conversations_per_workspace)]


# -- Bird ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
def test_any_well_formed_workspace_is_served_with_data_of_its_own(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=23)
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        theirs = ids(bird_pages(http, THEIR_WORKSPACE, limit=10), "results", "id")
        upper = ids(bird_pages(http, THEIR_WORKSPACE.upper().replace("-", ""), limit=100), "results", "id")
        default = ids(bird_pages(http, limit=100), "results", "id")

    assert theirs == upper == bird_ids(sandbox, THEIR_WORKSPACE)
    assert len(theirs) == 23 and len(set(theirs)) == 23
    assert not set(theirs) & set(default)
    assert sandbox.workspaces == (SANDBOX_WORKSPACE_ID,)  # what it was built with, unchanged


@pytest.mark.parametrize("way", WAYS)
def test_the_reserved_id_and_the_ids_said_missing_get_birds_404(way: str) -> None:
    sandbox = Sandbox(missing_workspaces=(ELSEWHERE.upper(),))
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        responses = [http.get(bird_path(workspace)) for workspace in (SANDBOX_MISSING_ID, ELSEWHERE, "not-a-uuid")]
        served = http.get(bird_path(THEIR_WORKSPACE))

    for response in responses:
        assert response.status_code == 404
        assert response.json() == {"code": "NotFound", "message": "workspace not found", "details": {}}
    assert served.status_code == 200
    assert sandbox.missing_workspaces == (SANDBOX_MISSING_ID, ELSEWHERE)


def test_the_bird_client_lists_a_workspace_nobody_configured() -> None:
    sandbox = Sandbox(conversations_per_workspace=15)
    with sandbox.serve() as base_url, BirdClient(SANDBOX_BIRD_ACCESS_KEY, base_url=base_url) as bird:
        listed = [str(conversation.id) for conversation in bird.list_conversations(THEIR_WORKSPACE, limit=4)]
        with pytest.raises(NotFoundError) as missing:
            list(bird.list_conversations(SANDBOX_MISSING_ID))

    assert listed == bird_ids(sandbox, THEIR_WORKSPACE)
    assert missing.value.status_code == 404 and missing.value.code == "NotFound"


# -- Bird's "List conversation messages" in the sandbox: data, paging, filters, errors, methods,
# faults -------------------------------------------------------------------------------------------


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
def test_bird_answers_any_other_method_with_405_allow_and_its_error_body(method: str, way: str) -> None:
    with sandbox_http(Sandbox(), way, BIRD_HEADERS) as http:
        response = send(http, method, bird_path())
        after = http.get(bird_path())  # the connection is still good for the next request

    assert response.status_code == 405
    assert response.headers["allow"] == ALLOW
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "code": "MethodNotAllowed",
        "message": f"method {method} is not allowed here",
        "details": {},
    }
    assert after.status_code == 200


# -- What the sandbox sends validates against the corrected OpenAPI documents the clients were
# generated from -----------------------------------------------------------------------------------


BIRD = corrected_document("bird_conversations")
BIRD_PAGE = response_schema(BIRD, "/workspaces/{workspaceId}/conversations")
BIRD_ERROR = response_schema(BIRD, "/workspaces/{workspaceId}/conversations", status="404")
MESSAGES = "/workspaces/{workspaceId}/conversations/{conversationId}/messages"
MESSAGE_PAGE = response_schema(BIRD, MESSAGES)
MESSAGE_ERROR = response_schema(BIRD, MESSAGES, status="404")


def validate(body: Any, schema: Any) -> None:
    OAS30Validator(schema, format_checker=oas30_format_checker).validate(body)


def test_bird_pages_validate() -> None:
    resource_sandbox = Sandbox(conversations_per_workspace=300, seed=5)
    with bird_http(resource_sandbox) as http:
        bodies = bird_pages(http, limit=100) + bird_pages(http, limit=100, reverse="true")

    assert sum(len(body["results"]) for body in bodies) == 600
    for body in bodies:
        validate(body, BIRD_PAGE)


def test_bird_message_pages_validate() -> None:
    sandbox = Sandbox(conversations_per_workspace=40, seed=5)
    conversations = [sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, index)["id"] for index in range(40)]
    with bird_http(sandbox) as http:
        bodies = [
            body
            for conversation in conversations
            for body in message_pages(http, conversation, limit=100) + message_pages(http, conversation, reverse="true")
        ]

    assert sum(len(body["results"]) for body in bodies) > 2 * 100
    for body in bodies:
        validate(body, MESSAGE_PAGE)


def test_bird_message_errors_validate() -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("429", "500", "503")))
    conversation = sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 0)["id"]
    with bird_http(sandbox) as http:
        responses = [
            http.get(messages_path(SANDBOX_MISSING_ID)),
            http.get(messages_path(conversation, SANDBOX_MISSING_ID)),
            http.get(messages_path(conversation), params={"limit": 0}),
            http.get(messages_path(conversation), params={"dateFrom": "x"}),
            http.head(messages_path(conversation)),
            *(http.get(messages_path(conversation)) for _ in range(10)),
        ]

    assert {response.status_code for response in responses} >= {400, 404, 429, 500, 503}
    for response in responses:
        if response.content:
            validate(response.json(), MESSAGE_ERROR)


def test_bird_errors_validate() -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("429", "500", "503")))
    with bird_http(sandbox) as http, bird_http(sandbox, access_key="wrong") as unauthorized:
        responses = [
            http.get(bird_path(SANDBOX_MISSING_ID)),
            http.get("/workspaces/nowhere"),
            http.get(bird_path(), params={"limit": 0}),
            http.get(bird_path(), params={"pageToken": "x"}),
            unauthorized.get(bird_path()),
            *(http.get(bird_path()) for _ in range(10)),
        ]

    assert {response.status_code for response in responses} >= {400, 401, 404, 429, 500, 503}
    for response in responses:
        validate(response.json(), BIRD_ERROR)


#: Ways to break a valid Bird page (decoded JSON, changed in place).
BODY_BREAKERS: list[Callable[[Any], object]] = [
    lambda body: body["results"][0].pop("id"),
    lambda body: body["results"][0].update(status=7),
    lambda body: body["results"][0].update(createdAt="yesterday"),
    lambda body: body["results"][0]["featuredParticipants"].append({"id": "x"}),
]
#: Ways to break a valid messages page.
MESSAGE_BREAKERS: list[Callable[[Any], object]] = [
    lambda body: body["results"][0].pop("sender"),
    lambda body: body["results"][0].update(status="read"),
    lambda body: body["results"][0].update(conversationId="not-a-uuid"),
    lambda body: body["results"][0]["body"].update(type="hologram"),
]


@pytest.mark.parametrize("break_it", MESSAGE_BREAKERS)
def test_the_validation_catches_a_broken_messages_page(break_it: Callable[[Any], object]) -> None:
    sandbox = Sandbox()
    conversation = sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 0)["id"]
    with bird_http(sandbox) as http:
        body = http.get(messages_path(conversation)).json()
    broken = copy.deepcopy(body)
    break_it(broken)

    validate(body, MESSAGE_PAGE)
    assert not OAS30Validator(MESSAGE_PAGE, format_checker=oas30_format_checker).is_valid(broken)


@pytest.mark.parametrize("break_it", BODY_BREAKERS)
def test_the_validation_is_strict_enough_to_catch_a_broken_body(break_it: Callable[[Any], object]) -> None:
    with bird_http(Sandbox()) as http:
        body = http.get(bird_path(SANDBOX_WORKSPACE_ID)).json()
    broken = copy.deepcopy(body)
    break_it(broken)

    validate(body, BIRD_PAGE)
    assert not OAS30Validator(BIRD_PAGE, format_checker=oas30_format_checker).is_valid(broken)
