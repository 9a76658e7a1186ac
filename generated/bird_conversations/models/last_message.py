from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.last_message_status import LastMessageStatus
from ..models.last_message_type import LastMessageType
from ..types import (
    UNSET,
    Unset,
    format_datetime,
    init_subclass,
    parse_datetime,
    parse_uuid,
    require_mapping,
    wrong_type,
)

T = TypeVar("T", bound="LastMessage")


@_attrs_define
class LastMessage:
    """
    Attributes:
        created_at (datetime.datetime):
        id (UUID):
        preview (MessagePreview):
        status (LastMessageStatus):
        type_ (LastMessageType):
        draft (bool | Unset):
        recipients (list[RecipientContact] | None | Unset):
        sender (MessageSender | Unset):
    """

    created_at: datetime.datetime = _attrs_field(metadata={"wire_name": "createdAt"})
    id: UUID = _attrs_field(metadata={"wire_name": "id"})
    preview: MessagePreview = _attrs_field(metadata={"wire_name": "preview"})
    status: LastMessageStatus = _attrs_field(metadata={"wire_name": "status"})
    type_: LastMessageType = _attrs_field(metadata={"wire_name": "type"})
    draft: bool | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "draft"})
    recipients: list[RecipientContact] | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "recipients"}
    )
    sender: MessageSender | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "sender"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        created_at = format_datetime(self.created_at)

        id = str(self.id)

        preview = self.preview.to_dict()

        status = self.status.value

        type_ = self.type_.value

        draft = self.draft

        recipients: list[dict[str, Any]] | None | Unset
        if isinstance(self.recipients, Unset):
            recipients = UNSET
        elif isinstance(self.recipients, list):
            recipients = []
            for recipients_type_0_item_data in self.recipients:
                recipients_type_0_item = recipients_type_0_item_data.to_dict()
                recipients.append(recipients_type_0_item)

        else:
            recipients = self.recipients

        sender: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sender, Unset):
            sender = self.sender.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "id": id,
                "preview": preview,
                "status": status,
                "type": type_,
            }
        )
        if draft is not UNSET:
            field_dict["draft"] = draft
        if recipients is not UNSET:
            field_dict["recipients"] = recipients
        if sender is not UNSET:
            field_dict["sender"] = sender

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        last_message = _new_object(cls)
        last_message.created_at = parse_datetime(src_dict["createdAt"])

        last_message.id = parse_uuid(src_dict["id"])

        last_message.preview = MessagePreview.from_dict(src_dict["preview"])

        last_message.status = _last_message_status_members.get(
            src_dict["status"]
        ) or _last_message_status_from_value(src_dict["status"])

        last_message.type_ = _last_message_type_members.get(
            src_dict["type"]
        ) or _last_message_type_from_value(src_dict["type"])

        _draft = src_dict.get("draft", UNSET)
        if _draft.__class__ is not bool and _draft is not UNSET:
            wrong_type(_draft, "boolean")
        last_message.draft = _draft

        def _parse_recipients(data: object) -> list[RecipientContact] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                wrong_type(data, "array or null")
            recipients_type_0: list[RecipientContact] = [
                RecipientContact.from_dict(recipients_type_0_item_data)
                for recipients_type_0_item_data in cast("Iterable[Any]", data)
            ]

            return recipients_type_0

        recipients = _parse_recipients(src_dict.get("recipients", UNSET))

        last_message.recipients = recipients

        _sender = src_dict.get("sender", UNSET)
        last_message.sender = (
            UNSET if _sender is UNSET else MessageSender.from_dict(_sender)
        )

        last_message.additional_properties = (
            {}
            if _LAST_MESSAGE_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _LAST_MESSAGE_KEYS
            }
        )
        return (
            last_message
            if cls is LastMessage
            else init_subclass(last_message, LastMessage)
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


# The JSON keys LastMessage has attributes for; any other key goes to additional_properties.
_LAST_MESSAGE_KEYS: frozenset[str] = frozenset(
    (
        "createdAt",
        "id",
        "preview",
        "status",
        "type",
        "draft",
        "recipients",
        "sender",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_last_message_status_members: dict[str, LastMessageStatus] = {
    member.value: member for member in LastMessageStatus
}
_last_message_status_from_value = LastMessageStatus.from_value
_last_message_type_members: dict[str, LastMessageType] = {
    member.value: member for member in LastMessageType
}
_last_message_type_from_value = LastMessageType.from_value

from ..models.message_preview import MessagePreview
from ..models.message_sender import MessageSender
from ..models.recipient_contact import RecipientContact
