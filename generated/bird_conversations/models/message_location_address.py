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

T = TypeVar("T", bound="MessageLocationAddress")


@_attrs_define
class MessageLocationAddress:
    """How the place is named.

    Attributes:
        address (str | Unset): The street address.
        label (str | Unset): The place's name.
    """

    address: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "address"}
    )
    label: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "label"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        address = self.address

        label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if address is not UNSET:
            field_dict["address"] = address
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
        message_location_address = _new_object(cls)
        _address = src_dict.get("address", UNSET)
        if _address.__class__ is not str and _address is not UNSET:
            wrong_type(_address, "string")
        message_location_address.address = _address

        _label = src_dict.get("label", UNSET)
        if _label.__class__ is not str and _label is not UNSET:
            wrong_type(_label, "string")
        message_location_address.label = _label

        message_location_address.additional_properties = (
            {}
            if _MESSAGE_LOCATION_ADDRESS_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_LOCATION_ADDRESS_KEYS
            }
        )
        return (
            message_location_address
            if cls is MessageLocationAddress
            else init_subclass(message_location_address, MessageLocationAddress)
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


# The JSON keys MessageLocationAddress has attributes for; any other key goes to additional_properties.
_MESSAGE_LOCATION_ADDRESS_KEYS: frozenset[str] = frozenset(
    (
        "address",
        "label",
    )
)

_new_object = object.__new__
