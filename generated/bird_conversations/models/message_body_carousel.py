from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    UNSET,
    Unset,
    init_subclass,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="MessageBodyCarousel")


@_attrs_define
class MessageBodyCarousel:
    """Cards side by side.

    Attributes:
        items (list[MessageItem] | None): The cards of a carousel, or the rows or sections of a list.
        text (str | Unset): Text shown above the cards.
    """

    items: list[MessageItem] | None = _attrs_field(metadata={"wire_name": "items"})
    text: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "text"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        items: list[dict[str, Any]] | None
        if isinstance(self.items, list):
            items = []
            for componentsschemas_items_type_0_item_data in self.items:
                componentsschemas_items_type_0_item = (
                    componentsschemas_items_type_0_item_data.to_dict()
                )
                items.append(componentsschemas_items_type_0_item)

        else:
            items = self.items

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
            }
        )
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
        message_body_carousel = _new_object(cls)

        def _parse_items(data: object) -> list[MessageItem] | None:
            if data is None:
                return data
            if not isinstance(data, list):
                wrong_type(data, "array or null")
            componentsschemas_items_type_0: list[MessageItem] = [
                MessageItem.from_dict(componentsschemas_items_type_0_item_data)
                for componentsschemas_items_type_0_item_data in cast(
                    "Iterable[Any]", data
                )
            ]

            return componentsschemas_items_type_0

        items = _parse_items(src_dict["items"])

        message_body_carousel.items = items

        _text = src_dict.get("text", UNSET)
        if _text.__class__ is not str and _text is not UNSET:
            wrong_type(_text, "string")
        message_body_carousel.text = _text

        message_body_carousel.additional_properties = (
            {}
            if _MESSAGE_BODY_CAROUSEL_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_BODY_CAROUSEL_KEYS
            }
        )
        return (
            message_body_carousel
            if cls is MessageBodyCarousel
            else init_subclass(message_body_carousel, MessageBodyCarousel)
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


# The JSON keys MessageBodyCarousel has attributes for; any other key goes to additional_properties.
_MESSAGE_BODY_CAROUSEL_KEYS: frozenset[str] = frozenset(
    (
        "items",
        "text",
    )
)

_new_object = object.__new__

from ..models.message_item import MessageItem
