from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ActiveConversationPage")


@_attrs_define
class ActiveConversationPage:
    """
    Attributes:
        conversations (list[ActiveConversation]):
        continuationtoken (None | str | Unset): Fetches the next page when sent as ContinuationToken. Whether the last
            page omits it, sends null or sends an empty string is not documented: all three end the listing.
    """

    conversations: list[ActiveConversation]
    continuationtoken: None | str | Unset = UNSET
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
        d = dict(src_dict)
        conversations: list[ActiveConversation] = []
        _conversations = cast(Iterable[Any], d.pop("conversations"))
        for conversations_item_data in _conversations:
            conversations_item = ActiveConversation.from_dict(conversations_item_data)

            conversations.append(conversations_item)

        def _parse_continuationtoken(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        continuationtoken = _parse_continuationtoken(d.pop("continuationtoken", UNSET))

        active_conversation_page = cls(
            conversations=conversations,
            continuationtoken=continuationtoken,
        )

        active_conversation_page.additional_properties = d
        return active_conversation_page

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


from ..models.active_conversation import ActiveConversation
