from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.participant_type import ParticipantType
from ..types import UNSET, Unset

T = TypeVar("T", bound="ParticipantRef")


@_attrs_define
class ParticipantRef:
    """
    Attributes:
        id (str):
        type_ (ParticipantType):
        contact (ParticipantContact | Unset):
    """

    id: str
    type_: ParticipantType
    contact: ParticipantContact | Unset = UNSET
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
        d = dict(src_dict)
        id = d.pop("id")

        type_ = ParticipantType.from_value(d.pop("type"))

        _contact = d.pop("contact", UNSET)
        contact: ParticipantContact | Unset
        if isinstance(_contact, Unset):
            contact = UNSET
        else:
            contact = ParticipantContact.from_dict(_contact)

        participant_ref = cls(
            id=id,
            type_=type_,
            contact=contact,
        )

        participant_ref.additional_properties = d
        return participant_ref

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


from ..models.participant_contact import ParticipantContact
