from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_participant_status import MessageParticipantStatus
from ..models.message_participant_type import MessageParticipantType
from ..types import (
    UNSET,
    Unset,
    init_subclass,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="MessageParticipant")


@_attrs_define
class MessageParticipant:
    """A participant who sends or receives messages in the conversation.

    Attributes:
        id (str): The participant's id; its meaning depends on the type.
        type_ (MessageParticipantType): What kind of participant this is.
        avatar_url (str | Unset): Where the participant's picture is.
        contact (MessageParticipantContact | Unset): How a contact participant is reached.
        display_name (str | Unset): The name shown for the participant.
        status (MessageParticipantStatus | Unset): The participant's state in the conversation.
    """

    id: str = _attrs_field(metadata={"wire_name": "id"})
    type_: MessageParticipantType = _attrs_field(metadata={"wire_name": "type"})
    avatar_url: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "avatarUrl"}
    )
    contact: MessageParticipantContact | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "contact"}
    )
    display_name: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "displayName"}
    )
    status: MessageParticipantStatus | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "status"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        avatar_url = self.avatar_url

        contact: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact, Unset):
            contact = self.contact.to_dict()

        display_name = self.display_name

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

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
        if display_name is not UNSET:
            field_dict["displayName"] = display_name
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_participant = _new_object(cls)
        _id = src_dict["id"]
        if _id.__class__ is not str:
            wrong_type(_id, "string")
        message_participant.id = _id

        message_participant.type_ = _message_participant_type_members.get(
            src_dict["type"]
        ) or _message_participant_type_from_value(src_dict["type"])

        _avatar_url = src_dict.get("avatarUrl", UNSET)
        if _avatar_url.__class__ is not str and _avatar_url is not UNSET:
            wrong_type(_avatar_url, "string")
        message_participant.avatar_url = _avatar_url

        _contact = src_dict.get("contact", UNSET)
        message_participant.contact = (
            UNSET
            if _contact is UNSET
            else MessageParticipantContact.from_dict(_contact)
        )

        _display_name = src_dict.get("displayName", UNSET)
        if _display_name.__class__ is not str and _display_name is not UNSET:
            wrong_type(_display_name, "string")
        message_participant.display_name = _display_name

        _status = src_dict.get("status", UNSET)
        message_participant.status = (
            UNSET
            if _status is UNSET
            else (
                _message_participant_status_members.get(_status)
                or _message_participant_status_from_value(_status)
            )
        )

        message_participant.additional_properties = (
            {}
            if _MESSAGE_PARTICIPANT_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_PARTICIPANT_KEYS
            }
        )
        return (
            message_participant
            if cls is MessageParticipant
            else init_subclass(message_participant, MessageParticipant)
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


# The JSON keys MessageParticipant has attributes for; any other key goes to additional_properties.
_MESSAGE_PARTICIPANT_KEYS: frozenset[str] = frozenset(
    (
        "id",
        "type",
        "avatarUrl",
        "contact",
        "displayName",
        "status",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_message_participant_status_members: dict[str, MessageParticipantStatus] = {
    member.value: member for member in MessageParticipantStatus
}
_message_participant_status_from_value = MessageParticipantStatus.from_value
_message_participant_type_members: dict[str, MessageParticipantType] = {
    member.value: member for member in MessageParticipantType
}
_message_participant_type_from_value = MessageParticipantType.from_value

from ..models.message_participant_contact import MessageParticipantContact
