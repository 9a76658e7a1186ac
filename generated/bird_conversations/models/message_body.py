from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_body_type import MessageBodyType
from ..types import (
    UNSET,
    Unset,
    init_subclass,
    require_mapping,
)

T = TypeVar("T", bound="MessageBody")


@_attrs_define
class MessageBody:
    """The message content; the member named by type holds it.

    Attributes:
        type_ (MessageBodyType): Which kind of content the message carries.
        html (MessageBodyHtml | Unset): HTML content with its plain-text alternative.
        text (MessageBodyText | Unset): Plain-text content.
    """

    type_: MessageBodyType = _attrs_field(metadata={"wire_name": "type"})
    html: MessageBodyHtml | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "html"}
    )
    text: MessageBodyText | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "text"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        html: dict[str, Any] | Unset = UNSET
        if not isinstance(self.html, Unset):
            html = self.html.to_dict()

        text: dict[str, Any] | Unset = UNSET
        if not isinstance(self.text, Unset):
            text = self.text.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if html is not UNSET:
            field_dict["html"] = html
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_body = _new_object(cls)
        message_body.type_ = _message_body_type_members.get(
            src_dict["type"]
        ) or _message_body_type_from_value(src_dict["type"])

        _html = src_dict.get("html", UNSET)
        message_body.html = (
            UNSET if _html is UNSET else MessageBodyHtml.from_dict(_html)
        )

        _text = src_dict.get("text", UNSET)
        message_body.text = (
            UNSET if _text is UNSET else MessageBodyText.from_dict(_text)
        )

        message_body.additional_properties = (
            {}
            if _MESSAGE_BODY_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_BODY_KEYS
            }
        )
        return (
            message_body
            if cls is MessageBody
            else init_subclass(message_body, MessageBody)
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


# The JSON keys MessageBody has attributes for; any other key goes to additional_properties.
_MESSAGE_BODY_KEYS: frozenset[str] = frozenset(
    (
        "type",
        "html",
        "text",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_message_body_type_members: dict[str, MessageBodyType] = {
    member.value: member for member in MessageBodyType
}
_message_body_type_from_value = MessageBodyType.from_value

from ..models.message_body_html import MessageBodyHtml
from ..models.message_body_text import MessageBodyText
