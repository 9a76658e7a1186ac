"""What a loaded row is: an item as the server sent it, with the target it was listed from.

Rows are the items' JSON as the vendor sent it (:attr:`~conversation_clients.pagination.Page.raw_items`:
every property, those its document does not declare included, and every value's text, a
date-time's seven fractional digits among them), keyed as it keys them (``createdAt``; dlt's naming
makes that ``created_at``), plus the fields that say which target a row came from where the item
itself does not (``workspaceId``, ``channelId``): many targets load into one table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from conversation_clients.pagination import Page

__all__ = ["HasJson", "rows_of"]


class HasJson(Protocol):
    """An item of a listing: a generated model, which writes itself back as JSON."""

    def to_dict(self) -> dict[str, Any]: ...


J = TypeVar("J", bound=HasJson)


def rows_of(page: Page[J], **target: str) -> list[dict[str, Any]]:
    """The rows of ``page``: each item as the server sent it, and ``target``'s fields (``workspaceId=...``) after it.

    A page that was not read from a response body (one built by hand) has no items as sent: its
    models write themselves back instead.

    >>> from omnichannel_messaging.models import ActiveConversation
    >>> sent = {"timestamp": "2025-04-15T12:36:40.9049594Z", "conversationid": "9d2f7a61-3b4c-4e5d-8f60-7a1b2c3d4e04"}
    >>> page = Page(items=(ActiveConversation.from_dict(sent),), next_token=None, token=None, raw_items=(sent,))
    >>> rows_of(page, channelId="c1")
    [{'timestamp': '2025-04-15T12:36:40.9049594Z', 'conversationid': '9d2f7a61-3b4c-4e5d-8f60-7a1b2c3d4e04', 'channelId': 'c1'}]
    """
    sent = page.as_sent
    return [{**(item if isinstance(item, Mapping) else item.to_dict()), **target} for item in sent]
