from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    format_datetime,
    init_subclass,
    parse_datetime,
    parse_uuid,
    require_mapping,
)

T = TypeVar("T", bound="ActiveConversation")


@_attrs_define
class ActiveConversation:
    """
    Attributes:
        conversationid (UUID): The conversation's id.
        timestamp (datetime.datetime): When the conversation was created (often with seven fractional digits).
    """

    conversationid: UUID = _attrs_field(metadata={"wire_name": "conversationid"})
    timestamp: datetime.datetime = _attrs_field(metadata={"wire_name": "timestamp"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        conversationid = str(self.conversationid)

        timestamp = format_datetime(self.timestamp)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conversationid": conversationid,
                "timestamp": timestamp,
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
        active_conversation = _new_object(cls)
        active_conversation.conversationid = parse_uuid(src_dict["conversationid"])

        active_conversation.timestamp = parse_datetime(src_dict["timestamp"])

        active_conversation.additional_properties = (
            {}
            if len(src_dict) == 2
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _ACTIVE_CONVERSATION_KEYS
            }
        )
        return (
            active_conversation
            if cls is ActiveConversation
            else init_subclass(active_conversation, ActiveConversation)
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


# The JSON keys ActiveConversation has attributes for; any other key goes to additional_properties.
_ACTIVE_CONVERSATION_KEYS: frozenset[str] = frozenset(
    (
        "conversationid",
        "timestamp",
    )
)

_new_object = object.__new__
