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

T = TypeVar("T", bound="MessageActionDescription")


@_attrs_define
class MessageActionDescription:
    """A row's description in a WhatsApp list.

    Attributes:
        label (str | Unset): The description's text.
    """

    label: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "label"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_action_description = _new_object(cls)
        _label = src_dict.get("label", UNSET)
        if _label.__class__ is not str and _label is not UNSET:
            wrong_type(_label, "string")
        message_action_description.label = _label

        message_action_description.additional_properties = (
            {}
            if _MESSAGE_ACTION_DESCRIPTION_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_ACTION_DESCRIPTION_KEYS
            }
        )
        return (
            message_action_description
            if cls is MessageActionDescription
            else init_subclass(message_action_description, MessageActionDescription)
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


# The JSON keys MessageActionDescription has attributes for; any other key goes to additional_properties.
_MESSAGE_ACTION_DESCRIPTION_KEYS: frozenset[str] = frozenset(("label",))

_new_object = object.__new__
