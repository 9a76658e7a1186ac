"""The sandbox's Bird message bodies: text, html and the media and interactive kinds, as Bird sends them.

Each body is built with the generated models of its kind (``MessageBodyImage``, ``MessageBodyFile``,
...), in the shapes Bird's documentation publishes: WhatsApp's audio, video, documents and stickers
come as ``file`` bodies told apart by ``contentType``, with the caption at ``file.text``; an
image's caption at ``image.text``; a location's coordinates with its label; a list's rows and a
carousel's cards with their buttons. Which media kind a message carries depends on who sent it:
a contact sends photos, files and places, an agent files, lists and carousels.

>>> import random
>>> body = bird_body(MessageBodyType.FILE, "Here it is", "https://media.bird.sandbox/m1", random.Random(3), incoming=True)
>>> body.to_dict()["file"]["files"][0]["contentType"] in {kind for kind, _, _ in _INCOMING_FILES}
True
"""

from __future__ import annotations

import html
import random
from typing import Final

from bird_conversations.models import (
    MessageAction,
    MessageActionLink,
    MessageActionPostback,
    MessageActionType,
    MessageBody,
    MessageBodyCarousel,
    MessageBodyFile,
    MessageBodyHtml,
    MessageBodyImage,
    MessageBodyList,
    MessageBodyLocation,
    MessageBodyText,
    MessageBodyType,
    MessageFile,
    MessageFileMetadata,
    MessageImage,
    MessageItem,
    MessageLocationAddress,
    MessageLocationCoordinates,
)

__all__ = ["bird_body", "media_kind"]

#: The media kinds a message may carry instead of text, by who sends it.
_INCOMING_KINDS: Final = (MessageBodyType.IMAGE, MessageBodyType.FILE, MessageBodyType.LOCATION)
_OUTGOING_KINDS: Final = (MessageBodyType.CAROUSEL, MessageBodyType.FILE, MessageBodyType.LIST)
# What a contact's file is (WhatsApp sends all of these as file bodies): content type, file name
# (absent: none sent), and whether it carries the message's text as its caption.
_INCOMING_FILES: Final = (
    ("audio/ogg", None, False),  # a voice note: no name, no caption
    ("video/mp4", None, True),
    ("application/pdf", "receipt.pdf", True),
    ("image/webp", None, False),  # a sticker
)
_PLACES: Final = (
    ("Pick-up point", "Harbour Road 12, Port Town", 51.9244, 4.4777),
    ("Home", "Elm Street 3, Old Village", 52.0907, 5.1214),
    ("Office", "Market Square 8, New City", 52.3676, 4.9041),
)
_SLOTS: Final = ("Morning (8-12)", "Afternoon (12-17)", "Evening (17-21)")


def media_kind(rng: random.Random, *, incoming: bool) -> MessageBodyType:
    """The kind of a message that is not plain text or html: a contact's or an agent's.

    >>> media_kind(random.Random(0), incoming=True) in _INCOMING_KINDS
    True
    """
    return rng.choice(_INCOMING_KINDS if incoming else _OUTGOING_KINDS)


def _file(text: str, media_url: str, rng: random.Random, *, incoming: bool) -> MessageBodyFile:
    if not incoming:
        invoice = MessageFile(
            content_type="application/pdf", media_url=f"{media_url}/invoice.pdf", filename="invoice.pdf"
        )
        return MessageBodyFile(files=[invoice], text=text)
    content_type, filename, captioned = rng.choice(_INCOMING_FILES)
    file = MessageFile(content_type=content_type, media_url=f"{media_url}/{content_type.replace('/', '.')}")
    if filename is not None:
        file.filename = filename
    if content_type == "image/webp":
        file.metadata = MessageFileMetadata(is_animated=rng.random() < 0.5)
    return MessageBodyFile(files=[file], text=text) if captioned else MessageBodyFile(files=[file])


def _location(rng: random.Random) -> MessageBodyLocation:
    label, address, latitude, longitude = rng.choice(_PLACES)
    return MessageBodyLocation(
        coordinates=MessageLocationCoordinates(latitude=latitude, longitude=longitude),
        location=MessageLocationAddress(address=address, label=label),
    )


def _postback(text: str, payload: str) -> MessageAction:
    return MessageAction(type_=MessageActionType.POSTBACK, postback=MessageActionPostback(text=text, payload=payload))


def _list() -> MessageBodyList:
    rows = [_postback(slot, f"slot-{index}") for index, slot in enumerate(_SLOTS)]
    return MessageBodyList(
        text="When should we deliver?", title="Delivery slots", items=[MessageItem(title="Tomorrow", actions=rows)]
    )


def _carousel(media_url: str) -> MessageBodyCarousel:
    cards = [
        MessageItem(
            title=title,
            media_url=f"{media_url}/card-{index}.jpg",
            actions=[
                MessageAction(
                    type_=MessageActionType.LINK,
                    link=MessageActionLink(text="View", url=f"https://shop.bird.sandbox/{index}"),
                )
            ],
        )
        for index, title in enumerate(("Replacement", "Refund"))
    ]
    return MessageBodyCarousel(items=cards, text="How would you like us to resolve it?")


def bird_body(kind: MessageBodyType, text: str, media_url: str, rng: random.Random, *, incoming: bool) -> MessageBody:
    """A body of ``kind``: ``text`` as its text or caption (a list or a carousel asks its own
    question, a location names its place), its media under ``media_url``. A kind the sandbox does
    not make is sent as text.

    >>> body = bird_body(MessageBodyType.IMAGE, "The photo", "https://media.bird.sandbox/m2", random.Random(0), incoming=True)
    >>> body.image.images[0].media_url, body.image.text
    ('https://media.bird.sandbox/m2/photo.jpg', 'The photo')
    """
    if kind is MessageBodyType.HTML:
        return MessageBody(type_=kind, html=MessageBodyHtml(text=f"{text}\r\n", html=f"<p>{html.escape(text)}</p>"))
    if kind is MessageBodyType.IMAGE:
        image = MessageImage(media_url=f"{media_url}/photo.jpg", alt_text="photo")
        return MessageBody(type_=kind, image=MessageBodyImage(images=[image], text=text))
    if kind is MessageBodyType.FILE:
        return MessageBody(type_=kind, file=_file(text, media_url, rng, incoming=incoming))
    if kind is MessageBodyType.LOCATION:
        return MessageBody(type_=kind, location=_location(rng))
    if kind is MessageBodyType.LIST:
        return MessageBody(type_=kind, list_=_list())
    if kind is MessageBodyType.CAROUSEL:
        return MessageBody(type_=kind, carousel=_carousel(media_url))
    return MessageBody(type_=MessageBodyType.TEXT, text=MessageBodyText(text=text))
