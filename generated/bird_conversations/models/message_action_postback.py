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

T = TypeVar("T", bound="MessageActionPostback")


@_attrs_define
class MessageActionPostback:
    """A button whose payload comes back when it is picked.

    Attributes:
        text (str): The button's label.
        image_url (str | Unset): An image shown on the button.
        metadata (MessageActionPostbackMetadata | Unset): Extra facts about the button.
        payload (str | Unset): What comes back when it is picked.
    """

    text: str = _attrs_field(metadata={"wire_name": "text"})
    image_url: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "imageUrl"}
    )
    metadata: MessageActionPostbackMetadata | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "metadata"}
    )
    payload: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "payload"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        image_url = self.image_url

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        payload = self.payload

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
            }
        )
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if payload is not UNSET:
            field_dict["payload"] = payload

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_action_postback = _new_object(cls)
        _text = src_dict["text"]
        if _text.__class__ is not str:
            wrong_type(_text, "string")
        message_action_postback.text = _text

        _image_url = src_dict.get("imageUrl", UNSET)
        if _image_url.__class__ is not str and _image_url is not UNSET:
            wrong_type(_image_url, "string")
        message_action_postback.image_url = _image_url

        _metadata = src_dict.get("metadata", UNSET)
        message_action_postback.metadata = (
            UNSET
            if _metadata is UNSET
            else MessageActionPostbackMetadata.from_dict(_metadata)
        )

        _payload = src_dict.get("payload", UNSET)
        if _payload.__class__ is not str and _payload is not UNSET:
            wrong_type(_payload, "string")
        message_action_postback.payload = _payload

        message_action_postback.additional_properties = (
            {}
            if _MESSAGE_ACTION_POSTBACK_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_ACTION_POSTBACK_KEYS
            }
        )
        return (
            message_action_postback
            if cls is MessageActionPostback
            else init_subclass(message_action_postback, MessageActionPostback)
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


# The JSON keys MessageActionPostback has attributes for; any other key goes to additional_properties.
_MESSAGE_ACTION_POSTBACK_KEYS: frozenset[str] = frozenset(
    (
        "text",
        "imageUrl",
        "metadata",
        "payload",
    )
)

_new_object = object.__new__

from ..models.message_action_postback_metadata import MessageActionPostbackMetadata
