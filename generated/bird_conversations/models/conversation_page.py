from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.total_type import TotalType
from ..types import (
    UNSET,
    Unset,
    init_subclass,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="ConversationPage")


@_attrs_define
class ConversationPage:
    """
    Attributes:
        results (list[Conversation]): List of conversations.
        next_page_token (None | str | Unset): The token that can be passed as pageToken in URL to retrieve the next set
            of results. If missing, no more results to display.
        total (int | Unset):
        total_type (TotalType | Unset):
    """

    results: list[Conversation] = _attrs_field(metadata={"wire_name": "results"})
    next_page_token: None | str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "nextPageToken"}
    )
    total: int | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "total"})
    total_type: TotalType | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "totalType"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        results: list[dict[str, Any]] = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        next_page_token: None | str | Unset
        if isinstance(self.next_page_token, Unset):
            next_page_token = UNSET
        else:
            next_page_token = self.next_page_token

        total = self.total

        total_type: str | Unset = UNSET
        if not isinstance(self.total_type, Unset):
            total_type = self.total_type.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
            }
        )
        if next_page_token is not UNSET:
            field_dict["nextPageToken"] = next_page_token
        if total is not UNSET:
            field_dict["total"] = total
        if total_type is not UNSET:
            field_dict["totalType"] = total_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        conversation_page = _new_object(cls)
        _results = src_dict["results"]
        if _results.__class__ is not list:
            wrong_type(_results, "array")

        results: list[Conversation] = [
            Conversation.from_dict(results_item_data) for results_item_data in _results
        ]

        conversation_page.results = results

        def _parse_next_page_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if type(data) is str:
                return data
            wrong_type(data, "string or null")

        next_page_token = _parse_next_page_token(src_dict.get("nextPageToken", UNSET))

        conversation_page.next_page_token = next_page_token

        _total = src_dict.get("total", UNSET)
        if _total.__class__ is not int and _total is not UNSET:
            wrong_type(_total, "integer")
        conversation_page.total = _total

        _total_type = src_dict.get("totalType", UNSET)
        conversation_page.total_type = (
            UNSET
            if _total_type is UNSET
            else (
                _total_type_members.get(_total_type)
                or _total_type_from_value(_total_type)
            )
        )

        conversation_page.additional_properties = (
            {}
            if _CONVERSATION_PAGE_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _CONVERSATION_PAGE_KEYS
            }
        )
        return (
            conversation_page
            if cls is ConversationPage
            else init_subclass(conversation_page, ConversationPage)
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


# The JSON keys ConversationPage has attributes for; any other key goes to additional_properties.
_CONVERSATION_PAGE_KEYS: frozenset[str] = frozenset(
    (
        "results",
        "nextPageToken",
        "total",
        "totalType",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_total_type_members: dict[str, TotalType] = {
    member.value: member for member in TotalType
}
_total_type_from_value = TotalType.from_value

from ..models.conversation import Conversation
