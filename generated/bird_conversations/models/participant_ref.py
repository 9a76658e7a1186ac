from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.participant_type import ParticipantType
from ..types import (
    UNSET,
    Unset,
    init_subclass,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="ParticipantRef")


@_attrs_define
class ParticipantRef:
    """
    Attributes:
        id (str):
        type_ (ParticipantType):
        contact (ParticipantContact | Unset):
    """

    id: str = _attrs_field(metadata={"wire_name": "id"})
    type_: ParticipantType = _attrs_field(metadata={"wire_name": "type"})
    contact: ParticipantContact | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "contact"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type_ = self.type_.value

        contact: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact, Unset):
            contact = self.contact.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
            }
        )
        if contact is not UNSET:
            field_dict["contact"] = contact

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        participant_ref = _new_object(cls)
        _id = src_dict["id"]
        if _id.__class__ is not str:
            wrong_type(_id, "string")
        participant_ref.id = _id

        participant_ref.type_ = _participant_type_members.get(
            src_dict["type"]
        ) or _participant_type_from_value(src_dict["type"])

        _contact = src_dict.get("contact", UNSET)
        participant_ref.contact = (
            UNSET if _contact is UNSET else ParticipantContact.from_dict(_contact)
        )

        participant_ref.additional_properties = (
            {}
            if _PARTICIPANT_REF_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _PARTICIPANT_REF_KEYS
            }
        )
        return (
            participant_ref
            if cls is ParticipantRef
            else init_subclass(participant_ref, ParticipantRef)
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


# The JSON keys ParticipantRef has attributes for; any other key goes to additional_properties.
_PARTICIPANT_REF_KEYS: frozenset[str] = frozenset(
    (
        "id",
        "type",
        "contact",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_participant_type_members: dict[str, ParticipantType] = {
    member.value: member for member in ParticipantType
}
_participant_type_from_value = ParticipantType.from_value

from ..models.participant_contact import ParticipantContact
