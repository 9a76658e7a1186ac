from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_action_type import MessageActionType
from ..types import (
    UNSET,
    Unset,
    init_subclass,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="MessageAction")


@_attrs_define
class MessageAction:
    """A button: the member its type names holds it. A button of a kind the document does not know keeps its members in
    additional_properties.

        Attributes:
            type_ (MessageActionType): Which kind of button.
            buy (MessageActionBuy | Unset): A button that pays an amount.
            link (MessageActionLink | Unset): A button that opens a web address.
            location_request (MessageActionLocationRequest | None | Unset): A button that asks for the receiver's location.
            postback (MessageActionPostback | Unset): A button whose payload comes back when it is picked.
            reply (MessageActionReply | Unset): A quick reply: picking it sends its text back.
    """

    type_: MessageActionType = _attrs_field(metadata={"wire_name": "type"})
    buy: MessageActionBuy | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "buy"}
    )
    link: MessageActionLink | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "link"}
    )
    location_request: MessageActionLocationRequest | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "locationRequest"}
    )
    postback: MessageActionPostback | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "postback"}
    )
    reply: MessageActionReply | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "reply"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        buy: dict[str, Any] | Unset = UNSET
        if not isinstance(self.buy, Unset):
            buy = self.buy.to_dict()

        link: dict[str, Any] | Unset = UNSET
        if not isinstance(self.link, Unset):
            link = self.link.to_dict()

        location_request: dict[str, Any] | None | Unset
        if isinstance(self.location_request, Unset):
            location_request = UNSET
        elif isinstance(self.location_request, MessageActionLocationRequest):
            location_request = self.location_request.to_dict()
        else:
            location_request = self.location_request

        postback: dict[str, Any] | Unset = UNSET
        if not isinstance(self.postback, Unset):
            postback = self.postback.to_dict()

        reply: dict[str, Any] | Unset = UNSET
        if not isinstance(self.reply, Unset):
            reply = self.reply.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if buy is not UNSET:
            field_dict["buy"] = buy
        if link is not UNSET:
            field_dict["link"] = link
        if location_request is not UNSET:
            field_dict["locationRequest"] = location_request
        if postback is not UNSET:
            field_dict["postback"] = postback
        if reply is not UNSET:
            field_dict["reply"] = reply

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_action = _new_object(cls)
        message_action.type_ = _message_action_type_members.get(
            src_dict["type"]
        ) or _message_action_type_from_value(src_dict["type"])

        _buy = src_dict.get("buy", UNSET)
        message_action.buy = (
            UNSET if _buy is UNSET else MessageActionBuy.from_dict(_buy)
        )

        _link = src_dict.get("link", UNSET)
        message_action.link = (
            UNSET if _link is UNSET else MessageActionLink.from_dict(_link)
        )

        def _parse_location_request(
            data: object,
        ) -> MessageActionLocationRequest | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                wrong_type(data, "object or null")
            componentsschemas_action_location_request_type_0 = (
                MessageActionLocationRequest.from_dict(cast("dict[str, Any]", data))
            )

            return componentsschemas_action_location_request_type_0

        location_request = _parse_location_request(
            src_dict.get("locationRequest", UNSET)
        )

        message_action.location_request = location_request

        _postback = src_dict.get("postback", UNSET)
        message_action.postback = (
            UNSET if _postback is UNSET else MessageActionPostback.from_dict(_postback)
        )

        _reply = src_dict.get("reply", UNSET)
        message_action.reply = (
            UNSET if _reply is UNSET else MessageActionReply.from_dict(_reply)
        )

        message_action.additional_properties = (
            {}
            if _MESSAGE_ACTION_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_ACTION_KEYS
            }
        )
        return (
            message_action
            if cls is MessageAction
            else init_subclass(message_action, MessageAction)
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


# The JSON keys MessageAction has attributes for; any other key goes to additional_properties.
_MESSAGE_ACTION_KEYS: frozenset[str] = frozenset(
    (
        "type",
        "buy",
        "link",
        "locationRequest",
        "postback",
        "reply",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_message_action_type_members: dict[str, MessageActionType] = {
    member.value: member for member in MessageActionType
}
_message_action_type_from_value = MessageActionType.from_value

from ..models.message_action_buy import MessageActionBuy
from ..models.message_action_link import MessageActionLink
from ..models.message_action_location_request import MessageActionLocationRequest
from ..models.message_action_postback import MessageActionPostback
from ..models.message_action_reply import MessageActionReply
