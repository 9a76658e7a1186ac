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

T = TypeVar("T", bound="MessageNestedSectionConfigurations")


@_attrs_define
class MessageNestedSectionConfigurations:
    """
    Attributes:
        default (str | Unset):
    """

    default: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "default"}
    )
    additional_properties: dict[str, str] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        default = self.default

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if default is not UNSET:
            field_dict["default"] = default

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_nested_section_configurations = _new_object(cls)
        _default = src_dict.get("default", UNSET)
        if _default.__class__ is not str and _default is not UNSET:
            wrong_type(_default, "string")
        message_nested_section_configurations.default = _default

        message_nested_section_configurations.additional_properties = (
            {}
            if _MESSAGE_NESTED_SECTION_CONFIGURATIONS_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_NESTED_SECTION_CONFIGURATIONS_KEYS
            }
        )
        for (
            extra_value
        ) in message_nested_section_configurations.additional_properties.values():
            if extra_value.__class__ is not str:
                wrong_type(extra_value, "string")
        return (
            message_nested_section_configurations
            if cls is MessageNestedSectionConfigurations
            else init_subclass(
                message_nested_section_configurations,
                MessageNestedSectionConfigurations,
            )
        )

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> str:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# The JSON keys MessageNestedSectionConfigurations has attributes for; any other key goes to additional_properties.
_MESSAGE_NESTED_SECTION_CONFIGURATIONS_KEYS: frozenset[str] = frozenset(("default",))

_new_object = object.__new__
