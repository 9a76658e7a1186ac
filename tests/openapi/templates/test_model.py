"""The generated models (``openapi/templates/model.py.jinja``): the vendors' own examples parse,
payloads drawn from the corrected schemas round-trip (widened the way vendors drift), unknown
properties are kept at every level, and ``from_dict``'s fast paths build what the plain ways
would.
"""

from __future__ import annotations

import datetime
import inspect
import json
import types
from collections.abc import Callable
from typing import Any, Final, cast
from uuid import UUID

import attrs
import hypothesis_jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bird_conversations.models
import omnichannel_messaging.models
from bird_conversations.models import (
    Accessibility,
    Conversation,
    ConversationPage,
    ConversationStatus,
    DetailedError,
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
from omnichannel_messaging.models import ActiveConversation, ActiveConversationPage, ProblemDetails
from tests.support.model_instances import minimal_instance
from tests.support.openapi_schemas import (
    WIDE_DATE_TIME,
    canonical,
    component_schema,
    corrected_document,
    response_schema,
    to_json_schema,
)
from tests.support.paths import FIXTURES


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


# -- Payloads drawn from the corrected schemas (widened the way vendors drift) parse and round-trip ---


# hypothesis_jsonschema's JSON type holds a bare ``list``, an unknown element type to strict pyright.
from_schema = cast(Callable[..., st.SearchStrategy[Any]], hypothesis_jsonschema.from_schema)  # pyright: ignore[reportUnknownMemberType]


@st.composite
def rfc3339_datetimes(draw: st.DrawFn) -> str:
    """Date-times in the notations servers send: Z or offsets, 0 to 9 fractional digits."""
    moment = draw(st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2200, 1, 1)))
    digits = draw(st.integers(min_value=0, max_value=9))
    fraction = (
        ""
        if digits == 0
        else "." + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=digits, max_size=digits)))
    )
    offset = draw(st.sampled_from(["Z", "+00:00", "+05:30", "-08:00", "+14:00"]))
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + offset


BIRD = corrected_document("bird_conversations")
OMNI = corrected_document("omnichannel_messaging")
BIRD_LIST = "/workspaces/{workspaceId}/conversations"
BIRD_MESSAGES = "/workspaces/{workspaceId}/conversations/{conversationId}/messages"
OMNI_LIST = "/api/v1.0/consumer/conversations"
#: Examples per case; fewer for a page of messages, whose body is a choice of twelve kinds: the
#: kinds themselves get the full count in "bird message body", a schema of its own, far quicker
#: to draw from than the whole page (over a minute at 60).
EXAMPLES = 60
EXAMPLES_OF: Final = {"bird messages 200 page": 15}
CASES: list[tuple[str, type[Any], Any]] = [
    ("bird 200 page", ConversationPage, response_schema(BIRD, BIRD_LIST)),
    ("bird 404 error", DetailedError, response_schema(BIRD, BIRD_LIST, status="404")),
    ("bird error.detailed", DetailedError, component_schema(BIRD, "error.detailed")),
    ("bird messages 200 page", MessagePage, response_schema(BIRD, BIRD_MESSAGES)),
    ("bird message body", MessageBody, component_schema(BIRD, "MessageBody")),
    *[
        (f"bird messages {status} error", DetailedError, response_schema(BIRD, BIRD_MESSAGES, status=status))
        for status in ("403", "404", "409")
    ],
    ("omnichannel 200 page", ActiveConversationPage, response_schema(OMNI, OMNI_LIST)),
    *[
        (f"omnichannel {status} problem", ProblemDetails, response_schema(OMNI, OMNI_LIST, status=status))
        for status in ("400", "401", "404", "429", "500", "503")
    ],
]
FORMATS = {WIDE_DATE_TIME: rfc3339_datetimes(), "uuid": st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper())}


def _round_trip_property(model: type[Any], schema: Any, *, tolerant: bool, examples: int) -> Callable[[], None]:
    json_schema = to_json_schema(schema, tolerant=tolerant)

    # filter_too_much: hypothesis-jsonschema draws a choice of kinds (oneOf) by filtering, which
    # the message page does heavily; the drawn payloads are what the test needs, not the rate
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(from_schema(json_schema, custom_formats=FORMATS))
    def check(payload: Any) -> None:
        parsed = model.from_dict(payload)
        written = parsed.to_dict()
        assert canonical(written, json_schema) == canonical(payload, json_schema)

    return check


@pytest.mark.parametrize(("name", "model", "schema"), CASES, ids=[case[0] for case in CASES])
def test_payloads_as_documented_round_trip(name: str, model: type[Any], schema: Any) -> None:
    _round_trip_property(model, schema, tolerant=False, examples=EXAMPLES_OF.get(name, EXAMPLES))()


@pytest.mark.parametrize(("name", "model", "schema"), CASES, ids=[case[0] for case in CASES])
def test_payloads_with_unknown_values_and_fields_round_trip(name: str, model: type[Any], schema: Any) -> None:
    _round_trip_property(model, schema, tolerant=True, examples=EXAMPLES_OF.get(name, EXAMPLES))()


def test_widening_really_adds_unknown_enum_values_and_fields() -> None:
    # guards the property tests above against a widening that silently does nothing
    widened = to_json_schema(component_schema(BIRD, "inbox.conversations.conversation"), tolerant=True)
    status = widened["properties"]["status"]
    assert {"type": "string"} in status["anyOf"]
    assert widened.get("additionalProperties", True) is not False


# -- Vendors add enum values and fields without notice: the generated models must not break --------


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


# -- The templates' fast paths build exactly what the plain ways would -----------------------------


MODELS = sorted(
    (
        member
        for module in (bird_conversations.models, omnichannel_messaging.models)
        for _, member in inspect.getmembers(module, inspect.isclass)
        if attrs.has(member)
    ),
    key=lambda cls: cls.__name__,
)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_from_dict_sets_every_attribute_as_init_would(model: type[Any]) -> None:
    instance = minimal_instance(model)
    rebuilt = model.from_dict(instance.to_dict())
    assert type(rebuilt) is model
    for field in attrs.fields(model):
        assert getattr(rebuilt, field.name) == getattr(instance, field.name), field.name
    assert rebuilt == instance
    assert attrs.evolve(rebuilt) == rebuilt  # evolve goes through __init__ with every attribute


MODELS_WITHOUT_OPTIONAL_ATTRIBUTES = [
    model
    for model in MODELS
    if hasattr(model, "additional_properties")
    and all(field.default is attrs.NOTHING for field in attrs.fields(model) if field.init)
]


@pytest.mark.parametrize("model", MODELS_WITHOUT_OPTIONAL_ATTRIBUTES, ids=lambda model: model.__name__)
@given(extra_keys=st.dictionaries(st.text(max_size=12), st.text(max_size=5), max_size=3))
def test_a_model_without_optional_attributes_finds_unknown_keys_by_counting(
    model: type[Any], extra_keys: dict[str, str]
) -> None:
    """Such a from_dict tells a payload with unknown keys by its length: the same keys as before."""
    known = minimal_instance(model).to_dict()
    unknown = {key: value for key, value in extra_keys.items() if key not in known}
    payload = {**known, **unknown}
    for source in (payload, types.MappingProxyType(payload)):  # a dict, and any other mapping
        assert model.from_dict(source).additional_properties == unknown


@attrs.define
class FlaggedParticipant(Participant):
    """A downstream subclass: an attribute of its own, with a default and a post-init step."""

    flagged: bool = False
    seen_by_post_init: list[str] = attrs.field(factory=list[str])

    def __attrs_post_init__(self) -> None:
        self.seen_by_post_init.append(str(self.id))


def test_a_subclass_is_built_through_its_own_init() -> None:
    contact = {"identifierKey": "phonenumber", "identifierValue": "+15550100", "platformAddress": "+15550100"}
    payload = {"id": "p1", "type": "contact", "contact": contact, "locale": "nl-NL"}

    participant = FlaggedParticipant.from_dict(payload)

    assert type(participant) is FlaggedParticipant
    assert participant.flagged is False
    assert participant.seen_by_post_init == ["p1"]
    assert participant.type_ is ParticipantType.CONTACT
    assert isinstance(participant.contact, ParticipantContact)
    assert participant.display_name is UNSET
    assert participant.additional_properties == {"locale": "nl-NL"}
    assert participant.to_dict() == payload
