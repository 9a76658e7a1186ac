from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    UNSET,
    Unset,
    format_datetime,
    init_subclass,
    parse_datetime,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="Referral")


@_attrs_define
class Referral:
    """
    Attributes:
        source_id (str):
        caption (str | Unset):
        media_type (str | Unset):
        media_url (str | Unset):
        source_type (str | Unset):
        source_url (str | Unset):
        text (str | Unset):
        timestamp (datetime.datetime | Unset):
        title (str | Unset):
        username (str | Unset):
    """

    source_id: str = _attrs_field(metadata={"wire_name": "sourceId"})
    caption: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "caption"}
    )
    media_type: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "mediaType"}
    )
    media_url: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "mediaUrl"}
    )
    source_type: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "sourceType"}
    )
    source_url: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "sourceUrl"}
    )
    text: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "text"})
    timestamp: datetime.datetime | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "timestamp"}
    )
    title: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "title"})
    username: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "username"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        source_id = self.source_id

        caption = self.caption

        media_type = self.media_type

        media_url = self.media_url

        source_type = self.source_type

        source_url = self.source_url

        text = self.text

        timestamp: str | Unset = UNSET
        if not isinstance(self.timestamp, Unset):
            timestamp = format_datetime(self.timestamp)

        title = self.title

        username = self.username

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sourceId": source_id,
            }
        )
        if caption is not UNSET:
            field_dict["caption"] = caption
        if media_type is not UNSET:
            field_dict["mediaType"] = media_type
        if media_url is not UNSET:
            field_dict["mediaUrl"] = media_url
        if source_type is not UNSET:
            field_dict["sourceType"] = source_type
        if source_url is not UNSET:
            field_dict["sourceUrl"] = source_url
        if text is not UNSET:
            field_dict["text"] = text
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if title is not UNSET:
            field_dict["title"] = title
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        referral = _new_object(cls)
        _source_id = src_dict["sourceId"]
        if _source_id.__class__ is not str:
            wrong_type(_source_id, "string")
        referral.source_id = _source_id

        _caption = src_dict.get("caption", UNSET)
        if _caption.__class__ is not str and _caption is not UNSET:
            wrong_type(_caption, "string")
        referral.caption = _caption

        _media_type = src_dict.get("mediaType", UNSET)
        if _media_type.__class__ is not str and _media_type is not UNSET:
            wrong_type(_media_type, "string")
        referral.media_type = _media_type

        _media_url = src_dict.get("mediaUrl", UNSET)
        if _media_url.__class__ is not str and _media_url is not UNSET:
            wrong_type(_media_url, "string")
        referral.media_url = _media_url

        _source_type = src_dict.get("sourceType", UNSET)
        if _source_type.__class__ is not str and _source_type is not UNSET:
            wrong_type(_source_type, "string")
        referral.source_type = _source_type

        _source_url = src_dict.get("sourceUrl", UNSET)
        if _source_url.__class__ is not str and _source_url is not UNSET:
            wrong_type(_source_url, "string")
        referral.source_url = _source_url

        _text = src_dict.get("text", UNSET)
        if _text.__class__ is not str and _text is not UNSET:
            wrong_type(_text, "string")
        referral.text = _text

        _timestamp = src_dict.get("timestamp", UNSET)
        referral.timestamp = (
            UNSET if _timestamp is UNSET else parse_datetime(_timestamp)
        )

        _title = src_dict.get("title", UNSET)
        if _title.__class__ is not str and _title is not UNSET:
            wrong_type(_title, "string")
        referral.title = _title

        _username = src_dict.get("username", UNSET)
        if _username.__class__ is not str and _username is not UNSET:
            wrong_type(_username, "string")
        referral.username = _username

        referral.additional_properties = (
            {}
            if _REFERRAL_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _REFERRAL_KEYS
            }
        )
        return referral if cls is Referral else init_subclass(referral, Referral)

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


# The JSON keys Referral has attributes for; any other key goes to additional_properties.
_REFERRAL_KEYS: frozenset[str] = frozenset(
    (
        "sourceId",
        "caption",
        "mediaType",
        "mediaUrl",
        "sourceType",
        "sourceUrl",
        "text",
        "timestamp",
        "title",
        "username",
    )
)

_new_object = object.__new__
