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

T = TypeVar("T", bound="ParticipantContact")


@_attrs_define
class ParticipantContact:
    """
    Attributes:
        identifier_key (str):
        identifier_value (str):
        platform_address (str | Unset):
        platform_address_selector (str | Unset):
    """

    identifier_key: str = _attrs_field(metadata={"wire_name": "identifierKey"})
    identifier_value: str = _attrs_field(metadata={"wire_name": "identifierValue"})
    platform_address: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "platformAddress"}
    )
    platform_address_selector: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "platformAddressSelector"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        identifier_key = self.identifier_key

        identifier_value = self.identifier_value

        platform_address = self.platform_address

        platform_address_selector = self.platform_address_selector

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "identifierKey": identifier_key,
                "identifierValue": identifier_value,
            }
        )
        if platform_address is not UNSET:
            field_dict["platformAddress"] = platform_address
        if platform_address_selector is not UNSET:
            field_dict["platformAddressSelector"] = platform_address_selector

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        participant_contact = _new_object(cls)
        _identifier_key = src_dict["identifierKey"]
        if _identifier_key.__class__ is not str:
            wrong_type(_identifier_key, "string")
        participant_contact.identifier_key = _identifier_key

        _identifier_value = src_dict["identifierValue"]
        if _identifier_value.__class__ is not str:
            wrong_type(_identifier_value, "string")
        participant_contact.identifier_value = _identifier_value

        _platform_address = src_dict.get("platformAddress", UNSET)
        if _platform_address.__class__ is not str and _platform_address is not UNSET:
            wrong_type(_platform_address, "string")
        participant_contact.platform_address = _platform_address

        _platform_address_selector = src_dict.get("platformAddressSelector", UNSET)
        if (
            _platform_address_selector.__class__ is not str
            and _platform_address_selector is not UNSET
        ):
            wrong_type(_platform_address_selector, "string")
        participant_contact.platform_address_selector = _platform_address_selector

        participant_contact.additional_properties = (
            {}
            if _PARTICIPANT_CONTACT_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _PARTICIPANT_CONTACT_KEYS
            }
        )
        return (
            participant_contact
            if cls is ParticipantContact
            else init_subclass(participant_contact, ParticipantContact)
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


# The JSON keys ParticipantContact has attributes for; any other key goes to additional_properties.
_PARTICIPANT_CONTACT_KEYS: frozenset[str] = frozenset(
    (
        "identifierKey",
        "identifierValue",
        "platformAddress",
        "platformAddressSelector",
    )
)

_new_object = object.__new__
