from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.inbox_owner_type import InboxOwnerType
from ..models.inbox_type import InboxType

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

    id: UUID
    identifier: str
    owner_id: UUID
    owner_type: InboxOwnerType
    type_: InboxType
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
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        identifier = d.pop("identifier")

        owner_id = UUID(d.pop("ownerId"))

        owner_type = InboxOwnerType.from_value(d.pop("ownerType"))

        type_ = InboxType.from_value(d.pop("type"))

        inbox_ref = cls(
            id=id,
            identifier=identifier,
            owner_id=owner_id,
            owner_type=owner_type,
            type_=type_,
        )

        inbox_ref.additional_properties = d
        return inbox_ref

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
