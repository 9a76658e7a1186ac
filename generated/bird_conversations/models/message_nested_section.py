from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    UNSET,
    Unset,
    init_subclass,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="MessageNestedSection")


@_attrs_define
class MessageNestedSection:
    """Several bodies sent as one body of a section.

    Attributes:
        configurations (MessageNestedSectionConfigurations | Unset):
        items (list[MessageNestedSectionBody] | Unset):
    """

    configurations: MessageNestedSectionConfigurations | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "configurations"}
    )
    items: list[MessageNestedSectionBody] | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "items"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        configurations: dict[str, Any] | Unset = UNSET
        if not isinstance(self.configurations, Unset):
            configurations = self.configurations.to_dict()

        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if configurations is not UNSET:
            field_dict["configurations"] = configurations
        if items is not UNSET:
            field_dict["items"] = items

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_nested_section = _new_object(cls)
        _configurations = src_dict.get("configurations", UNSET)
        message_nested_section.configurations = (
            UNSET
            if _configurations is UNSET
            else MessageNestedSectionConfigurations.from_dict(_configurations)
        )

        _items = src_dict.get("items", UNSET)
        items: list[MessageNestedSectionBody] | Unset = UNSET
        if _items is not UNSET:
            if _items.__class__ is not list:
                wrong_type(_items, "array")

            items = [
                MessageNestedSectionBody.from_dict(items_item_data)
                for items_item_data in _items
            ]

        message_nested_section.items = items

        message_nested_section.additional_properties = (
            {}
            if _MESSAGE_NESTED_SECTION_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_NESTED_SECTION_KEYS
            }
        )
        return (
            message_nested_section
            if cls is MessageNestedSection
            else init_subclass(message_nested_section, MessageNestedSection)
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


# The JSON keys MessageNestedSection has attributes for; any other key goes to additional_properties.
_MESSAGE_NESTED_SECTION_KEYS: frozenset[str] = frozenset(
    (
        "configurations",
        "items",
    )
)

_new_object = object.__new__

from ..models.message_nested_section_body import MessageNestedSectionBody
from ..models.message_nested_section_configurations import (
    MessageNestedSectionConfigurations,
)
