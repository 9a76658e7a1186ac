"""Page bodies of both vendors, and the names the hostile tests are parametrised over.

>>> bird_body([1], "t2")["nextPageToken"]
't2'
"""

from __future__ import annotations

import uuid
from typing import Any

VENDOR_NAMES = ("bird", "omnichannel")
MODES = ("sync", "async")


def item_id(number: int) -> str:
    """The id of the ``number``-th conversation in :func:`page_body`."""
    return str(uuid.UUID(int=number))


def bird_body(numbers: list[int], next_token: str | None) -> dict[str, Any]:
    """A Bird list page."""
    results: list[dict[str, Any]] = [
        {
            "id": item_id(n),
            "name": f"Conversation {n}",
            "status": "active",
            "visibility": "private",
            "accessibility": "open",
            "activeParticipantCount": 1,
            "channelId": "7b0eb8a0-606b-59f1-bd90-43cacb048146",
            "createdAt": "2024-11-27T14:47:59.577Z",
            "updatedAt": "2024-11-27T14:47:59.577Z",
            "featuredParticipants": [],
            "platformStyle": "email",
        }  # fmt: skip
        for n in numbers
    ]
    body: dict[str, Any] = {"results": results}
    if next_token is not None:  # the schema types it as a string: the last page leaves it out
        body["nextPageToken"] = next_token
    return body


def omni_body(numbers: list[int], next_token: str | None) -> dict[str, Any]:
    """An Omnichannel list page."""
    conversations = [{"conversationid": item_id(n), "timestamp": "2025-04-15T12:36:40.904Z"} for n in numbers]
    return {"conversations": conversations, "continuationtoken": next_token}


def page_body(vendor: str, numbers: list[int], next_token: str | None = None) -> dict[str, Any]:
    """A list page of ``vendor`` holding conversations ``numbers``."""
    return bird_body(numbers, next_token) if vendor == "bird" else omni_body(numbers, next_token)


def token_param(vendor: str) -> str:
    """The query parameter that carries the page token."""
    return "pageToken" if vendor == "bird" else "ContinuationToken"
