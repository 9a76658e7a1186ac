"""What the type checkers must see in the generated client methods (checked by ``nox -s typecheck``).

Nothing here runs: each function is only read by mypy and pyright, which fail the typecheck
session when an ``assert_type`` does not hold. ``wrong_calls.txt`` holds the calls both must
refuse; ``expect_errors.py`` checks that they do.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from typing import assert_type

import httpx

from bird_conversations.models import Conversation, Message
from conversation_clients import AsyncBirdClient, AsyncOmnichannelClient, BirdClient, OmnichannelClient
from conversation_clients.pagination import AsyncPager, SyncPager
from conversation_clients.ratelimit import RateLimiter
from conversation_clients.retry import RetryPolicy
from conversation_clients.signals import Hooks
from omnichannel_messaging.models import ActiveConversation


def bird_signatures(bird: BirdClient, async_bird: AsyncBirdClient, workspace: uuid.UUID) -> None:
    assert_type(bird.list_conversations(workspace), SyncPager[Conversation])
    assert_type(
        bird.list_conversations(
            "e58899bf-1e8d-4ff7-b9db-a60befaf90d2", limit=10, reverse=True, resource="r", page_token="t"
        ),
        SyncPager[Conversation],
    )
    assert_type(async_bird.list_conversations(workspace, limit=None), AsyncPager[Conversation])
    since = datetime.datetime(2025, 4, 15, tzinfo=datetime.UTC)
    assert_type(bird.list_messages(workspace, workspace, date_from=since, reverse=True), SyncPager[Message])
    assert_type(async_bird.list_messages("w", "c", limit=100, page_token="t"), AsyncPager[Message])


def omnichannel_signatures(omni: OmnichannelClient, async_omni: AsyncOmnichannelClient) -> None:
    since = datetime.datetime(2025, 4, 15, tzinfo=datetime.UTC)
    assert_type(omni.list_conversations(start_timestamp=since, page_size=250), SyncPager[ActiveConversation])
    assert_type(omni.list_conversations(start_timestamp="2025-04-15T00:00:00Z"), SyncPager[ActiveConversation])
    assert_type(async_omni.list_conversations(continuation_token="t"), AsyncPager[ActiveConversation])
    # one client, many channels: organization and channel per call, overriding the client's
    channel = uuid.UUID(int=7)
    assert_type(omni.list_conversations(channel_id=channel), SyncPager[ActiveConversation])
    assert_type(
        async_omni.list_conversations(organization_id="o", channel_id="c", page_size=10),
        AsyncPager[ActiveConversation],
    )


def closing_a_pager(bird: BirdClient, omni: OmnichannelClient) -> None:
    # contextlib.closing: a pager has close(); the pager and its items keep their types
    with contextlib.closing(bird.list_conversations("w")) as conversations:
        assert_type(conversations, SyncPager[Conversation])
        for conversation in conversations:
            assert_type(conversation, Conversation)
    with contextlib.closing(omni.list_conversations(page_size=5)) as active:
        assert_type(next(iter(active)), ActiveConversation)


async def aclosing_a_pager(async_bird: AsyncBirdClient, async_omni: AsyncOmnichannelClient) -> None:
    # contextlib.aclosing: an async pager has aclose(), over its items and over its pages()
    async with contextlib.aclosing(async_bird.list_messages("w", "c")) as messages:
        assert_type(messages, AsyncPager[Message])
        async for message in messages:
            assert_type(message, Message)
    async with contextlib.aclosing(async_omni.list_conversations()) as active:
        async for page in active.pages():
            assert_type(page.items, tuple[ActiveConversation, ...])


def max_items_signatures(
    bird: BirdClient, async_bird: AsyncBirdClient, omni: OmnichannelClient, async_omni: AsyncOmnichannelClient
) -> None:
    # every listing method takes max_items; the pager's item type is unchanged
    assert_type(bird.list_conversations("w", limit=10, max_items=25), SyncPager[Conversation])
    assert_type(async_bird.list_messages("w", "c", max_items=None), AsyncPager[Message])
    assert_type(omni.list_conversations(max_items=3), SyncPager[ActiveConversation])
    assert_type(async_omni.list_conversations(page_size=5, max_items=12), AsyncPager[ActiveConversation])


def with_options_signatures(
    bird: BirdClient, async_bird: AsyncBirdClient, omni: OmnichannelClient, async_omni: AsyncOmnichannelClient
) -> None:
    # a derived client is of its original's class, so its generated methods keep their types
    assert_type(bird.with_options(timeout=120, headers={"X-Team": "exports"}), BirdClient)
    assert_type(async_bird.with_options(max_retries=0), AsyncBirdClient)
    assert_type(omni.with_options(attempt_timeout=10, page_timeout=60), OmnichannelClient)
    assert_type(async_omni.with_options(max_response_bytes=1 << 20), AsyncOmnichannelClient)
    assert_type(bird.with_options(max_retries=1).list_conversations("w"), SyncPager[Conversation])


def http_client_signatures() -> None:
    assert_type(BirdClient("key", http_client=httpx.Client()), BirdClient)
    assert_type(AsyncOmnichannelClient("https://x", token="t", http_client=httpx.AsyncClient()), AsyncOmnichannelClient)


def option_signatures(policy: RetryPolicy, limiter: RateLimiter, hooks: Hooks) -> None:
    # every option by keyword, each of its declared type (the clients declare them once: ClientOptions)
    assert_type(
        BirdClient(
            "key",
            base_url="https://x",
            timeout=httpx.Timeout(5.0),
            max_retries=1,
            retry_policy=policy,
            transport=httpx.HTTPTransport(),
            prefetch="always",
            max_response_bytes=1 << 20,
            attempt_timeout=10,
            page_timeout=60.0,
            rate_limiter=limiter,
            hooks=hooks,
            tracer_provider=None,
        ),
        BirdClient,
    )
    assert_type(AsyncBirdClient("key", transport=httpx.AsyncHTTPTransport(), prefetch=False), AsyncBirdClient)
    assert_type(
        OmnichannelClient("https://x", token="t", scope="s", polling_warning_interval=None, timeout=5),
        OmnichannelClient,
    )
    assert_type(
        AsyncOmnichannelClient(
            "https://x", organization_id=uuid.UUID(int=1), channel_id="c", token="t", max_retries=0, hooks=None
        ),
        AsyncOmnichannelClient,
    )
