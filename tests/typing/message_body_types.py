"""What downstream typed code sees of a Bird message's body, kind by kind (checked by ``nox -s typecheck``).

Nothing here runs. Each documented kind of body is a typed member of ``MessageBody``: the
images of an ``image`` body, the files of a ``file`` body (WhatsApp's audio, video, documents and
stickers, told apart by ``content_type``) with their caption, a place, a carousel's cards, a
list's rows and their buttons. A kind the document does not know is kept in
``additional_properties``, untyped.
"""

from __future__ import annotations

from typing import Any, assert_type

from bird_conversations.models import (
    Message,
    MessageAction,
    MessageActionLink,
    MessageActionPostback,
    MessageBody,
    MessageBodyCarousel,
    MessageBodyFile,
    MessageBodyImage,
    MessageBodyList,
    MessageBodyLocation,
    MessageBodyType,
    MessageFile,
    MessageImage,
    MessageItem,
)
from bird_conversations.types import Unset


def first_image_url(body: MessageBody) -> str | None:
    if isinstance(body.image, Unset):
        return None
    assert_type(body.image, MessageBodyImage)
    picture = body.image.images[0]
    assert_type(picture, MessageImage)
    assert_type(picture.media_url, str)
    assert_type(picture.alt_text, str | Unset)
    return picture.media_url


def caption(body: MessageBody) -> str:
    # image.text and file.text hold the caption beside the media
    if not isinstance(body.file, Unset):
        assert_type(body.file, MessageBodyFile)
        return body.file.text if not isinstance(body.file.text, Unset) else ""
    if not isinstance(body.image, Unset):
        return body.image.text if not isinstance(body.image.text, Unset) else ""
    return ""


def voice_notes(message: Message) -> list[str]:
    if (
        isinstance(message.body, Unset)
        or message.body.type_ is not MessageBodyType.FILE
        or isinstance(message.body.file, Unset)
    ):
        return []
    files = message.body.file.files
    assert_type(files, list[MessageFile])
    return [file.media_url for file in files if file.content_type.startswith("audio/")]


def place(body: MessageBody) -> tuple[float, float] | None:
    location = body.location
    if isinstance(location, Unset):
        return None
    assert_type(location, MessageBodyLocation)
    latitude, longitude = location.coordinates.latitude, location.coordinates.longitude
    assert_type(latitude, float | Unset)
    if isinstance(latitude, Unset) or isinstance(longitude, Unset):
        return None
    return latitude, longitude


def card_links(body: MessageBody) -> list[str]:
    carousel = body.carousel
    if isinstance(carousel, Unset) or carousel.items is None:  # Bird documents the cards as nullable
        return []
    assert_type(carousel, MessageBodyCarousel)
    links: list[str] = []
    for card in carousel.items:
        assert_type(card, MessageItem)
        for action in card.actions or []:
            assert_type(action, MessageAction)
            if not isinstance(action.link, Unset):
                assert_type(action.link, MessageActionLink)
                links.append(action.link.url)
    return links


def list_payloads(body: MessageBody) -> list[str]:
    rows = body.list_
    if isinstance(rows, Unset):
        return []
    assert_type(rows, MessageBodyList)
    assert_type(rows.text, str)
    payloads: list[str] = []
    for row in rows.items or []:
        for action in row.actions or []:
            if not isinstance(action.postback, Unset):
                assert_type(action.postback, MessageActionPostback)
                payloads.append(action.postback.payload if not isinstance(action.postback.payload, Unset) else "")
    return payloads


def unknown_kind(body: MessageBody) -> Any:
    # a kind the document does not know (or "template", which Bird documents no member for)
    return body.additional_properties.get(body.type_.value)
