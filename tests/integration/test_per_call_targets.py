"""Omnichannel's organization and channel given per call: one client lists many channels."""

from __future__ import annotations

import pytest

from conversation_clients import AsyncOmnichannelClient, OmnichannelClient, PollingWarning
from tests.integration.harness import BEARER_TOKEN, CHANNEL_ID, ORGANIZATION_ID, close, items, omni_page, scripted

pytestmark = pytest.mark.anyio

OTHER_CHANNEL = "abcdefab-cdef-abcd-efab-cdefabcdefab"
OTHER_ORGANIZATION = "12345678-1234-1234-1234-123456789abc"


def _client(
    kind: str, base_url: str, *, organization_id: str | None = None, channel_id: str | None = None
) -> OmnichannelClient | AsyncOmnichannelClient:
    maker = OmnichannelClient if kind == "sync" else AsyncOmnichannelClient
    return maker(
        base_url,
        token=BEARER_TOKEN,
        polling_warning_interval=None,
        organization_id=organization_id,
        channel_id=channel_id,
    )


async def test_a_client_without_ids_lists_the_channel_each_call_names(kind: str) -> None:
    with scripted(omni_page(range(2)), omni_page(range(3))) as (script, base_url):
        client = _client(kind, base_url)
        first = await items(client.list_conversations(organization_id=ORGANIZATION_ID, channel_id=CHANNEL_ID))
        second = await items(client.list_conversations(organization_id=OTHER_ORGANIZATION, channel_id=OTHER_CHANNEL))
        await close(client)
    assert (len(first), len(second)) == (2, 3)
    sent = [(request.headers["organization-id"], request.headers["channel-id"]) for request in script.requests]
    assert sent == [(ORGANIZATION_ID, CHANNEL_ID), (OTHER_ORGANIZATION, OTHER_CHANNEL)]


async def test_a_call_overrides_what_the_client_holds(kind: str) -> None:
    with scripted(omni_page(range(1)), omni_page(range(1))) as (script, base_url):
        client = _client(kind, base_url, organization_id=ORGANIZATION_ID, channel_id=CHANNEL_ID)
        await items(client.list_conversations(channel_id=OTHER_CHANNEL))
        await items(client.list_conversations())
        await close(client)
    sent = [(request.headers["organization-id"], request.headers["channel-id"]) for request in script.requests]
    assert sent == [(ORGANIZATION_ID, OTHER_CHANNEL), (ORGANIZATION_ID, CHANNEL_ID)]


@pytest.mark.parametrize("missing", ["channel_id", "organization_id"])
async def test_an_id_neither_the_client_nor_the_call_gives_is_a_type_error_before_sending(
    kind: str, missing: str
) -> None:
    with scripted() as (script, base_url):
        client = _client(kind, base_url)
        with pytest.raises(TypeError, match=f"needs {missing}: give it to the client or to this call"):
            if missing == "channel_id":
                client.list_conversations(organization_id=ORGANIZATION_ID)
            else:
                client.list_conversations(channel_id=CHANNEL_ID)
        await close(client)
    assert script.requests == []


async def test_a_malformed_per_call_id_is_refused_by_name(kind: str) -> None:
    with scripted() as (script, base_url):
        client = _client(kind, base_url, organization_id=ORGANIZATION_ID)
        with pytest.raises(ValueError, match="channel_id must be a UUID"):
            client.list_conversations(channel_id="not-a-uuid")
        await close(client)
    assert script.requests == []


async def test_one_client_listing_many_channels_once_each_is_not_polling(kind: str) -> None:
    maker = OmnichannelClient if kind == "sync" else AsyncOmnichannelClient
    with scripted(omni_page(range(1)), omni_page(range(1)), omni_page(range(1))) as (_, base_url):
        client = maker(base_url, token=BEARER_TOKEN, organization_id=ORGANIZATION_ID)  # warns below 60 s
        await items(client.list_conversations(channel_id=CHANNEL_ID))
        await items(client.list_conversations(channel_id=OTHER_CHANNEL))  # another channel: no warning
        with pytest.warns(PollingWarning, match="after the previous one of its channel"):
            await items(client.list_conversations(channel_id=CHANNEL_ID))
        await close(client)
