"""Where a body breaks its schema, and why (:mod:`conversation_clients._schema_errors`): the
documented schemas' pointers, and the walk that names the field.
"""

from __future__ import annotations

from typing import Any

import pytest

import conversation_clients._fast_json as fast_json
from conversation_clients._schema_errors import SchemaRef, find_mismatch
from tests.support.decoding_cases import (
    BIRD_ERROR,
    BIRD_ERROR_JSON,
    BIRD_PAGE,
    BIRD_PAGE_JSON,
    DELETE,
    OMNI_PAGE,
    OMNI_PAGE_JSON,
    OMNI_PROBLEM,
    OMNI_PROBLEM_JSON,
    VENDOR_CASES,
    VENDOR_IDS,
    changed,
)


@pytest.fixture(autouse=True, params=["msgspec", "stdlib"])
def json_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs with msgspec reading the bodies (the speedups extra), and without it."""
    if request.param == "stdlib":
        monkeypatch.setattr(fast_json, "FAST_DECODER", None)
    else:
        assert fast_json.FAST_DECODER is not None, "the tests need msgspec installed (the speedups extra)"
    return str(request.param)


# (name, model, schema, a valid payload)


# --- the four schemas ------------------------------------------------------------------


def test_pointers_name_the_documented_schemas() -> None:
    bird_page = BIRD_PAGE.schema()
    assert bird_page["allOf"] == [
        {"$ref": "#/components/schemas/ConversationList"},
        {"$ref": "#/components/schemas/Pagination"},
    ]
    assert BIRD_ERROR.schema()["title"] == "DetailedError"
    assert OMNI_PAGE.schema() == {"$ref": "#/components/schemas/ActiveConversationPage"}
    assert "errorCode" in OMNI_PROBLEM.schema()["properties"]


def test_a_pointer_passes_through_a_referenced_response() -> None:
    # responses/404 is {"$ref": "#/components/responses/notFound"}; the pointer goes on inside it
    not_found = SchemaRef(
        "bird_conversations",
        "/paths/~1workspaces~1{workspaceId}~1conversations/get/responses/404/content/application~1json/schema",
    )
    assert not_found.schema() == {"$ref": "#/components/schemas/error.detailed"}


def test_a_pointer_without_a_leading_slash_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="JSON pointer"):
        SchemaRef("bird_conversations", "components/schemas/error.detailed")


@pytest.mark.parametrize(
    "ref",
    [
        SchemaRef("bird_conversations", "/components/schemas/NoSuchSchema"),
        SchemaRef("bird_conversations", "/openapi"),  # a string, not a schema
        SchemaRef("no_such_package_anywhere", "/components"),
    ],
)
def test_a_schema_that_is_not_there_is_a_lookup_error(ref: SchemaRef) -> None:
    with pytest.raises(LookupError):
        ref.schema()


@pytest.mark.parametrize(("name", "model", "schema", "payload"), VENDOR_CASES, ids=VENDOR_IDS)
def test_the_walk_finds_nothing_wrong_in_a_valid_body(
    name: str, model: type[Any], schema: SchemaRef, payload: Any
) -> None:
    assert find_mismatch(payload, schema.schema(), schema.document()) is None


@pytest.mark.parametrize(
    ("schema", "payload", "expected"),
    [
        # the walk alone (the models are held to the same verdicts in
        # tests/openapi/templates/property_templates/test_property_macros.py)
        (
            BIRD_PAGE,
            changed(BIRD_PAGE_JSON, ["results", 0, "activeParticipantCount"], "1"),
            ("results[0].activeParticipantCount", "expected integer, got string"),
        ),
        (
            BIRD_PAGE,
            changed(BIRD_PAGE_JSON, ["results", 0, "activeParticipantCount"], True),
            ("results[0].activeParticipantCount", "expected integer, got boolean"),
        ),
        (
            BIRD_PAGE,
            changed(BIRD_PAGE_JSON, ["results", 0, "name"], ["a"]),
            ("results[0].name", "expected string, got array"),
        ),
        (
            BIRD_PAGE,
            changed(BIRD_PAGE_JSON, ["results", 0, "attributes"], {"priority": 1}),
            ("results[0].attributes.priority", "expected string, got integer"),
        ),
        (
            BIRD_PAGE,
            changed(BIRD_PAGE_JSON, ["nextPageToken"], 7),
            ("nextPageToken", "expected string or null, got integer"),
        ),
        (
            BIRD_PAGE,
            changed(BIRD_PAGE_JSON, ["results", 0, "lastMessage", "sender", "name"], False),
            ("results[0].lastMessage.sender.name", "expected string, got boolean"),
        ),  # allOf branch 1
        (
            BIRD_PAGE,
            changed(BIRD_PAGE_JSON, ["results", 0, "lastMessage", "sender", "type"], DELETE),
            ("results[0].lastMessage.sender.type", "required property 'type' is missing"),
        ),  # allOf branch 2
        (
            BIRD_PAGE,
            changed(BIRD_PAGE_JSON, ["results", 0, "lastMessage", "recipients"], "x"),
            ("results[0].lastMessage.recipients", "expected array or null, got string"),
        ),
        (BIRD_ERROR, changed(BIRD_ERROR_JSON, ["code"], 404), ("code", "expected string, got integer")),
        (
            OMNI_PAGE,
            changed(OMNI_PAGE_JSON, ["continuationtoken"], 5),
            ("continuationtoken", "expected string or null, got integer"),
        ),
        (OMNI_PROBLEM, changed(OMNI_PROBLEM_JSON, ["status"], "400"), ("status", "expected integer, got string")),
        (
            OMNI_PROBLEM,
            changed(OMNI_PROBLEM_JSON, ["errorCode"], 30007.5),
            ("errorCode", "expected integer, got number"),
        ),
        (OMNI_PROBLEM, changed(OMNI_PROBLEM_JSON, ["title"], None), ("title", "expected string, got null")),
    ],
)
def test_the_walk_finds_what_the_models_let_through(schema: SchemaRef, payload: Any, expected: tuple[str, str]) -> None:
    assert find_mismatch(payload, schema.schema(), schema.document()) == expected


# --- find_mismatch on its own -----------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "value", "expected"),
    [
        ({"type": "integer"}, 3, None),
        ({"type": "integer"}, True, ("", "expected integer, got boolean")),
        ({"type": "integer"}, 3.0, ("", "expected integer, got number")),
        ({"type": "number"}, 3, None),
        ({"type": "number"}, 2.5, None),
        ({"type": "number"}, False, ("", "expected number, got boolean")),
        ({"type": "number"}, "1", ("", "expected number, got string")),
        ({"type": "boolean"}, 0, ("", "expected boolean, got integer")),
        ({"type": "boolean"}, False, None),
        ({"type": "string"}, "", None),
        ({"type": "string"}, {}, ("", "expected string, got object")),
        ({"type": "object"}, [], ("", "expected object, got array")),
        ({"type": "array"}, None, ("", "expected array, got null")),
        ({"type": "array", "nullable": True}, None, None),
        ({"type": "string", "nullable": True}, 1, ("", "expected string or null, got integer")),
        ({}, None, None),
        ({"description": "anything"}, [1, {"a": None}], None),
        ({"type": "string", "enum": ["a", "b"]}, "zzz", None),
        ({"type": "array", "items": {"type": "integer"}}, [1, 2, "3"], ("[2]", "expected integer, got string")),
        ({"items": {"type": "integer"}}, [None], ("[0]", "expected integer, got null")),
        ({"required": ["a"]}, {}, ("a", "required property 'a' is missing")),
        ({"properties": {"a": {"type": "string"}}}, {"a": 1}, ("a", "expected string, got integer")),
    ],
)
def test_types(schema: dict[str, Any], value: object, expected: tuple[str, str] | None) -> None:
    assert find_mismatch(value, schema, {}) == expected


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2025-04-15T12:36:40.9049594Z", True),  # .NET's seven digits
        ("2024-11-27T14:47:59.577Z", True),
        ("2024-01-01T00:00:00+05:30", True),
        ("2024-01-01", False),  # both parsers read a date, but it names no instant: no offset
        ("2024-01-01T00:00:00", False),  # a local time: no offset
        ("2024-13-45", False),
        ("2024-02-30T00:00:00Z", False),
        ("yesterday", False),
        ("", False),
        ("２０２４-01-01", False),  # full-width digits
    ],
)
def test_date_time_format(text: str, valid: bool) -> None:
    found = find_mismatch(text, {"type": "string", "format": "date-time"}, {})
    parses = text in ("2024-01-01", "2024-01-01T00:00:00")
    reason = "date-time without a UTC offset" if parses else "not a valid date-time"
    assert found == (None if valid else ("", f"{reason}: {text!r}"))


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("debd3f0d-90d4-47fc-b30c-d5ffbe31c851", True),
        ("DEBD3F0D-90D4-47FC-B30C-D5FFBE31C851", True),
        ("{debd3f0d-90d4-47fc-b30c-d5ffbe31c851}", True),  # uuid.UUID, like the models, accepts it
        ("debd3f0d90d447fcb30cd5ffbe31c851", True),
        ("debd3f0d-90d4-47fc-b30c-d5ffbe31c85", False),
        ("zebd3f0d-90d4-47fc-b30c-d5ffbe31c851", False),
        ("", False),
    ],
)
def test_uuid_format(text: str, valid: bool) -> None:
    found = find_mismatch(text, {"type": "string", "format": "uuid"}, {})
    assert found == (None if valid else ("", f"not a valid uuid: {text!r}"))


def test_other_formats_are_not_checked() -> None:
    assert find_mismatch("not an email", {"type": "string", "format": "email"}, {}) is None


def test_echoed_values_are_cut_short() -> None:
    found = find_mismatch("9" * 1000, {"type": "string", "format": "uuid"}, {})
    assert found == ("", "not a valid uuid: '" + "9" * 39 + "…'")


def test_refs_are_json_pointers_with_escapes() -> None:
    document = {
        "components": {
            "schemas": {
                "a/b~c": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/with%20space"}}},
                "with space": {"type": "integer"},
            }
        }
    }
    schema = {"$ref": "#/components/schemas/a~1b~0c"}
    assert find_mismatch({"n": 1}, schema, document) is None
    assert find_mismatch({"n": "1"}, schema, document) == ("n", "expected integer, got string")
    assert find_mismatch([], schema, document) == ("", "expected object, got array")


def test_all_of_merges_properties_required_and_closed_objects() -> None:
    document = {
        "components": {
            "schemas": {
                "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
                "Closed": {
                    "additionalProperties": False,
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string"}},
                },
            }
        }
    }
    schema = {"allOf": [{"$ref": "#/components/schemas/Base"}, {"$ref": "#/components/schemas/Closed"}]}
    assert find_mismatch({"id": "1", "kind": "k"}, schema, document) is None
    assert find_mismatch({"kind": "k"}, schema, document) == ("id", "required property 'id' is missing")
    assert find_mismatch({"id": "1"}, schema, document) == ("kind", "required property 'kind' is missing")
    assert find_mismatch({"id": 1, "kind": "k"}, schema, document) == ("id", "expected string, got integer")
    assert find_mismatch({"id": "1", "kind": "k", "x": 0}, schema, document) == ("x", "unexpected property 'x'")
    assert find_mismatch("s", schema, document) == ("", "expected object, got string")


def test_all_of_applies_both_schemas_of_a_property_named_twice() -> None:
    schema = {
        "allOf": [
            {"properties": {"at": {"type": "string"}}},
            {"properties": {"at": {"format": "date-time"}}},
        ]
    }
    assert find_mismatch({"at": 5}, schema, {}) == ("at", "expected string, got integer")
    assert find_mismatch({"at": "soon"}, schema, {}) == ("at", "not a valid date-time: 'soon'")


def test_a_nullable_sibling_of_a_ref_admits_null() -> None:
    document = {"S": {"type": "object"}}
    assert find_mismatch({"a": None}, {"properties": {"a": {"$ref": "#/S", "nullable": True}}}, document) is None
    assert find_mismatch({"a": None}, {"properties": {"a": {"$ref": "#/S"}}}, document) == (
        "a",
        "expected object, got null",
    )


def test_additional_properties() -> None:
    typed = {"type": "object", "additionalProperties": {"type": "string"}}
    assert find_mismatch({"a": "x", "b": 1}, typed, {}) == ("b", "expected string, got integer")
    open_ = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert find_mismatch({"a": "x", "b": 1}, open_, {}) is None
    assert find_mismatch({"a": "x", "b": 1}, {**open_, "additionalProperties": True}, {}) is None
    closed = {**open_, "additionalProperties": False}
    assert find_mismatch({"a": "x", "b": 1}, closed, {}) == ("b", "unexpected property 'b'")


def test_property_names_that_are_not_plain_are_quoted_in_the_path() -> None:
    schema = {"properties": {"attributes": {"additionalProperties": {"type": "string"}}}}
    assert find_mismatch({"attributes": {"a.b[0]": 1}}, schema, {}) == (
        'attributes["a.b[0]"]',
        "expected string, got integer",
    )
    assert find_mismatch({"attributes": {"": 1}}, schema, {}) == ('attributes[""]', "expected string, got integer")
    assert find_mismatch({"attributes": {"x-trace_id": 1}}, schema, {}) == (
        "attributes.x-trace_id",
        "expected string, got integer",
    )


def test_the_first_problem_in_document_order_is_reported() -> None:
    schema = {"items": {"required": ["id"], "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}}}
    payload = [{"id": "a", "n": 1}, {"n": "x", "id": 3}, {}]
    assert find_mismatch(payload, schema, {}) == ("[1].n", "expected integer, got string")


@pytest.mark.parametrize(
    ("schema", "document"),
    [
        ({"$ref": "#/A"}, {"A": {"$ref": "#/A"}}),  # a cycle
        ({"$ref": "#/A"}, {"A": {"allOf": [{"$ref": "#/B"}]}, "B": {"allOf": [{"$ref": "#/A"}]}}),
        ({"$ref": "#/missing"}, {}),
        ({"$ref": "other.json#/A"}, {}),  # remote: not followed
        ({"$ref": 5}, {}),
        ({"properties": 3, "required": "id", "items": None}, {}),
        ({"allOf": "nope", "type": 7}, {}),
    ],
)
def test_schemas_it_cannot_make_sense_of_constrain_nothing(schema: dict[str, Any], document: dict[str, Any]) -> None:
    assert find_mismatch({"id": [1, {"x": None}]}, schema, document) is None


def test_recursive_schemas_follow_the_payload() -> None:
    document = {"Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/Node"}}}}}
    payload: dict[str, object] = {"children": [{"children": []}, {"children": [{"children": 5}]}]}
    assert find_mismatch(payload, {"$ref": "#/Node"}, document) == (
        "children[1].children[0].children",
        "expected array, got integer",
    )
