"""The :class:`~conversation_clients.sandbox.Sandbox` (:mod:`conversation_clients.sandbox._sandbox`):
its arguments, ids and repr, and the package's clients listing everything from it: both vendors,
sync and async, in-process and on loopback.
"""

from __future__ import annotations

import uuid
from collections.abc import Generator
from contextlib import contextmanager
from typing import Any

import pytest

from bird_conversations.types import Unset
from conversation_clients import AsyncBirdClient, AsyncOmnichannelClient, BirdClient, OmnichannelClient
from conversation_clients.retry import RetryPolicy
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_CHANNEL_ID,
    SANDBOX_MISSING_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
    Faults,
    Sandbox,
    default_sandbox,
)
from conversation_clients.sandbox._sandbox import MAX_CONVERSATIONS
from tests.support.scripted import close, items, pages

PATIENT_RETRIES = RetryPolicy(max_retries=10, initial_delay=0.001, max_delay=0.002)


@contextmanager
def served(sandbox: Sandbox, way: str) -> Generator[str | None]:
    """The loopback base URL for "loopback", None for "in-process"."""
    if way == "in-process":
        yield None
        return
    with sandbox.serve() as base_url:
        yield base_url


@contextmanager
def client_of(sandbox: Sandbox, vendor: str, kind: str, way: str, **options: Any) -> Generator[Any]:
    """A client of ``vendor`` (sync or async) on the sandbox, in-process or over ``serve()``."""
    with served(sandbox, way) as base_url:
        if base_url is not None:
            options.update(base_url=base_url, transport=None)  # the default transport: real HTTP
        make = {
            ("bird", "sync"): sandbox.bird_client,
            ("bird", "async"): sandbox.async_bird_client,
            ("omnichannel", "sync"): sandbox.omnichannel_client,
            ("omnichannel", "async"): sandbox.async_omnichannel_client,
        }[vendor, kind]
        yield make(**options)


def list_call(client: Any, vendor: str, size: int) -> Any:
    if vendor == "bird":
        return client.list_conversations(SANDBOX_WORKSPACE_ID, limit=size)
    return client.list_conversations(page_size=size)


def expected(sandbox: Sandbox, vendor: str) -> list[uuid.UUID]:
    count = sandbox.conversations_per_workspace
    if vendor == "bird":
        return [uuid.UUID(sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, index)["id"]) for index in range(count)]
    channel = sandbox.channels[0]
    return [uuid.UUID(sandbox.omnichannel_conversation(channel, index)["conversationid"]) for index in range(count)]


def listed_ids(vendor: str, listed: list[Any]) -> list[uuid.UUID]:
    return [item.id if vendor == "bird" else item.conversationid for item in listed]


@pytest.mark.anyio
@pytest.mark.parametrize("way", ["in-process", "loopback"])
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", ["bird", "omnichannel"])
async def test_the_clients_list_every_conversation(vendor: str, kind: str, way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=57)
    with client_of(sandbox, vendor, kind, way) as client:
        listed = await items(list_call(client, vendor, 10))
        await close(client)

    assert listed_ids(vendor, listed) == expected(sandbox, vendor)
    assert sandbox.request_count == 6


@pytest.mark.anyio
@pytest.mark.parametrize("way", ["in-process", "loopback"])
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", ["bird", "omnichannel"])
async def test_the_clients_retry_through_every_fault_kind_and_still_list_everything(
    vendor: str, kind: str, way: str
) -> None:
    sandbox = Sandbox(conversations_per_workspace=40, faults=Faults(failure_rate=0.3, seed=4))
    with client_of(sandbox, vendor, kind, way, retry_policy=PATIENT_RETRIES) as client:
        listed = await items(list_call(client, vendor, 5))
        await close(client)

    assert listed_ids(vendor, listed) == expected(sandbox, vendor)
    assert sandbox.request_count > 8  # 8 pages, and some answers were faults


@pytest.mark.anyio
async def test_a_client_resumes_from_a_saved_token() -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    with sandbox.bird_client() as bird:
        first = next(iter(bird.list_conversations(SANDBOX_WORKSPACE_ID).pages()))
        rest = list(bird.list_conversations(SANDBOX_WORKSPACE_ID, page_token=first.next_token))

    assert [c.id for c in first.items] + [c.id for c in rest] == expected(sandbox, "bird")


@pytest.mark.anyio
async def test_the_convenience_clients_are_the_packages_clients_with_options_passed_through() -> None:
    sandbox = Sandbox()
    clients: list[BirdClient | AsyncBirdClient | OmnichannelClient | AsyncOmnichannelClient] = [
        sandbox.bird_client(max_retries=0),
        sandbox.async_bird_client(max_retries=0),
        sandbox.omnichannel_client(max_retries=0),
        sandbox.async_omnichannel_client(max_retries=0),
    ]
    kinds = [BirdClient, AsyncBirdClient, OmnichannelClient, AsyncOmnichannelClient]
    assert [type(client) for client in clients] == kinds
    assert all("max_retries=0" in repr(client) for client in clients)
    for client in clients:
        await close(client)


@pytest.mark.anyio
async def test_a_wrong_key_given_to_a_convenience_client_is_refused() -> None:
    from conversation_clients.errors import AuthenticationError

    sandbox = Sandbox()
    with sandbox.bird_client(access_key="not-the-key") as bird, pytest.raises(AuthenticationError):
        list(bird.list_conversations(SANDBOX_WORKSPACE_ID))


@pytest.mark.anyio
async def test_the_default_sandbox_has_three_workspaces_of_42_conversations_over_several_pages() -> None:
    sandbox = default_sandbox()
    assert sandbox.workspaces[0] == SANDBOX_WORKSPACE_ID and len(sandbox.workspaces) == 3
    with sandbox.bird_client() as bird:
        for workspace in sandbox.workspaces:
            listed = await pages(bird.list_conversations(workspace))
            assert [len(page.items) for page in listed] == [10, 10, 10, 10, 2]
    async with sandbox.async_omnichannel_client() as omnichannel:
        assert len(await items(omnichannel.list_conversations())) == 42
    assert default_sandbox() is not sandbox


# -- Any well-formed id is served (a newcomer's real ids work), except the ones documented as not
# found --------------------------------------------------------------------------------------------


ELSEWHERE = "6c5b4a39-2817-4f6e-9d8c-7b6a59483726"


# -- building a sandbox -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"missing_workspaces": SANDBOX_WORKSPACE_ID}, TypeError),  # a bare string
        ({"missing_workspaces": ("nope",)}, ValueError),
        ({"missing_workspaces": (SANDBOX_WORKSPACE_ID,)}, ValueError),  # both there and missing
        ({"missing_channels": (SANDBOX_CHANNEL_ID.upper(),)}, ValueError),
        ({"missing_channels": (ELSEWHERE, ELSEWHERE)}, ValueError),
        ({"workspaces": (SANDBOX_MISSING_ID,)}, ValueError),  # the reserved id names nothing
        ({"channels": (SANDBOX_MISSING_ID,)}, ValueError),
        ({"organization_id": SANDBOX_MISSING_ID}, ValueError),
    ],
)
def test_contradictory_ids_are_refused(options: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        Sandbox(**options)


# -- The Sandbox object itself: arguments, counting, thread safety, and data computed on demand ----


def test_the_fixed_ids_are_uuids_and_the_defaults_use_them() -> None:
    sandbox = Sandbox()
    assert sandbox.workspaces == (SANDBOX_WORKSPACE_ID,)
    assert sandbox.channels == (SANDBOX_CHANNEL_ID,)
    assert sandbox.organization_id == SANDBOX_ORGANIZATION_ID
    assert (sandbox.bird_access_key, sandbox.omnichannel_token) == (SANDBOX_BIRD_ACCESS_KEY, SANDBOX_OMNICHANNEL_TOKEN)
    assert SANDBOX_BIRD_ACCESS_KEY == "sandbox-bird-access-key"
    assert SANDBOX_OMNICHANNEL_TOKEN == "sandbox-omnichannel-token"
    assert (sandbox.conversations_per_workspace, sandbox.seed, sandbox.faults) == (25, 0, Faults())


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"conversations_per_workspace": -1}, ValueError),
        ({"conversations_per_workspace": 2.5}, TypeError),
        ({"conversations_per_workspace": True}, TypeError),
        ({"workspaces": ()}, ValueError),
        ({"workspaces": SANDBOX_WORKSPACE_ID}, TypeError),  # a bare string, not a sequence of them
        ({"workspaces": ("not-a-uuid",)}, ValueError),
        ({"workspaces": (SANDBOX_WORKSPACE_ID, SANDBOX_WORKSPACE_ID.upper())}, ValueError),
        ({"channels": ()}, ValueError),
        ({"organization_id": "acme"}, ValueError),
        ({"bird_access_key": ""}, ValueError),
        ({"omnichannel_token": ""}, ValueError),
        ({"faults": {"failure_rate": 0.1}}, TypeError),
        ({"seed": "1"}, TypeError),
    ],
)
def test_bad_arguments_are_refused(options: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        Sandbox(**options)


def test_the_repr_shows_no_credential() -> None:
    text = repr(Sandbox(bird_access_key="secret-key-1", omnichannel_token="secret-token-2"))
    assert "secret" not in text and "Sandbox(" in text


@pytest.mark.parametrize("way", ["in-process", "loopback"])
def test_added_conversations_come_after_the_others_in_both_vendors_listings_with_their_messages(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=3)
    with served(sandbox, way) as base_url:
        location = {} if base_url is None else {"base_url": base_url, "transport": None}
        with sandbox.bird_client(**location) as bird, sandbox.omnichannel_client(**location) as omnichannel:
            bird_before = [item.id for item in bird.list_conversations(SANDBOX_WORKSPACE_ID)]
            omnichannel_before = [item.conversationid for item in omnichannel.list_conversations()]
            sandbox.add_conversations(2)
            bird_after = list(bird.list_conversations(SANDBOX_WORKSPACE_ID))
            omnichannel_after = list(omnichannel.list_conversations())
            new_with_messages = [
                conversation for conversation in bird_after[3:] if not isinstance(conversation.last_message, Unset)
            ]
            messages = [list(bird.list_messages(SANDBOX_WORKSPACE_ID, item.id)) for item in new_with_messages]
    assert sandbox.conversations_per_workspace == 5
    assert [item.id for item in bird_after[:3]] == bird_before and len(bird_after) == 5
    assert [item.conversationid for item in omnichannel_after[:3]] == omnichannel_before
    assert len(omnichannel_after) == 5
    # Omnichannel's new ones are its newest; each new Bird conversation's messages are served
    assert omnichannel_after[3].timestamp > omnichannel_after[2].timestamp
    assert all(listed for listed in messages)
    assert listed_ids("bird", bird_after) == expected(sandbox, "bird")


@pytest.mark.parametrize(("count", "error"), [(-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_a_bad_count_of_conversations_to_add_is_refused_and_changes_nothing(count: Any, error: type[Exception]) -> None:
    sandbox = Sandbox(conversations_per_workspace=3)
    with pytest.raises(error):
        sandbox.add_conversations(count)
    assert sandbox.conversations_per_workspace == 3


def test_no_more_than_the_most_conversations_a_sandbox_holds_can_be_added() -> None:
    sandbox = Sandbox(conversations_per_workspace=MAX_CONVERSATIONS - 1)
    with pytest.raises(ValueError, match="at most"):
        sandbox.add_conversations(2)
    sandbox.add_conversations(1)
    assert sandbox.conversations_per_workspace == MAX_CONVERSATIONS
