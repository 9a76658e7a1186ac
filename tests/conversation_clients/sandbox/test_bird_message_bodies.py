"""The sandbox's Bird message bodies (:mod:`conversation_clients.sandbox._bird_message_bodies`): each kind
built with its typed model, in the shapes Bird publishes, read back whole by the generated models.
"""

from __future__ import annotations

import random

import pytest

from bird_conversations.models import (
    MessageActionType,
    MessageBody,
    MessageBodyCarousel,
    MessageBodyFile,
    MessageBodyImage,
    MessageBodyList,
    MessageBodyLocation,
    MessageBodyType,
    MessageFileMetadata,
)
from bird_conversations.types import Unset
from conversation_clients.sandbox._bird_message_bodies import bird_body, media_kind

URL = "https://media.bird.sandbox/7f1e2d3c"
MADE = [
    MessageBodyType.TEXT,
    MessageBodyType.HTML,
    MessageBodyType.IMAGE,
    MessageBodyType.FILE,
    MessageBodyType.LOCATION,
    MessageBodyType.LIST,
    MessageBodyType.CAROUSEL,
]


@pytest.mark.parametrize("incoming", [True, False], ids=["contact", "agent"])
@pytest.mark.parametrize("kind", MADE, ids=lambda kind: kind.value)
def test_each_kind_is_sent_as_bird_writes_it_and_read_back_whole(kind: MessageBodyType, incoming: bool) -> None:
    for seed in range(8):
        body = bird_body(kind, "Here you go", URL, random.Random(seed), incoming=incoming)

        written = body.to_dict()
        read = MessageBody.from_dict(written)

        assert written["type"] == kind.value and kind.value in written  # the member named by the type
        assert read.additional_properties == {} and read.to_dict() == written


def test_a_kind_the_sandbox_does_not_make_is_sent_as_text() -> None:
    body = bird_body(MessageBodyType.AUTHENTICATION, "Your code", URL, random.Random(0), incoming=False)
    assert body.to_dict() == {"type": "text", "text": {"text": "Your code"}}


def test_a_contacts_files_are_whatsapps_voice_notes_videos_documents_and_stickers() -> None:
    files = [bird_body(MessageBodyType.FILE, "See this", URL, random.Random(seed), incoming=True) for seed in range(40)]
    bodies = [body.file for body in files]
    assert all(isinstance(body, MessageBodyFile) for body in bodies)
    typed = [body for body in bodies if isinstance(body, MessageBodyFile)]
    assert {body.files[0].content_type for body in typed} == {"audio/ogg", "video/mp4", "application/pdf", "image/webp"}
    for body in typed:
        file = body.files[0]
        assert file.media_url.startswith(f"{URL}/")
        # a voice note and a sticker come without a caption; a document with its name
        assert isinstance(body.text, Unset) == (file.content_type in ("audio/ogg", "image/webp"))
        assert isinstance(file.filename, Unset) == (file.content_type != "application/pdf")
        assert isinstance(file.metadata, MessageFileMetadata) == (file.content_type == "image/webp")


def test_an_image_carries_its_caption_and_a_place_its_coordinates() -> None:
    image = bird_body(MessageBodyType.IMAGE, "The dent", URL, random.Random(0), incoming=True).image
    assert isinstance(image, MessageBodyImage)
    assert image.text == "The dent" and image.images[0].media_url == f"{URL}/photo.jpg"

    place = bird_body(MessageBodyType.LOCATION, "", URL, random.Random(0), incoming=True).location
    assert isinstance(place, MessageBodyLocation)
    latitude, longitude = place.coordinates.latitude, place.coordinates.longitude
    assert isinstance(latitude, float) and -90 <= latitude <= 90
    assert isinstance(longitude, float) and -180 <= longitude <= 180
    assert not isinstance(place.location, Unset) and place.location.label


def test_an_agents_list_and_carousel_offer_buttons() -> None:
    rows = bird_body(MessageBodyType.LIST, "", URL, random.Random(0), incoming=False).list_
    assert isinstance(rows, MessageBodyList) and rows.text and isinstance(rows.items, list)
    actions = rows.items[0].actions
    assert isinstance(actions, list) and actions
    assert all(
        action.type_ is MessageActionType.POSTBACK and not isinstance(action.postback, Unset) for action in actions
    )

    cards = bird_body(MessageBodyType.CAROUSEL, "", URL, random.Random(0), incoming=False).carousel
    assert isinstance(cards, MessageBodyCarousel) and isinstance(cards.items, list) and len(cards.items) >= 2
    for card in cards.items:
        assert isinstance(card.media_url, str) and card.media_url.startswith(f"{URL}/")
        assert isinstance(card.actions, list) and card.actions[0].type_ is MessageActionType.LINK


def test_contacts_and_agents_send_their_own_kinds() -> None:
    rng = random.Random(0)
    incoming = {media_kind(rng, incoming=True) for _ in range(60)}
    outgoing = {media_kind(rng, incoming=False) for _ in range(60)}
    assert incoming == {MessageBodyType.IMAGE, MessageBodyType.FILE, MessageBodyType.LOCATION}
    assert outgoing == {MessageBodyType.FILE, MessageBodyType.LIST, MessageBodyType.CAROUSEL}
