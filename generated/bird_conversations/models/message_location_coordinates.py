from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    UNSET,
    Unset,
    init_subclass,
    is_number,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="MessageLocationCoordinates")


@_attrs_define
class MessageLocationCoordinates:
    """Where the place is.

    Attributes:
        latitude (float | Unset): Degrees north (negative: south).
        longitude (float | Unset): Degrees east (negative: west).
    """

    latitude: float | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "latitude"}
    )
    longitude: float | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "longitude"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        latitude = self.latitude

        longitude = self.longitude

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if latitude is not UNSET:
            field_dict["latitude"] = latitude
        if longitude is not UNSET:
            field_dict["longitude"] = longitude

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_location_coordinates = _new_object(cls)
        _latitude = src_dict.get("latitude", UNSET)
        if not is_number(_latitude) and _latitude is not UNSET:
            wrong_type(_latitude, "number")
        message_location_coordinates.latitude = _latitude

        _longitude = src_dict.get("longitude", UNSET)
        if not is_number(_longitude) and _longitude is not UNSET:
            wrong_type(_longitude, "number")
        message_location_coordinates.longitude = _longitude

        message_location_coordinates.additional_properties = (
            {}
            if _MESSAGE_LOCATION_COORDINATES_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_LOCATION_COORDINATES_KEYS
            }
        )
        return (
            message_location_coordinates
            if cls is MessageLocationCoordinates
            else init_subclass(message_location_coordinates, MessageLocationCoordinates)
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


# The JSON keys MessageLocationCoordinates has attributes for; any other key goes to additional_properties.
_MESSAGE_LOCATION_COORDINATES_KEYS: frozenset[str] = frozenset(
    (
        "latitude",
        "longitude",
    )
)

_new_object = object.__new__
