from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.accessibility import Accessibility
from ..models.conversation_status import ConversationStatus
from ..models.conversation_style import ConversationStyle
from ..models.platform_style import PlatformStyle
from ..models.visibility import Visibility
from ..types import (
    UNSET,
    Unset,
    format_datetime,
    init_subclass,
    list_of,
    parse_datetime,
    parse_uuid,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="Conversation")


@_attrs_define
class Conversation:
    """
    Attributes:
        accessibility (Accessibility):
        active_participant_count (int):
        channel_id (UUID):
        created_at (datetime.datetime):
        featured_participants (list[Participant]):
        id (UUID):
        name (str):
        platform_style (PlatformStyle):
        status (ConversationStatus):
        updated_at (datetime.datetime):
        visibility (Visibility):
        assignee_id (UUID | Unset):
        attributes (ConversationAttributes | Unset):
        category (str | Unset):
        description (str | Unset):
        directory (str | Unset):
        has_draft (bool | Unset):
        inbox (InboxRef | Unset):
        initiating_participant (Participant | Unset):
        last_message (LastMessage | Unset):
        last_message_incoming_at (datetime.datetime | Unset):
        last_message_outgoing_at (datetime.datetime | Unset):
        participants (list[ParticipantRef] | Unset):
        pending_participant_count (int | Unset):
        private_attributes (str | Unset):
        read (bool | Unset):
        referral (Referral | Unset):
        resource (ConversationResource | Unset):
        resource_uri (str | Unset):
        starred (bool | Unset):
        style (ConversationStyle | Unset):
        summary (str | Unset):
        tags (list[str] | Unset):
    """

    accessibility: Accessibility = _attrs_field(metadata={"wire_name": "accessibility"})
    active_participant_count: int = _attrs_field(
        metadata={"wire_name": "activeParticipantCount"}
    )
    channel_id: UUID = _attrs_field(metadata={"wire_name": "channelId"})
    created_at: datetime.datetime = _attrs_field(metadata={"wire_name": "createdAt"})
    featured_participants: list[Participant] = _attrs_field(
        metadata={"wire_name": "featuredParticipants"}
    )
    id: UUID = _attrs_field(metadata={"wire_name": "id"})
    name: str = _attrs_field(metadata={"wire_name": "name"})
    platform_style: PlatformStyle = _attrs_field(
        metadata={"wire_name": "platformStyle"}
    )
    status: ConversationStatus = _attrs_field(metadata={"wire_name": "status"})
    updated_at: datetime.datetime = _attrs_field(metadata={"wire_name": "updatedAt"})
    visibility: Visibility = _attrs_field(metadata={"wire_name": "visibility"})
    assignee_id: UUID | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "assigneeId"}
    )
    attributes: ConversationAttributes | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "attributes"}
    )
    category: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "category"}
    )
    description: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "description"}
    )
    directory: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "directory"}
    )
    has_draft: bool | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "hasDraft"}
    )
    inbox: InboxRef | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "inbox"}
    )
    initiating_participant: Participant | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "initiatingParticipant"}
    )
    last_message: LastMessage | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "lastMessage"}
    )
    last_message_incoming_at: datetime.datetime | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "lastMessageIncomingAt"}
    )
    last_message_outgoing_at: datetime.datetime | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "lastMessageOutgoingAt"}
    )
    participants: list[ParticipantRef] | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "participants"}
    )
    pending_participant_count: int | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "pendingParticipantCount"}
    )
    private_attributes: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "privateAttributes"}
    )
    read: bool | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "read"})
    referral: Referral | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "referral"}
    )
    resource: ConversationResource | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "resource"}
    )
    resource_uri: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "resourceUri"}
    )
    starred: bool | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "starred"}
    )
    style: ConversationStyle | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "style"}
    )
    summary: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "summary"}
    )
    tags: list[str] | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "tags"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        accessibility = self.accessibility.value

        active_participant_count = self.active_participant_count

        channel_id = str(self.channel_id)

        created_at = format_datetime(self.created_at)

        featured_participants: list[dict[str, Any]] = []
        for featured_participants_item_data in self.featured_participants:
            featured_participants_item = featured_participants_item_data.to_dict()
            featured_participants.append(featured_participants_item)

        id = str(self.id)

        name = self.name

        platform_style = self.platform_style.value

        status = self.status.value

        updated_at = format_datetime(self.updated_at)

        visibility = self.visibility.value

        assignee_id: str | Unset = UNSET
        if not isinstance(self.assignee_id, Unset):
            assignee_id = str(self.assignee_id)

        attributes: dict[str, Any] | Unset = UNSET
        if not isinstance(self.attributes, Unset):
            attributes = self.attributes.to_dict()

        category = self.category

        description = self.description

        directory = self.directory

        has_draft = self.has_draft

        inbox: dict[str, Any] | Unset = UNSET
        if not isinstance(self.inbox, Unset):
            inbox = self.inbox.to_dict()

        initiating_participant: dict[str, Any] | Unset = UNSET
        if not isinstance(self.initiating_participant, Unset):
            initiating_participant = self.initiating_participant.to_dict()

        last_message: dict[str, Any] | Unset = UNSET
        if not isinstance(self.last_message, Unset):
            last_message = self.last_message.to_dict()

        last_message_incoming_at: str | Unset = UNSET
        if not isinstance(self.last_message_incoming_at, Unset):
            last_message_incoming_at = format_datetime(self.last_message_incoming_at)

        last_message_outgoing_at: str | Unset = UNSET
        if not isinstance(self.last_message_outgoing_at, Unset):
            last_message_outgoing_at = format_datetime(self.last_message_outgoing_at)

        participants: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.participants, Unset):
            participants = []
            for participants_item_data in self.participants:
                participants_item = participants_item_data.to_dict()
                participants.append(participants_item)

        pending_participant_count = self.pending_participant_count

        private_attributes = self.private_attributes

        read = self.read

        referral: dict[str, Any] | Unset = UNSET
        if not isinstance(self.referral, Unset):
            referral = self.referral.to_dict()

        resource: dict[str, Any] | Unset = UNSET
        if not isinstance(self.resource, Unset):
            resource = self.resource.to_dict()

        resource_uri = self.resource_uri

        starred = self.starred

        style: str | Unset = UNSET
        if not isinstance(self.style, Unset):
            style = self.style.value

        summary = self.summary

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accessibility": accessibility,
                "activeParticipantCount": active_participant_count,
                "channelId": channel_id,
                "createdAt": created_at,
                "featuredParticipants": featured_participants,
                "id": id,
                "name": name,
                "platformStyle": platform_style,
                "status": status,
                "updatedAt": updated_at,
                "visibility": visibility,
            }
        )
        if assignee_id is not UNSET:
            field_dict["assigneeId"] = assignee_id
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if category is not UNSET:
            field_dict["category"] = category
        if description is not UNSET:
            field_dict["description"] = description
        if directory is not UNSET:
            field_dict["directory"] = directory
        if has_draft is not UNSET:
            field_dict["hasDraft"] = has_draft
        if inbox is not UNSET:
            field_dict["inbox"] = inbox
        if initiating_participant is not UNSET:
            field_dict["initiatingParticipant"] = initiating_participant
        if last_message is not UNSET:
            field_dict["lastMessage"] = last_message
        if last_message_incoming_at is not UNSET:
            field_dict["lastMessageIncomingAt"] = last_message_incoming_at
        if last_message_outgoing_at is not UNSET:
            field_dict["lastMessageOutgoingAt"] = last_message_outgoing_at
        if participants is not UNSET:
            field_dict["participants"] = participants
        if pending_participant_count is not UNSET:
            field_dict["pendingParticipantCount"] = pending_participant_count
        if private_attributes is not UNSET:
            field_dict["privateAttributes"] = private_attributes
        if read is not UNSET:
            field_dict["read"] = read
        if referral is not UNSET:
            field_dict["referral"] = referral
        if resource is not UNSET:
            field_dict["resource"] = resource
        if resource_uri is not UNSET:
            field_dict["resourceUri"] = resource_uri
        if starred is not UNSET:
            field_dict["starred"] = starred
        if style is not UNSET:
            field_dict["style"] = style
        if summary is not UNSET:
            field_dict["summary"] = summary
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        conversation = _new_object(cls)
        conversation.accessibility = _accessibility_members.get(
            src_dict["accessibility"]
        ) or _accessibility_from_value(src_dict["accessibility"])

        _active_participant_count = src_dict["activeParticipantCount"]
        if _active_participant_count.__class__ is not int:
            wrong_type(_active_participant_count, "integer")
        conversation.active_participant_count = _active_participant_count

        conversation.channel_id = parse_uuid(src_dict["channelId"])

        conversation.created_at = parse_datetime(src_dict["createdAt"])

        _featured_participants = src_dict["featuredParticipants"]
        if _featured_participants.__class__ is not list:
            wrong_type(_featured_participants, "array")

        featured_participants: list[Participant] = [
            Participant.from_dict(featured_participants_item_data)
            for featured_participants_item_data in _featured_participants
        ]

        conversation.featured_participants = featured_participants

        conversation.id = parse_uuid(src_dict["id"])

        _name = src_dict["name"]
        if _name.__class__ is not str:
            wrong_type(_name, "string")
        conversation.name = _name

        conversation.platform_style = _platform_style_members.get(
            src_dict["platformStyle"]
        ) or _platform_style_from_value(src_dict["platformStyle"])

        conversation.status = _conversation_status_members.get(
            src_dict["status"]
        ) or _conversation_status_from_value(src_dict["status"])

        conversation.updated_at = parse_datetime(src_dict["updatedAt"])

        conversation.visibility = _visibility_members.get(
            src_dict["visibility"]
        ) or _visibility_from_value(src_dict["visibility"])

        _assignee_id = src_dict.get("assigneeId", UNSET)
        conversation.assignee_id = (
            UNSET if _assignee_id is UNSET else parse_uuid(_assignee_id)
        )

        _attributes = src_dict.get("attributes", UNSET)
        conversation.attributes = (
            UNSET
            if _attributes is UNSET
            else ConversationAttributes.from_dict(_attributes)
        )

        _category = src_dict.get("category", UNSET)
        if _category.__class__ is not str and _category is not UNSET:
            wrong_type(_category, "string")
        conversation.category = _category

        _description = src_dict.get("description", UNSET)
        if _description.__class__ is not str and _description is not UNSET:
            wrong_type(_description, "string")
        conversation.description = _description

        _directory = src_dict.get("directory", UNSET)
        if _directory.__class__ is not str and _directory is not UNSET:
            wrong_type(_directory, "string")
        conversation.directory = _directory

        _has_draft = src_dict.get("hasDraft", UNSET)
        if _has_draft.__class__ is not bool and _has_draft is not UNSET:
            wrong_type(_has_draft, "boolean")
        conversation.has_draft = _has_draft

        _inbox = src_dict.get("inbox", UNSET)
        conversation.inbox = UNSET if _inbox is UNSET else InboxRef.from_dict(_inbox)

        _initiating_participant = src_dict.get("initiatingParticipant", UNSET)
        conversation.initiating_participant = (
            UNSET
            if _initiating_participant is UNSET
            else Participant.from_dict(_initiating_participant)
        )

        _last_message = src_dict.get("lastMessage", UNSET)
        conversation.last_message = (
            UNSET if _last_message is UNSET else LastMessage.from_dict(_last_message)
        )

        _last_message_incoming_at = src_dict.get("lastMessageIncomingAt", UNSET)
        conversation.last_message_incoming_at = (
            UNSET
            if _last_message_incoming_at is UNSET
            else parse_datetime(_last_message_incoming_at)
        )

        _last_message_outgoing_at = src_dict.get("lastMessageOutgoingAt", UNSET)
        conversation.last_message_outgoing_at = (
            UNSET
            if _last_message_outgoing_at is UNSET
            else parse_datetime(_last_message_outgoing_at)
        )

        _participants = src_dict.get("participants", UNSET)
        participants: list[ParticipantRef] | Unset = UNSET
        if _participants is not UNSET:
            if _participants.__class__ is not list:
                wrong_type(_participants, "array")

            participants = [
                ParticipantRef.from_dict(participants_item_data)
                for participants_item_data in _participants
            ]

        conversation.participants = participants

        _pending_participant_count = src_dict.get("pendingParticipantCount", UNSET)
        if (
            _pending_participant_count.__class__ is not int
            and _pending_participant_count is not UNSET
        ):
            wrong_type(_pending_participant_count, "integer")
        conversation.pending_participant_count = _pending_participant_count

        _private_attributes = src_dict.get("privateAttributes", UNSET)
        if (
            _private_attributes.__class__ is not str
            and _private_attributes is not UNSET
        ):
            wrong_type(_private_attributes, "string")
        conversation.private_attributes = _private_attributes

        _read = src_dict.get("read", UNSET)
        if _read.__class__ is not bool and _read is not UNSET:
            wrong_type(_read, "boolean")
        conversation.read = _read

        _referral = src_dict.get("referral", UNSET)
        conversation.referral = (
            UNSET if _referral is UNSET else Referral.from_dict(_referral)
        )

        _resource = src_dict.get("resource", UNSET)
        conversation.resource = (
            UNSET if _resource is UNSET else ConversationResource.from_dict(_resource)
        )

        _resource_uri = src_dict.get("resourceUri", UNSET)
        if _resource_uri.__class__ is not str and _resource_uri is not UNSET:
            wrong_type(_resource_uri, "string")
        conversation.resource_uri = _resource_uri

        _starred = src_dict.get("starred", UNSET)
        if _starred.__class__ is not bool and _starred is not UNSET:
            wrong_type(_starred, "boolean")
        conversation.starred = _starred

        _style = src_dict.get("style", UNSET)
        conversation.style = (
            UNSET
            if _style is UNSET
            else (
                _conversation_style_members.get(_style)
                or _conversation_style_from_value(_style)
            )
        )

        _summary = src_dict.get("summary", UNSET)
        if _summary.__class__ is not str and _summary is not UNSET:
            wrong_type(_summary, "string")
        conversation.summary = _summary

        _tags = src_dict.get("tags", UNSET)
        tags: list[str] | Unset = (
            UNSET if _tags is UNSET else list_of(_tags, str, "string")
        )

        conversation.tags = tags

        conversation.additional_properties = (
            {}
            if _CONVERSATION_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _CONVERSATION_KEYS
            }
        )
        return (
            conversation
            if cls is Conversation
            else init_subclass(conversation, Conversation)
        )

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# The JSON keys Conversation has attributes for; any other key goes to additional_properties.
_CONVERSATION_KEYS: frozenset[str] = frozenset(
    (
        "accessibility",
        "activeParticipantCount",
        "channelId",
        "createdAt",
        "featuredParticipants",
        "id",
        "name",
        "platformStyle",
        "status",
        "updatedAt",
        "visibility",
        "assigneeId",
        "attributes",
        "category",
        "description",
        "directory",
        "hasDraft",
        "inbox",
        "initiatingParticipant",
        "lastMessage",
        "lastMessageIncomingAt",
        "lastMessageOutgoingAt",
        "participants",
        "pendingParticipantCount",
        "privateAttributes",
        "read",
        "referral",
        "resource",
        "resourceUri",
        "starred",
        "style",
        "summary",
        "tags",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_accessibility_members: dict[str, Accessibility] = {
    member.value: member for member in Accessibility
}
_accessibility_from_value = Accessibility.from_value
_conversation_status_members: dict[str, ConversationStatus] = {
    member.value: member for member in ConversationStatus
}
_conversation_status_from_value = ConversationStatus.from_value
_conversation_style_members: dict[str, ConversationStyle] = {
    member.value: member for member in ConversationStyle
}
_conversation_style_from_value = ConversationStyle.from_value
_platform_style_members: dict[str, PlatformStyle] = {
    member.value: member for member in PlatformStyle
}
_platform_style_from_value = PlatformStyle.from_value
_visibility_members: dict[str, Visibility] = {
    member.value: member for member in Visibility
}
_visibility_from_value = Visibility.from_value

from ..models.conversation_attributes import ConversationAttributes
from ..models.conversation_resource import ConversationResource
from ..models.inbox_ref import InboxRef
from ..models.last_message import LastMessage
from ..models.participant import Participant
from ..models.participant_ref import ParticipantRef
from ..models.referral import Referral
