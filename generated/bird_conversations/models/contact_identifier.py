from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    init_subclass,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="ContactIdentifier")


@_attrs_define
class ContactIdentifier:
    """
    Attributes:
        identifier_key (str): The identifier key for finding the contact (e.g. emailaddress, phonenumber).
        identifier_value (str): The identifier value for finding the contact.
    """

    identifier_key: str = _attrs_field(metadata={"wire_name": "identifierKey"})
    identifier_value: str = _attrs_field(metadata={"wire_name": "identifierValue"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        identifier_key = self.identifier_key

        identifier_value = self.identifier_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "identifierKey": identifier_key,
                "identifierValue": identifier_value,
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
        contact_identifier = _new_object(cls)
        _identifier_key = src_dict["identifierKey"]
        if _identifier_key.__class__ is not str:
            wrong_type(_identifier_key, "string")
        contact_identifier.identifier_key = _identifier_key

        _identifier_value = src_dict["identifierValue"]
        if _identifier_value.__class__ is not str:
            wrong_type(_identifier_value, "string")
        contact_identifier.identifier_value = _identifier_value

        contact_identifier.additional_properties = (
            {}
            if len(src_dict) == 2
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _CONTACT_IDENTIFIER_KEYS
            }
        )
        return (
            contact_identifier
            if cls is ContactIdentifier
            else init_subclass(contact_identifier, ContactIdentifier)
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


# The JSON keys ContactIdentifier has attributes for; any other key goes to additional_properties.
_CONTACT_IDENTIFIER_KEYS: frozenset[str] = frozenset(
    (
        "identifierKey",
        "identifierValue",
    )
)

_new_object = object.__new__
