from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.message_body_type import MessageBodyType
from ..types import (
    UNSET,
    Unset,
    init_subclass,
    require_mapping,
)

T = TypeVar("T", bound="MessageBody")


@_attrs_define
class MessageBody:
    """The message content: one kind of content, held by the member its type names. A body of a kind the document does not
    know keeps its members in additional_properties.

        Attributes:
            type_ (MessageBodyType): Which kind of content the message carries.
            authentication (MessageBodyAuthentication | Unset): A one-time password message.
            carousel (MessageBodyCarousel | Unset): Cards side by side.
            file (MessageBodyFile | Unset): One or more files (documents, audio, video, stickers), with an optional caption.
            gif (MessageBodyGif | Unset): An animated GIF, with an optional caption.
            html (MessageBodyHtml | Unset): HTML content with its plain-text alternative.
            image (MessageBodyImage | Unset): One or more images, with an optional caption.
            list_ (MessageBodyList | Unset): A list of options to pick from.
            location (MessageBodyLocation | Unset): A place on the map.
            permission_request (MessageBodyPermissionRequest | Unset): A request for the receiver's permission.
            section (MessageBodySection | Unset): Several bodies sent as one message.
            text (MessageBodyText | Unset): Plain-text content.
    """

    type_: MessageBodyType = _attrs_field(metadata={"wire_name": "type"})
    authentication: MessageBodyAuthentication | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "authentication"}
    )
    carousel: MessageBodyCarousel | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "carousel"}
    )
    file: MessageBodyFile | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "file"}
    )
    gif: MessageBodyGif | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "gif"}
    )
    html: MessageBodyHtml | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "html"}
    )
    image: MessageBodyImage | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "image"}
    )
    list_: MessageBodyList | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "list"}
    )
    location: MessageBodyLocation | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "location"}
    )
    permission_request: MessageBodyPermissionRequest | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "permission_request"}
    )
    section: MessageBodySection | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "section"}
    )
    text: MessageBodyText | Unset = _attrs_field(
        default=UNSET, metadata={"wire_name": "text"}
    )
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=lambda: {})  # noqa: PIE807

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        authentication: dict[str, Any] | Unset = UNSET
        if not isinstance(self.authentication, Unset):
            authentication = self.authentication.to_dict()

        carousel: dict[str, Any] | Unset = UNSET
        if not isinstance(self.carousel, Unset):
            carousel = self.carousel.to_dict()

        file: dict[str, Any] | Unset = UNSET
        if not isinstance(self.file, Unset):
            file = self.file.to_dict()

        gif: dict[str, Any] | Unset = UNSET
        if not isinstance(self.gif, Unset):
            gif = self.gif.to_dict()

        html: dict[str, Any] | Unset = UNSET
        if not isinstance(self.html, Unset):
            html = self.html.to_dict()

        image: dict[str, Any] | Unset = UNSET
        if not isinstance(self.image, Unset):
            image = self.image.to_dict()

        list_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.list_, Unset):
            list_ = self.list_.to_dict()

        location: dict[str, Any] | Unset = UNSET
        if not isinstance(self.location, Unset):
            location = self.location.to_dict()

        permission_request: dict[str, Any] | Unset = UNSET
        if not isinstance(self.permission_request, Unset):
            permission_request = self.permission_request.to_dict()

        section: dict[str, Any] | Unset = UNSET
        if not isinstance(self.section, Unset):
            section = self.section.to_dict()

        text: dict[str, Any] | Unset = UNSET
        if not isinstance(self.text, Unset):
            text = self.text.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if authentication is not UNSET:
            field_dict["authentication"] = authentication
        if carousel is not UNSET:
            field_dict["carousel"] = carousel
        if file is not UNSET:
            field_dict["file"] = file
        if gif is not UNSET:
            field_dict["gif"] = gif
        if html is not UNSET:
            field_dict["html"] = html
        if image is not UNSET:
            field_dict["image"] = image
        if list_ is not UNSET:
            field_dict["list"] = list_
        if location is not UNSET:
            field_dict["location"] = location
        if permission_request is not UNSET:
            field_dict["permission_request"] = permission_request
        if section is not UNSET:
            field_dict["section"] = section
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
        message_body = _new_object(cls)
        message_body.type_ = _message_body_type_members.get(
            src_dict["type"]
        ) or _message_body_type_from_value(src_dict["type"])

        _authentication = src_dict.get("authentication", UNSET)
        message_body.authentication = (
            UNSET
            if _authentication is UNSET
            else MessageBodyAuthentication.from_dict(_authentication)
        )

        _carousel = src_dict.get("carousel", UNSET)
        message_body.carousel = (
            UNSET if _carousel is UNSET else MessageBodyCarousel.from_dict(_carousel)
        )

        _file = src_dict.get("file", UNSET)
        message_body.file = (
            UNSET if _file is UNSET else MessageBodyFile.from_dict(_file)
        )

        _gif = src_dict.get("gif", UNSET)
        message_body.gif = UNSET if _gif is UNSET else MessageBodyGif.from_dict(_gif)

        _html = src_dict.get("html", UNSET)
        message_body.html = (
            UNSET if _html is UNSET else MessageBodyHtml.from_dict(_html)
        )

        _image = src_dict.get("image", UNSET)
        message_body.image = (
            UNSET if _image is UNSET else MessageBodyImage.from_dict(_image)
        )

        _list_ = src_dict.get("list", UNSET)
        message_body.list_ = (
            UNSET if _list_ is UNSET else MessageBodyList.from_dict(_list_)
        )

        _location = src_dict.get("location", UNSET)
        message_body.location = (
            UNSET if _location is UNSET else MessageBodyLocation.from_dict(_location)
        )

        _permission_request = src_dict.get("permission_request", UNSET)
        message_body.permission_request = (
            UNSET
            if _permission_request is UNSET
            else MessageBodyPermissionRequest.from_dict(_permission_request)
        )

        _section = src_dict.get("section", UNSET)
        message_body.section = (
            UNSET if _section is UNSET else MessageBodySection.from_dict(_section)
        )

        _text = src_dict.get("text", UNSET)
        message_body.text = (
            UNSET if _text is UNSET else MessageBodyText.from_dict(_text)
        )

        message_body.additional_properties = (
            {}
            if _MESSAGE_BODY_KEYS.issuperset(src_dict)
            else {
                key: value
                for key, value in src_dict.items()
                if key not in _MESSAGE_BODY_KEYS
            }
        )
        return (
            message_body
            if cls is MessageBody
            else init_subclass(message_body, MessageBody)
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


# The JSON keys MessageBody has attributes for; any other key goes to additional_properties.
_MESSAGE_BODY_KEYS: frozenset[str] = frozenset(
    (
        "type",
        "authentication",
        "carousel",
        "file",
        "gif",
        "html",
        "image",
        "list",
        "location",
        "permission_request",
        "section",
        "text",
    )
)

_new_object = object.__new__
# Looked up once: on Python 3.11 an attribute of an Enum class costs more to look up than the
# member lookup itself (EnumType defines __getattr__). enum_property's construct uses these.
_message_body_type_members: dict[str, MessageBodyType] = {
    member.value: member for member in MessageBodyType
}
_message_body_type_from_value = MessageBodyType.from_value

from ..models.message_body_authentication import MessageBodyAuthentication
from ..models.message_body_carousel import MessageBodyCarousel
from ..models.message_body_file import MessageBodyFile
from ..models.message_body_gif import MessageBodyGif
from ..models.message_body_html import MessageBodyHtml
from ..models.message_body_image import MessageBodyImage
from ..models.message_body_list import MessageBodyList
from ..models.message_body_location import MessageBodyLocation
from ..models.message_body_permission_request import MessageBodyPermissionRequest
from ..models.message_body_section import MessageBodySection
from ..models.message_body_text import MessageBodyText
