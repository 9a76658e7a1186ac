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
)

T = TypeVar("T", bound="MessageActionReplyMetadata")


@_attrs_define
class MessageActionReplyMetadata:
    """Extra facts about the button.

    Attributes:
        description (MessageActionDescription | Unset): A row's description in a WhatsApp list.
    """

    description: MessageActionDescription | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "description"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        description: dict[str, Any] | Unset = UNSET
        if not isinstance(self.description, Unset):
            description = self.description.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_action_reply_metadata = _new_object(cls)
        _description = src_dict.get("description", UNSET)
        message_action_reply_metadata.description = (
            UNSET
            if _description is UNSET
            else MessageActionDescription.from_dict(_description)
        )

        message_action_reply_metadata.additional_properties = (
            {}
            if _MESSAGE_ACTION_REPLY_METADATA_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_ACTION_REPLY_METADATA_KEYS
            }
        )
        return (
            message_action_reply_metadata
            if cls is MessageActionReplyMetadata
            else init_subclass(
                message_action_reply_metadata, MessageActionReplyMetadata
            )
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


# The JSON keys MessageActionReplyMetadata has attributes for; any other key goes to additional_properties.
_MESSAGE_ACTION_REPLY_METADATA_KEYS: frozenset[str] = frozenset(("description",))

_new_object = object.__new__

from ..models.message_action_description import MessageActionDescription
