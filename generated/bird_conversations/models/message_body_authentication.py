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

T = TypeVar("T", bound="MessageBodyAuthentication")


@_attrs_define
class MessageBodyAuthentication:
    """A one-time password message.

    Attributes:
        otp (MessageAuthenticationOtp | Unset): The one-time password's settings.
    """

    otp: MessageAuthenticationOtp | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "otp"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        otp: dict[str, Any] | Unset = UNSET
        if not isinstance(self.otp, Unset):
            otp = self.otp.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if otp is not UNSET:
            field_dict["otp"] = otp

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_body_authentication = _new_object(cls)
        _otp = src_dict.get("otp", UNSET)
        message_body_authentication.otp = (
            UNSET if _otp is UNSET else MessageAuthenticationOtp.from_dict(_otp)
        )

        message_body_authentication.additional_properties = (
            {}
            if _MESSAGE_BODY_AUTHENTICATION_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_BODY_AUTHENTICATION_KEYS
            }
        )
        return (
            message_body_authentication
            if cls is MessageBodyAuthentication
            else init_subclass(message_body_authentication, MessageBodyAuthentication)
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


# The JSON keys MessageBodyAuthentication has attributes for; any other key goes to additional_properties.
_MESSAGE_BODY_AUTHENTICATION_KEYS: frozenset[str] = frozenset(("otp",))

_new_object = object.__new__

from ..models.message_authentication_otp import MessageAuthenticationOtp
