"""What the type checkers must see in a fan-out's results (checked by ``nox -s typecheck``; nothing here runs)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import assert_type

from bird_conversations.models import Conversation
from conversation_clients import AsyncBirdClient, AsyncOmnichannelClient, BirdClient
from conversation_clients.fleet import Channel, TargetFailure, TargetPage, fan_out, fan_out_sync
from conversation_clients.pagination import Page
from omnichannel_messaging.models import ActiveConversation


async def bird_fan_out(bird: AsyncBirdClient, workspaces: list[str]) -> None:
    results = fan_out(workspaces, lambda workspace, token: bird.list_conversations(workspace, page_token=token))
    assert_type(results, AsyncGenerator[TargetPage[str, Conversation] | TargetFailure[str], None])
    async for result in results:
        if isinstance(result, TargetPage):
            assert_type(result.target, str)
            assert_type(result.page, Page[Conversation])
        else:
            assert_type(result.resume_token, str | None)


async def omnichannel_fan_out(omni: AsyncOmnichannelClient, channels: list[Channel]) -> None:
    results = fan_out(
        channels,
        lambda target, token: omni.list_conversations(
            organization_id=target.organization_id, channel_id=target.channel_id, continuation_token=token
        ),
        concurrency=4,
    )
    assert_type(results, AsyncGenerator[TargetPage[Channel, ActiveConversation] | TargetFailure[Channel], None])


def sync_fan_out(bird: BirdClient, workspaces: list[str]) -> None:
    results = fan_out_sync(
        workspaces,
        lambda workspace, token: bird.list_conversations(workspace, page_token=token),
        resume={"w": "t"},
        stop_on_first_failure=True,
    )
    assert_type(results, Generator[TargetPage[str, Conversation] | TargetFailure[str], None, None])
