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

T = TypeVar("T", bound="MessageFile")


@_attrs_define
class MessageFile:
    """
    Attributes:
        content_type (str): The file's media type, e.g. audio/ogg or application/pdf.
        media_url (str): Where the file can be fetched.
        alt_text (str | Unset): The file's label.
        filename (str | Unset): The file's name.
        metadata (MessageFileMetadata | Unset): Facts about the file.
    """

    content_type: str = _attrs_field(metadata={"wire_name": "contentType"})
    media_url: str = _attrs_field(metadata={"wire_name": "mediaUrl"})
    alt_text: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "altText"}
    )
    filename: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "filename"}
    )
    metadata: MessageFileMetadata | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "metadata"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        content_type = self.content_type

        media_url = self.media_url

        alt_text = self.alt_text

        filename = self.filename

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contentType": content_type,
                "mediaUrl": media_url,
            }
        )
        if alt_text is not UNSET:
            field_dict["altText"] = alt_text
        if filename is not UNSET:
            field_dict["filename"] = filename
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_file = _new_object(cls)
        _content_type = src_dict["contentType"]
        if _content_type.__class__ is not str:
            wrong_type(_content_type, "string")
        message_file.content_type = _content_type

        _media_url = src_dict["mediaUrl"]
        if _media_url.__class__ is not str:
            wrong_type(_media_url, "string")
        message_file.media_url = _media_url

        _alt_text = src_dict.get("altText", UNSET)
        if _alt_text.__class__ is not str and _alt_text is not UNSET:
            wrong_type(_alt_text, "string")
        message_file.alt_text = _alt_text

        _filename = src_dict.get("filename", UNSET)
        if _filename.__class__ is not str and _filename is not UNSET:
            wrong_type(_filename, "string")
        message_file.filename = _filename

        _metadata = src_dict.get("metadata", UNSET)
        message_file.metadata = (
            UNSET if _metadata is UNSET else MessageFileMetadata.from_dict(_metadata)
        )

        message_file.additional_properties = (
            {}
            if _MESSAGE_FILE_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_FILE_KEYS
            }
        )
        return (
            message_file
            if cls is MessageFile
            else init_subclass(message_file, MessageFile)
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


# The JSON keys MessageFile has attributes for; any other key goes to additional_properties.
_MESSAGE_FILE_KEYS: frozenset[str] = frozenset(
    (
        "contentType",
        "mediaUrl",
        "altText",
        "filename",
        "metadata",
    )
)

_new_object = object.__new__

from ..models.message_file_metadata import MessageFileMetadata
