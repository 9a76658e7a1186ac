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

T = TypeVar("T", bound="MessageActionBuy")


@_attrs_define
class MessageActionBuy:
    """A button that pays an amount.

    Attributes:
        amount_cents (int): The amount, in cents.
        currency (str): The ISO 4217 currency code.
        text (str): The button's label.
    """

    amount_cents: int = _attrs_field(metadata={"wire_name": "amountCents"})
    currency: str = _attrs_field(metadata={"wire_name": "currency"})
    text: str = _attrs_field(metadata={"wire_name": "text"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        amount_cents = self.amount_cents

        currency = self.currency

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amountCents": amount_cents,
                "currency": currency,
                "text": text,
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
        message_action_buy = _new_object(cls)
        _amount_cents = src_dict["amountCents"]
        if _amount_cents.__class__ is not int:
            wrong_type(_amount_cents, "integer")
        message_action_buy.amount_cents = _amount_cents

        _currency = src_dict["currency"]
        if _currency.__class__ is not str:
            wrong_type(_currency, "string")
        message_action_buy.currency = _currency

        _text = src_dict["text"]
        if _text.__class__ is not str:
            wrong_type(_text, "string")
        message_action_buy.text = _text

        message_action_buy.additional_properties = (
            {}
            if len(src_dict) == 3
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_ACTION_BUY_KEYS
            }
        )
        return (
            message_action_buy
            if cls is MessageActionBuy
            else init_subclass(message_action_buy, MessageActionBuy)
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


# The JSON keys MessageActionBuy has attributes for; any other key goes to additional_properties.
_MESSAGE_ACTION_BUY_KEYS: frozenset[str] = frozenset(
    (
        "amountCents",
        "currency",
        "text",
    )
)

_new_object = object.__new__
