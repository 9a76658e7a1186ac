"""The sandbox's Bird messages: the messages of conversation ``i`` of a workspace, computed on demand.

A conversation's messages follow from the conversation itself (see :func:`bird_conversation_model`):
the newest is its ``lastMessage`` (same id, sender, status, type, text and time), the oldest was
sent when the conversation was created, and the senders are its participants. A conversation
without a last message has none. Message 0 is the newest; creation times never increase with the
index, so a ``dateFrom`` filter keeps a prefix of them.

They are built with the generated models and carry Bird's quirks as its example response shows
them: ``interactions: null``, ``reference: ""`` on messages sent through the API (an inbound
message's reference is its own id), ``recipients`` on outgoing messages only, ``meta`` and
``receiverTypes`` on inbound email only, no ``template``, and ``reason`` only when sending failed.
Bodies are text (html by email); off email, one message in ten from a contact is a photo, a file
(a voice note, a video, a document, a sticker) or a place, and about one in three from a bot or
an agent a carousel, a file or a list (:mod:`conversation_clients.sandbox._bird_message_bodies`).

>>> from conversation_clients.sandbox._bird_data import bird_conversation
>>> workspace = "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"
>>> messages = bird_messages(0, workspace, 0)
>>> conversation = bird_conversation(0, workspace, 0)
>>> messages[0]["id"] == conversation["lastMessage"]["id"], messages[0]["interactions"]
(True, None)
>>> messages == bird_messages(0, workspace, 0)
True
"""

from __future__ import annotations

import base64
import datetime
import json
import random
import uuid
from collections.abc import Sequence
from typing import Any, Final

from bird_conversations.models import (
    Conversation,
    LastMessage,
    Message,
    MessageBody,
    MessageBodyType,
    MessageMeta,
    MessageMetaExtraInformation,
    MessageParticipant,
    MessageReceiverTypesItem,
    MessageRecipient,
    MessageRecipientContactAnnotation,
    MessageRecipientType,
    MessageSource,
    MessageStatus,
    Participant,
    ParticipantContact,
    PlatformStyle,
)
from bird_conversations.types import Unset
from conversation_clients.sandbox._bird_data import bird_conversation_model, bird_time
from conversation_clients.sandbox._bird_message_bodies import bird_body, media_kind
from conversation_clients.sandbox._seeds import canonical_id, seeded_random, stable_digest, weighted_choice

__all__ = ["bird_message_models", "bird_message_times", "bird_messages"]

_UNIX_EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MILLISECOND: Final = datetime.timedelta(milliseconds=1)

# How many messages a conversation holds: mostly a few, one in twenty more than a page of 100
# (so that paging a conversation's messages has something to page).
_MESSAGE_COUNTS: Final = ((1, 3), (2, 4), (3, 4), (4, 3), (6, 2), (9, 2), (14, 1), (25, 1))
_LONG_CONVERSATION_RATE: Final = 0.05
_LONG_CONVERSATION_COUNTS: Final = (101, 260)
# What an outgoing message's status is by now; inbound messages are delivered.
_OUTGOING_STATUSES: Final = (
    (MessageStatus.DELIVERED, 12),
    (MessageStatus.SENT, 3),
    (MessageStatus.ACCEPTED, 1),
    (MessageStatus.DELIVERY_FAILED, 1),
    (MessageStatus.SENDING_FAILED, 1),
)
_FAILURE_REASONS: Final = {
    MessageStatus.DELIVERY_FAILED: "recipient unreachable",
    MessageStatus.SENDING_FAILED: "channel rejected the message",
}
_OUTGOING_TEXTS: Final = (
    "Thanks for reaching out, let me look into it.",
    "Could you send me the order number?",
    "We have issued the refund.",
    "I'll check with the warehouse and get back to you.",
    "Your parcel ships today.",
    "Is there anything else I can help with?",
)
_INCOMING_TEXTS: Final = (
    "Hi, I have a question about my order.",
    "It still hasn't arrived.",
    "Thanks, that solved it!",
    "Is anyone there?",
    "That's right 👍",
    "Here is the photo you asked for.",
)
_ACCESS_KEY_SENDER_RATE: Final = 0.15
# How often a message is not text: a contact's photo, file or place; a bot's or agent's list, carousel or file.
_INCOMING_MEDIA_RATE: Final = 0.1
_OUTGOING_MEDIA_RATE: Final = 0.3


def _epoch_ms(moment: datetime.datetime) -> int:
    return (moment - _UNIX_EPOCH) // _MILLISECOND


def _message_count(seed: int, workspace: str, index: int) -> int:
    rng = seeded_random("bird-message-count", seed, workspace, index)
    if rng.random() < _LONG_CONVERSATION_RATE:
        return rng.randint(*_LONG_CONVERSATION_COUNTS)
    return weighted_choice(rng, _MESSAGE_COUNTS)


def _sent_at(newest_ms: int, oldest_ms: int, count: int, position: int) -> int:
    # evenly from the last message back to the conversation's creation
    return newest_ms if count == 1 else newest_ms - (newest_ms - oldest_ms) * position // (count - 1)


def _participant(participant: Participant) -> MessageParticipant:
    # the conversation's participant and the message's sender share their JSON shape
    return MessageParticipant.from_dict(participant.to_dict())


def _recipient(contact: Participant) -> MessageRecipient:
    recipient = MessageRecipient(type_=MessageRecipientType.TO, id=uuid.UUID(contact.id))
    if isinstance(contact.contact, ParticipantContact):
        recipient.identifier_key = contact.contact.identifier_key
        recipient.identifier_value = contact.contact.identifier_value
        recipient.platform_address = contact.contact.platform_address
    if not isinstance(contact.display_name, Unset):
        recipient.contact_annotation = MessageRecipientContactAnnotation(name=contact.display_name)
    return recipient


def _email_meta(subject: str) -> MessageMeta:
    headers = base64.b64encode(json.dumps({"Subject": [subject]}, separators=(",", ":")).encode()).decode()
    extra = MessageMetaExtraInformation()
    extra["email_headers"] = headers
    return MessageMeta(extra_information=extra)


def _access_key_sender(rng: random.Random) -> MessageParticipant:
    return MessageParticipant.from_dict(
        {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "type": "accessKey",
            "status": "active",
            "displayName": "Support desk key",
            "avatarUrl": "",
        }
    )


def _message(
    conversation: Conversation,
    contact: Participant,
    sender: MessageParticipant,
    *,
    message_id: uuid.UUID,
    sent_ms: int,
    status: MessageStatus,
    body: MessageBody,
    updated_ms: int,
) -> Message:
    incoming = sender.id == contact.id
    message = Message(
        id=str(message_id),
        conversation_id=conversation.id,
        reference=str(message_id) if incoming else "",
        sender=sender,
        draft=False,
        status=status,
        source=MessageSource.EXTERNAL if incoming else MessageSource.CONVERSATIONS,
        body=body,
        interactions=None,
        created_at=bird_time(sent_ms),
        updated_at=bird_time(updated_ms),
    )
    if not incoming:
        message.recipients = [_recipient(contact)]
    elif conversation.platform_style is PlatformStyle.EMAIL:
        message.meta = _email_meta(conversation.name)
        message.receiver_types = [MessageReceiverTypesItem.TO]
    if status in _FAILURE_REASONS:
        message.reason = _FAILURE_REASONS[status]
    return message


def _last(conversation: Conversation, contact: Participant, last: LastMessage) -> Message:
    sender = MessageParticipant.from_dict(last.sender.to_dict()) if not isinstance(last.sender, Unset) else None
    sent_ms = _epoch_ms(last.created_at)
    text = "" if isinstance(last.preview.text, Unset) else last.preview.text
    kind = MessageBodyType.from_value(last.type_.value)  # text, html, image or file, as its preview says
    sender = sender or _participant(contact)
    rng = seeded_random("bird-last-message-body", str(last.id))
    body = bird_body(kind, text, f"https://media.bird.sandbox/{last.id}", rng, incoming=sender.id == contact.id)
    return _message(
        conversation,
        contact,
        sender,
        message_id=last.id,
        sent_ms=sent_ms,
        status=MessageStatus.from_value(last.status.value),
        body=body,
        updated_ms=sent_ms,
    )


def bird_message_models(seed: int, workspace_id: str, index: int) -> list[Message]:
    """The messages of conversation ``index`` of a workspace as generated models, newest first.

    >>> messages = bird_message_models(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 0)
    >>> all(older.created_at <= newer.created_at for newer, older in zip(messages, messages[1:]))
    True
    """
    workspace = canonical_id(workspace_id)
    conversation = bird_conversation_model(seed, workspace, index)
    contact, last = conversation.initiating_participant, conversation.last_message
    if isinstance(last, Unset) or isinstance(contact, Unset):
        return []  # opened, and never got a message
    count = _message_count(seed, workspace, index)
    newest_ms, oldest_ms = _epoch_ms(last.created_at), _epoch_ms(conversation.created_at)
    messages = [_last(conversation, contact, last)]
    participants = [_participant(participant) for participant in conversation.featured_participants]
    for position in range(1, count):
        rng = seeded_random("bird-message", seed, workspace, index, position)
        message_id = uuid.UUID(bytes=stable_digest("bird-message-id", seed, workspace, index, position), version=4)
        sender = _access_key_sender(rng) if rng.random() < _ACCESS_KEY_SENDER_RATE else rng.choice(participants)
        incoming = sender.id == contact.id
        text = rng.choice(_INCOMING_TEXTS if incoming else _OUTGOING_TEXTS)
        kind = MessageBodyType.HTML if conversation.platform_style is PlatformStyle.EMAIL else MessageBodyType.TEXT
        media_rate = _INCOMING_MEDIA_RATE if incoming else _OUTGOING_MEDIA_RATE
        if rng.random() < media_rate and conversation.platform_style is not PlatformStyle.EMAIL:
            kind = media_kind(rng, incoming=incoming)  # a photo, a voice note, a place, a list...
        sent_ms = _sent_at(newest_ms, oldest_ms, count, position)
        messages.append(
            _message(
                conversation,
                contact,
                sender,
                message_id=message_id,
                sent_ms=sent_ms,
                status=MessageStatus.DELIVERED if incoming else weighted_choice(rng, _OUTGOING_STATUSES),
                body=bird_body(kind, text, f"https://media.bird.sandbox/{message_id}", rng, incoming=incoming),
                # an outgoing message changes once more, when its status comes back
                updated_ms=sent_ms if incoming else sent_ms + rng.randrange(200, 30_000),
            )
        )
    return messages


def bird_messages(seed: int, workspace_id: str, index: int) -> list[dict[str, Any]]:
    """The messages of conversation ``index`` of a workspace as Bird sends them, newest first."""
    return [message.to_dict() for message in bird_message_models(seed, workspace_id, index)]


def bird_message_times(messages: Sequence[Message]) -> list[int]:
    """Each message's creation time in ms since the epoch (never increasing, as messages come newest first).

    >>> times = bird_message_times(bird_message_models(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 0))
    >>> times == sorted(times, reverse=True)
    True
    """
    return [_epoch_ms(message.created_at) for message in messages]
