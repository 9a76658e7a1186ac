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

T = TypeVar("T", bound="MessageImage")


@_attrs_define
class MessageImage:
    """
    Attributes:
        media_url (str): Where the image can be fetched.
        alt_text (str | Unset): The image's label.
    """

    media_url: str = _attrs_field(metadata={"wire_name": "mediaUrl"})
    alt_text: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "altText"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        media_url = self.media_url

        alt_text = self.alt_text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "mediaUrl": media_url,
            }
        )
        if alt_text is not UNSET:
            field_dict["altText"] = alt_text

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_image = _new_object(cls)
        _media_url = src_dict["mediaUrl"]
        if _media_url.__class__ is not str:
            wrong_type(_media_url, "string")
        message_image.media_url = _media_url

        _alt_text = src_dict.get("altText", UNSET)
        if _alt_text.__class__ is not str and _alt_text is not UNSET:
            wrong_type(_alt_text, "string")
        message_image.alt_text = _alt_text

        message_image.additional_properties = (
            {}
            if _MESSAGE_IMAGE_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_IMAGE_KEYS
            }
        )
        return (
            message_image
            if cls is MessageImage
            else init_subclass(message_image, MessageImage)
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


# The JSON keys MessageImage has attributes for; any other key goes to additional_properties.
_MESSAGE_IMAGE_KEYS: frozenset[str] = frozenset(
    (
        "mediaUrl",
        "altText",
    )
)

_new_object = object.__new__
