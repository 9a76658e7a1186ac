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

T = TypeVar("T", bound="MessageList")


@_attrs_define
class MessageList:
    """
    Attributes:
        results (list[Message]): The messages of this page.
    """

    results: list[Message] = _attrs_field(metadata={"wire_name": "results"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        results: list[dict[str, Any]] = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
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
        message_list = _new_object(cls)
        _results = src_dict["results"]
        if _results.__class__ is not list:
            wrong_type(_results, "array")

        results: list[Message] = [
            Message.from_dict(results_item_data) for results_item_data in _results
        ]

        message_list.results = results

        message_list.additional_properties = (
            {}
            if len(src_dict) == 1
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_LIST_KEYS
            }
        )
        return (
            message_list
            if cls is MessageList
            else init_subclass(message_list, MessageList)
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


# The JSON keys MessageList has attributes for; any other key goes to additional_properties.
_MESSAGE_LIST_KEYS: frozenset[str] = frozenset(("results",))

_new_object = object.__new__

from ..models.message import Message
