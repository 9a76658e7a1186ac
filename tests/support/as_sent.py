"""Items as a server sends them, with what a model's ``to_dict()`` would not keep: a date-time
with three fractional digits and a ``Z`` (``to_dict()`` writes ``.906000+00:00``), and a property
the document does not name in the middle of the others (``to_dict()`` puts it first); a loopback
handler serving one page of them, for either vendor's ``list`` and ``export``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from tests.support.scripted import bird_conversation

#: The date-time text every item carries, as the server wrote it.
SENT_AT = "2025-06-02T09:26:41.906Z"
#: How many items the one page holds.
COUNT = 3


def bird_item(number: int) -> dict[str, Any]:
    """A Bird conversation: ``createdAt``/``updatedAt`` at :data:`SENT_AT`, ``zendeskTicket`` (not in the document) after ``name``."""
    item: dict[str, Any] = {}
    for key, value in bird_conversation(number).items():
        item[key] = SENT_AT if key in ("createdAt", "updatedAt") else value
        if key == "name":
            item["zendeskTicket"] = {"id": number, "tags": ["vip", "eu"]}
    return item


def omnichannel_item(number: int) -> dict[str, Any]:
    """An Omnichannel active conversation at :data:`SENT_AT`, ``xChannelType`` (not in the document) in the middle."""
    return {"conversationid": str(uuid.UUID(int=number)), "xChannelType": "custom", "timestamp": SENT_AT}


def sent_items(vendor: str) -> list[dict[str, Any]]:
    """The items of the page :func:`handler` serves for ``vendor``, in order."""
    item = bird_item if vendor == "bird" else omnichannel_item
    return [item(number) for number in range(1, COUNT + 1)]


def handler(vendor: str) -> Callable[[httpx.Request], httpx.Response]:
    """Answers every listing request of ``vendor`` with one page (no next token) of :func:`sent_items`."""
    body = (
        {"results": sent_items("bird"), "nextPageToken": None}
        if vendor == "bird"
        else {"conversations": sent_items("omnichannel"), "continuationtoken": None}
    )
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return lambda request: httpx.Response(200, content=content, headers={"Content-Type": "application/json"})


def pairs(text: str) -> Any:
    """A JSON text decoded with every object as its list of (key, value) pairs: order counts."""
    return json.loads(text, object_pairs_hook=list)


def as_sent(item: dict[str, Any]) -> Any:
    """``item`` as :func:`pairs` gives it (keys in the order the server wrote them)."""
    return pairs(json.dumps(item))
