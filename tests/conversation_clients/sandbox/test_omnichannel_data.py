"""The sandbox's Omnichannel demo data (:mod:`conversation_clients.sandbox._omnichannel_data`):
.NET's seven-digit timestamps, ascending, found by bisection among 200,000 conversations, and each
channel's conversations its own.
"""

from __future__ import annotations

import re

from conversation_clients.sandbox import SANDBOX_CHANNEL_ID, Sandbox
from conversation_clients.sandbox._omnichannel_data import dotnet_timestamp, omnichannel_created_ticks
from tests.support.sandbox_wire import ids, omnichannel_http, omnichannel_pages

OTHER_CHANNEL = "99999999-8888-4777-8666-555555555555"
DOTNET_ROUND_TRIP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z")


def expected_omnichannel_ids(sandbox: Sandbox, indices: range, channel: str = SANDBOX_CHANNEL_ID) -> list[str]:
    return [sandbox.omnichannel_conversation(channel, index)["conversationid"] for index in indices]


def test_timestamps_have_seven_fractional_digits_and_ascend() -> None:
    with omnichannel_http(Sandbox(conversations_per_workspace=80)) as http:
        timestamps = [item["timestamp"] for item in omnichannel_pages(http, PageSize=80)[0]["conversations"]]

    assert all(DOTNET_ROUND_TRIP.fullmatch(timestamp) for timestamp in timestamps)
    assert timestamps == sorted(timestamps) and len(set(timestamps)) == 80


def test_start_timestamp_finds_its_place_among_200000_conversations() -> None:
    sandbox = Sandbox(conversations_per_workspace=200_000)
    since = dotnet_timestamp(omnichannel_created_ticks(0, SANDBOX_CHANNEL_ID, 199_990))
    with omnichannel_http(sandbox) as http:
        bodies = omnichannel_pages(http, StartTimeStamp=since)

    assert ids(bodies, "conversations", "conversationid") == expected_omnichannel_ids(sandbox, range(199_991, 200_000))


def test_channels_have_their_own_conversations() -> None:
    sandbox = Sandbox(channels=(SANDBOX_CHANNEL_ID, OTHER_CHANNEL))
    with omnichannel_http(sandbox) as http, omnichannel_http(sandbox, channel_id=OTHER_CHANNEL) as other:
        first = ids(omnichannel_pages(http), "conversations", "conversationid")
        second = ids(omnichannel_pages(other), "conversations", "conversationid")

    assert len(first) == len(second) == 25 and not set(first) & set(second)
