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

T = TypeVar("T", bound="MessageHtmlAttachment")


@_attrs_define
class MessageHtmlAttachment:
    """
    Attributes:
        content (str | Unset):
        content_id (str | Unset):
        content_type (str | Unset):
        filename (str | Unset):
        inline (bool | Unset):
        media_url (str | Unset):
    """

    content: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "content"}
    )
    content_id: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "contentId"}
    )
    content_type: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "contentType"}
    )
    filename: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "filename"}
    )
    inline: bool | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "inline"})
    media_url: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "mediaUrl"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        content = self.content

        content_id = self.content_id

        content_type = self.content_type

        filename = self.filename

        inline = self.inline

        media_url = self.media_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if content is not UNSET:
            field_dict["content"] = content
        if content_id is not UNSET:
            field_dict["contentId"] = content_id
        if content_type is not UNSET:
            field_dict["contentType"] = content_type
        if filename is not UNSET:
            field_dict["filename"] = filename
        if inline is not UNSET:
            field_dict["inline"] = inline
        if media_url is not UNSET:
            field_dict["mediaUrl"] = media_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_html_attachment = _new_object(cls)
        _content = src_dict.get("content", UNSET)
        if _content.__class__ is not str and _content is not UNSET:
            wrong_type(_content, "string")
        message_html_attachment.content = _content

        _content_id = src_dict.get("contentId", UNSET)
        if _content_id.__class__ is not str and _content_id is not UNSET:
            wrong_type(_content_id, "string")
        message_html_attachment.content_id = _content_id

        _content_type = src_dict.get("contentType", UNSET)
        if _content_type.__class__ is not str and _content_type is not UNSET:
            wrong_type(_content_type, "string")
        message_html_attachment.content_type = _content_type

        _filename = src_dict.get("filename", UNSET)
        if _filename.__class__ is not str and _filename is not UNSET:
            wrong_type(_filename, "string")
        message_html_attachment.filename = _filename

        _inline = src_dict.get("inline", UNSET)
        if _inline.__class__ is not bool and _inline is not UNSET:
            wrong_type(_inline, "boolean")
        message_html_attachment.inline = _inline

        _media_url = src_dict.get("mediaUrl", UNSET)
        if _media_url.__class__ is not str and _media_url is not UNSET:
            wrong_type(_media_url, "string")
        message_html_attachment.media_url = _media_url

        message_html_attachment.additional_properties = (
            {}
            if _MESSAGE_HTML_ATTACHMENT_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_HTML_ATTACHMENT_KEYS
            }
        )
        return (
            message_html_attachment
            if cls is MessageHtmlAttachment
            else init_subclass(message_html_attachment, MessageHtmlAttachment)
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


# The JSON keys MessageHtmlAttachment has attributes for; any other key goes to additional_properties.
_MESSAGE_HTML_ATTACHMENT_KEYS: frozenset[str] = frozenset(
    (
        "content",
        "contentId",
        "contentType",
        "filename",
        "inline",
        "mediaUrl",
    )
)

_new_object = object.__new__
