from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.resource_type import ResourceType
from ..types import (
    init_subclass,
    parse_uuid,
    require_mapping,
)

T = TypeVar("T", bound="ConversationResource")


@_attrs_define
class ConversationResource:
    """
    Attributes:
        id (UUID):
        type_ (ResourceType):
    """

    id: UUID = _attrs_field(metadata={"wire_name": "id"})
    type_: ResourceType = _attrs_field(metadata={"wire_name": "type"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
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
        conversation_resource = _new_object(cls)
        conversation_resource.id = parse_uuid(src_dict["id"])

        conversation_resource.type_ = _resource_type_members.get(
            src_dict["type"]
        ) or _resource_type_from_value(src_dict["type"])

        conversation_resource.additional_properties = (
            {}
            if len(src_dict) == 2
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _CONVERSATION_RESOURCE_KEYS
            }
        )
        return (
            conversation_resource
            if cls is ConversationResource
            else init_subclass(conversation_resource, ConversationResource)
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


# The JSON keys ConversationResource has attributes for; any other key goes to additional_properties.
_CONVERSATION_RESOURCE_KEYS: frozenset[str] = frozenset(
    (
        "id",
        "type",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_resource_type_members: dict[str, ResourceType] = {
    member.value: member for member in ResourceType
}
_resource_type_from_value = ResourceType.from_value
