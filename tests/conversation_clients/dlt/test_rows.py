"""What a loaded row is (:mod:`conversation_clients.dlt._rows`): the item as the server sent it, and its target."""

from __future__ import annotations

from bird_conversations.models import Conversation
from conversation_clients.dlt._rows import rows_of
from conversation_clients.pagination import Page
from conversation_clients.sandbox import SANDBOX_CHANNEL_ID, SANDBOX_WORKSPACE_ID, Sandbox
from omnichannel_messaging.models import ActiveConversation


def test_a_row_is_the_item_as_sent_with_its_target_after_it() -> None:
    sandbox = Sandbox(conversations_per_workspace=2)
    with sandbox.bird_client() as bird:
        page = next(bird.list_conversations(SANDBOX_WORKSPACE_ID).pages())
    rows = rows_of(page, workspaceId=SANDBOX_WORKSPACE_ID)
    sent = [sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, index) for index in range(2)]
    assert rows == [{**item, "workspaceId": SANDBOX_WORKSPACE_ID} for item in sent]
    # as sent: Bird's milliseconds and its "Z", where the model would write its own form of the instant
    assert rows[0]["createdAt"] == sent[0]["createdAt"] and rows[0]["createdAt"].endswith("Z")
    assert page.items[0].to_dict()["createdAt"] != sent[0]["createdAt"]
    assert list(rows[0])[-1] == "workspaceId"


def test_seven_fractional_digits_and_unknown_properties_are_kept_as_sent() -> None:
    sandbox = Sandbox(conversations_per_workspace=1)
    with sandbox.omnichannel_client() as omnichannel:
        (row,) = rows_of(next(omnichannel.list_conversations().pages()), channelId=SANDBOX_CHANNEL_ID)
    assert row["timestamp"] == sandbox.omnichannel_conversation(SANDBOX_CHANNEL_ID, 0)["timestamp"]
    assert len(row["timestamp"].rpartition(".")[2]) == len("9049594Z")


def test_a_page_built_by_hand_has_its_models_written_back() -> None:
    sent = Sandbox().bird_conversation(SANDBOX_WORKSPACE_ID, 0)
    sent["unknownToTheDocument"] = {"kept": True}
    page = Page(items=(Conversation.from_dict(sent),), next_token=None, token=None)
    (row,) = rows_of(page)
    assert row["unknownToTheDocument"] == {"kept": True} and row["id"] == sent["id"]
    active = ActiveConversation.from_dict({"conversationid": sent["id"], "timestamp": "2025-04-15T12:36:40.9049594Z"})
    (row,) = rows_of(Page(items=(active,), next_token=None, token=None))
    assert row["timestamp"] == "2025-04-15T12:36:40.9049594Z"
