"""Generation (``openapi/generate.py``): every document's guarded corrections, the strict merge
of a vendor's documents, the renames, the drift check that refuses a type the generator would
erase, and the public names of the generated models.
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
from omnichannel_messaging.models import ActiveConversation
from tests.support.paths import REPOSITORY

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
