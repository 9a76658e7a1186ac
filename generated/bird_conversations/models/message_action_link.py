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

T = TypeVar("T", bound="MessageActionLink")


@_attrs_define
class MessageActionLink:
    """A button that opens a web address.

    Attributes:
        text (str): The button's label.
        url (str): The address, or a {{variable}} that stands for it.
    """

    text: str = _attrs_field(metadata={"wire_name": "text"})
    url: str = _attrs_field(metadata={"wire_name": "url"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
                "url": url,
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
        message_action_link = _new_object(cls)
        _text = src_dict["text"]
        if _text.__class__ is not str:
            wrong_type(_text, "string")
        message_action_link.text = _text

        _url = src_dict["url"]
        if _url.__class__ is not str:
            wrong_type(_url, "string")
        message_action_link.url = _url

        message_action_link.additional_properties = (
            {}
            if len(src_dict) == 2
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_ACTION_LINK_KEYS
            }
        )
        return (
            message_action_link
            if cls is MessageActionLink
            else init_subclass(message_action_link, MessageActionLink)
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


# The JSON keys MessageActionLink has attributes for; any other key goes to additional_properties.
_MESSAGE_ACTION_LINK_KEYS: frozenset[str] = frozenset(
    (
        "text",
        "url",
    )
)

_new_object = object.__new__
