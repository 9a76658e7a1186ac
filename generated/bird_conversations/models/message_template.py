from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import (
    UNSET,
    Unset,
    init_subclass,
    parse_uuid,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="MessageTemplate")


@_attrs_define
class MessageTemplate:
    """The template a message was sent from.

    Attributes:
        locale (str | Unset): The locale used.
        name (str | Unset): The template's name.
        project_id (UUID | Unset): The project holding the template.
        version (str | Unset): The template version.
    """

    locale: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "locale"})
    name: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "name"})
    project_id: UUID | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "projectId"}
    )
    version: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "version"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        locale = self.locale

        name = self.name

        project_id: str | Unset = UNSET
        if not isinstance(self.project_id, Unset):
            project_id = str(self.project_id)

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if locale is not UNSET:
            field_dict["locale"] = locale
        if name is not UNSET:
            field_dict["name"] = name
        if project_id is not UNSET:
            field_dict["projectId"] = project_id
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_template = _new_object(cls)
        _locale = src_dict.get("locale", UNSET)
        if _locale.__class__ is not str and _locale is not UNSET:
            wrong_type(_locale, "string")
        message_template.locale = _locale

        _name = src_dict.get("name", UNSET)
        if _name.__class__ is not str and _name is not UNSET:
            wrong_type(_name, "string")
        message_template.name = _name

        _project_id = src_dict.get("projectId", UNSET)
        message_template.project_id = (
            UNSET if _project_id is UNSET else parse_uuid(_project_id)
        )

        _version = src_dict.get("version", UNSET)
        if _version.__class__ is not str and _version is not UNSET:
            wrong_type(_version, "string")
        message_template.version = _version

        message_template.additional_properties = (
            {}
            if _MESSAGE_TEMPLATE_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_TEMPLATE_KEYS
            }
        )
        return (
            message_template
            if cls is MessageTemplate
            else init_subclass(message_template, MessageTemplate)
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


# The JSON keys MessageTemplate has attributes for; any other key goes to additional_properties.
_MESSAGE_TEMPLATE_KEYS: frozenset[str] = frozenset(
    (
        "locale",
        "name",
        "projectId",
        "version",
    )
)

_new_object = object.__new__
