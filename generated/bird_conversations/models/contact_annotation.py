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

T = TypeVar("T", bound="ContactAnnotation")


@_attrs_define
class ContactAnnotation:
    """Annotations add extra information to a sender or receiver. For email messages, the name annotation overrides the
    display name.

        Attributes:
            name (str | Unset):
    """

    name: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "name"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        contact_annotation = _new_object(cls)
        _name = src_dict.get("name", UNSET)
        if _name.__class__ is not str and _name is not UNSET:
            wrong_type(_name, "string")
        contact_annotation.name = _name

        contact_annotation.additional_properties = (
            {}
            if _CONTACT_ANNOTATION_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _CONTACT_ANNOTATION_KEYS
            }
        )
        return (
            contact_annotation
            if cls is ContactAnnotation
            else init_subclass(contact_annotation, ContactAnnotation)
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


# The JSON keys ContactAnnotation has attributes for; any other key goes to additional_properties.
_CONTACT_ANNOTATION_KEYS: frozenset[str] = frozenset(("name",))

_new_object = object.__new__
