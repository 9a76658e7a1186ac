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

T = TypeVar("T", bound="MessageActionLocationRequest")


@_attrs_define
class MessageActionLocationRequest:
    """A button that asks for the receiver's location.

    Attributes:
        text (str | Unset): The button's label.
    """

    text: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "text"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_action_location_request = _new_object(cls)
        _text = src_dict.get("text", UNSET)
        if _text.__class__ is not str and _text is not UNSET:
            wrong_type(_text, "string")
        message_action_location_request.text = _text

        message_action_location_request.additional_properties = (
            {}
            if _MESSAGE_ACTION_LOCATION_REQUEST_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_ACTION_LOCATION_REQUEST_KEYS
            }
        )
        return (
            message_action_location_request
            if cls is MessageActionLocationRequest
            else init_subclass(
                message_action_location_request, MessageActionLocationRequest
            )
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


# The JSON keys MessageActionLocationRequest has attributes for; any other key goes to additional_properties.
_MESSAGE_ACTION_LOCATION_REQUEST_KEYS: frozenset[str] = frozenset(("text",))

_new_object = object.__new__
