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

T = TypeVar("T", bound="MessageAuthenticationOtp")


@_attrs_define
class MessageAuthenticationOtp:
    """The one-time password's settings.

    Attributes:
        disclaimer (bool): Whether a security disclaimer is added.
        actions (list[MessageAction] | None | Unset): Buttons offered with the content.
        expiration_time (int | None | Unset): After how many seconds the code expires; null: no expiry notice.
    """

    disclaimer: bool = _attrs_field(metadata={"wire_name": "disclaimer"})
    actions: list[MessageAction] | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "actions"}
    )
    expiration_time: int | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "expirationTime"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        disclaimer = self.disclaimer

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

        expiration_time: int | None | Unset
        if isinstance(self.expiration_time, Unset):
            expiration_time = UNSET
        else:
            expiration_time = self.expiration_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "disclaimer": disclaimer,
            }
        )
        if actions is not UNSET:
            field_dict["actions"] = actions
        if expiration_time is not UNSET:
            field_dict["expirationTime"] = expiration_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_authentication_otp = _new_object(cls)
        _disclaimer = src_dict["disclaimer"]
        if _disclaimer.__class__ is not bool:
            wrong_type(_disclaimer, "boolean")
        message_authentication_otp.disclaimer = _disclaimer

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

        message_authentication_otp.actions = actions

        def _parse_expiration_time(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if type(data) is int:
                return data
            wrong_type(data, "integer or null")

        expiration_time = _parse_expiration_time(src_dict.get("expirationTime", UNSET))

        message_authentication_otp.expiration_time = expiration_time

        message_authentication_otp.additional_properties = (
            {}
            if _MESSAGE_AUTHENTICATION_OTP_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_AUTHENTICATION_OTP_KEYS
            }
        )
        return (
            message_authentication_otp
            if cls is MessageAuthenticationOtp
            else init_subclass(message_authentication_otp, MessageAuthenticationOtp)
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


# The JSON keys MessageAuthenticationOtp has attributes for; any other key goes to additional_properties.
_MESSAGE_AUTHENTICATION_OTP_KEYS: frozenset[str] = frozenset(
    (
        "disclaimer",
        "actions",
        "expirationTime",
    )
)

_new_object = object.__new__

from ..models.message_action import MessageAction
