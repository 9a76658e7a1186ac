"""Omnichannel into a warehouse: a channel's active conversations, as a dlt source.

:func:`omnichannel_source` lists each channel's active conversations with an
:class:`~conversation_clients.omnichannel.OmnichannelClient` (its retries, rate limiter,
token refresh and checks) into one table, ``active_conversations``: merged on
``conversationid``, incremental on ``timestamp`` (when the conversation was created) through the
API's ``StartTimeStamp``, one cursor per channel. The cursor is the newest ``timestamp`` loaded,
kept as the text the service sent, seven fractional digits included, and sent back as it is:
never a conversation twice, none skipped. The column ``timestamp`` is that text too (a
``TIMESTAMP`` column would keep microseconds); ``channelId`` says which channel a row came from.

Each channel is a partition of the state: with a :class:`~conversation_clients.dlt.LoadFailures`,
a channel that fails is recorded, loads what it listed, and keeps its cursor, while the others
load and move theirs on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import dlt
from dlt.extract import DltResource, DltSource

from conversation_clients._checks import require_page_size, require_uuid
from conversation_clients._operations.omnichannel_messaging_listings import LIST_CONVERSATIONS_MAX_PAGE_SIZE
from conversation_clients.dlt._cursors import latest
from conversation_clients.dlt._failures import LoadFailures
from conversation_clients.dlt._rows import rows_of
from conversation_clients.dlt._targets import target_ids
from conversation_clients.errors import ConversationClientError

if TYPE_CHECKING:
    from conversation_clients.omnichannel import OmnichannelClient

__all__ = ["ACTIVE_CONVERSATIONS", "CHANNEL_FIELD", "omnichannel_source", "omnichannel_source_of_calls"]

#: The table (and resource) of the source.
ACTIVE_CONVERSATIONS: Final = "active_conversations"
#: The field each row gets: the channel it was listed from.
CHANNEL_FIELD: Final = "channelId"


def omnichannel_source(
    client: OmnichannelClient,
    channel_ids: Sequence[str | uuid.UUID],
    *,
    organization_id: str | uuid.UUID | None = None,
    page_size: int | None = None,
    failures: LoadFailures | None = None,
    name: str = "omnichannel",
) -> DltSource:
    """A dlt source of the ``active_conversations`` of each channel of ``channel_ids``.

    ``organization_id``: the channels' organization (default: the client's). ``page_size`` is
    each listing's ``PageSize`` (default: the largest, 250). ``failures``: see
    :class:`~conversation_clients.dlt.LoadFailures` (without one, the first error ends the
    run). ``name`` names the source and its schema (and where its state is kept). Arguments are
    checked here, before anything is listed.

    Example::

        with OmnichannelClient(base_url, organization_id=org, token=token) as omnichannel:
            pipeline = dlt.pipeline("omnichannel", destination="duckdb", dataset_name="omnichannel")
            pipeline.run(omnichannel_source(omnichannel, [channel_id]))
    """
    channels = target_ids(channel_ids, "channel_ids", "channel")
    organization = None if organization_id is None else require_uuid(organization_id, "organization_id")
    checked = require_page_size(page_size, "page_size", maximum=LIST_CONVERSATIONS_MAX_PAGE_SIZE)
    limit = LIST_CONVERSATIONS_MAX_PAGE_SIZE if checked is None else checked

    def active_conversations() -> Iterator[list[dict[str, Any]]]:
        cursors: dict[str, str] = dlt.current.resource_state(ACTIVE_CONVERSATIONS).setdefault("channels", {})
        for channel in channels:
            cursor = cursors.get(channel)
            newest = cursor
            try:
                listing = client.list_conversations(
                    channel_id=channel, organization_id=organization, start_timestamp=cursor, page_size=limit
                ).pages()
                for page in listing:
                    rows = rows_of(page, **{CHANNEL_FIELD: channel})
                    for row in rows:
                        newest = latest(newest, row["timestamp"])
                    if rows:
                        yield rows
            except ConversationClientError as error:
                if failures is None:
                    raise
                failures.record(f"channel {channel}", error)
                continue  # its cursor stays: what it missed is asked for again next time
            if newest is not None:
                cursors[channel] = newest

    resource = dlt.resource(
        active_conversations,
        name=ACTIVE_CONVERSATIONS,
        primary_key="conversationid",
        write_disposition="merge",
        # the wire text: seven fractional digits, where a timestamp column would keep six
        columns={"timestamp": {"data_type": "text"}},
    )
    return _source(name, resource)


def _source(name: str, resource: DltResource) -> DltSource:
    @dlt.source(name=name)
    def omnichannel() -> DltResource:
        return resource

    source: DltSource = omnichannel()
    return source


def omnichannel_source_of_calls(
    client: OmnichannelClient, calls: Sequence[Mapping[str, Any]], failures: LoadFailures | None
) -> DltSource:
    """:func:`omnichannel_source` for the targets of ``omnichannel load``: each call's ``channel_id`` of
    its one ``organization_id``, and its ``page_size``.

    >>> calls = [{"organization_id": "e7c1a9b3-5d2e-4f60-a1b2-c3d4e5f60705",
    ...           "channel_id": "2b9e4d1c-8f7a-4c3b-9e2d-1a0f8e7d6c06", "page_size": None}]
    >>> omnichannel_source_of_calls(None, calls, None).name
    'omnichannel'
    """
    organizations = {str(call["organization_id"]) for call in calls}
    if len(organizations) != 1:
        raise ValueError(f"the channels of one load are of one organization, got {len(organizations)}")
    sizes = {call.get("page_size") for call in calls}
    return omnichannel_source(
        client,
        [call["channel_id"] for call in calls],
        organization_id=next(iter(organizations)),
        page_size=next(iter(sizes)) if len(sizes) == 1 else None,
        failures=failures,
    )
