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
    wrong_type,
)

T = TypeVar("T", bound="MessageMetaEmail")


@_attrs_define
class MessageMetaEmail:
    """Email-specific metadata.

    Attributes:
        subject (str | Unset): The email subject.
    """

    subject: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "subject"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_meta_email = _new_object(cls)
        _subject = src_dict.get("subject", UNSET)
        if _subject.__class__ is not str and _subject is not UNSET:
            wrong_type(_subject, "string")
        message_meta_email.subject = _subject

        message_meta_email.additional_properties = (
            {}
            if _MESSAGE_META_EMAIL_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_META_EMAIL_KEYS
            }
        )
        return (
            message_meta_email
            if cls is MessageMetaEmail
            else init_subclass(message_meta_email, MessageMetaEmail)
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


# The JSON keys MessageMetaEmail has attributes for; any other key goes to additional_properties.
_MESSAGE_META_EMAIL_KEYS: frozenset[str] = frozenset(("subject",))

_new_object = object.__new__
