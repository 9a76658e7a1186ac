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

    contact_annotation: ContactAnnotation | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "contactAnnotation"}
    )
    country_code: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "countryCode"}
    )
    id: UUID | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "id"})
    identifier_key: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "identifierKey"}
    )
    identifier_value: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "identifierValue"}
    )
    identifiers: list[ContactIdentifier] | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "identifiers"}
    )
    platform_address: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "platformAddress"}
    )
    platform_address_selector: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "platformAddressSelector"}
    )
    receiver_expression: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "receiverExpression"}
    )
    receiver_value: str | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "receiverValue"}
    )
    type_: str | Unset = _attrs_field(default=UNSET, metadata={"wire_name": "type"})
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
        # A JSON object (or any mapping a caller builds); an array or a string would otherwise be
        # read as an object whose keys are all absent or unknown. (__class__ rather than type():
        # pyright would narrow src_dict to dict[Unknown, Unknown].)
        if src_dict.__class__ is not dict:
            require_mapping(src_dict)
        recipient_contact = _new_object(cls)
        _contact_annotation = src_dict.get("contactAnnotation", UNSET)
        recipient_contact.contact_annotation = (
            UNSET
            if _contact_annotation is UNSET
            else ContactAnnotation.from_dict(_contact_annotation)
        )

        _country_code = src_dict.get("countryCode", UNSET)
        if _country_code.__class__ is not str and _country_code is not UNSET:
            wrong_type(_country_code, "string")
        recipient_contact.country_code = _country_code

        _id = src_dict.get("id", UNSET)
        recipient_contact.id = UNSET if _id is UNSET else parse_uuid(_id)

        _identifier_key = src_dict.get("identifierKey", UNSET)
        if _identifier_key.__class__ is not str and _identifier_key is not UNSET:
            wrong_type(_identifier_key, "string")
        recipient_contact.identifier_key = _identifier_key

        _identifier_value = src_dict.get("identifierValue", UNSET)
        if _identifier_value.__class__ is not str and _identifier_value is not UNSET:
            wrong_type(_identifier_value, "string")
        recipient_contact.identifier_value = _identifier_value

        _identifiers = src_dict.get("identifiers", UNSET)
        identifiers: list[ContactIdentifier] | Unset = UNSET
        if _identifiers is not UNSET:
            if _identifiers.__class__ is not list:
                wrong_type(_identifiers, "array")

            identifiers = [
                ContactIdentifier.from_dict(identifiers_item_data)
                for identifiers_item_data in _identifiers
            ]

        recipient_contact.identifiers = identifiers

        _platform_address = src_dict.get("platformAddress", UNSET)
        if _platform_address.__class__ is not str and _platform_address is not UNSET:
            wrong_type(_platform_address, "string")
        recipient_contact.platform_address = _platform_address

        _platform_address_selector = src_dict.get("platformAddressSelector", UNSET)
        if (
            _platform_address_selector.__class__ is not str
            and _platform_address_selector is not UNSET
        ):
            wrong_type(_platform_address_selector, "string")
        recipient_contact.platform_address_selector = _platform_address_selector

        _receiver_expression = src_dict.get("receiverExpression", UNSET)
        if (
            _receiver_expression.__class__ is not str
            and _receiver_expression is not UNSET
        ):
            wrong_type(_receiver_expression, "string")
        recipient_contact.receiver_expression = _receiver_expression

        _receiver_value = src_dict.get("receiverValue", UNSET)
        if _receiver_value.__class__ is not str and _receiver_value is not UNSET:
            wrong_type(_receiver_value, "string")
        recipient_contact.receiver_value = _receiver_value

        _type_ = src_dict.get("type", UNSET)
        if _type_.__class__ is not str and _type_ is not UNSET:
            wrong_type(_type_, "string")
        recipient_contact.type_ = _type_

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
