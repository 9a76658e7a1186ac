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

T = TypeVar("T", bound="MessageBodyLocation")


@_attrs_define
class MessageBodyLocation:
    """A place on the map.

    Attributes:
        coordinates (MessageLocationCoordinates): Where the place is.
        location (MessageLocationAddress | Unset): How the place is named.
    """

    coordinates: MessageLocationCoordinates = _attrs_field(
        metadata={"wire_name": "coordinates"}
    )
    location: MessageLocationAddress | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "location"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        coordinates = self.coordinates.to_dict()

        location: dict[str, Any] | Unset = UNSET
        if not isinstance(self.location, Unset):
            location = self.location.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "coordinates": coordinates,
            }
        )
        if location is not UNSET:
            field_dict["location"] = location

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_body_location = _new_object(cls)
        message_body_location.coordinates = MessageLocationCoordinates.from_dict(
            src_dict["coordinates"]
        )

        _location = src_dict.get("location", UNSET)
        message_body_location.location = (
            UNSET if _location is UNSET else MessageLocationAddress.from_dict(_location)
        )

        message_body_location.additional_properties = (
            {}
            if _MESSAGE_BODY_LOCATION_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_BODY_LOCATION_KEYS
            }
        )
        return (
            message_body_location
            if cls is MessageBodyLocation
            else init_subclass(message_body_location, MessageBodyLocation)
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


# The JSON keys MessageBodyLocation has attributes for; any other key goes to additional_properties.
_MESSAGE_BODY_LOCATION_KEYS: frozenset[str] = frozenset(
    (
        "coordinates",
        "location",
    )
)

_new_object = object.__new__

from ..models.message_location_address import MessageLocationAddress
from ..models.message_location_coordinates import MessageLocationCoordinates
