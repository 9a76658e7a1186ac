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

T = TypeVar("T", bound="ProblemDetails")


@_attrs_define
class ProblemDetails:
    """RFC 7807 problem details, with the messaging API's numeric error code.

    Attributes:
        detail (str | Unset):
        error_code (int | Unset): The messaging API's error code (30001-30016, e.g. 30007 page size out of range, 30009
            invalid continuation token). Its field name is not documented.
        instance (str | Unset):
        status (int | Unset):
        title (str | Unset):
        type_ (str | Unset):
    """

    detail: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "detail"})
    error_code: int | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "errorCode"}
    )
    instance: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "instance"}
    )
    status: int | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "status"})
    title: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "title"})
    type_: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "type"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        error_code = self.error_code

        instance = self.instance

        status = self.status

        title = self.title

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if detail is not UNSET:
            field_dict["detail"] = detail
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if instance is not UNSET:
            field_dict["instance"] = instance
        if status is not UNSET:
            field_dict["status"] = status
        if title is not UNSET:
            field_dict["title"] = title
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        problem_details = _new_object(cls)
        _detail = src_dict.get("detail", UNSET)
        if _detail.__class__ is not str and _detail is not UNSET:
            wrong_type(_detail, "string")
        problem_details.detail = _detail

        _error_code = src_dict.get("errorCode", UNSET)
        if _error_code.__class__ is not int and _error_code is not UNSET:
            wrong_type(_error_code, "integer")
        problem_details.error_code = _error_code

        _instance = src_dict.get("instance", UNSET)
        if _instance.__class__ is not str and _instance is not UNSET:
            wrong_type(_instance, "string")
        problem_details.instance = _instance

        _status = src_dict.get("status", UNSET)
        if _status.__class__ is not int and _status is not UNSET:
            wrong_type(_status, "integer")
        problem_details.status = _status

        _title = src_dict.get("title", UNSET)
        if _title.__class__ is not str and _title is not UNSET:
            wrong_type(_title, "string")
        problem_details.title = _title

        _type_ = src_dict.get("type", UNSET)
        if _type_.__class__ is not str and _type_ is not UNSET:
            wrong_type(_type_, "string")
        problem_details.type_ = _type_

        problem_details.additional_properties = (
            {}
            if _PROBLEM_DETAILS_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _PROBLEM_DETAILS_KEYS
            }
        )
        return (
            problem_details
            if cls is ProblemDetails
            else init_subclass(problem_details, ProblemDetails)
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


# The JSON keys ProblemDetails has attributes for; any other key goes to additional_properties.
_PROBLEM_DETAILS_KEYS: frozenset[str] = frozenset(
    (
        "detail",
        "errorCode",
        "instance",
        "status",
        "title",
        "type",
    )
)

_new_object = object.__new__
