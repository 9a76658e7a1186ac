from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_receiver_types_item import MessageReceiverTypesItem
from ..models.message_source import MessageSource
from ..models.message_status import MessageStatus
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

T = TypeVar("T", bound="Message")


@_attrs_define
class Message:
    """One message of a conversation.

    Attributes:
        created_at (datetime.datetime): When the message was created (RFC 3339).
        draft (bool): True while the message is a draft.
        id (str): The message's id.
        sender (MessageParticipant): A participant who sends or receives messages in the conversation.
        source (MessageSource): Whether Bird's Conversations API or an outside party created the message.
        status (MessageStatus): Where the message is in its lifecycle.
        updated_at (datetime.datetime): When the message last changed (RFC 3339).
        body (MessageBody | Unset): The message content: one kind of content, held by the member its type names. A body
            of a kind the document does not know keeps its members in additional_properties.
        conversation_id (UUID | Unset): The conversation the message belongs to.
        interactions (list[MessageInteraction] | None | Unset): Interactions recorded on the message.
        meta (MessageMeta | Unset): Channel-dependent metadata of a message.
        reason (str | Unset): Why sending or delivery failed, when it did.
        receiver_types (list[MessageReceiverTypesItem] | Unset): How each receiver was addressed; inbound email only.
        recipients (list[MessageRecipient] | Unset): Who the message is addressed to.
        reference (str | Unset): The sender's own id for the message, unique in the workspace.
        template (MessageTemplate | None | Unset): The template a message was sent from.
    """

    created_at: datetime.datetime = _attrs_field(metadata={"wire_name": "createdAt"})
    draft: bool = _attrs_field(metadata={"wire_name": "draft"})
    id: str = _attrs_field(metadata={"wire_name": "id"})
    sender: MessageParticipant = _attrs_field(metadata={"wire_name": "sender"})
    source: MessageSource = _attrs_field(metadata={"wire_name": "source"})
    status: MessageStatus = _attrs_field(metadata={"wire_name": "status"})
    updated_at: datetime.datetime = _attrs_field(metadata={"wire_name": "updatedAt"})
    body: MessageBody | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "body"}
    )
    conversation_id: UUID | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "conversationId"}
    )
    interactions: list[MessageInteraction] | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "interactions"}
    )
    meta: MessageMeta | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "meta"}
    )
    reason: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "reason"})
    receiver_types: list[MessageReceiverTypesItem] | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "receiverTypes"}
    )
    recipients: list[MessageRecipient] | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "recipients"}
    )
    reference: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "reference"}
    )
    template: MessageTemplate | None | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "template"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        created_at = format_datetime(self.created_at)

        draft = self.draft

        id = self.id

        sender = self.sender.to_dict()

        source = self.source.value

        status = self.status.value

        updated_at = format_datetime(self.updated_at)

        body: dict[str, Any] | Unset = UNSET
        if not isinstance(self.body, Unset):
            body = self.body.to_dict()

        conversation_id: str | Unset = UNSET
        if not isinstance(self.conversation_id, Unset):
            conversation_id = str(self.conversation_id)

        interactions: list[dict[str, Any]] | None | Unset
        if isinstance(self.interactions, Unset):
            interactions = UNSET
        elif isinstance(self.interactions, list):
            interactions = []
            for interactions_type_0_item_data in self.interactions:
                interactions_type_0_item = interactions_type_0_item_data.to_dict()
                interactions.append(interactions_type_0_item)

        else:
            interactions = self.interactions

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        reason = self.reason

        receiver_types: list[str] | Unset = UNSET
        if not isinstance(self.receiver_types, Unset):
            receiver_types = []
            for receiver_types_item_data in self.receiver_types:
                receiver_types_item = receiver_types_item_data.value
                receiver_types.append(receiver_types_item)

        recipients: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.recipients, Unset):
            recipients = []
            for recipients_item_data in self.recipients:
                recipients_item = recipients_item_data.to_dict()
                recipients.append(recipients_item)

        reference = self.reference

        template: dict[str, Any] | None | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        elif isinstance(self.template, MessageTemplate):
            template = self.template.to_dict()
        else:
            template = self.template

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "createdAt": created_at,
                "draft": draft,
                "id": id,
                "sender": sender,
                "source": source,
                "status": status,
                "updatedAt": updated_at,
            }
        )
        if body is not UNSET:
            field_dict["body"] = body
        if conversation_id is not UNSET:
            field_dict["conversationId"] = conversation_id
        if interactions is not UNSET:
            field_dict["interactions"] = interactions
        if meta is not UNSET:
            field_dict["meta"] = meta
        if reason is not UNSET:
            field_dict["reason"] = reason
        if receiver_types is not UNSET:
            field_dict["receiverTypes"] = receiver_types
        if recipients is not UNSET:
            field_dict["recipients"] = recipients
        if reference is not UNSET:
            field_dict["reference"] = reference
        if template is not UNSET:
            field_dict["template"] = template

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        message = _new_object(cls)
        message.created_at = parse_datetime(src_dict["createdAt"])

        _draft = src_dict["draft"]
        if _draft.__class__ is not bool:
            wrong_type(_draft, "boolean")
        message.draft = _draft

        _id = src_dict["id"]
        if _id.__class__ is not str:
            wrong_type(_id, "string")
        message.id = _id

        message.sender = MessageParticipant.from_dict(src_dict["sender"])

        message.source = _message_source_members.get(
            src_dict["source"]
        ) or _message_source_from_value(src_dict["source"])

        message.status = _message_status_members.get(
            src_dict["status"]
        ) or _message_status_from_value(src_dict["status"])

        message.updated_at = parse_datetime(src_dict["updatedAt"])

        _body = src_dict.get("body", UNSET)
        message.body = UNSET if _body is UNSET else MessageBody.from_dict(_body)

        _conversation_id = src_dict.get("conversationId", UNSET)
        message.conversation_id = (
            UNSET if _conversation_id is UNSET else parse_uuid(_conversation_id)
        )

        def _parse_interactions(
            data: object,
        ) -> list[MessageInteraction] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                wrong_type(data, "array or null")
            interactions_type_0: list[MessageInteraction] = [
                MessageInteraction.from_dict(interactions_type_0_item_data)
                for interactions_type_0_item_data in cast("Iterable[Any]", data)
            ]

            return interactions_type_0

        interactions = _parse_interactions(src_dict.get("interactions", UNSET))

        message.interactions = interactions

        _meta = src_dict.get("meta", UNSET)
        message.meta = UNSET if _meta is UNSET else MessageMeta.from_dict(_meta)

        _reason = src_dict.get("reason", UNSET)
        if _reason.__class__ is not str and _reason is not UNSET:
            wrong_type(_reason, "string")
        message.reason = _reason

        _receiver_types = src_dict.get("receiverTypes", UNSET)
        receiver_types: list[MessageReceiverTypesItem] | Unset = UNSET
        if _receiver_types is not UNSET:
            if _receiver_types.__class__ is not list:
                wrong_type(_receiver_types, "array")

            receiver_types = [
                (
                    _message_receiver_types_item_members.get(receiver_types_item_data)
                    or _message_receiver_types_item_from_value(receiver_types_item_data)
                )
                for receiver_types_item_data in _receiver_types
            ]

        message.receiver_types = receiver_types

        _recipients = src_dict.get("recipients", UNSET)
        recipients: list[MessageRecipient] | Unset = UNSET
        if _recipients is not UNSET:
            if _recipients.__class__ is not list:
                wrong_type(_recipients, "array")

            recipients = [
                MessageRecipient.from_dict(recipients_item_data)
                for recipients_item_data in _recipients
            ]

        message.recipients = recipients

        _reference = src_dict.get("reference", UNSET)
        if _reference.__class__ is not str and _reference is not UNSET:
            wrong_type(_reference, "string")
        message.reference = _reference

        def _parse_template(data: object) -> MessageTemplate | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                wrong_type(data, "object or null")
            componentsschemas_message_template_type_0 = MessageTemplate.from_dict(
                cast("dict[str, Any]", data)
            )

            return componentsschemas_message_template_type_0

        template = _parse_template(src_dict.get("template", UNSET))

        message.template = template

        message.additional_properties = (
            {}
            if _MESSAGE_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_KEYS
            }
        )
        return message if cls is Message else init_subclass(message, Message)

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


# The JSON keys Message has attributes for; any other key goes to additional_properties.
_MESSAGE_KEYS: frozenset[str] = frozenset(
    (
        "createdAt",
        "draft",
        "id",
        "sender",
        "source",
        "status",
        "updatedAt",
        "body",
        "conversationId",
        "interactions",
        "meta",
        "reason",
        "receiverTypes",
        "recipients",
        "reference",
        "template",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_message_receiver_types_item_members: dict[str, MessageReceiverTypesItem] = {
    member.value: member for member in MessageReceiverTypesItem
}
_message_receiver_types_item_from_value = MessageReceiverTypesItem.from_value
_message_source_members: dict[str, MessageSource] = {
    member.value: member for member in MessageSource
}
_message_source_from_value = MessageSource.from_value
_message_status_members: dict[str, MessageStatus] = {
    member.value: member for member in MessageStatus
}
_message_status_from_value = MessageStatus.from_value

from ..models.message_body import MessageBody
from ..models.message_interaction import MessageInteraction
from ..models.message_meta import MessageMeta
from ..models.message_participant import MessageParticipant
from ..models.message_recipient import MessageRecipient
from ..models.message_template import MessageTemplate
