"""Omnichannel's dlt source (:mod:`conversation_clients.dlt._omnichannel_source`): active conversations
merged on ``conversationid``, incremental on ``timestamp`` through ``StartTimeStamp`` with its seven
fractional digits kept, each channel a partition of the state.
"""

from __future__ import annotations

import copy
from typing import Any

import dlt
import httpx
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from conversation_clients.dlt import LoadFailures, omnichannel_source, omnichannel_source_of_calls, rows_loaded
from conversation_clients.sandbox import SANDBOX_CHANNEL_ID, SANDBOX_ORGANIZATION_ID, Sandbox
from tests.support.warehouse import Warehouse, last_load_id

OTHER_CHANNEL = "2b9e4d1c-8f7a-4c3b-9e2d-1a0f8e7d6c06"
CHANNELS = [SANDBOX_CHANNEL_ID, OTHER_CHANNEL]


def channel_cursors(pipeline: dlt.Pipeline) -> dict[str, str]:
    state: dict[str, Any] = dict(pipeline.state)
    resources = state["sources"]["omnichannel"]["resources"]
    return copy.deepcopy(dict(resources["active_conversations"]["channels"]))


class Recording(httpx.BaseTransport):
    """The sandbox's transport, keeping each request; a channel in ``failing`` gets a 503."""

    def __init__(self, inner: httpx.BaseTransport, failing: tuple[str, ...] = ()) -> None:
        self.inner, self.failing = inner, failing
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("channel-id") in self.failing:
            return httpx.Response(503, json={"title": "Service Unavailable", "status": 503})
        return self.inner.handle_request(request)


def test_the_cursor_keeps_seven_digits_is_sent_back_as_it_is_and_the_second_run_loads_only_the_new(
    warehouse: Warehouse,
) -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    recording = Recording(sandbox.transport())
    pipeline = warehouse.pipeline("omnichannel")
    with sandbox.omnichannel_client(transport=recording) as omnichannel:
        pipeline.run(omnichannel_source(omnichannel, [SANDBOX_CHANNEL_ID], page_size=20))
        cursor = channel_cursors(pipeline)[SANDBOX_CHANNEL_ID]
        sandbox.add_conversations(4)
        recording.requests.clear()
        pipeline.run(omnichannel_source(omnichannel, [SANDBOX_CHANNEL_ID], page_size=20))
    newest = sandbox.omnichannel_conversation(SANDBOX_CHANNEL_ID, 29)["timestamp"]
    assert cursor == newest and len(cursor.rpartition(".")[2].rstrip("Z")) == 7
    assert [request.url.params["StartTimeStamp"] for request in recording.requests] == [cursor]
    added = {sandbox.omnichannel_conversation(SANDBOX_CHANNEL_ID, index)["conversationid"] for index in range(30, 34)}
    newest_load = last_load_id(warehouse, "omnichannel")
    loaded = warehouse.rows(
        f"select conversationid from omnichannel.active_conversations where _dlt_load_id = '{newest_load}'"
    )
    assert {row for (row,) in loaded} == added and rows_loaded(pipeline) == {"active_conversations": 4}
    assert warehouse.rows("select count(*), count(distinct conversationid) from omnichannel.active_conversations") == [
        (34, 34)
    ]
    # the column is the wire text, all seven digits of it
    every = {sandbox.omnichannel_conversation(SANDBOX_CHANNEL_ID, index)["timestamp"] for index in range(34)}
    assert {row for (row,) in warehouse.rows("select timestamp from omnichannel.active_conversations")} == every
    assert warehouse.value("select max(channel_id) = min(channel_id) from omnichannel.active_conversations")


def test_a_channel_that_fails_keeps_its_cursor_while_the_other_loads_and_moves_on(warehouse: Warehouse) -> None:
    sandbox = Sandbox(conversations_per_workspace=5, channels=CHANNELS)
    pipeline = warehouse.pipeline("omnichannel")
    with sandbox.omnichannel_client() as omnichannel:
        pipeline.run(omnichannel_source(omnichannel, CHANNELS))
    before = channel_cursors(pipeline)
    sandbox.add_conversations(2)
    failures = LoadFailures()
    failing = Recording(sandbox.transport(), failing=(OTHER_CHANNEL,))
    with sandbox.omnichannel_client(transport=failing, max_retries=0) as omnichannel:
        pipeline.run(omnichannel_source(omnichannel, CHANNELS, failures=failures))
    after = channel_cursors(pipeline)
    assert [failure.target for failure in failures] == [f"channel {OTHER_CHANNEL}"]
    assert after[OTHER_CHANNEL] == before[OTHER_CHANNEL]  # neither reset nor moved
    assert after[SANDBOX_CHANNEL_ID] == sandbox.omnichannel_conversation(SANDBOX_CHANNEL_ID, 6)["timestamp"]
    assert after[SANDBOX_CHANNEL_ID] != before[SANDBOX_CHANNEL_ID]
    by_channel = "select channel_id, count(*) from omnichannel.active_conversations group by 1 order by 1"
    assert warehouse.rows(by_channel) == sorted([(SANDBOX_CHANNEL_ID, 7), (OTHER_CHANNEL, 5)])


def test_without_failures_a_failing_channel_ends_the_run_and_no_cursor_moves(warehouse: Warehouse) -> None:
    sandbox = Sandbox(conversations_per_workspace=3, channels=CHANNELS)
    pipeline = warehouse.pipeline("omnichannel")
    failing = Recording(sandbox.transport(), failing=(OTHER_CHANNEL,))
    with sandbox.omnichannel_client(transport=failing, max_retries=0) as omnichannel:
        with pytest.raises(PipelineStepFailed, match="503"):
            pipeline.run(omnichannel_source(omnichannel, CHANNELS))
    assert dict(pipeline.state).get("sources") is None


def test_the_channels_of_a_load_are_of_one_organization() -> None:
    calls = [
        {"organization_id": SANDBOX_ORGANIZATION_ID, "channel_id": SANDBOX_CHANNEL_ID},
        {"organization_id": "e7c1a9b3-5d2e-4f60-a1b2-c3d4e5f60705", "channel_id": OTHER_CHANNEL},
    ]
    with Sandbox().omnichannel_client() as omnichannel, pytest.raises(ValueError, match="one organization, got 2"):
        omnichannel_source_of_calls(omnichannel, calls, None)


def test_the_organization_given_is_sent_for_each_channel(warehouse: Warehouse) -> None:
    sandbox = Sandbox(conversations_per_workspace=2, channels=CHANNELS)
    recording = Recording(sandbox.transport())
    with sandbox.omnichannel_client(transport=recording, organization_id=None, channel_id=None) as omnichannel:
        source = omnichannel_source(omnichannel, CHANNELS, organization_id=SANDBOX_ORGANIZATION_ID)
        warehouse.pipeline("omnichannel").run(source)
    sent = [(request.headers["organization-id"], request.headers["channel-id"]) for request in recording.requests]
    assert sent == [(SANDBOX_ORGANIZATION_ID, channel) for channel in CHANNELS]
    assert warehouse.value("select count(*) from omnichannel.active_conversations") == 4


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"channel_ids": []}, ValueError),
        ({"channel_ids": SANDBOX_CHANNEL_ID}, TypeError),  # a bare string, not a sequence of ids
        ({"channel_ids": ["nope"]}, ValueError),
        ({"channel_ids": [SANDBOX_CHANNEL_ID], "organization_id": "acme"}, ValueError),
        ({"channel_ids": [SANDBOX_CHANNEL_ID], "page_size": 251}, ValueError),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_listed(arguments: dict[str, Any], error: type[Exception]) -> None:
    sandbox = Sandbox()
    with sandbox.omnichannel_client() as omnichannel, pytest.raises(error):
        omnichannel_source(omnichannel, **arguments)
    assert sandbox.request_count == 0
