"""The vendors' own example responses parse into the typed models."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from uuid import UUID

from bird_conversations.models import (
    Accessibility,
    Conversation,
    ConversationPage,
    ConversationStatus,
    LastMessage,
    LastMessageStatus,
    LastMessageType,
    Message,
    MessageBody,
    MessageBodyHtml,
    MessageBodyText,
    MessageBodyType,
    MessagePage,
    MessageParticipant,
    MessageParticipantType,
    MessageRecipient,
    MessageRecipientType,
    MessageSender,
    MessageSource,
    MessageStatus,
    Participant,
    ParticipantContact,
    ParticipantStatus,
    ParticipantType,
    PlatformStyle,
    Visibility,
)
from bird_conversations.types import UNSET
from omnichannel_messaging.models import ActiveConversation, ActiveConversationPage

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_bird_example_parses_into_typed_models() -> None:
    raw = json.loads((FIXTURES / "bird_list_conversations_200.json").read_text())

    page = ConversationPage.from_dict(raw)

    assert len(page.results) == 1
    conversation = page.results[0]
    assert isinstance(conversation, Conversation)
    assert conversation.id == UUID("bace24af-cebb-4bd5-a1e6-f7cff24abadf")
    assert conversation.name == "Re: About your refund"
    assert conversation.status is ConversationStatus.ACTIVE
    assert conversation.visibility is Visibility.PRIVATE
    assert conversation.accessibility is Accessibility.OPEN
    assert conversation.platform_style is PlatformStyle.EMAIL
    assert conversation.style is UNSET  # the vendor's example omits it although it was marked required
    assert conversation.created_at == datetime.datetime(2024, 11, 27, 14, 47, 59, 577000, tzinfo=datetime.UTC)
    participant = conversation.featured_participants[0]
    assert isinstance(participant, Participant)
    assert participant.type_ is ParticipantType.CONTACT
    assert participant.status is ParticipantStatus.ACTIVE
    assert isinstance(participant.contact, ParticipantContact)
    assert participant.contact.identifier_value == "john.doe@bird.com"
    last = conversation.last_message
    assert isinstance(last, LastMessage)
    assert last.type_ is LastMessageType.HTML
    assert last.status is LastMessageStatus.DELIVERED
    assert last.recipients is None  # sent as null for a non-nullable array
    assert last.draft is UNSET  # omitted although it was marked required
    assert isinstance(last.sender, MessageSender)
    assert last.sender.display_name == "John Doe"
    assert page.next_page_token is UNSET


def test_bird_example_round_trips_exactly() -> None:
    raw = json.loads((FIXTURES / "bird_list_conversations_200.json").read_text())

    written = ConversationPage.from_dict(raw).to_dict()

    # the only notation change allowed is the date-time; this example's survive verbatim as instants
    for conversation in written["results"]:
        for key in ("createdAt", "updatedAt"):
            conversation[key] = datetime.datetime.fromisoformat(conversation[key])
        conversation["lastMessage"]["createdAt"] = datetime.datetime.fromisoformat(
            conversation["lastMessage"]["createdAt"]
        )
    for conversation in raw["results"]:
        for key in ("createdAt", "updatedAt"):
            conversation[key] = datetime.datetime.fromisoformat(conversation[key])
        conversation["lastMessage"]["createdAt"] = datetime.datetime.fromisoformat(
            conversation["lastMessage"]["createdAt"]
        )
    assert written == raw


def test_bird_messages_example_parses_into_typed_models() -> None:
    # the vendor's example rebuilt: its structure and kinds of values, without the trailing comma it prints
    raw = json.loads((FIXTURES / "bird_list_messages_200.json").read_text())

    page = MessagePage.from_dict(raw)

    assert [type(message) for message in page.results] == [Message, Message]
    first, second = page.results
    assert first.id == "5a0c1f3e-7d2b-4c8e-9f61-2b7e4d9a0c13"
    assert first.conversation_id == UUID("c2d4e6f8-1a3b-4c5d-8e7f-90a1b2c3d4e5")
    assert first.status is MessageStatus.DELIVERED
    assert first.source is MessageSource.CONVERSATIONS
    assert first.created_at == datetime.datetime(2025, 2, 3, 9, 15, 42, 118000, tzinfo=datetime.UTC)
    assert first.interactions is None
    assert first.template is UNSET  # body or template: the vendor's anyOf, kept as two optional fields
    assert isinstance(first.sender, MessageParticipant)
    assert first.sender.type_ is MessageParticipantType.ACCESSKEY
    assert first.sender.contact is UNSET
    assert isinstance(first.recipients, list)
    recipient = first.recipients[0]
    assert isinstance(recipient, MessageRecipient)
    assert recipient.type_ is MessageRecipientType.TO
    assert isinstance(first.body, MessageBody)
    assert first.body.type_ is MessageBodyType.TEXT
    assert isinstance(first.body.text, MessageBodyText)
    assert first.body.text.text == "Your parcel ships today."
    # "channels" is not among the documented sources: tolerated, kept verbatim
    assert second.source not in list(MessageSource)  # (`in MessageSource` is True from Python 3.12)
    assert second.source.value == "channels"
    assert isinstance(second.body, MessageBody)
    assert isinstance(second.body.html, MessageBodyHtml)
    assert second.body.html.html == "<p>Thanks!</p>"
    assert page.next_page_token is UNSET


def test_bird_messages_example_round_trips_exactly() -> None:
    raw = json.loads((FIXTURES / "bird_list_messages_200.json").read_text())

    written = MessagePage.from_dict(raw).to_dict()

    # this example's date-times carry milliseconds and Z, which are written back as +00:00 instants
    for message in [*written["results"], *raw["results"]]:
        for key in ("createdAt", "updatedAt"):
            message[key] = datetime.datetime.fromisoformat(message[key])
    assert written == raw


def test_omnichannel_example_parses_with_seven_fractional_digits() -> None:
    text = (FIXTURES / "omnichannel_list_conversations_200.json").read_text()

    page = ActiveConversationPage.from_dict(json.loads(text))

    assert [type(item) for item in page.conversations] == [ActiveConversation] * 3
    first = page.conversations[0]
    assert first.conversationid == UUID("debd3f0d-90d4-47fc-b30c-d5ffbe31c851")
    assert isinstance(first.timestamp, datetime.datetime)
    assert first.timestamp == datetime.datetime(2025, 4, 15, 12, 36, 40, 904959, tzinfo=datetime.UTC)
    assert page.continuationtoken == "string"
    # the seventh digit is not lost: the vendor's text is written back unchanged
    assert page.to_dict() == json.loads(text)
