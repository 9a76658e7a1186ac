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

T = TypeVar("T", bound="MessageBodyHtml")


@_attrs_define
class MessageBodyHtml:
    """HTML content with its plain-text alternative.

    Attributes:
        actions (list[MessageAction] | None | Unset): Buttons offered with the content.
        attachments (list[MessageHtmlAttachment] | None | Unset): Files sent with the message, by URL or inline.
        html (str | Unset): The HTML.
        text (str | Unset): The plain-text alternative.
    """

    actions: list[MessageAction] | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "actions"}
    )
    attachments: list[MessageHtmlAttachment] | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "attachments"}
    )
    html: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "html"})
    text: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "text"})
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
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

        attachments: list[dict[str, Any]] | None | Unset
        if isinstance(self.attachments, Unset):
            attachments = UNSET
        elif isinstance(self.attachments, list):
            attachments = []
            for attachments_type_0_item_data in self.attachments:
                attachments_type_0_item = attachments_type_0_item_data.to_dict()
                attachments.append(attachments_type_0_item)

        else:
            attachments = self.attachments

        html = self.html

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if actions is not UNSET:
            field_dict["actions"] = actions
        if attachments is not UNSET:
            field_dict["attachments"] = attachments
        if html is not UNSET:
            field_dict["html"] = html
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
        message_body_html = _new_object(cls)

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

        message_body_html.actions = actions

        def _parse_attachments(
            data: object,
        ) -> list[MessageHtmlAttachment] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                wrong_type(data, "array or null")
            attachments_type_0: list[MessageHtmlAttachment] = [
                MessageHtmlAttachment.from_dict(attachments_type_0_item_data)
                for attachments_type_0_item_data in cast("Iterable[Any]", data)
            ]

            return attachments_type_0

        attachments = _parse_attachments(src_dict.get("attachments", UNSET))

        message_body_html.attachments = attachments

        _html = src_dict.get("html", UNSET)
        if _html.__class__ is not str and _html is not UNSET:
            wrong_type(_html, "string")
        message_body_html.html = _html

        _text = src_dict.get("text", UNSET)
        if _text.__class__ is not str and _text is not UNSET:
            wrong_type(_text, "string")
        message_body_html.text = _text

        message_body_html.additional_properties = (
            {}
            if _MESSAGE_BODY_HTML_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_BODY_HTML_KEYS
            }
        )
        return (
            message_body_html
            if cls is MessageBodyHtml
            else init_subclass(message_body_html, MessageBodyHtml)
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


# The JSON keys MessageBodyHtml has attributes for; any other key goes to additional_properties.
_MESSAGE_BODY_HTML_KEYS: frozenset[str] = frozenset(
    (
        "actions",
        "attachments",
        "html",
        "text",
    )
)

_new_object = object.__new__

from ..models.message_action import MessageAction
from ..models.message_html_attachment import MessageHtmlAttachment
