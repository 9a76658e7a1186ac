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

T = TypeVar("T", bound="ActiveConversationPage")


@_attrs_define
class ActiveConversationPage:
    """
    Attributes:
        conversations (list[ActiveConversation]):
        continuationtoken (None | str | Unset): Fetches the next page when sent as ContinuationToken. Whether the last
            page omits it, sends null or sends an empty string is not documented: all three end the listing.
    """

    conversations: list[ActiveConversation] = _attrs_field(
        metadata={"wire_name": "conversations"}
    )
    continuationtoken: None | str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "continuationtoken"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        conversations: list[dict[str, Any]] = []
        for conversations_item_data in self.conversations:
            conversations_item = conversations_item_data.to_dict()
            conversations.append(conversations_item)

        continuationtoken: None | str | Unset
        if isinstance(self.continuationtoken, Unset):
            continuationtoken = UNSET
        else:
            continuationtoken = self.continuationtoken

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversations": conversations,
            }
        )
        if continuationtoken is not UNSET:
            field_dict["continuationtoken"] = continuationtoken

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        active_conversation_page = _new_object(cls)
        _conversations = src_dict["conversations"]
        if _conversations.__class__ is not list:
            wrong_type(_conversations, "array")

        conversations: list[ActiveConversation] = [
            ActiveConversation.from_dict(conversations_item_data)
            for conversations_item_data in _conversations
        ]

        active_conversation_page.conversations = conversations

        def _parse_continuationtoken(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if type(data) is str:
                return data
            wrong_type(data, "string or null")

        continuationtoken = _parse_continuationtoken(
            src_dict.get("continuationtoken", UNSET)
        )

        active_conversation_page.continuationtoken = continuationtoken

        active_conversation_page.additional_properties = (
            {}
            if _ACTIVE_CONVERSATION_PAGE_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _ACTIVE_CONVERSATION_PAGE_KEYS
            }
        )
        return (
            active_conversation_page
            if cls is ActiveConversationPage
            else init_subclass(active_conversation_page, ActiveConversationPage)
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


# The JSON keys ActiveConversationPage has attributes for; any other key goes to additional_properties.
_ACTIVE_CONVERSATION_PAGE_KEYS: frozenset[str] = frozenset(
    (
        "conversations",
        "continuationtoken",
    )
)

_new_object = object.__new__

from ..models.active_conversation import ActiveConversation
