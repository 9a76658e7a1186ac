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

T = TypeVar("T", bound="MessageFileMetadata")


@_attrs_define
class MessageFileMetadata:
    """Facts about the file.

    Attributes:
        is_animated (bool | Unset): Whether a sticker is animated.
    """

    is_animated: bool | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "isAnimated"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        is_animated = self.is_animated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if is_animated is not UNSET:
            field_dict["isAnimated"] = is_animated

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_file_metadata = _new_object(cls)
        _is_animated = src_dict.get("isAnimated", UNSET)
        if _is_animated.__class__ is not bool and _is_animated is not UNSET:
            wrong_type(_is_animated, "boolean")
        message_file_metadata.is_animated = _is_animated

        message_file_metadata.additional_properties = (
            {}
            if _MESSAGE_FILE_METADATA_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_FILE_METADATA_KEYS
            }
        )
        return (
            message_file_metadata
            if cls is MessageFileMetadata
            else init_subclass(message_file_metadata, MessageFileMetadata)
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


# The JSON keys MessageFileMetadata has attributes for; any other key goes to additional_properties.
_MESSAGE_FILE_METADATA_KEYS: frozenset[str] = frozenset(("isAnimated",))

_new_object = object.__new__
