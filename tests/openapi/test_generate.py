"""Generation (``openapi/generate.py``): every document's guarded corrections, the strict merge
of a vendor's documents, the renames, the drift check that refuses a type the generator would
erase, the message body kinds the messages document's corrections type, and the public names of
the generated models.
"""

from __future__ import annotations

import copy
import datetime
import doctest
import enum
import importlib.util
import inspect
import json
import shutil
import sys
import typing
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

# jsonpatch 1.33 (pinned alongside the generator) ships no type information; mypy's config skips it too
import jsonpatch  # pyright: ignore[reportMissingTypeStubs]
import jsonpointer
import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

import bird_conversations.models
import omnichannel_messaging.models
from bird_conversations.models import (
    MessageActionDescription,
    MessageActionLink,
    MessageActionPostback,
    MessageActionPostbackMetadata,
    MessageActionReply,
    MessageActionType,
    MessageAuthenticationOtp,
    MessageBody,
    MessageBodyAuthentication,
    MessageBodyCarousel,
    MessageBodyFile,
    MessageBodyGif,
    MessageBodyHtml,
    MessageBodyImage,
    MessageBodyList,
    MessageBodyLocation,
    MessageBodyPermissionRequest,
    MessageBodySection,
    MessageBodyText,
    MessageBodyType,
    MessageFileMetadata,
    MessageItem,
    MessageLocationAddress,
    MessageNestedSection,
    MessageNestedSectionBody,
    MessagePage,
    MessagePermissionResource,
)
from bird_conversations.types import UNSET, Unset
from omnichannel_messaging.models import ActiveConversation
from tests.support.paths import FIXTURES, REPOSITORY

ROOT = REPOSITORY


def _load_generate_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("openapi_generate", ROOT / "openapi" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


generate = _load_generate_module()
BIRD = next(vendor for vendor in generate.VENDORS if vendor.package == "bird_conversations")
# Every vendored document, and among them those that carry a patch: the tests below run for each,
# so a new document or a new correction is covered without touching this file.
DOCUMENTS = [(vendor, document) for vendor in generate.VENDORS for document in vendor.documents]
PATCHED = [document for _, document in DOCUMENTS if document.corrections is not None]
GUARDS = [
    (document, operation)
    for document in PATCHED
    for operation in generate.load_corrections(document.corrections)
    if operation["op"] == "test"
]
MESSAGES = next(document for document in BIRD.documents if document.path.name == "messages.openapi.json")
ANYOF = [{"required": ["body"]}, {"required": ["template"]}]


def _published(document: Any) -> Any:
    return generate.load_document(document.path)


def _corrections(document: Any) -> list[dict[str, Any]]:
    operations: list[dict[str, Any]] = generate.load_corrections(document.corrections)
    return operations


def _without(operations: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    """The patch with the corrections of one spot (its test and its changes) left out."""
    return [operation for operation in operations if not operation["path"].startswith(path)]


@pytest.mark.parametrize("document", PATCHED, ids=lambda document: document.path.name)
def test_published_bird_document_is_rejected_as_is(document: Any) -> None:
    # both published Bird documents name {workspaceId} in a path without declaring it
    with pytest.raises(OpenAPIValidationError):
        validate(_published(document))


@pytest.mark.parametrize(
    ("vendor", "document"), DOCUMENTS, ids=[f"{vendor.package}:{document.path.name}" for vendor, document in DOCUMENTS]
)
def test_every_document_validates_once_corrected(vendor: Any, document: Any) -> None:
    validate(generate.corrected_part(document))


@pytest.mark.parametrize("vendor", generate.VENDORS, ids=lambda vendor: vendor.package)
def test_corrected_document_validates_and_matches_the_generated_copy(vendor: Any) -> None:
    corrected = generate.corrected_document(vendor)
    validate(corrected)
    shipped = json.loads((ROOT / "generated" / vendor.package / "openapi.json").read_text())
    assert corrected == shipped


@pytest.mark.parametrize("document", PATCHED, ids=lambda document: document.path.name)
def test_every_change_is_guarded_and_explained(document: Any) -> None:
    operations = _corrections(document)
    guarded: list[str] = []
    for operation in operations:
        assert operation["reason"].strip() and "\n" not in operation["reason"]
        if operation["op"] == "test":
            guarded.append(operation["path"])
        else:
            assert any(generate._covers(path, operation["path"]) for path in guarded), operation
    assert guarded, "a patch without guards corrects nothing safely"


@pytest.mark.parametrize(
    ("document", "guard"), GUARDS, ids=[f"{document.path.stem}:{guard['path']}" for document, guard in GUARDS]
)
def test_guard_trips_when_upstream_changes_its_spot(document: Any, guard: dict[str, Any]) -> None:
    drifted = copy.deepcopy(_published(document))
    jsonpointer.set_pointer(drifted, guard["path"], {"changed": "upstream"})

    with pytest.raises(jsonpatch.JsonPatchTestFailed):
        generate.apply_corrections(drifted, _corrections(document))


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        ([{"op": "replace", "path": "/a", "value": 1, "reason": "x"}], "not preceded by a 'test'"),
        ([{"op": "test", "path": "/a", "value": 1}], "one-line 'reason'"),
        ([{"op": "test", "path": "/a", "value": 1, "reason": "two\nlines"}], "one-line 'reason'"),
        (
            [{"op": "test", "path": "/a", "value": 1, "reason": "x"}, {"op": "remove", "path": "/b", "reason": "y"}],
            "not preceded by a 'test'",
        ),
    ],
)
def test_unguarded_or_unexplained_patches_are_refused(
    tmp_path: Path, operations: list[dict[str, Any]], message: str
) -> None:
    patch_file = tmp_path / "patch.json"
    patch_file.write_text(json.dumps(operations))
    with pytest.raises(ValueError, match=message):
        generate.load_corrections(patch_file)


# --- drift safety: a type the document gives is never erased --------------------------------------

ANYOF_DOCUMENT: Any = {
    "openapi": "3.0.3",
    "info": {"title": "drift", "version": "1"},
    "paths": {
        "/messages": {
            "get": {
                "operationId": "listMessages",
                "responses": {
                    "200": {
                        "description": "a page",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MessageList"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "MessageList": {
                "type": "object",
                "required": ["results"],
                "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}}},
            },
            "Message": {
                "type": "object",
                "required": ["id"],
                "anyOf": ANYOF,
                "properties": {"id": {"type": "string"}, "body": {"type": "object"}, "template": {"type": "object"}},
            },
        }
    },
}


def test_generation_fails_on_the_anyof_erasure_naming_schema_and_construct(tmp_path: Path) -> None:
    spec = tmp_path / "drift.openapi.json"
    spec.write_text(json.dumps(ANYOF_DOCUMENT))
    vendor = generate.Vendor(package="drift", documents=(generate.Document(spec),), config=BIRD.config)

    # the check runs before the generator is started, so this fails fast and writes nothing
    with pytest.raises(SystemExit) as failure:
        generate.generate_package(vendor, tmp_path / "out")

    message = str(failure.value)
    assert "schema Message: anyOf" in message
    assert '[{"required": ["body"]}, {"required": ["template"]}]' in message
    assert "schema MessageList, property results[]: $ref #/components/schemas/Message" in message
    assert not (tmp_path / "out").exists()


def test_the_published_messages_document_would_erase_message_without_its_correction() -> None:
    published = _published(MESSAGES)
    assert published["components"]["schemas"]["Message"]["anyOf"] == ANYOF
    part = generate.apply_corrections(published, _without(_corrections(MESSAGES), "/components/schemas/Message/anyOf"))

    problems = generate.erased_types(part, BIRD.config)

    assert any(line.startswith("schema Message: anyOf") for line in problems)
    assert any("property results[]" in line and "anyOf" in line for line in problems)


@pytest.mark.parametrize("vendor", generate.VENDORS, ids=lambda vendor: vendor.package)
def test_no_vendor_document_loses_a_type(vendor: Any) -> None:
    document = generate.corrected_document(vendor)
    assert generate.erased_types(document, vendor.config) == []
    assert generate.class_clashes(document, vendor.config) == []


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "object", "properties": {"a": {"type": "string"}}}, []),
        ({"type": "object", "additionalProperties": True}, []),  # free-form by the document's own word
        ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, []),  # a union the generator models
        ({"type": "object", "properties": {"a": {"not": {"type": "string"}}}}, []),  # untyped: Any is right
    ],
    ids=["typed", "free-form", "oneOf-scalars", "untyped"],
)
def test_drift_check_accepts_what_the_generator_models(schema: Any, expected: list[str]) -> None:
    document: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    document["components"] = {"schemas": {"Thing": schema}}
    assert generate.erased_types(document, BIRD.config) == expected


# --- one package from two documents ------------------------------------------------------------------


def _bird_parts(messages_corrections: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    conversations = next(document for document in BIRD.documents if document is not MESSAGES)
    messages = generate.apply_corrections(_published(MESSAGES), messages_corrections)
    for rename in generate.load_renames(BIRD.renames):
        messages = generate.rename_component(messages, rename["component"], rename["to"])
    return [(conversations.path.name, generate.corrected_part(conversations)), (MESSAGES.path.name, messages)]


def test_shared_components_merge_into_one_package() -> None:
    merged = generate.corrected_document(BIRD)
    assert set(merged["paths"]) == {
        "/workspaces/{workspaceId}/conversations",
        "/workspaces/{workspaceId}/conversations/{conversationId}/messages",
    }
    # one security scheme, one pagination schema, one error body, shared by both operations
    assert list(merged["components"]["securitySchemes"]) == ["accessKey"]
    for path in merged["paths"].values():
        assert path["get"]["responses"]["404"] == {"$ref": "#/components/responses/notFound"}


def test_merge_stops_naming_a_shared_component_the_documents_word_differently() -> None:
    unreconciled = _without(_corrections(MESSAGES), "/components/securitySchemes/accessKey")

    with pytest.raises(generate.MergeConflict, match="components/securitySchemes/accessKey differs between"):
        generate.merge_documents(_bird_parts(unreconciled))


def test_merge_stops_when_upstream_changes_a_shared_schema_in_one_document() -> None:
    parts = _bird_parts(_corrections(MESSAGES))
    parts[1][1]["components"]["schemas"]["Pagination"]["properties"]["total"]["format"] = "int32"

    with pytest.raises(generate.MergeConflict, match="components/schemas/Pagination differs between"):
        generate.merge_documents(parts)


def test_renames_tell_apart_two_participants_the_generator_would_name_alike() -> None:
    conversations = next(document for document in BIRD.documents if document is not MESSAGES)
    unrenamed = generate.merge_documents(
        [
            (conversations.path.name, generate.corrected_part(conversations)),
            (MESSAGES.path.name, generate.corrected_part(MESSAGES)),
        ]
    )

    assert generate.class_clashes(unrenamed, BIRD.config) == [
        "class Participant: schemas ConversationParticipant, inbox.conversations.participant"
    ]
    assert "MessageParticipant" in generate.corrected_document(BIRD)["components"]["schemas"]


def test_a_rename_of_a_component_upstream_no_longer_has_is_refused() -> None:
    with pytest.raises(ValueError, match="not in the document"):
        generate.rename_component({"components": {"schemas": {}}}, "schemas/Gone", "New")


def test_drift_check_sees_a_nullable_model_renamed_by_class_overrides() -> None:
    # a nullable object is generated as <Name>Type0, which BIRD.config renames to MessageActionLocationRequest
    document: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    schema = {"type": "object", "nullable": True, "properties": {"text": {"type": "string"}}}
    document["components"] = {"schemas": {"ActionLocationRequest": schema}}
    assert generate.erased_types(document, BIRD.config) == []


def test_drift_check_names_a_union_inside_an_allof_which_the_generator_leaves_out() -> None:
    document: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    kinds = {"A": {"type": "object", "properties": {"a": {"type": "string"}}}}
    union = {"oneOf": [{"$ref": "#/components/schemas/A"}]}
    document["components"] = {"schemas": {**kinds, "Body": {"allOf": [{"type": "object"}, union]}}}

    assert generate.erased_types(document, BIRD.config) == [
        'schema Body: allOf part oneOf [{"$ref": "#/components/schemas/A"}] comes out of openapi-python-client as nothing'
    ]


# --- the messages document's body kinds: typed through its corrections -------------------------------

#: Bodies of each kind in the shapes Bird's documentation publishes (values of our own).
BODIES: dict[str, Any] = json.loads((FIXTURES / "bird_message_bodies.json").read_text())
#: Each example's member and the model it parses into.
BODY_MEMBERS = {
    "image": ("image", MessageBodyImage),
    "file_audio": ("file", MessageBodyFile),
    "file_document": ("file", MessageBodyFile),
    "file_video": ("file", MessageBodyFile),
    "file_sticker": ("file", MessageBodyFile),
    "gif": ("gif", MessageBodyGif),
    "location": ("location", MessageBodyLocation),
    "carousel": ("carousel", MessageBodyCarousel),
    "list": ("list_", MessageBodyList),
    "section": ("section", MessageBodySection),
    "authentication": ("authentication", MessageBodyAuthentication),
    "action": ("permission_request", MessageBodyPermissionRequest),
    "text": ("text", MessageBodyText),
    "html": ("html", MessageBodyHtml),
}


def test_every_documented_body_kind_has_an_example() -> None:
    documented = {kind.value for kind in MessageBodyType} - {"template"}  # Bird documents no template member
    assert {body["type"] for body in BODIES.values()} == documented
    assert set(BODY_MEMBERS) == set(BODIES)


@pytest.mark.parametrize("name", sorted(BODIES))
def test_each_documented_body_kind_parses_into_its_model_and_writes_back_whole(name: str) -> None:
    attribute, model = BODY_MEMBERS[name]

    body = MessageBody.from_dict(BODIES[name])

    assert body.type_ is MessageBodyType(BODIES[name]["type"]) and body.type_ in list(MessageBodyType)
    assert isinstance(getattr(body, attribute), model)
    assert body.additional_properties == {}  # the member is the model's, not an unknown key
    assert body.to_dict() == BODIES[name]


def test_published_media_bodies_read_typed() -> None:
    image = MessageBody.from_dict(BODIES["image"]).image
    assert isinstance(image, MessageBodyImage) and isinstance(image.actions, list)
    assert [picture.media_url for picture in image.images] == [
        "https://media.example.com/parcel-front.jpg",
        "https://media.example.com/parcel-label.png",
    ]
    assert image.images[0].alt_text == "Front of the parcel" and image.text == "Two photos of the damaged parcel"
    assert image.actions[0].type_ is MessageActionType.POSTBACK
    assert (
        isinstance(image.actions[0].postback, MessageActionPostback)
        and image.actions[0].postback.payload == "claim-open"
    )
    assert isinstance(image.actions[1].reply, MessageActionReply) and image.actions[1].reply.text == "Not now"

    # WhatsApp's audio, video, documents and stickers are all file bodies, told apart by contentType
    files = {name: MessageBody.from_dict(BODIES[name]).file for name in BODIES if name.startswith("file_")}
    assert all(isinstance(body, MessageBodyFile) for body in files.values())
    kinds = {name: body.files[0].content_type for name, body in files.items() if isinstance(body, MessageBodyFile)}
    assert kinds == {
        "file_audio": "audio/ogg",
        "file_document": "application/pdf",
        "file_video": "video/mp4",
        "file_sticker": "image/webp",
    }
    document, audio, sticker = files["file_document"], files["file_audio"], files["file_sticker"]
    assert isinstance(document, MessageBodyFile) and document.text == "The receipt you asked for"  # the caption
    assert document.files[0].filename == "receipt.pdf"
    assert isinstance(audio, MessageBodyFile) and audio.text is UNSET and audio.files[0].filename is UNSET
    assert isinstance(sticker, MessageBodyFile) and isinstance(sticker.files[0].metadata, MessageFileMetadata)
    assert sticker.files[0].metadata.is_animated is True

    gif = MessageBody.from_dict(BODIES["gif"]).gif
    assert isinstance(gif, MessageBodyGif) and (gif.media_url, gif.text) == (
        "https://media.example.com/celebrate.gif",
        "Delivered!",
    )


def test_published_interactive_bodies_read_typed() -> None:
    location = MessageBody.from_dict(BODIES["location"]).location
    assert isinstance(location, MessageBodyLocation)
    assert (location.coordinates.latitude, location.coordinates.longitude) == (51.9244201, 4.4777326)
    assert isinstance(location.location, MessageLocationAddress) and location.location.label == "Pick-up point"

    carousel = MessageBody.from_dict(BODIES["carousel"]).carousel
    assert isinstance(carousel, MessageBodyCarousel) and isinstance(carousel.items, list)
    card = carousel.items[1]
    assert isinstance(card, MessageItem) and (card.title, card.description) == ("Red mug", "Same size, other colour")
    assert isinstance(card.actions, list) and isinstance(card.actions[0].link, MessageActionLink)
    assert card.actions[0].link.url == "https://shop.example.com/red"

    listing = MessageBody.from_dict(BODIES["list"]).list_
    assert isinstance(listing, MessageBodyList) and isinstance(listing.items, list)
    assert (listing.text, listing.title) == ("When should we deliver?", "Delivery slots")
    assert [row.title for row in listing.items] == ["Tomorrow", "Friday"]
    first = listing.items[0].actions
    assert isinstance(first, list) and isinstance(first[0].postback, MessageActionPostback)
    assert isinstance(first[0].postback.metadata, MessageActionPostbackMetadata)
    assert isinstance(first[0].postback.metadata.description, MessageActionDescription)
    assert first[0].postback.metadata.description.label == "8:00 to 12:00"
    assert listing["metadata"] == {"button": {"label": "Show slots"}}  # a member left untyped is kept

    section = MessageBody.from_dict(BODIES["section"]).section
    assert isinstance(section, MessageBodySection) and isinstance(section.items, list)
    assert [item.type_ for item in section.items] == [
        MessageBodyType.TEXT,
        MessageBodyType.IMAGE,
        MessageBodyType.SECTION,
    ]
    assert (
        isinstance(section.items[0].text, MessageBodyText) and section.items[0].text.text == "Your order is on its way."
    )
    nested = section.items[2].section
    assert isinstance(nested, MessageNestedSection) and isinstance(nested.items, list)
    assert isinstance(nested.items[0], MessageNestedSectionBody) and isinstance(nested.items[0].text, MessageBodyText)

    otp = MessageBody.from_dict(BODIES["authentication"]).authentication
    assert isinstance(otp, MessageBodyAuthentication) and isinstance(otp.otp, MessageAuthenticationOtp)
    assert (otp.otp.disclaimer, otp.otp.expiration_time) == (True, 10)

    permission = MessageBody.from_dict(BODIES["action"]).permission_request
    assert (
        isinstance(permission, MessageBodyPermissionRequest) and permission.resource is MessagePermissionResource.CALL
    )

    text = MessageBody.from_dict(BODIES["text"]).text
    assert isinstance(text, MessageBodyText) and isinstance(text.actions, list)
    assert [action.type_ for action in text.actions] == [MessageActionType.REPLY, MessageActionType.LOCATIONREQUEST]
    assert text.actions[1].location_request is UNSET
    html = MessageBody.from_dict(BODIES["html"]).html
    assert isinstance(html, MessageBodyHtml) and isinstance(html.attachments, list)
    assert html.attachments[0].content_type == "text/plain" and html.attachments[0].filename == "invoice.txt"


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "template", "template": {"name": "order_update", "parameters": [{"key": "order", "value": "A1"}]}},
        {"type": "sticker", "sticker": {"id": "s-1", "pack": "birds"}, "fallback": "[sticker]"},
        {"type": "image", "image": {"images": [{"mediaUrl": "https://m/1.png", "width": 640}], "metadata": {"x": 1}}},
        {"type": "file", "file": {"files": [{"contentType": "audio/ogg", "mediaUrl": "https://m/a", "durationMs": 5}]}},
        {"type": "carousel", "carousel": {"items": None}},
        {"type": "text", "text": {"text": "Hi", "actions": [{"type": "call", "call": {"phone": "+1"}}]}},
    ],
    ids=["template", "unknown-kind", "unknown-image-fields", "unknown-file-fields", "null-cards", "unknown-button"],
)
def test_unknown_kinds_and_members_are_kept_whole(payload: dict[str, Any]) -> None:
    body = MessageBody.from_dict(payload)

    assert body.type_.value == payload["type"]
    assert body.to_dict() == payload
    if payload["type"] in ("template", "sticker"):  # no member Bird documents: the body keeps it as it came
        assert body.type_ not in [MessageBodyType.IMAGE, MessageBodyType.FILE]
        assert {key: value for key, value in payload.items() if key != "type"} == body.additional_properties


def test_a_message_page_of_every_kind_round_trips() -> None:
    raw = json.loads((FIXTURES / "bird_list_messages_200.json").read_text())
    template = raw["results"][0]
    raw["results"] = [{**template, "id": f"m{index}", "body": body} for index, body in enumerate(BODIES.values())]

    page = MessagePage.from_dict(raw)

    assert [message.body.type_.value for message in page.results if not isinstance(message.body, Unset)] == [
        body["type"] for body in BODIES.values()
    ]
    assert [message["body"] for message in page.to_dict()["results"]] == list(BODIES.values())


def test_the_published_body_union_would_lose_its_kinds_without_its_correction() -> None:
    published = _published(MESSAGES)
    assert "allOf" in published["components"]["schemas"]["MessageBody"]
    part = generate.apply_corrections(published, _without(_corrections(MESSAGES), "/components/schemas/MessageBody"))

    problems = generate.erased_types(part, BIRD.config)

    assert any(line.startswith("schema MessageBody: allOf part oneOf") for line in problems)


def test_generate_module_examples_hold() -> None:
    # openapi/ is not a test path: run the module's docstring examples here
    assert doctest.testmod(generate, optionflags=doctest.ELLIPSIS).failed == 0


def test_staleness_check_names_edited_missing_and_extra_files(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    shutil.copytree(ROOT / "generated" / "bird_conversations", fresh, ignore=shutil.ignore_patterns("__pycache__"))
    committed = tmp_path / "committed"
    shutil.copytree(fresh, committed)
    assert generate.differences(fresh, committed) == []

    (committed / "models" / "conversation.py").write_text("# edited by hand\n")
    (committed / "client.py").unlink()
    (committed / "models" / "extra.py").write_text("")

    assert generate.differences(fresh, committed) == [
        "client.py (missing from generated/)",
        "models/conversation.py (differs)",
        "models/extra.py (not produced by generation)",
    ]


# -- Vendors add enum values and fields without notice: the generated models must not break --------


ENUMS = sorted(
    (
        member
        for module in (bird_conversations.models, omnichannel_messaging.models)
        for _, member in inspect.getmembers(module, inspect.isclass)
        if issubclass(member, enum.Enum)
    ),
    key=lambda cls: cls.__name__,
)
REQUIRED_ENUMS = {
    "ConversationStatus", "ConversationStyle", "Visibility", "Accessibility", "PlatformStyle",
    "ParticipantType", "ParticipantStatus", "LastMessageStatus", "LastMessageType", "InboxType",
    "InboxOwnerType", "ResourceType",
}  # fmt: skip


def test_public_names_read_naturally() -> None:
    bird_names = set(bird_conversations.models.__all__)
    assert {"Conversation", "Participant", "ParticipantRef", "LastMessage", "MessageSender"} <= bird_names
    assert REQUIRED_ENUMS <= {cls.__name__ for cls in ENUMS}
    assert {"ActiveConversation", "ActiveConversationPage", "ProblemDetails"} <= set(
        omnichannel_messaging.models.__all__
    )
    hints = typing.get_type_hints(ActiveConversation)
    assert hints["conversationid"] is uuid.UUID
    assert hints["timestamp"] is datetime.datetime
