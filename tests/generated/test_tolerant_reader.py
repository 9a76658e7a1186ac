"""Vendors add enum values and fields without notice: the generated models must not break."""

from __future__ import annotations

import datetime
import enum
import inspect
import sys
import typing
import uuid
from typing import Any

import pytest

import bird_conversations.models
import omnichannel_messaging.models
from bird_conversations.models import Conversation, ConversationPage, ConversationStatus, LastMessage
from bird_conversations.types import format_datetime, parse_datetime
from omnichannel_messaging.models import ActiveConversation, ActiveConversationPage, ProblemDetails

ENUMS = sorted(
    (
        member
        for module in (bird_conversations.models, omnichannel_messaging.models)
        for _, member in inspect.getmembers(module, inspect.isclass)
        if issubclass(member, enum.Enum)
    ),
    key=lambda cls: cls.__name__,
)
REQUIRED_ENUMS = {
    "ConversationStatus", "ConversationStyle", "Visibility", "Accessibility", "PlatformStyle",
    "ParticipantType", "ParticipantStatus", "LastMessageStatus", "LastMessageType", "InboxType",
    "InboxOwnerType", "ResourceType",
}  # fmt: skip


def test_public_names_read_naturally() -> None:
    bird_names = set(bird_conversations.models.__all__)
    assert {"Conversation", "Participant", "ParticipantRef", "LastMessage", "MessageSender"} <= bird_names
    assert REQUIRED_ENUMS <= {cls.__name__ for cls in ENUMS}
    assert {"ActiveConversation", "ActiveConversationPage", "ProblemDetails"} <= set(
        omnichannel_messaging.models.__all__
    )
    hints = typing.get_type_hints(ActiveConversation)
    assert hints["conversationid"] is uuid.UUID
    assert hints["timestamp"] is datetime.datetime


@pytest.mark.parametrize("enum_class", ENUMS, ids=lambda cls: cls.__name__)
def test_unknown_enum_value_is_kept_and_typed(enum_class: type[enum.Enum]) -> None:
    unknown = enum_class("a-value-added-later")

    assert isinstance(unknown, enum_class)
    assert unknown.value == "a-value-added-later"
    assert str(unknown) == "a-value-added-later"
    assert all(unknown != member for member in enum_class)
    assert unknown not in list(enum_class)  # none of the members, on every Python
    assert unknown.name == "_UNKNOWN_"
    assert all(member in enum_class for member in enum_class)
    # ``in`` on the class itself is Python's to decide: up to 3.11 it asks whether the name is a
    # member's, and the unknown one is not in it; from 3.12 every instance of the class is in it
    # (EnumType.__contains__ starts with an isinstance check), the unknown one too.
    if sys.version_info >= (3, 12):
        assert unknown in enum_class
    else:
        assert unknown not in enum_class


@pytest.mark.parametrize("enum_class", ENUMS, ids=lambda cls: cls.__name__)
def test_known_values_still_give_the_members(enum_class: type[enum.Enum]) -> None:
    for member in enum_class:
        assert enum_class(member.value) is member


def test_non_string_enum_value_is_still_an_error() -> None:
    with pytest.raises(ValueError):
        ConversationStatus(7)  # type: ignore[arg-type]


def _conversation(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": "bace24af-cebb-4bd5-a1e6-f7cff24abadf",
        "name": "Refund",
        "visibility": "private",
        "accessibility": "open",
        "activeParticipantCount": 1,
        "status": "active",
        "channelId": "7b0eb8a0-606b-59f1-bd90-43cacb048146",
        "createdAt": "2024-11-27T14:47:59.577000+00:00",
        "updatedAt": "2024-11-27T14:47:59.577000+00:00",
        "featuredParticipants": [{"id": "p1", "type": "contact"}],
        "platformStyle": "email",
    }
    payload.update(overrides)
    return payload


def test_unknown_enum_value_inside_a_model_round_trips() -> None:
    payload = _conversation(status="snoozed", platformStyle="carrier-pigeon")

    conversation = Conversation.from_dict(payload)

    assert isinstance(conversation.status, ConversationStatus)
    assert conversation.status.value == "snoozed"
    assert conversation.status != ConversationStatus.ACTIVE
    assert conversation.to_dict() == payload


def test_unknown_properties_are_kept_at_every_level() -> None:
    payload = {
        "results": [
            _conversation(
                sentiment={"score": 0.3},
                featuredParticipants=[{"id": "p1", "type": "bot", "locale": "nl-NL"}],
                lastMessage={
                    "id": "0ff78529-eb64-400d-8522-c45ae2170885",
                    "type": "text",
                    "preview": {"text": "hi", "language": "en"},
                    "status": "sent",
                    "createdAt": "2024-11-27T14:47:59.577000+00:00",
                    "reactions": [1, 2],
                },
            )
        ],
        "nextPageToken": "abc",
        "cursorVersion": 2,
    }

    page = ConversationPage.from_dict(payload)

    assert page.additional_properties == {"cursorVersion": 2}
    assert page.results[0]["sentiment"] == {"score": 0.3}
    assert page.results[0].featured_participants[0]["locale"] == "nl-NL"
    last = page.results[0].last_message
    assert isinstance(last, LastMessage)
    assert last["reactions"] == [1, 2]
    assert page.to_dict() == payload


def test_omnichannel_unknown_properties_round_trip() -> None:
    payload = {
        "conversations": [
            {"conversationid": "debd3f0d-90d4-47fc-b30c-d5ffbe31c851", "timestamp": "2025-04-15T12:36:40.9049594Z",
             "channel": "custom"},
        ],
        "continuationtoken": None,
        "total": 1,
    }  # fmt: skip
    assert ActiveConversationPage.from_dict(payload).to_dict() == payload
    problem = {"type": "about:blank", "title": "Bad", "status": 400, "detail": "x", "errorCode": 30007, "traceId": "t"}
    assert ProblemDetails.from_dict(problem).to_dict() == problem


@pytest.mark.parametrize(
    "text",
    [
        "2025-04-15T12:36:40.9049594Z",
        "2025-04-15T12:36:40.123456789+05:30",
        "2025-04-15t12:36:40.9049594z",
    ],
)
def test_sub_microsecond_text_is_written_back_unchanged(text: str) -> None:
    parsed = parse_datetime(text)
    assert isinstance(parsed, datetime.datetime)
    assert parsed.tzinfo is not None
    assert format_datetime(parsed) == text


def test_a_changed_datetime_no_longer_claims_the_original_text() -> None:
    parsed = parse_datetime("2025-04-15T12:36:40.9049594Z")
    later = parsed + datetime.timedelta(seconds=1)
    replaced = parsed.replace(minute=0)
    assert format_datetime(later) == "2025-04-15T12:36:41.904959+00:00"
    assert format_datetime(replaced) == "2025-04-15T12:00:40.904959+00:00"


def test_microsecond_text_is_written_in_isoformat() -> None:
    assert format_datetime(parse_datetime("2024-11-27T14:47:59.577Z")) == "2024-11-27T14:47:59.577000+00:00"


def test_generated_authenticated_client_keeps_its_token_out_of_repr() -> None:
    from bird_conversations.client import AuthenticatedClient

    client = AuthenticatedClient(base_url="https://api.bird.com", token="s3cr3t-DO-NOT-LEAK", prefix="AccessKey")
    assert "s3cr3t" not in repr(client)
