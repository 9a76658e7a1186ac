from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.last_message_status import LastMessageStatus
from ..models.last_message_type import LastMessageType
from ..types import UNSET, Unset, format_datetime, parse_datetime

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

    created_at: datetime.datetime
    id: UUID
    preview: MessagePreview
    status: LastMessageStatus
    type_: LastMessageType
    draft: bool | Unset = UNSET
    recipients: list[RecipientContact] | None | Unset = UNSET
    sender: MessageSender | Unset = UNSET
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
        d = dict(src_dict)
        created_at = parse_datetime(d.pop("createdAt"))

        id = UUID(d.pop("id"))

        preview = MessagePreview.from_dict(d.pop("preview"))

        status = LastMessageStatus.from_value(d.pop("status"))

        type_ = LastMessageType.from_value(d.pop("type"))

        draft = d.pop("draft", UNSET)

        def _parse_recipients(data: object) -> list[RecipientContact] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                recipients_type_0: list[RecipientContact] = []
                _recipients_type_0 = cast(Iterable[Any], data)
                for recipients_type_0_item_data in _recipients_type_0:
                    recipients_type_0_item = RecipientContact.from_dict(
                        recipients_type_0_item_data
                    )

                    recipients_type_0.append(recipients_type_0_item)

                return recipients_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[RecipientContact] | None | Unset, data)

        recipients = _parse_recipients(d.pop("recipients", UNSET))

        _sender = d.pop("sender", UNSET)
        sender: MessageSender | Unset
        if isinstance(_sender, Unset):
            sender = UNSET
        else:
            sender = MessageSender.from_dict(_sender)

        last_message = cls(
            created_at=created_at,
            id=id,
            preview=preview,
            status=status,
            type_=type_,
            draft=draft,
            recipients=recipients,
            sender=sender,
        )

        last_message.additional_properties = d
        return last_message

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


from ..models.message_preview import MessagePreview
from ..models.message_sender import MessageSender
from ..models.recipient_contact import RecipientContact
