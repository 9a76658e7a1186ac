from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_permission_resource import MessagePermissionResource
from ..types import (
    init_subclass,
    require_mapping,
)

T = TypeVar("T", bound="MessageBodyPermissionRequest")


@_attrs_define
class MessageBodyPermissionRequest:
    """A request for the receiver's permission.

    Attributes:
        resource (MessagePermissionResource): What permission is asked for.
    """

    resource: MessagePermissionResource = _attrs_field(
        metadata={"wire_name": "resource"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        resource = self.resource.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "resource": resource,
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
        message_body_permission_request = _new_object(cls)
        message_body_permission_request.resource = (
            _message_permission_resource_members.get(src_dict["resource"])
            or _message_permission_resource_from_value(src_dict["resource"])
        )

        message_body_permission_request.additional_properties = (
            {}
            if len(src_dict) == 1
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_BODY_PERMISSION_REQUEST_KEYS
            }
        )
        return (
            message_body_permission_request
            if cls is MessageBodyPermissionRequest
            else init_subclass(
                message_body_permission_request, MessageBodyPermissionRequest
            )
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


# The JSON keys MessageBodyPermissionRequest has attributes for; any other key goes to additional_properties.
_MESSAGE_BODY_PERMISSION_REQUEST_KEYS: frozenset[str] = frozenset(("resource",))

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_message_permission_resource_members: dict[str, MessagePermissionResource] = {
    member.value: member for member in MessagePermissionResource
}
_message_permission_resource_from_value = MessagePermissionResource.from_value
