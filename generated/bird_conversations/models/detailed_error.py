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

T = TypeVar("T", bound="DetailedError")


@_attrs_define
class DetailedError:
    """An error returned from the API that includes additional details about the error. The `details` property can contain
    any additional information about the error that may be helpful for debugging or understanding the error.

        Attributes:
            code (str): A unique code that identifies the error. This code can be used to programmatically identify the
                error.
            message (str): A human-readable message that describes the error.
            details (DetailedErrorDetails | Unset): Any additional information about the error that may be helpful for
                debugging or understanding the error.
    """

    code: str = _attrs_field(metadata={"wire_name": "code"})
    message: str = _attrs_field(metadata={"wire_name": "message"})
    details: DetailedErrorDetails | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "details"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        detailed_error = _new_object(cls)
        _code = src_dict["code"]
        if _code.__class__ is not str:
            wrong_type(_code, "string")
        detailed_error.code = _code

        _message = src_dict["message"]
        if _message.__class__ is not str:
            wrong_type(_message, "string")
        detailed_error.message = _message

        _details = src_dict.get("details", UNSET)
        detailed_error.details = (
            UNSET if _details is UNSET else DetailedErrorDetails.from_dict(_details)
        )

        detailed_error.additional_properties = (
            {}
            if _DETAILED_ERROR_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _DETAILED_ERROR_KEYS
            }
        )
        return (
            detailed_error
            if cls is DetailedError
            else init_subclass(detailed_error, DetailedError)
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


# The JSON keys DetailedError has attributes for; any other key goes to additional_properties.
_DETAILED_ERROR_KEYS: frozenset[str] = frozenset(
    (
        "code",
        "message",
        "details",
    )
)

_new_object = object.__new__

from ..models.detailed_error_details import DetailedErrorDetails
