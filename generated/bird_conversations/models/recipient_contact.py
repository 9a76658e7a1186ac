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
)

T = TypeVar("T", bound="RecipientContact")


@_attrs_define
class RecipientContact:
    """
    Attributes:
        contact_annotation (ContactAnnotation | Unset): Annotations add extra information to a sender or receiver. For
            email messages, the name annotation overrides the display name.
        country_code (str | Unset):
        id (UUID | Unset): The ID of the contact.
        identifier_key (str | Unset): The identifier key for finding the contact (e.g. emailaddress, phonenumber). For
            WhatsApp channels with BSUID support, use `whatsappbsuid` to send to a contact by their Business-Scoped User ID.
        identifier_value (str | Unset): The identifier value for finding the contact.
        identifiers (list[ContactIdentifier] | Unset): Additional identifiers to augment the contact during resolution.
        platform_address (str | Unset): The resolved platform address used to deliver the message (e.g. phone number or
            email address).
        platform_address_selector (str | Unset): An expression that defines how we resolve the platform address from a
            contact. Optional override for the default resolution logic.
        receiver_expression (str | Unset):
        receiver_value (str | Unset):
        type_ (str | Unset): The type of the receiver (e.g. to, cc, bcc for email).
    """

    contact_annotation: ContactAnnotation | Unset = UNSET
    country_code: str | Unset = UNSET
    id: UUID | Unset = UNSET
    identifier_key: str | Unset = UNSET
    identifier_value: str | Unset = UNSET
    identifiers: list[ContactIdentifier] | Unset = UNSET
    platform_address: str | Unset = UNSET
    platform_address_selector: str | Unset = UNSET
    receiver_expression: str | Unset = UNSET
    receiver_value: str | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        contact_annotation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact_annotation, Unset):
            contact_annotation = self.contact_annotation.to_dict()

        country_code = self.country_code

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        identifier_key = self.identifier_key

        identifier_value = self.identifier_value

        identifiers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.identifiers, Unset):
            identifiers = []
            for identifiers_item_data in self.identifiers:
                identifiers_item = identifiers_item_data.to_dict()
                identifiers.append(identifiers_item)

        platform_address = self.platform_address

        platform_address_selector = self.platform_address_selector

        receiver_expression = self.receiver_expression

        receiver_value = self.receiver_value

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if contact_annotation is not UNSET:
            field_dict["contactAnnotation"] = contact_annotation
        if country_code is not UNSET:
            field_dict["countryCode"] = country_code
        if id is not UNSET:
            field_dict["id"] = id
        if identifier_key is not UNSET:
            field_dict["identifierKey"] = identifier_key
        if identifier_value is not UNSET:
            field_dict["identifierValue"] = identifier_value
        if identifiers is not UNSET:
            field_dict["identifiers"] = identifiers
        if platform_address is not UNSET:
            field_dict["platformAddress"] = platform_address
        if platform_address_selector is not UNSET:
            field_dict["platformAddressSelector"] = platform_address_selector
        if receiver_expression is not UNSET:
            field_dict["receiverExpression"] = receiver_expression
        if receiver_value is not UNSET:
            field_dict["receiverValue"] = receiver_value
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        recipient_contact = _new_object(cls)
        _contact_annotation = src_dict.get("contactAnnotation", UNSET)
        recipient_contact.contact_annotation = (
            UNSET
            if _contact_annotation is UNSET
            else ContactAnnotation.from_dict(_contact_annotation)
        )

        recipient_contact.country_code = src_dict.get("countryCode", UNSET)

        _id = src_dict.get("id", UNSET)
        recipient_contact.id = UNSET if _id is UNSET else parse_uuid(_id)

        recipient_contact.identifier_key = src_dict.get("identifierKey", UNSET)

        recipient_contact.identifier_value = src_dict.get("identifierValue", UNSET)

        _identifiers = src_dict.get("identifiers", UNSET)
        identifiers: list[ContactIdentifier] | Unset = (
            UNSET
            if _identifiers is UNSET
            else [
                ContactIdentifier.from_dict(identifiers_item_data)
                for identifiers_item_data in _identifiers
            ]
        )

        recipient_contact.identifiers = identifiers

        recipient_contact.platform_address = src_dict.get("platformAddress", UNSET)

        recipient_contact.platform_address_selector = src_dict.get(
            "platformAddressSelector", UNSET
        )

        recipient_contact.receiver_expression = src_dict.get(
            "receiverExpression", UNSET
        )

        recipient_contact.receiver_value = src_dict.get("receiverValue", UNSET)

        recipient_contact.type_ = src_dict.get("type", UNSET)

        recipient_contact.additional_properties = (
            {}
            if _RECIPIENT_CONTACT_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _RECIPIENT_CONTACT_KEYS
            }
        )
        return (
            recipient_contact
            if cls is RecipientContact
            else init_subclass(recipient_contact, RecipientContact)
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


# The JSON keys RecipientContact has attributes for; any other key goes to additional_properties.
_RECIPIENT_CONTACT_KEYS: frozenset[str] = frozenset(
    (
        "contactAnnotation",
        "countryCode",
        "id",
        "identifierKey",
        "identifierValue",
        "identifiers",
        "platformAddress",
        "platformAddressSelector",
        "receiverExpression",
        "receiverValue",
        "type",
    )
)

_new_object = object.__new__

from ..models.contact_annotation import ContactAnnotation
from ..models.contact_identifier import ContactIdentifier
