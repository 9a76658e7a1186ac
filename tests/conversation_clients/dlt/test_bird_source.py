"""Bird's dlt source (:mod:`conversation_clients.dlt._bird_source`): conversations merged when new or
changed, messages incremental on ``createdAt`` through ``dateFrom`` and asked for only when a
conversation's last message is newer than its cursor, each workspace a partition of the state.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import dlt
import httpx
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from conversation_clients import BirdClient
from conversation_clients.dlt import LoadFailures, bird_source, rows_loaded
from conversation_clients.dlt._cursors import instant
from conversation_clients.sandbox import SANDBOX_WORKSPACE_ID, Sandbox
from tests.support.warehouse import Warehouse, last_load_id

OTHER_WORKSPACE = "9d2f7a61-3b4c-4e5d-8f60-7a1b2c3d4e04"
WORKSPACES = [SANDBOX_WORKSPACE_ID, OTHER_WORKSPACE]


def bird_state(pipeline: dlt.Pipeline, resource: str) -> dict[str, dict[str, str]]:
    """A resource's partitions, by workspace (a copy)."""
    state: dict[str, Any] = dict(pipeline.state)
    resources = state["sources"]["bird"]["resources"]
    return copy.deepcopy(dict(resources[resource]["workspaces"]))


def with_messages(sandbox: Sandbox, workspace: str, indices: range) -> list[dict[str, Any]]:
    """The conversations of ``indices`` that have a last message (so messages)."""
    conversations = [sandbox.bird_conversation(workspace, index) for index in indices]
    return [conversation for conversation in conversations if "lastMessage" in conversation]


@attrs.frozen
class TwoRuns:
    """Two workspaces loaded from the sandbox, then loaded again with nothing new."""

    sandbox: Sandbox
    warehouse: Warehouse
    first_requests: int
    second_requests: int
    second_rows: Mapping[str, int]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> TwoRuns:
    sandbox = Sandbox(conversations_per_workspace=30, workspaces=WORKSPACES)
    warehouse = Warehouse(tmp_path_factory.mktemp("two-runs"))
    pipeline = warehouse.pipeline("bird")
    with sandbox.bird_client() as bird:
        pipeline.run(bird_source(bird, WORKSPACES, page_size=25))
        first_requests = sandbox.request_count
        sandbox.reset_counts()
        pipeline.run(bird_source(bird, WORKSPACES, page_size=25))
    return TwoRuns(sandbox, warehouse, first_requests, sandbox.request_count, rows_loaded(pipeline))


def test_a_second_run_over_quiet_conversations_lists_them_and_asks_for_no_message(two_runs: TwoRuns) -> None:
    listed = with_messages(two_runs.sandbox, SANDBOX_WORKSPACE_ID, range(30))
    listed += with_messages(two_runs.sandbox, OTHER_WORKSPACE, range(30))
    # the first run listed each conversation's messages; the second, each workspace's two pages of conversations only
    assert two_runs.first_requests >= 4 + len(listed)
    assert two_runs.second_requests == 4
    assert two_runs.second_rows == {}


def test_rows_are_the_json_with_their_workspace_nested_lists_as_child_tables(two_runs: TwoRuns) -> None:
    sandbox, warehouse = two_runs.sandbox, two_runs.warehouse
    expected_messages = {
        message["id"]
        for workspace in WORKSPACES
        for conversation in with_messages(sandbox, workspace, range(30))
        for message in sandbox.bird_messages(workspace, conversation["id"])
    }
    by_workspace = warehouse.rows("select workspace_id, count(*) from bird.conversations group by 1 order by 1")
    assert by_workspace == sorted((workspace, 30) for workspace in WORKSPACES)
    assert {row for (row,) in warehouse.rows("select id from bird.messages")} == expected_messages
    assert warehouse.value("select count(*) from bird.messages") == len(expected_messages)
    # a nested list is a child table, a nested object columns of its parent
    participants = sum(
        len(sandbox.bird_conversation(workspace, index)["featuredParticipants"])
        for workspace in WORKSPACES
        for index in range(30)
    )
    assert warehouse.value("select count(*) from bird.conversations__featured_participants") == participants
    first = sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 0)
    loaded = warehouse.value(f"select last_message__id from bird.conversations where id = '{first['id']}'")
    assert loaded == first["lastMessage"]["id"]


class ScriptedBird:
    """A Bird with one workspace's conversations and messages as JSON, changed by the test between runs.

    Messages are listed newest first, those after ``dateFrom``; ``inclusive`` also sends the one at
    ``dateFrom`` itself, as a server reading "from" as "from and including" would.
    """

    def __init__(self, sandbox: Sandbox, indices: range, *, inclusive: bool = False) -> None:
        self.conversations = with_messages(sandbox, SANDBOX_WORKSPACE_ID, indices)
        self.messages = {
            conversation["id"]: sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation["id"])
            for conversation in self.conversations
        }
        self.inclusive = inclusive
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        parts = request.url.path.split("/")
        if parts[-1] != "messages":
            return httpx.Response(200, json={"results": self.conversations})
        date_from = request.url.params.get("dateFrom")
        listed = [
            message
            for message in self.messages[parts[-2]]
            if date_from is None
            or instant(message["createdAt"]) > instant(date_from)
            or (self.inclusive and instant(message["createdAt"]) == instant(date_from))
        ]
        return httpx.Response(200, json={"results": listed})

    def message_requests(self) -> list[httpx.Request]:
        return [request for request in self.requests if request.url.path.endswith("/messages")]

    def new_message(self, conversation: dict[str, Any], created_at: str) -> str:
        """A message after the others in ``conversation``, which it becomes the last message of; its id."""
        newest = self.messages[conversation["id"]][0]
        message = {**newest, "id": str(uuid.uuid4()), "createdAt": created_at, "updatedAt": created_at}
        self.messages[conversation["id"]].insert(0, message)
        conversation["lastMessage"] = {**conversation["lastMessage"], "id": message["id"], "createdAt": created_at}
        return str(message["id"])


def scripted_client(server: Callable[[httpx.Request], httpx.Response]) -> BirdClient:
    return BirdClient("key", base_url="https://bird.test", transport=httpx.MockTransport(server), max_retries=0)


@pytest.mark.parametrize("inclusive", [False, True], ids=["after", "from-and-including"])
def test_a_newer_last_message_asks_for_that_conversations_messages_from_its_cursor_only(
    warehouse: Warehouse, inclusive: bool
) -> None:
    server = ScriptedBird(Sandbox(conversations_per_workspace=4), range(4), inclusive=inclusive)
    changed, quiet = server.conversations[0], server.conversations[1:]
    cursor = server.messages[changed["id"]][0]["createdAt"]
    pipeline = warehouse.pipeline("bird")
    with scripted_client(server) as bird:
        pipeline.run(bird_source(bird, [SANDBOX_WORKSPACE_ID]))
        first_messages = warehouse.value("select count(*) from bird.messages")
        new_id = server.new_message(changed, "2025-06-10T08:00:00.123Z")
        server.requests.clear()
        pipeline.run(bird_source(bird, [SANDBOX_WORKSPACE_ID]))
    (asked,) = server.message_requests()  # the changed conversation's, none of the quiet ones'
    assert asked.url.path.endswith(f"/conversations/{changed['id']}/messages")
    assert instant(asked.url.params["dateFrom"]) == instant(cursor)
    # the new message once, the changed conversation merged (not repeated), the quiet ones not loaded again
    assert rows_loaded(pipeline)["messages"] == 1 and rows_loaded(pipeline)["conversations"] == 1
    newest_load = last_load_id(warehouse, "bird")
    assert warehouse.rows(f"select id from bird.messages where _dlt_load_id = '{newest_load}'") == [(new_id,)]
    assert warehouse.value("select count(*) from bird.messages") == first_messages + 1
    assert warehouse.value("select count(distinct id) from bird.conversations") == 1 + len(quiet)
    assert warehouse.value("select count(*) from bird.conversations") == 1 + len(quiet)
    state = bird_state(pipeline, "messages")[SANDBOX_WORKSPACE_ID]
    assert instant(state[changed["id"]]) == instant("2025-06-10T08:00:00.123Z")


def test_a_changed_conversation_replaces_its_row_and_its_nested_rows(warehouse: Warehouse) -> None:
    server = ScriptedBird(Sandbox(conversations_per_workspace=3), range(3))
    changed = next(c for c in server.conversations if len(c["featuredParticipants"]) > 1)
    pipeline = warehouse.pipeline("bird")
    with scripted_client(server) as bird:
        pipeline.run(bird_source(bird, [SANDBOX_WORKSPACE_ID]))
        changed["featuredParticipants"] = changed["featuredParticipants"][:1]
        changed["status"] = "closed"
        pipeline.run(bird_source(bird, [SANDBOX_WORKSPACE_ID]))
    assert rows_loaded(pipeline) == {
        "conversations": 1,
        "conversations__featured_participants": 1,
        "conversations__participants": len(changed["participants"]),
    }
    assert warehouse.value(f"select status from bird.conversations where id = '{changed['id']}'") == "closed"
    nested = (
        "select count(*) from bird.conversations__featured_participants p join bird.conversations c"
        f" on p._dlt_parent_id = c._dlt_id where c.id = '{changed['id']}'"
    )
    assert warehouse.value(nested) == 1


class FailingFor(httpx.BaseTransport):
    """The sandbox, but every request about ``workspace`` answered with a 503."""

    def __init__(self, inner: httpx.BaseTransport, workspace: str) -> None:
        self.inner, self.workspace = inner, workspace

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if f"/workspaces/{self.workspace}/" in request.url.path:
            return httpx.Response(503, json={"code": "ServiceUnavailable", "message": "try later"})
        return self.inner.handle_request(request)


def test_a_workspace_that_fails_keeps_its_cursors_while_the_other_loads_and_moves_on(warehouse: Warehouse) -> None:
    workspaces = WORKSPACES
    sandbox = Sandbox(conversations_per_workspace=5, workspaces=workspaces)
    pipeline = warehouse.pipeline("bird")
    with sandbox.bird_client() as bird:
        pipeline.run(bird_source(bird, workspaces, failures=LoadFailures()))
    before = {resource: bird_state(pipeline, resource) for resource in ("conversations", "messages")}
    sandbox.add_conversations(3)

    failures = LoadFailures()
    with sandbox.bird_client(transport=FailingFor(sandbox.transport(), OTHER_WORKSPACE), max_retries=0) as bird:
        pipeline.run(bird_source(bird, workspaces, failures=failures))
    after = {resource: bird_state(pipeline, resource) for resource in ("conversations", "messages")}
    assert [failure.target for failure in failures] == [f"workspace {OTHER_WORKSPACE}"]
    for resource in ("conversations", "messages"):
        assert after[resource][OTHER_WORKSPACE] == before[resource][OTHER_WORKSPACE]  # neither reset nor moved
    assert len(after["conversations"][SANDBOX_WORKSPACE_ID]) == 8  # moved on: its three new conversations
    assert len(before["conversations"][SANDBOX_WORKSPACE_ID]) == 5
    new_ones = with_messages(sandbox, SANDBOX_WORKSPACE_ID, range(5, 8))
    assert set(after["messages"][SANDBOX_WORKSPACE_ID]) == set(before["messages"][SANDBOX_WORKSPACE_ID]) | {
        conversation["id"] for conversation in new_ones
    }
    assert warehouse.rows("select workspace_id, count(*) from bird.conversations group by 1 order by 1") == sorted(
        [(SANDBOX_WORKSPACE_ID, 8), (OTHER_WORKSPACE, 5)]
    )

    # once it answers again, the failed workspace loads what it missed, and only that
    with sandbox.bird_client() as bird:
        pipeline.run(bird_source(bird, workspaces, failures=LoadFailures()))
    newest_load = last_load_id(warehouse, "bird")
    loaded = warehouse.rows(
        f"select workspace_id, count(*) from bird.conversations where _dlt_load_id = '{newest_load}' group by 1"
    )
    assert loaded == [(OTHER_WORKSPACE, 3)]
    assert warehouse.value("select count(*) = count(distinct id) from bird.messages")


class FailingMessagesOf(httpx.BaseTransport):
    """The sandbox, but the messages of ``conversation`` answered with a 503."""

    def __init__(self, inner: httpx.BaseTransport, conversation: str) -> None:
        self.inner, self.conversation = inner, conversation

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(f"/conversations/{self.conversation}/messages"):
            return httpx.Response(503, json={"code": "ServiceUnavailable", "message": "try later"})
        return self.inner.handle_request(request)


def test_a_conversation_whose_messages_fail_keeps_its_cursor_and_is_asked_again_next_time(
    warehouse: Warehouse,
) -> None:
    sandbox = Sandbox(conversations_per_workspace=6)
    failing, *others = with_messages(sandbox, SANDBOX_WORKSPACE_ID, range(6))
    pipeline = warehouse.pipeline("bird")
    failures = LoadFailures()
    transport = FailingMessagesOf(sandbox.transport(), failing["id"])
    with sandbox.bird_client(transport=transport, max_retries=0) as bird:
        pipeline.run(bird_source(bird, [SANDBOX_WORKSPACE_ID], failures=failures))
    assert [failure.target for failure in failures] == [
        f"workspace {SANDBOX_WORKSPACE_ID} conversation {failing['id']}"
    ]
    cursors = bird_state(pipeline, "messages")[SANDBOX_WORKSPACE_ID]
    assert set(cursors) == {conversation["id"] for conversation in others}
    sandbox.reset_counts()
    with sandbox.bird_client() as bird:
        pipeline.run(bird_source(bird, [SANDBOX_WORKSPACE_ID], failures=LoadFailures()))
    assert sandbox.request_count == 2  # the conversations, and the messages it missed
    loaded = rows_loaded(pipeline)  # its messages (and their nested rows), nothing else
    assert loaded["messages"] == len(sandbox.bird_messages(SANDBOX_WORKSPACE_ID, failing["id"]))
    assert all(table.startswith("messages") for table in loaded)


def test_without_failures_the_first_error_ends_the_run_and_no_cursor_moves(warehouse: Warehouse) -> None:
    workspaces = WORKSPACES
    sandbox = Sandbox(conversations_per_workspace=3, workspaces=workspaces)
    pipeline = warehouse.pipeline("bird")
    with sandbox.bird_client(transport=FailingFor(sandbox.transport(), OTHER_WORKSPACE), max_retries=0) as bird:
        with pytest.raises(PipelineStepFailed) as failed:
            pipeline.run(bird_source(bird, workspaces))
    assert "503" in str(failed.value)
    assert pipeline.state.get("sources", {}).get("bird") is None  # nothing of the failed run was kept
    with sandbox.bird_client() as bird:
        pipeline.run(bird_source(bird, workspaces))
    assert warehouse.value("select count(*) from bird.conversations") == 6


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"workspace_ids": []}, ValueError),
        ({"workspace_ids": SANDBOX_WORKSPACE_ID}, TypeError),  # a bare string, not a sequence of ids
        ({"workspace_ids": ["not-a-uuid"]}, ValueError),
        ({"workspace_ids": [SANDBOX_WORKSPACE_ID], "page_size": 0}, ValueError),
        ({"workspace_ids": [SANDBOX_WORKSPACE_ID], "page_size": 101}, ValueError),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_listed(arguments: dict[str, Any], error: type[Exception]) -> None:
    sandbox = Sandbox()
    with sandbox.bird_client() as bird, pytest.raises(error):
        bird_source(bird, **arguments)
    assert sandbox.request_count == 0


def test_each_workspace_is_listed_once_whatever_its_spelling() -> None:
    sandbox = Sandbox()
    with sandbox.bird_client() as bird:
        source = bird_source(
            bird, [SANDBOX_WORKSPACE_ID, SANDBOX_WORKSPACE_ID.upper(), uuid.UUID(SANDBOX_WORKSPACE_ID)]
        )
        listed = list(source.resources["conversation_pages"])
    assert len(listed) == sandbox.conversations_per_workspace and sandbox.request_count == 1
