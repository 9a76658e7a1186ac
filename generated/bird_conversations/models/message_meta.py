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

T = TypeVar("T", bound="MessageMeta")


@_attrs_define
class MessageMeta:
    """Channel-dependent metadata of a message.

    Attributes:
        email (MessageMetaEmail | Unset): Email-specific metadata.
        extra_information (MessageMetaExtraInformation | Unset): Free-form extra facts.
    """

    email: MessageMetaEmail | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "email"}
    )
    extra_information: MessageMetaExtraInformation | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "extraInformation"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        email: dict[str, Any] | Unset = UNSET
        if not isinstance(self.email, Unset):
            email = self.email.to_dict()

        extra_information: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra_information, Unset):
            extra_information = self.extra_information.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if extra_information is not UNSET:
            field_dict["extraInformation"] = extra_information

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_meta = _new_object(cls)
        _email = src_dict.get("email", UNSET)
        message_meta.email = (
            UNSET if _email is UNSET else MessageMetaEmail.from_dict(_email)
        )

        _extra_information = src_dict.get("extraInformation", UNSET)
        message_meta.extra_information = (
            UNSET
            if _extra_information is UNSET
            else MessageMetaExtraInformation.from_dict(_extra_information)
        )

        message_meta.additional_properties = (
            {}
            if _MESSAGE_META_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_META_KEYS
            }
        )
        return (
            message_meta
            if cls is MessageMeta
            else init_subclass(message_meta, MessageMeta)
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


# The JSON keys MessageMeta has attributes for; any other key goes to additional_properties.
_MESSAGE_META_KEYS: frozenset[str] = frozenset(
    (
        "email",
        "extraInformation",
    )
)

_new_object = object.__new__

from ..models.message_meta_email import MessageMetaEmail
from ..models.message_meta_extra_information import MessageMetaExtraInformation
