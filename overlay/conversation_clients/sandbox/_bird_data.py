"""The sandbox's Bird demo data: conversation ``i`` of a workspace, computed on demand.

Each conversation is a pure function of (seed, workspace, index) (see
:mod:`~conversation_clients.sandbox._seeds`). Creation times decrease with the index (index 0
is the newest), and ids and resources encode the index, so a filter or a lookup reads its
conversations off them instead of scanning the workspace.

Conversations are built with the generated models (so they carry exactly the fields the models
know) and then given Bird's real quirks by :func:`apply_bird_quirks`.

>>> conversation = bird_conversation(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 0)
>>> conversation == bird_conversation(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 0)
True
>>> "style" in conversation, conversation["lastMessage"]["recipients"]
(False, None)
"""

from __future__ import annotations

import datetime
import hashlib
import random
import uuid
from typing import Any, Final, cast

from bird_conversations.models import (
    Accessibility,
    Conversation,
    ConversationResource,
    ConversationStatus,
    ConversationStyle,
    LastMessage,
    LastMessageStatus,
    LastMessageType,
    MessagePreview,
    MessageSender,
    Participant,
    ParticipantContact,
    ParticipantRef,
    ParticipantStatus,
    ParticipantType,
    PlatformStyle,
    ResourceType,
    Visibility,
)
from bird_conversations.types import WireDatetime
from conversation_clients.sandbox._seeds import canonical_id, seeded_random, stable_digest, weighted_choice

__all__ = [
    "apply_bird_quirks",
    "bird_conversation",
    "bird_conversation_id",
    "bird_conversation_index",
    "bird_conversation_model",
    "bird_resource",
    "bird_resource_indices",
    "bird_time",
]

_UNIX_EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

# Bird: conversation 0 of every workspace is the newest; each next one is 17 to 25.5 minutes older.
BIRD_NEWEST_MS: Final = 1_748_856_600_000  # 2025-06-02T09:30:00Z
BIRD_SPACING_MS: Final = 17 * 60 * 1000

# Conversations 0, 3, 6, ... carry a resource, and each resource is shared by two of them
# (0 and 3, 6 and 9, ...), so a resource filter has something to find and something to skip.
RESOURCE_EVERY: Final = 3
CONVERSATIONS_PER_RESOURCE: Final = 2
# Enum members in a fixed order, listed once: iterating an enum on every conversation is slow.
_RESOURCE_TYPES: Final = tuple(ResourceType)
_CONVERSATION_STYLES: Final = tuple(ConversationStyle)

# (value, weight): how often each value is drawn, most conversations looking like a real inbox's.
_STATUSES: Final = (
    (ConversationStatus.ACTIVE, 55),
    (ConversationStatus.CLOSED, 25),
    (ConversationStatus.ARCHIVED, 10),
    (ConversationStatus.SPAM, 5),
    (ConversationStatus.DELETED, 5),
)
_VISIBILITIES: Final = ((Visibility.PRIVATE, 6), (Visibility.DIRECT, 2), (Visibility.PUBLIC, 1), (Visibility.GROUP, 1))
_ACCESSIBILITIES: Final = (
    (Accessibility.OPEN, 6),
    (Accessibility.PRIVATE, 2),
    (Accessibility.INVITE_ONLY, 1),
    (Accessibility.REQUEST_TO_JOIN, 1),
)
_PLATFORM_STYLES: Final = (
    (PlatformStyle.EMAIL, 5),
    (PlatformStyle.DIRECT, 3),
    (PlatformStyle.DIRECT_MULTIPLE, 1),
    (PlatformStyle.DIRECT_THREADED, 1),
    (PlatformStyle.GROUP_MULTIPLE, 1),
)
_MESSAGE_TYPES: Final = (
    (LastMessageType.TEXT, 6),
    (LastMessageType.HTML, 2),
    (LastMessageType.IMAGE, 1),
    (LastMessageType.FILE, 1),
)
_MESSAGE_STATUSES: Final = (
    (LastMessageStatus.DELIVERED, 6),
    (LastMessageStatus.SENT, 2),
    (LastMessageStatus.ACCEPTED, 1),
    (LastMessageStatus.DELIVERY_FAILED, 1),
)
_PARTICIPANT_STATUSES: Final = (
    (ParticipantStatus.ACTIVE, 8),
    (ParticipantStatus.INVITED, 1),
    (ParticipantStatus.PENDING, 1),
)
_SUBJECTS: Final = (
    "About your refund",
    "Delivery delayed",
    "Question about invoice",
    "Password reset",
    "Change of address",
    "Subscription renewal",
    "Damaged item",
    "Feedback on our service",
    "Opening hours",
    "Order not received",
)
_PREVIEWS: Final = (
    "That's right 👍",
    "Thanks, that solved it!",
    "Could you send me the order number?",
    "We have issued the refund.",
    "invoice.pdf",
    "Is anyone there?",
    "I'll check with the warehouse and get back to you.",
)
_FIRST_NAMES: Final = ("Alex", "Sam", "Jordan", "Taylor", "Robin", "Casey", "Jamie", "Morgan", "Noor", "Kai")
_LAST_NAMES: Final = ("Doe", "Smith", "Jansen", "Garcia", "Okafor", "Nakamura", "Silva", "Novak", "Haddad")
_STAFF_TYPES: Final = (ParticipantType.AGENT, ParticipantType.BOT, ParticipantType.USER)
_TAGS: Final = ("vip", "billing", "shipping", "urgent", "follow-up")
_CHANNELS_PER_WORKSPACE: Final = 3


def _uuid4(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def bird_time(epoch_ms: int) -> datetime.datetime:
    """A datetime that the generated models write as Bird does: milliseconds and ``Z``.

    >>> from bird_conversations.types import format_datetime
    >>> format_datetime(bird_time(1_748_856_600_000))
    '2025-06-02T09:30:00.000Z'
    """
    moment = _UNIX_EPOCH + datetime.timedelta(milliseconds=epoch_ms)
    wire = WireDatetime(
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
        moment.microsecond, moment.tzinfo,
    )  # fmt: skip
    wire.wire_text = f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"
    return wire


def bird_created_ms(seed: int, workspace_id: str, index: int) -> int:
    """When conversation ``index`` was created, in ms since the epoch; decreasing in ``index``.

    >>> workspace = "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"
    >>> bird_created_ms(0, workspace, 1) < bird_created_ms(0, workspace, 0)
    True
    """
    digest = stable_digest("bird-created", seed, canonical_id(workspace_id), index)
    return BIRD_NEWEST_MS - index * BIRD_SPACING_MS - int.from_bytes(digest[:8]) % (BIRD_SPACING_MS // 2)


# Conversation ids are the conversation's index, enciphered with a key of the workspace's (a
# 4-round Feistel network over the 122 bits a version-4 UUID leaves free): they look random, and
# the messages route reads the index back off an id instead of searching the workspace for it.
_FEISTEL_ROUNDS: Final = 4
_HALF_BITS: Final = 61
_HALF_MASK: Final = (1 << _HALF_BITS) - 1


def _conversation_id_key(seed: int, workspace_id: str) -> bytes:
    return stable_digest("bird-conversation-id", seed, canonical_id(workspace_id))


def _feistel_round(key: bytes, round_number: int, half: int) -> int:
    digest = hashlib.blake2b(bytes([round_number]) + half.to_bytes(8), key=key, digest_size=8).digest()
    return int.from_bytes(digest) & _HALF_MASK


def _uuid4_of_bits(value: int) -> uuid.UUID:
    # 48 bits, the version nibble, 12 bits, the variant's 2 bits, 62 bits
    high, middle, low = value >> 74, (value >> 62) & 0xFFF, value & ((1 << 62) - 1)
    return uuid.UUID(int=(high << 80) | (0x4 << 76) | (middle << 64) | (0b10 << 62) | low)


def _bits_of_uuid4(identifier: uuid.UUID) -> int | None:
    value = identifier.int
    if (value >> 76) & 0xF != 0x4 or (value >> 62) & 0b11 != 0b10:
        return None
    return ((value >> 80) << 74) | (((value >> 64) & 0xFFF) << 62) | (value & ((1 << 62) - 1))


def bird_conversation_id(seed: int, workspace_id: str, index: int) -> uuid.UUID:
    """The id of conversation ``index`` of a workspace (a version-4 UUID; no two indices share one).

    >>> workspace = "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"
    >>> bird_conversation_id(0, workspace, 0).version, bird_conversation_id(0, workspace, 0) != bird_conversation_id(0, workspace, 1)
    (4, True)
    """
    key = _conversation_id_key(seed, workspace_id)
    left, right = index >> _HALF_BITS, index & _HALF_MASK
    for round_number in range(_FEISTEL_ROUNDS):
        left, right = right, left ^ _feistel_round(key, round_number, right)
    return _uuid4_of_bits((left << _HALF_BITS) | right)


def bird_conversation_index(seed: int, workspace_id: str, count: int, conversation_id: str) -> int | None:
    """The index of the conversation with ``conversation_id`` in a workspace of ``count``; None if none has it.

    >>> workspace = "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"
    >>> bird_conversation_index(0, workspace, 25, str(bird_conversation_id(0, workspace, 7)).upper())
    7
    >>> bird_conversation_index(0, workspace, 5, str(bird_conversation_id(0, workspace, 7))) is None
    True
    >>> bird_conversation_index(0, workspace, 25, "not-a-uuid") is None
    True
    """
    try:
        bits = _bits_of_uuid4(uuid.UUID(conversation_id))
    except ValueError:
        return None
    if bits is None:
        return None
    key = _conversation_id_key(seed, workspace_id)
    left, right = bits >> _HALF_BITS, bits & _HALF_MASK
    for round_number in reversed(range(_FEISTEL_ROUNDS)):
        left, right = right ^ _feistel_round(key, round_number, left), left
    index = (left << _HALF_BITS) | right
    return index if index < count else None


def _resource_id_parts(seed: int, workspace_id: str) -> tuple[bytes, int]:
    # Every resource id of a workspace shares its first 12 bytes; the last 4 are the resource's
    # number (masked, so ids do not look sequential). A filter reads the resource's conversations
    # off the id instead of scanning the workspace for them.
    digest = stable_digest("bird-resource", seed, canonical_id(workspace_id))
    prefix = uuid.UUID(bytes=digest[:12] + bytes(4), version=4).bytes[:12]
    return prefix, int.from_bytes(digest[12:])


def bird_resource(seed: int, workspace_id: str, index: int) -> ConversationResource | None:
    """The resource conversation ``index`` is about, or None (only every third has one).

    >>> resource = bird_resource(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 3)
    >>> resource == bird_resource(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 0)
    True
    >>> bird_resource(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 1) is None
    True
    """
    if index % RESOURCE_EVERY:
        return None
    group = index // (RESOURCE_EVERY * CONVERSATIONS_PER_RESOURCE)
    prefix, mask = _resource_id_parts(seed, workspace_id)
    resource_id = uuid.UUID(bytes=prefix + (group ^ mask).to_bytes(4))
    return ConversationResource(id=resource_id, type_=_RESOURCE_TYPES[group % len(_RESOURCE_TYPES)])


def bird_resource_indices(seed: int, workspace_id: str, count: int, resource: str) -> list[int]:
    """The indices (ascending, below ``count``) of the conversations matching ``type:id``.

    Anything that is not the ``type:id`` of one of the workspace's resources matches nothing.

    >>> resource = bird_resource(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 6)
    >>> bird_resource_indices(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 25, f"{resource.type_}:{resource.id}")
    [6, 9]
    >>> bird_resource_indices(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 25, "task:not-a-uuid")
    []
    """
    kind, _, text = resource.partition(":")
    try:
        resource_id = uuid.UUID(text)
    except ValueError:
        return []
    prefix, mask = _resource_id_parts(seed, workspace_id)
    if resource_id.bytes[:12] != prefix:
        return []
    group = int.from_bytes(resource_id.bytes[12:]) ^ mask
    if _RESOURCE_TYPES[group % len(_RESOURCE_TYPES)].value != kind:
        return []
    first = group * RESOURCE_EVERY * CONVERSATIONS_PER_RESOURCE
    members = range(first, first + RESOURCE_EVERY * CONVERSATIONS_PER_RESOURCE, RESOURCE_EVERY)
    return [index for index in members if index < count]


def _contact(rng: random.Random, platform_style: PlatformStyle) -> Participant:
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    if platform_style is PlatformStyle.EMAIL:
        key, value = "emailaddress", f"{first}.{last}{rng.randrange(100)}@example.com".lower()
    else:
        key, value = "phonenumber", f"+1555{rng.randrange(10**7):07d}"
    return Participant(
        id=str(_uuid4(rng)),
        type_=ParticipantType.CONTACT,
        status=ParticipantStatus.ACTIVE,
        display_name=f"{first} {last}",
        avatar_url="",
        contact=ParticipantContact(identifier_key=key, identifier_value=value, platform_address=value),
    )


def _staff(rng: random.Random, kind: ParticipantType) -> Participant:
    status = weighted_choice(rng, _PARTICIPANT_STATUSES)
    name = "Support Bot" if kind is ParticipantType.BOT else f"{rng.choice(_FIRST_NAMES)} (support)"
    return Participant(id=str(_uuid4(rng)), type_=kind, status=status, display_name=name, avatar_url="")


def _sender(participant: Participant) -> MessageSender:
    return MessageSender(
        id=participant.id,
        type_=participant.type_,
        status=participant.status,
        display_name=participant.display_name,
        avatar_url=participant.avatar_url,
        contact=participant.contact,
    )


def _last_message(rng: random.Random, sender: Participant, sent_ms: int) -> LastMessage:
    return LastMessage(
        id=_uuid4(rng),
        type_=weighted_choice(rng, _MESSAGE_TYPES),
        preview=MessagePreview(text=rng.choice(_PREVIEWS)),
        status=weighted_choice(rng, _MESSAGE_STATUSES),
        created_at=bird_time(sent_ms),
        draft=False,
        recipients=[],
        sender=_sender(sender),
    )


def bird_conversation_model(seed: int, workspace_id: str, index: int) -> Conversation:
    """Conversation ``index`` of a workspace as a generated model, before Bird's quirks.

    Statuses, styles, participants and messages vary with the index; the same arguments always
    give the same conversation.

    >>> model = bird_conversation_model(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 0)
    >>> model == bird_conversation_model(0, "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", 0)
    True
    """
    workspace = canonical_id(workspace_id)
    rng = seeded_random("bird", seed, workspace, index)
    _uuid4(rng)  # the id this draw once gave is now bird_conversation_id; drawn still, so the rest stays as it was
    conversation_id = bird_conversation_id(seed, workspace, index)
    created_ms = bird_created_ms(seed, workspace, index)
    updated_ms = created_ms + rng.randrange(3 * 24 * 3600 * 1000)
    platform_style = weighted_choice(rng, _PLATFORM_STYLES)
    contact = _contact(rng, platform_style)
    staff = [_staff(rng, kind) for kind in rng.sample(_STAFF_TYPES, k=rng.choice((0, 1, 1, 2)))]
    featured = [contact, *staff]
    channel_number = rng.randrange(_CHANNELS_PER_WORKSPACE)
    # some conversations were opened but never got a message
    sender = rng.choice(featured) if rng.random() < 0.9 else None
    last_message = None if sender is None else _last_message(rng, sender, updated_ms)
    conversation = Conversation(
        id=conversation_id,
        name=f"{'Re: ' if rng.random() < 0.3 else ''}{rng.choice(_SUBJECTS)}",
        description="",
        status=weighted_choice(rng, _STATUSES),
        visibility=weighted_choice(rng, _VISIBILITIES),
        accessibility=weighted_choice(rng, _ACCESSIBILITIES),
        style=rng.choice(_CONVERSATION_STYLES),
        featured_participants=featured,
        participants=[ParticipantRef(id=p.id, type_=p.type_, contact=p.contact) for p in featured],
        active_participant_count=sum(p.status is ParticipantStatus.ACTIVE for p in featured),
        pending_participant_count=sum(p.status is not ParticipantStatus.ACTIVE for p in featured),
        initiating_participant=contact,
        channel_id=uuid.UUID(bytes=stable_digest("bird-channel", seed, workspace, channel_number), version=4),
        platform_style=platform_style,
        created_at=bird_time(created_ms),
        updated_at=bird_time(updated_ms),
        has_draft=rng.random() < 0.1,
        read=rng.random() < 0.6,
        starred=rng.random() < 0.1,
    )
    if last_message is not None:
        conversation.last_message = last_message
        if sender is contact:
            conversation.last_message_incoming_at = last_message.created_at
        else:
            conversation.last_message_outgoing_at = last_message.created_at
    if rng.random() < 0.3:
        conversation.tags = sorted(rng.sample(_TAGS, k=rng.randint(1, 2)))
    resource = bird_resource(seed, workspace, index)
    if resource is not None:
        conversation.resource = resource
    return conversation


def apply_bird_quirks(conversation: dict[str, Any]) -> dict[str, Any]:
    """Make a conversation body look like what Bird really sends (changes it in place).

    Bird's own example omits ``style`` and the last message's ``draft`` and sends
    ``"recipients": null``, although its published document declares the first two required
    and the third a non-nullable array. Clients must cope, so the sandbox does the same.

    >>> apply_bird_quirks({"style": "default", "lastMessage": {"draft": False, "recipients": []}})
    {'lastMessage': {'recipients': None}}
    """
    conversation.pop("style", None)
    last_message = conversation.get("lastMessage")
    if isinstance(last_message, dict):
        message = cast(dict[str, Any], last_message)
        message.pop("draft", None)
        message["recipients"] = None
    return conversation


def bird_conversation(seed: int, workspace_id: str, index: int) -> dict[str, Any]:
    """Conversation ``index`` of a workspace as Bird sends it: the model's dict with Bird's quirks."""
    return apply_bird_quirks(bird_conversation_model(seed, workspace_id, index).to_dict())
