"""Bird's "List conversation messages" over loopback: its own arguments on the wire.

Paging, resuming, retries, typed errors and prefetch run for it in ``test_listing.py`` and
``test_prefetch.py`` (``harness.BIRD_MESSAGES``); here, what only this operation has.
"""

from __future__ import annotations

import datetime

import pytest

from bird_conversations.models import Message
from tests.integration.harness import BIRD_MESSAGES, CONVERSATION_ID, WORKSPACE_ID, close, items, scripted

pytestmark = pytest.mark.anyio


async def test_every_argument_goes_out_as_the_document_names_it(kind: str) -> None:
    with scripted(BIRD_MESSAGES.page(range(2), "t2"), BIRD_MESSAGES.page(range(2, 3))) as (script, base_url):
        client = BIRD_MESSAGES.client(kind, base_url)
        listed = await items(
            client.list_messages(
                WORKSPACE_ID, CONVERSATION_ID, limit=2, reverse=True, date_from="2025-04-15T12:36:40.9049594+02:00"
            )
        )
        await close(client)
    assert [type(message) for message in listed] == [Message] * 3
    assert [request.url.path for request in script.requests] == [BIRD_MESSAGES.path] * 2
    first, second = (dict(request.url.params) for request in script.requests)
    # every fractional digit of the text given is sent back
    assert first == {"limit": "2", "reverse": "true", "dateFrom": "2025-04-15T12:36:40.9049594+02:00"}
    assert second == {**first, "pageToken": "t2"}


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"conversation_id": "nope"}, ValueError, "conversation_id must be a UUID"),
        ({"limit": 101}, ValueError, r"limit must be between 1 and 100"),
        ({"reverse": 1}, TypeError, "reverse must be a bool"),
        ({"date_from": datetime.datetime(2025, 4, 15)}, ValueError, "date_from must include a timezone"),
        ({"page_token": "a" * 40_000}, ValueError, "page_token cannot be sent back"),
    ],
    ids=["conversation-id", "limit", "reverse", "naive-date-from", "token"],
)
def test_arguments_are_checked_from_the_document_before_anything_is_sent(
    arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    with scripted() as (script, base_url):
        client = BIRD_MESSAGES.client("sync", base_url)
        call = {"workspace_id": WORKSPACE_ID, "conversation_id": CONVERSATION_ID, **arguments}
        with pytest.raises(error, match=message):
            client.list_messages(**call)
        client.close()
    assert script.requests == []
