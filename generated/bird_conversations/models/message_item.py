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

T = TypeVar("T", bound="MessageItem")


@_attrs_define
class MessageItem:
    """
    Attributes:
        actions (list[MessageAction] | None | Unset): Buttons offered with the content.
        alt_text (str | Unset): The media's label.
        description (str | Unset): The card's text.
        media_url (None | str | Unset): The card's image or video.
        title (str | Unset): The card's or section's title.
    """

    actions: list[MessageAction] | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "actions"}
    )
    alt_text: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "altText"}
    )
    description: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "description"}
    )
    media_url: None | str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "mediaUrl"}
    )
    title: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "title"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
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

        description = self.description

        media_url: None | str | Unset
        if isinstance(self.media_url, Unset):
            media_url = UNSET
        else:
            media_url = self.media_url

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if actions is not UNSET:
            field_dict["actions"] = actions
        if alt_text is not UNSET:
            field_dict["altText"] = alt_text
        if description is not UNSET:
            field_dict["description"] = description
        if media_url is not UNSET:
            field_dict["mediaUrl"] = media_url
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
        message_item = _new_object(cls)

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

        message_item.actions = actions

        _alt_text = src_dict.get("altText", UNSET)
        if _alt_text.__class__ is not str and _alt_text is not UNSET:
            wrong_type(_alt_text, "string")
        message_item.alt_text = _alt_text

        _description = src_dict.get("description", UNSET)
        if _description.__class__ is not str and _description is not UNSET:
            wrong_type(_description, "string")
        message_item.description = _description

        def _parse_media_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if type(data) is str:
                return data
            wrong_type(data, "string or null")

        media_url = _parse_media_url(src_dict.get("mediaUrl", UNSET))

        message_item.media_url = media_url

        _title = src_dict.get("title", UNSET)
        if _title.__class__ is not str and _title is not UNSET:
            wrong_type(_title, "string")
        message_item.title = _title

        message_item.additional_properties = (
            {}
            if _MESSAGE_ITEM_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_ITEM_KEYS
            }
        )
        return (
            message_item
            if cls is MessageItem
            else init_subclass(message_item, MessageItem)
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


# The JSON keys MessageItem has attributes for; any other key goes to additional_properties.
_MESSAGE_ITEM_KEYS: frozenset[str] = frozenset(
    (
        "actions",
        "altText",
        "description",
        "mediaUrl",
        "title",
    )
)

_new_object = object.__new__

from ..models.message_action import MessageAction
