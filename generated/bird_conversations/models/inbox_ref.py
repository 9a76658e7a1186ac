from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.inbox_owner_type import InboxOwnerType
from ..models.inbox_type import InboxType
from ..types import (
    init_subclass,
    parse_uuid,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="InboxRef")


@_attrs_define
class InboxRef:
    """
    Attributes:
        id (UUID):
        identifier (str):
        owner_id (UUID):
        owner_type (InboxOwnerType):
        type_ (InboxType):
    """

    id: UUID = _attrs_field(metadata={"wire_name": "id"})
    identifier: str = _attrs_field(metadata={"wire_name": "identifier"})
    owner_id: UUID = _attrs_field(metadata={"wire_name": "ownerId"})
    owner_type: InboxOwnerType = _attrs_field(metadata={"wire_name": "ownerType"})
    type_: InboxType = _attrs_field(metadata={"wire_name": "type"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        identifier = self.identifier

        owner_id = str(self.owner_id)

        owner_type = self.owner_type.value

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "identifier": identifier,
                "ownerId": owner_id,
                "ownerType": owner_type,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        inbox_ref = _new_object(cls)
        inbox_ref.id = parse_uuid(src_dict["id"])

        _identifier = src_dict["identifier"]
        if _identifier.__class__ is not str:
            wrong_type(_identifier, "string")
        inbox_ref.identifier = _identifier

        inbox_ref.owner_id = parse_uuid(src_dict["ownerId"])

        inbox_ref.owner_type = _inbox_owner_type_members.get(
            src_dict["ownerType"]
        ) or _inbox_owner_type_from_value(src_dict["ownerType"])

        inbox_ref.type_ = _inbox_type_members.get(
            src_dict["type"]
        ) or _inbox_type_from_value(src_dict["type"])

        inbox_ref.additional_properties = (
            {}
            if len(src_dict) == 5
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _INBOX_REF_KEYS
            }
        )
        return inbox_ref if cls is InboxRef else init_subclass(inbox_ref, InboxRef)

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


# The JSON keys InboxRef has attributes for; any other key goes to additional_properties.
_INBOX_REF_KEYS: frozenset[str] = frozenset(
    (
        "id",
        "identifier",
        "ownerId",
        "ownerType",
        "type",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_inbox_owner_type_members: dict[str, InboxOwnerType] = {
    member.value: member for member in InboxOwnerType
}
_inbox_owner_type_from_value = InboxOwnerType.from_value
_inbox_type_members: dict[str, InboxType] = {
    member.value: member for member in InboxType
}
_inbox_type_from_value = InboxType.from_value
