"""Omnichannel's module (:mod:`conversation_clients.omnichannel`): the no-polling warning (at the
caller's line), the organization and channel given per call, and a ``start_timestamp`` that must
be aware and is sent with its offset.
"""

from __future__ import annotations

import warnings

import pytest

from conversation_clients import AsyncOmnichannelClient, OmnichannelClient
from conversation_clients.omnichannel import PollingGuard, PollingWarning
from tests.support.scripted import (
    BEARER_TOKEN,
    CHANNEL_ID,
    OMNI,
    ORGANIZATION_ID,
    close,
    items,
    omni_client,
    omni_page,
    scripted,
)


def test_the_polling_warning_points_at_the_callers_line() -> None:
    with OmnichannelClient(
        "https://m-org.crm.omnichannelengagementhub.com", organization_id="11111111-2222-3333-4444-555555555555",
        channel_id="66666666-7777-8888-9999-000000000000", token="t",
    ) as omni:  # fmt: skip
        omni.list_conversations()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            omni.list_conversations()
            omni.list_conversations(continuation_token="resumed")  # resuming is not polling
    assert [warning.category for warning in caught] == [PollingWarning]
    assert caught[0].filename == __file__


# -- Both vendors, sync and async, over real loopback HTTP: paging, resume, retries, errors --------


@pytest.mark.anyio
@pytest.mark.loopback
async def test_omnichannel_start_timestamp_must_be_aware_and_is_sent_with_offset(kind: str) -> None:
    import datetime

    with scripted(OMNI.page(range(1)), OMNI.page(range(1))) as (script, base_url):
        client = omni_client(kind, base_url)
        with pytest.raises(ValueError, match="start_timestamp"):
            client.list_conversations(start_timestamp=datetime.datetime(2025, 4, 15, 12, 0))
        with pytest.raises(ValueError, match="start_timestamp"):
            client.list_conversations(start_timestamp="last tuesday")
        since = datetime.datetime(2025, 4, 15, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
        await items(client.list_conversations(start_timestamp=since))
        await items(client.list_conversations(start_timestamp="2025-04-15T10:00:00Z"))
        await close(client)
    assert script.requests[0].url.params["StartTimeStamp"] == "2025-04-15T12:00:00+02:00"
    assert script.requests[1].url.params["StartTimeStamp"] == "2025-04-15T10:00:00+00:00"
    assert "%2B02%3A00" in str(script.requests[0].url)


# -- Omnichannel only: bearer token refresh over real HTTP, and the no-polling warning -------------


@pytest.mark.anyio
@pytest.mark.loopback
async def test_starting_listings_in_quick_succession_warns(kind: str) -> None:
    with scripted(OMNI.page(range(1)), OMNI.page(range(1)), OMNI.page(range(1))) as (_, base_url):
        client = omni_client(kind, base_url, polling_warning_interval=60.0)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            await items(client.list_conversations())
            await items(client.list_conversations(continuation_token="resume"))
        with pytest.warns(PollingWarning, match="polling"):
            client.list_conversations()
        await close(client)


@pytest.mark.anyio
@pytest.mark.loopback
async def test_polling_warning_can_be_turned_off(kind: str) -> None:
    with scripted() as (_, base_url):
        client = omni_client(kind, base_url, polling_warning_interval=None)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            client.list_conversations()
            client.list_conversations()
        await close(client)


@pytest.mark.anyio
@pytest.mark.loopback
def test_the_docstring_says_not_to_poll() -> None:
    from conversation_clients import AsyncOmnichannelClient, OmnichannelClient

    for client_class in (OmnichannelClient, AsyncOmnichannelClient):
        doc = client_class.list_conversations.__doc__ or ""
        assert "polling" in doc


# -- Omnichannel's organization and channel given per call: one client lists many channels ---------


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


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_client_without_ids_lists_the_channel_each_call_names(kind: str) -> None:
    with scripted(omni_page(range(2)), omni_page(range(3))) as (script, base_url):
        client = _client(kind, base_url)
        first = await items(client.list_conversations(organization_id=ORGANIZATION_ID, channel_id=CHANNEL_ID))
        second = await items(client.list_conversations(organization_id=OTHER_ORGANIZATION, channel_id=OTHER_CHANNEL))
        await close(client)
    assert (len(first), len(second)) == (2, 3)
    sent = [(request.headers["organization-id"], request.headers["channel-id"]) for request in script.requests]
    assert sent == [(ORGANIZATION_ID, CHANNEL_ID), (OTHER_ORGANIZATION, OTHER_CHANNEL)]


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_call_overrides_what_the_client_holds(kind: str) -> None:
    with scripted(omni_page(range(1)), omni_page(range(1))) as (script, base_url):
        client = _client(kind, base_url, organization_id=ORGANIZATION_ID, channel_id=CHANNEL_ID)
        await items(client.list_conversations(channel_id=OTHER_CHANNEL))
        await items(client.list_conversations())
        await close(client)
    sent = [(request.headers["organization-id"], request.headers["channel-id"]) for request in script.requests]
    assert sent == [(ORGANIZATION_ID, OTHER_CHANNEL), (ORGANIZATION_ID, CHANNEL_ID)]


@pytest.mark.anyio
@pytest.mark.loopback
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


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_malformed_per_call_id_is_refused_by_name(kind: str) -> None:
    with scripted() as (script, base_url):
        client = _client(kind, base_url, organization_id=ORGANIZATION_ID)
        with pytest.raises(ValueError, match="channel_id must be a UUID"):
            client.list_conversations(channel_id="not-a-uuid")
        await close(client)
    assert script.requests == []


@pytest.mark.anyio
@pytest.mark.loopback
async def test_one_client_listing_many_channels_once_each_is_not_polling(kind: str) -> None:
    maker = OmnichannelClient if kind == "sync" else AsyncOmnichannelClient
    with scripted(omni_page(range(1)), omni_page(range(1)), omni_page(range(1))) as (_, base_url):
        client = maker(base_url, token=BEARER_TOKEN, organization_id=ORGANIZATION_ID)  # warns below 60 s
        await items(client.list_conversations(channel_id=CHANNEL_ID))
        await items(client.list_conversations(channel_id=OTHER_CHANNEL))  # another channel: no warning
        with pytest.warns(PollingWarning, match="after the previous one of its channel"):
            await items(client.list_conversations(channel_id=CHANNEL_ID))
        await close(client)


def test_the_polling_guard_forgets_channels_too_old_to_warn_about() -> None:
    # A service listing ever more channels must not grow: only the starts within the interval
    # can still warn, so only they are held.
    now = [0.0]
    guard = PollingGuard(min_interval=60.0, clock=lambda: now[0])
    for channel in range(100_000):
        now[0] += 1.0
        guard.listing_started(f"org/{channel}")
    assert guard.targets_held <= 60
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        guard.listing_started("org/99999")  # 0 s later: still remembered, so it warns
    assert [w.category for w in caught] == [PollingWarning]


def test_the_polling_guard_remembers_nothing_when_turned_off() -> None:
    guard = PollingGuard(min_interval=None)
    for channel in range(1_000):
        guard.listing_started(f"org/{channel}")
    assert guard.targets_held == 0
