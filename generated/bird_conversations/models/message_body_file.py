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

T = TypeVar("T", bound="MessageBodyFile")


@_attrs_define
class MessageBodyFile:
    """One or more files (documents, audio, video, stickers), with an optional caption.

    Attributes:
        files (list[MessageFile]):
        actions (list[MessageAction] | None | Unset): Buttons offered with the content.
        text (str | Unset): The caption.
    """

    files: list[MessageFile] = _attrs_field(metadata={"wire_name": "files"})
    actions: list[MessageAction] | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "actions"}
    )
    text: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "text"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        files: list[dict[str, Any]] = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

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

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "files": files,
            }
        )
        if actions is not UNSET:
            field_dict["actions"] = actions
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message_body_file = _new_object(cls)
        _files = src_dict["files"]
        if _files.__class__ is not list:
            wrong_type(_files, "array")

        files: list[MessageFile] = [
            MessageFile.from_dict(files_item_data) for files_item_data in _files
        ]

        message_body_file.files = files

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

        message_body_file.actions = actions

        _text = src_dict.get("text", UNSET)
        if _text.__class__ is not str and _text is not UNSET:
            wrong_type(_text, "string")
        message_body_file.text = _text

        message_body_file.additional_properties = (
            {}
            if _MESSAGE_BODY_FILE_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_BODY_FILE_KEYS
            }
        )
        return (
            message_body_file
            if cls is MessageBodyFile
            else init_subclass(message_body_file, MessageBodyFile)
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


# The JSON keys MessageBodyFile has attributes for; any other key goes to additional_properties.
_MESSAGE_BODY_FILE_KEYS: frozenset[str] = frozenset(
    (
        "files",
        "actions",
        "text",
    )
)

_new_object = object.__new__

from ..models.message_action import MessageAction
from ..models.message_file import MessageFile
