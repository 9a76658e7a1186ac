from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.participant_status import ParticipantStatus
from ..models.participant_type import ParticipantType
from ..types import (
    UNSET,
    Unset,
    format_datetime,
    init_subclass,
    parse_datetime,
    parse_uuid,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="Participant")


@_attrs_define
class Participant:
    """
    Attributes:
        id (str):
        type_ (ParticipantType):
        avatar_url (str | Unset):
        contact (ParticipantContact | Unset):
        conversation_id (UUID | Unset):
        created_at (datetime.datetime | Unset):
        display_name (str | Unset):
        resource_uri (str | Unset):
        status (ParticipantStatus | Unset):
        updated_at (datetime.datetime | Unset):
    """

    id: str = _attrs_field(metadata={"wire_name": "id"})
    type_: ParticipantType = _attrs_field(metadata={"wire_name": "type"})
    avatar_url: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "avatarUrl"}
    )
    contact: ParticipantContact | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "contact"}
    )
    conversation_id: UUID | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "conversationId"}
    )
    created_at: datetime.datetime | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "createdAt"}
    )
    display_name: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "displayName"}
    )
    resource_uri: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "resourceUri"}
    )
    status: ParticipantStatus | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "status"}
    )
    updated_at: datetime.datetime | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "updatedAt"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        avatar_url = self.avatar_url

        contact: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact, Unset):
            contact = self.contact.to_dict()

        conversation_id: str | Unset = UNSET
        if not isinstance(self.conversation_id, Unset):
            conversation_id = str(self.conversation_id)

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = format_datetime(self.created_at)

        display_name = self.display_name

        resource_uri = self.resource_uri

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = format_datetime(self.updated_at)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
            }
        )
        if avatar_url is not UNSET:
            field_dict["avatarUrl"] = avatar_url
        if contact is not UNSET:
            field_dict["contact"] = contact
        if conversation_id is not UNSET:
            field_dict["conversationId"] = conversation_id
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if display_name is not UNSET:
            field_dict["displayName"] = display_name
        if resource_uri is not UNSET:
            field_dict["resourceUri"] = resource_uri
        if status is not UNSET:
            field_dict["status"] = status
        if updated_at is not UNSET:
            field_dict["updatedAt"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        participant = _new_object(cls)
        _id = src_dict["id"]
        if _id.__class__ is not str:
            wrong_type(_id, "string")
        participant.id = _id

        participant.type_ = _participant_type_members.get(
            src_dict["type"]
        ) or _participant_type_from_value(src_dict["type"])

        _avatar_url = src_dict.get("avatarUrl", UNSET)
        if _avatar_url.__class__ is not str and _avatar_url is not UNSET:
            wrong_type(_avatar_url, "string")
        participant.avatar_url = _avatar_url

        _contact = src_dict.get("contact", UNSET)
        participant.contact = (
            UNSET if _contact is UNSET else ParticipantContact.from_dict(_contact)
        )

        _conversation_id = src_dict.get("conversationId", UNSET)
        participant.conversation_id = (
            UNSET if _conversation_id is UNSET else parse_uuid(_conversation_id)
        )

        _created_at = src_dict.get("createdAt", UNSET)
        participant.created_at = (
            UNSET if _created_at is UNSET else parse_datetime(_created_at)
        )

        _display_name = src_dict.get("displayName", UNSET)
        if _display_name.__class__ is not str and _display_name is not UNSET:
            wrong_type(_display_name, "string")
        participant.display_name = _display_name

        _resource_uri = src_dict.get("resourceUri", UNSET)
        if _resource_uri.__class__ is not str and _resource_uri is not UNSET:
            wrong_type(_resource_uri, "string")
        participant.resource_uri = _resource_uri

        _status = src_dict.get("status", UNSET)
        participant.status = (
            UNSET
            if _status is UNSET
            else (
                _participant_status_members.get(_status)
                or _participant_status_from_value(_status)
            )
        )

        _updated_at = src_dict.get("updatedAt", UNSET)
        participant.updated_at = (
            UNSET if _updated_at is UNSET else parse_datetime(_updated_at)
        )

        participant.additional_properties = (
            {}
            if _PARTICIPANT_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _PARTICIPANT_KEYS
            }
        )
        return (
            participant
            if cls is Participant
            else init_subclass(participant, Participant)
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


# The JSON keys Participant has attributes for; any other key goes to additional_properties.
_PARTICIPANT_KEYS: frozenset[str] = frozenset(
    (
        "id",
        "type",
        "avatarUrl",
        "contact",
        "conversationId",
        "createdAt",
        "displayName",
        "resourceUri",
        "status",
        "updatedAt",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_participant_status_members: dict[str, ParticipantStatus] = {
    member.value: member for member in ParticipantStatus
}
_participant_status_from_value = ParticipantStatus.from_value
_participant_type_members: dict[str, ParticipantType] = {
    member.value: member for member in ParticipantType
}
_participant_type_from_value = ParticipantType.from_value

from ..models.participant_contact import ParticipantContact
