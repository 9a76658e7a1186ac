from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_recipient_type import MessageRecipientType
from ..types import (
    UNSET,
    Unset,
    init_subclass,
    parse_uuid,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="MessageRecipient")


@_attrs_define
class MessageRecipient:
    """One receiver of a message.

    Attributes:
        contact_annotation (MessageRecipientContactAnnotation | Unset): Extra facts about the receiver.
        id (UUID | Unset): The contact's id.
        identifier_key (str | Unset): The kind of identifier, e.g. emailaddress.
        identifier_value (str | Unset): The identifier itself.
        platform_address (str | Unset): The address the message was delivered to.
        type_ (MessageRecipientType | Unset): How the receiver is addressed (to, cc, bcc).
    """

    contact_annotation: MessageRecipientContactAnnotation | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "contactAnnotation"}
    )
    id: UUID | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "id"})
    identifier_key: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "identifierKey"}
    )
    identifier_value: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "identifierValue"}
    )
    platform_address: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "platformAddress"}
    )
    type_: MessageRecipientType | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "type"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        contact_annotation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact_annotation, Unset):
            contact_annotation = self.contact_annotation.to_dict()

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        identifier_key = self.identifier_key

        identifier_value = self.identifier_value

        platform_address = self.platform_address

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if contact_annotation is not UNSET:
            field_dict["contactAnnotation"] = contact_annotation
        if id is not UNSET:
            field_dict["id"] = id
        if identifier_key is not UNSET:
            field_dict["identifierKey"] = identifier_key
        if identifier_value is not UNSET:
            field_dict["identifierValue"] = identifier_value
        if platform_address is not UNSET:
            field_dict["platformAddress"] = platform_address
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_recipient = _new_object(cls)
        _contact_annotation = src_dict.get("contactAnnotation", UNSET)
        message_recipient.contact_annotation = (
            UNSET
            if _contact_annotation is UNSET
            else MessageRecipientContactAnnotation.from_dict(_contact_annotation)
        )

        _id = src_dict.get("id", UNSET)
        message_recipient.id = UNSET if _id is UNSET else parse_uuid(_id)

        _identifier_key = src_dict.get("identifierKey", UNSET)
        if _identifier_key.__class__ is not str and _identifier_key is not UNSET:
            wrong_type(_identifier_key, "string")
        message_recipient.identifier_key = _identifier_key

        _identifier_value = src_dict.get("identifierValue", UNSET)
        if _identifier_value.__class__ is not str and _identifier_value is not UNSET:
            wrong_type(_identifier_value, "string")
        message_recipient.identifier_value = _identifier_value

        _platform_address = src_dict.get("platformAddress", UNSET)
        if _platform_address.__class__ is not str and _platform_address is not UNSET:
            wrong_type(_platform_address, "string")
        message_recipient.platform_address = _platform_address

        _type_ = src_dict.get("type", UNSET)
        message_recipient.type_ = (
            UNSET
            if _type_ is UNSET
            else (
                _message_recipient_type_members.get(_type_)
                or _message_recipient_type_from_value(_type_)
            )
        )

        message_recipient.additional_properties = (
            {}
            if _MESSAGE_RECIPIENT_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_RECIPIENT_KEYS
            }
        )
        return (
            message_recipient
            if cls is MessageRecipient
            else init_subclass(message_recipient, MessageRecipient)
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


# The JSON keys MessageRecipient has attributes for; any other key goes to additional_properties.
_MESSAGE_RECIPIENT_KEYS: frozenset[str] = frozenset(
    (
        "contactAnnotation",
        "id",
        "identifierKey",
        "identifierValue",
        "platformAddress",
        "type",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_message_recipient_type_members: dict[str, MessageRecipientType] = {
    member.value: member for member in MessageRecipientType
}
_message_recipient_type_from_value = MessageRecipientType.from_value

from ..models.message_recipient_contact_annotation import (
    MessageRecipientContactAnnotation,
)
