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

T = TypeVar("T", bound="MessageBodyList")


@_attrs_define
class MessageBodyList:
    """A list of options to pick from.

    Attributes:
        text (str): The list's text.
        actions (list[MessageAction] | None | Unset): Buttons offered with the content.
        alt_text (str | Unset): Text shown where the list cannot be.
        items (list[MessageItem] | None | Unset): The cards of a carousel, or the rows or sections of a list.
        title (str | Unset): The list's title.
    """

    text: str = _attrs_field(metadata={"wire_name": "text"})
    actions: list[MessageAction] | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "actions"}
    )
    alt_text: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "altText"}
    )
    items: list[MessageItem] | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "items"}
    )
    title: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "title"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        actions: list[dict[str, Any]] | None | Unset
        if isinstance(self.actions, Unset):
            actions = UNSET
        elif isinstance(self.actions, list):
            actions = []
            for componentsschemas_actions_type_0_item_data in self.actions:
                componentsschemas_actions_type_0_item = (
                    componentsschemas_actions_type_0_item_data.to_dict()
                )
                actions.append(componentsschemas_actions_type_0_item)

        else:
            actions = self.actions

        alt_text = self.alt_text

        items: list[dict[str, Any]] | None | Unset
        if isinstance(self.items, Unset):
            items = UNSET
        elif isinstance(self.items, list):
            items = []
            for componentsschemas_items_type_0_item_data in self.items:
                componentsschemas_items_type_0_item = (
                    componentsschemas_items_type_0_item_data.to_dict()
                )
                items.append(componentsschemas_items_type_0_item)

        else:
            items = self.items

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "text": text,
            }
        )
        if actions is not UNSET:
            field_dict["actions"] = actions
        if alt_text is not UNSET:
            field_dict["altText"] = alt_text
        if items is not UNSET:
            field_dict["items"] = items
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_body_list = _new_object(cls)
        _text = src_dict["text"]
        if _text.__class__ is not str:
            wrong_type(_text, "string")
        message_body_list.text = _text

        def _parse_actions(data: object) -> list[MessageAction] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                wrong_type(data, "array or null")
            componentsschemas_actions_type_0: list[MessageAction] = [
                MessageAction.from_dict(componentsschemas_actions_type_0_item_data)
                for componentsschemas_actions_type_0_item_data in cast(
                    "Iterable[Any]", data
                )
            ]

            return componentsschemas_actions_type_0

        actions = _parse_actions(src_dict.get("actions", UNSET))

        message_body_list.actions = actions

        _alt_text = src_dict.get("altText", UNSET)
        if _alt_text.__class__ is not str and _alt_text is not UNSET:
            wrong_type(_alt_text, "string")
        message_body_list.alt_text = _alt_text

        def _parse_items(data: object) -> list[MessageItem] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
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

        items = _parse_items(src_dict.get("items", UNSET))

        message_body_list.items = items

        _title = src_dict.get("title", UNSET)
        if _title.__class__ is not str and _title is not UNSET:
            wrong_type(_title, "string")
        message_body_list.title = _title

        message_body_list.additional_properties = (
            {}
            if _MESSAGE_BODY_LIST_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_BODY_LIST_KEYS
            }
        )
        return (
            message_body_list
            if cls is MessageBodyList
            else init_subclass(message_body_list, MessageBodyList)
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


# The JSON keys MessageBodyList has attributes for; any other key goes to additional_properties.
_MESSAGE_BODY_LIST_KEYS: frozenset[str] = frozenset(
    (
        "text",
        "actions",
        "altText",
        "items",
        "title",
    )
)

_new_object = object.__new__

from ..models.message_action import MessageAction
from ..models.message_item import MessageItem
