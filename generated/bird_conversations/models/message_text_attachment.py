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

T = TypeVar("T", bound="MessageTextAttachment")


@_attrs_define
class MessageTextAttachment:
    """
    Attributes:
        filename (str):
        media_url (str):
        content_id (str | Unset):
        inline (bool | Unset):
    """

    filename: str = _attrs_field(metadata={"wire_name": "filename"})
    media_url: str = _attrs_field(metadata={"wire_name": "mediaUrl"})
    content_id: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "contentId"}
    )
    inline: bool | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "inline"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        filename = self.filename

        media_url = self.media_url

        content_id = self.content_id

        inline = self.inline

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filename": filename,
                "mediaUrl": media_url,
            }
        )
        if content_id is not UNSET:
            field_dict["contentId"] = content_id
        if inline is not UNSET:
            field_dict["inline"] = inline

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_text_attachment = _new_object(cls)
        _filename = src_dict["filename"]
        if _filename.__class__ is not str:
            wrong_type(_filename, "string")
        message_text_attachment.filename = _filename

        _media_url = src_dict["mediaUrl"]
        if _media_url.__class__ is not str:
            wrong_type(_media_url, "string")
        message_text_attachment.media_url = _media_url

        _content_id = src_dict.get("contentId", UNSET)
        if _content_id.__class__ is not str and _content_id is not UNSET:
            wrong_type(_content_id, "string")
        message_text_attachment.content_id = _content_id

        _inline = src_dict.get("inline", UNSET)
        if _inline.__class__ is not bool and _inline is not UNSET:
            wrong_type(_inline, "boolean")
        message_text_attachment.inline = _inline

        message_text_attachment.additional_properties = (
            {}
            if _MESSAGE_TEXT_ATTACHMENT_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_TEXT_ATTACHMENT_KEYS
            }
        )
        return (
            message_text_attachment
            if cls is MessageTextAttachment
            else init_subclass(message_text_attachment, MessageTextAttachment)
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


# The JSON keys MessageTextAttachment has attributes for; any other key goes to additional_properties.
_MESSAGE_TEXT_ATTACHMENT_KEYS: frozenset[str] = frozenset(
    (
        "filename",
        "mediaUrl",
        "contentId",
        "inline",
    )
)

_new_object = object.__new__
