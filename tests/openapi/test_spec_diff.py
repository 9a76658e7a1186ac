"""``openapi/spec_diff.py``: the spec-level report, from the generator's own parser, on the
vendored documents and variants of them (no generation: the parser only, once per variant)."""

from __future__ import annotations

import copy
import doctest
from typing import Any

import pytest

from tests.openapi import load_script

spec_diff = load_script("spec_diff")
generate = load_script("generate")

BIRD, OMNICHANNEL = generate.VENDORS


@pytest.fixture(scope="module")
def bird() -> tuple[Any, Any]:
    document = generate.corrected_document(BIRD)
    return document, spec_diff.document_facts(document, BIRD.config, BIRD.package)


@pytest.fixture(scope="module")
def omnichannel() -> tuple[Any, Any]:
    document = generate.corrected_document(OMNICHANNEL)
    return document, spec_diff.document_facts(document, OMNICHANNEL.config, OMNICHANNEL.package)


def _changes(base: tuple[Any, Any], vendor: Any, change: Any) -> list[str]:
    document, facts = base
    changed = copy.deepcopy(document)
    change(changed)
    new = spec_diff.document_facts(changed, vendor.config, vendor.package)
    return [f"{c.kind} {c.line()}" for c in spec_diff.classify_facts(facts, new, vendor.package)]


def test_facts_hold_operations_parameters_properties_enums_and_pagination(bird: tuple[Any, Any]) -> None:
    facts = bird[1]
    assert facts["operation list_conversations"].detail == {"route": "GET /workspaces/{workspaceId}/conversations"}
    assert facts["parameter list_conversations query pageToken"].python.endswith("list_conversations(page_token)")
    assert facts["property Conversation.activeParticipantCount"].detail == {"type": "int", "required": True}
    assert "value ConversationStatus 'spam'" in facts
    assert "pageToken" in facts["pagination list_conversation_messages"].detail["text"]


def test_a_parameter_made_required_and_a_format_change_are_breaking(omnichannel: tuple[Any, Any]) -> None:
    def change(doc: Any) -> None:
        params = doc["paths"]["/api/v1.0/consumer/conversations"]["get"]["parameters"]
        page_size = next(p for p in params if p.get("name") == "PageSize")
        page_size["required"] = True
        page_size["schema"]["format"] = "int64"

    found = _changes(omnichannel, OMNICHANNEL, change)
    where = "`omnichannel_messaging.api.conversations.list_conversations(page_size)` (wire `PageSize`)"
    assert f"breaking - {where}: optional parameter becomes required" in found
    assert f"breaking - {where}: parameter type/format `integer/int32` -> `integer/int64`" in found


def test_enum_values_and_descriptions(bird: tuple[Any, Any]) -> None:
    def change(doc: Any) -> None:
        doc["components"]["schemas"]["inbox.conversations.status"]["enum"].remove("spam")
        doc["components"]["schemas"]["inbox.conversations.status"]["enum"].append("snoozed")
        doc["paths"]["/workspaces/{workspaceId}/conversations"]["get"]["description"] = "Other words."

    found = _changes(bird, BIRD, change)
    assert "breaking - `bird_conversations.models.ConversationStatus.SPAM` (wire `spam`): enum value removed" in found
    assert (
        "additive - `bird_conversations.models.ConversationStatus.SNOOZED` (wire `snoozed`): enum value added" in found
    )
    assert any(line.startswith("neutral - `bird_conversations.api.conversation.list_conversations`") for line in found)


def test_pagination_removed_from_an_operation_is_breaking(omnichannel: tuple[Any, Any]) -> None:
    def change(doc: Any) -> None:
        doc["paths"]["/api/v1.0/consumer/conversations"]["get"].pop("x-pagination")

    found = _changes(omnichannel, OMNICHANNEL, change)
    assert any(line.startswith("breaking - ") and "pagination removed" in line for line in found), found


def test_module_examples_hold() -> None:
    assert doctest.testmod(spec_diff).failed == 0
