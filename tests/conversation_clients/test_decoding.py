"""Decoding bodies into generated models (:mod:`conversation_clients._decoding`): a typed error
that names the field and keeps the bytes, whatever the bytes, with msgspec and with the standard
library.
"""

from __future__ import annotations

import copy
import doctest
import gc
import json
from collections.abc import Mapping
from typing import Any, Self, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conversation_clients._decoding as decoding
import conversation_clients._fast_json as fast_json
import conversation_clients._schema_errors as schema_errors
from bird_conversations.models import ConversationPage, DetailedError
from conversation_clients._decoding import decode_model
from conversation_clients._schema_errors import SchemaRef, find_mismatch, openapi_document
from conversation_clients.errors import ResponseValidationError
from omnichannel_messaging.models import ActiveConversationPage
from tests.support.decoding_cases import (
    BIRD_ERROR,
    BIRD_ERROR_JSON,
    BIRD_PAGE,
    BIRD_PAGE_JSON,
    DELETE,
    OMNI_PAGE,
    OMNI_PAGE_JSON,
    VENDOR_CASES,
    VENDOR_IDS,
    changed,
)
from tests.support.paths import FIXTURES


@pytest.fixture(autouse=True, params=["msgspec", "stdlib"])
def json_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs with msgspec reading the bodies (the speedups extra), and without it."""
    if request.param == "stdlib":
        monkeypatch.setattr(fast_json, "FAST_DECODER", None)
    else:
        assert fast_json.FAST_DECODER is not None, "the tests need msgspec installed (the speedups extra)"
    return str(request.param)


# (name, model, schema, a valid payload)
MODELS_AND_SCHEMAS = [case[1:3] for case in VENDOR_CASES]


def encoded(payload: object) -> bytes:
    # indented, so a test can tell the raw bytes from a re-serialisation
    return json.dumps(payload, indent=3).encode()


def rejected(model: type[Any], body: bytes, schema: SchemaRef, status_code: int = 200) -> ResponseValidationError:
    with pytest.raises(ResponseValidationError) as caught:
        decode_model(model, body, status_code=status_code, schema=schema)
    error = caught.value
    assert error.body == body
    assert error.status_code == status_code
    return error


def test_documents_are_loaded_only_on_failure_and_then_cached() -> None:
    openapi_document.cache_clear()
    decode_model(ConversationPage, encoded(BIRD_PAGE_JSON), status_code=200, schema=BIRD_PAGE)
    assert openapi_document.cache_info().currsize == 0
    broken = encoded(changed(BIRD_PAGE_JSON, ["results"], None))
    for _ in range(2):
        with pytest.raises(ResponseValidationError):
            decode_model(ConversationPage, broken, status_code=200, schema=BIRD_PAGE)
    info = openapi_document.cache_info()
    assert (info.currsize, info.misses) == (1, 1)
    assert openapi_document("bird_conversations") is BIRD_PAGE.document()


# --- valid bodies ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "model", "schema", "payload"), VENDOR_CASES, ids=VENDOR_IDS)
def test_a_valid_body_decodes(name: str, model: type[Any], schema: SchemaRef, payload: Any) -> None:
    decoded = decode_model(model, encoded(payload), status_code=200, schema=schema)
    assert isinstance(decoded, model)
    assert decoded.to_dict() == model.from_dict(payload).to_dict()


def test_the_fixtures_decode_from_their_raw_bytes() -> None:
    page = decode_model(
        ConversationPage,
        (FIXTURES / "bird_list_conversations_200.json").read_bytes(),
        status_code=200,
        schema=BIRD_PAGE,
    )
    assert str(page.results[0].id) == BIRD_PAGE_JSON["results"][0]["id"]
    omni = decode_model(
        ActiveConversationPage,
        (FIXTURES / "omnichannel_list_conversations_200.json").read_bytes(),
        status_code=200,
        schema=OMNI_PAGE,
    )
    assert len(omni.conversations) == 3


def test_a_utf8_byte_order_mark_is_tolerated() -> None:
    body = b"\xef\xbb\xbf" + encoded(OMNI_PAGE_JSON)
    assert len(decode_model(ActiveConversationPage, body, status_code=200, schema=OMNI_PAGE).conversations) == 3


def test_unknown_enum_values_and_properties_are_not_errors() -> None:
    payload = changed(BIRD_PAGE_JSON, ["results", 0, "status"], "snoozed")
    payload["results"][0]["brandNewField"] = {"anything": [1, 2]}
    body = encoded(payload)
    page = decode_model(ConversationPage, body, status_code=200, schema=BIRD_PAGE)
    assert page.results[0].status.value == "snoozed"
    assert find_mismatch(payload, BIRD_PAGE.schema(), BIRD_PAGE.document()) is None


# --- broken bodies: the error names the field ------------------------------------------

BIRD_BREAKAGES: list[tuple[list[str | int], object, str, str, type[Exception]]] = [
    (
        ["results", 0, "featuredParticipants", 0, "type"],
        DELETE,
        "results[0].featuredParticipants[0].type",
        "required property 'type' is missing",
        KeyError,
    ),
    (["results", 0, "id"], DELETE, "results[0].id", "required property 'id' is missing", KeyError),
    (["results", 0, "channelId"], 5, "results[0].channelId", "expected string, got integer", AttributeError),
    (
        ["results", 0, "featuredParticipants"],
        3,
        "results[0].featuredParticipants",
        "expected array, got integer",
        TypeError,
    ),
    (["results", 0, "lastMessage"], "x", "results[0].lastMessage", "expected object, got string", TypeError),
    (["results", 0, "status"], None, "results[0].status", "expected string, got null", ValueError),
    (["results", 0, "id"], "not-a-uuid", "results[0].id", "not a valid uuid: 'not-a-uuid'", ValueError),
    (
        ["results", 0, "lastMessage", "createdAt"],
        "2024-13-45",
        "results[0].lastMessage.createdAt",
        "not a valid date-time: '2024-13-45'",
        ValueError,
    ),
    (["results", 0, "updatedAt"], 3, "results[0].updatedAt", "expected string, got integer", TypeError),
    (["results"], None, "results", "expected array, got null", TypeError),
    # A nullable list of models: a bad element is an error, not the raw JSON typed as models
    (
        ["results", 0, "lastMessage", "recipients"],
        [{"id": "nope"}],
        "results[0].lastMessage.recipients[0].id",
        "not a valid uuid: 'nope'",
        ValueError,
    ),
    (["results"], DELETE, "results", "required property 'results' is missing", KeyError),
    (["results"], {"0": {}}, "results", "expected array, got object", TypeError),
]


@pytest.mark.parametrize(
    ("path", "value", "field", "reason", "cause"),
    BIRD_BREAKAGES,
    ids=[case[2] + ":" + case[3] for case in BIRD_BREAKAGES],
)
def test_a_broken_bird_page_names_the_field(
    path: list[str | int], value: object, field: str, reason: str, cause: type[Exception]
) -> None:
    body = encoded(changed(BIRD_PAGE_JSON, path, value))
    error = rejected(ConversationPage, body, BIRD_PAGE)
    assert (error.field, error.reason) == (field, reason)
    assert isinstance(error.__cause__, cause)
    assert str(error) == f"invalid response body (HTTP 200) at {field}: {reason}"


def test_the_path_counts_array_items() -> None:
    payload = copy.deepcopy(BIRD_PAGE_JSON)
    payload["results"] = [copy.deepcopy(payload["results"][0]) for _ in range(5)]
    payload["results"][3]["lastMessage"]["createdAt"] = "tuesday"
    error = rejected(ConversationPage, encoded(payload), BIRD_PAGE)
    assert (error.field, error.reason) == ("results[3].lastMessage.createdAt", "not a valid date-time: 'tuesday'")


OMNI_BREAKAGES: list[tuple[list[str | int], object, str, str, type[Exception]]] = [
    (
        ["conversations", 1, "conversationid"],
        "b816977f-7c80-46a1-9062-40466598743",
        "conversations[1].conversationid",
        "not a valid uuid: 'b816977f-7c80-46a1-9062-40466598743'",
        ValueError,
    ),
    (
        ["conversations", 2, "timestamp"],
        "2025-04-16 at noon",
        "conversations[2].timestamp",
        "not a valid date-time: '2025-04-16 at noon'",
        ValueError,
    ),
    (
        ["conversations", 0, "timestamp"],
        DELETE,
        "conversations[0].timestamp",
        "required property 'timestamp' is missing",
        KeyError,
    ),
    (["conversations", 1], 42, "conversations[1]", "expected object, got integer", TypeError),
    (["conversations"], None, "conversations", "expected array, got null", TypeError),
    (["conversations"], DELETE, "conversations", "required property 'conversations' is missing", KeyError),
]


@pytest.mark.parametrize(
    ("path", "value", "field", "reason", "cause"),
    OMNI_BREAKAGES,
    ids=[case[2] + ":" + case[3] for case in OMNI_BREAKAGES],
)
def test_a_broken_omnichannel_page_names_the_field(
    path: list[str | int], value: object, field: str, reason: str, cause: type[Exception]
) -> None:
    body = encoded(changed(OMNI_PAGE_JSON, path, value))
    error = rejected(ActiveConversationPage, body, OMNI_PAGE)
    assert (error.field, error.reason) == (field, reason)
    assert isinstance(error.__cause__, cause)


@pytest.mark.parametrize(
    ("path", "value", "field", "reason"),
    [
        (["message"], DELETE, "message", "required property 'message' is missing"),
        (["details"], 5, "details", "expected object, got integer"),
    ],
)
def test_a_broken_bird_error_names_the_field(path: list[str | int], value: object, field: str, reason: str) -> None:
    error = rejected(DetailedError, encoded(changed(BIRD_ERROR_JSON, path, value)), BIRD_ERROR, status_code=404)
    assert (error.field, error.reason) == (field, reason)


def test_nullable_recipients_and_continuation_token_are_fine_as_null() -> None:
    assert BIRD_PAGE_JSON["results"][0]["lastMessage"]["recipients"] is None  # the fixture really has it
    omni = changed(OMNI_PAGE_JSON, ["continuationtoken"], None)
    assert find_mismatch(omni, OMNI_PAGE.schema(), OMNI_PAGE.document()) is None
    assert (
        decode_model(ActiveConversationPage, encoded(omni), status_code=200, schema=OMNI_PAGE).continuationtoken is None
    )


# --- bodies that are not a JSON object --------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "body is not JSON: empty body"),
        (b" \r\n\t", "body is not JSON: empty body"),
        (b"<html>Bad Gateway</html>", "body is not JSON: Expecting value at line 1 column 1"),
        (b'{"results": [', "body is not JSON: Expecting value at line 1 column 14"),
        (b'{"results": []} trailing', "body is not JSON: Extra data at line 1 column 17"),
        (b'{"results": ["caf\xe9"]}', "body is not JSON: not valid UTF-8 (byte 0xe9 at offset 17)"),
        (b"\xff", "body is not JSON: not valid UTF-8 (byte 0xff at offset 0)"),
        # json.loads(bytes) would guess UTF-16; a JSON body on the wire must be UTF-8
        ('{"results": []}'.encode("utf-16"), "body is not JSON: not valid UTF-8 (byte 0xff at offset 0)"),
        (b"[" * 100_000, "body is not JSON: nested too deeply"),
    ],
    ids=["empty", "whitespace", "html", "truncated", "trailing", "latin-1", "0xff", "utf-16", "deep"],
)
def test_a_body_that_is_not_json(body: bytes, reason: str) -> None:
    error = rejected(ConversationPage, body, BIRD_PAGE, status_code=201)
    assert (error.field, error.reason) == (None, reason)


def test_a_non_json_body_chains_the_parser_error() -> None:
    assert isinstance(rejected(ConversationPage, b"nope", BIRD_PAGE).__cause__, json.JSONDecodeError)
    assert isinstance(rejected(ConversationPage, b"\xff", BIRD_PAGE).__cause__, UnicodeDecodeError)


NOT_OBJECTS: list[tuple[object, str]] = [
    ([], "array"),
    ([{"results": []}], "array"),
    ("results", "string"),
    (3, "integer"),
    (1.5, "number"),
    (True, "boolean"),
    (None, "null"),
]


@pytest.mark.parametrize(("value", "kind"), NOT_OBJECTS)
@pytest.mark.parametrize(("model", "schema"), MODELS_AND_SCHEMAS, ids=VENDOR_IDS)
def test_a_top_level_value_that_is_not_an_object(value: object, kind: str, model: type[Any], schema: SchemaRef) -> None:
    error = rejected(model, json.dumps(value).encode(), schema)
    assert (error.field, error.reason) == (None, f"expected a JSON object, got {kind}")
    assert error.__cause__ is None


# --- when the walk cannot say where -------------------------------------------------------


class _Grumpy:
    """A model that rejects every body, which the schema has no quarrel with."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any], /) -> Self:
        raise KeyError("surprise\nkey")


def test_a_failure_the_walk_cannot_place_names_the_exception() -> None:
    body = encoded(BIRD_ERROR_JSON)
    error = rejected(_Grumpy, body, BIRD_ERROR)
    assert error.field is None
    assert error.reason == "does not fit the model (KeyError: 'surprise\\nkey')"
    assert isinstance(error.__cause__, KeyError)
    assert not getattr(error, "__notes__", [])


def test_a_bad_schema_ref_still_gives_the_typed_error_with_a_note() -> None:
    body = encoded(changed(BIRD_PAGE_JSON, ["results"], None))
    error = rejected(ConversationPage, body, SchemaRef("bird_conversations", "/components/schemas/Nope"))
    assert error.field is None
    assert error.reason.startswith("does not fit the model (TypeError")
    assert any("could not locate the field" in note for note in error.__notes__)


def test_exceptions_that_are_not_about_the_body_are_not_swallowed() -> None:
    class Broken:
        @classmethod
        def from_dict(cls, src_dict: Mapping[str, Any], /) -> Self:
            raise RuntimeError("a bug, not a bad body")

    with pytest.raises(RuntimeError):
        decode_model(Broken, b"{}", status_code=200, schema=BIRD_ERROR)


def test_the_docstring_examples_hold() -> None:
    for module in (decoding, schema_errors, fast_json):
        results = doctest.testmod(module)
        assert results.attempted >= 1
        assert results.failed == 0


# --- properties -------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
KNOWN_KEYS = st.sampled_from(
    [
        "results",
        "conversations",
        "continuationtoken",
        "nextPageToken",
        "code",
        "message",
        "details",
        "status",
        "errorCode",
    ]
)
OBJECTS = st.dictionaries(KNOWN_KEYS | st.text(max_size=10), JSON_VALUES, max_size=5)


def _decodes_or_raises_the_typed_error(
    model: type[Any], schema: SchemaRef, body: bytes
) -> ResponseValidationError | None:
    try:
        decoded = decode_model(model, body, status_code=200, schema=schema)
    except ResponseValidationError as error:
        assert error.body == body
        return error
    assert isinstance(decoded, model)
    return None


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=200))
@pytest.mark.parametrize(("model", "schema"), MODELS_AND_SCHEMAS, ids=VENDOR_IDS)
def test_arbitrary_bytes_decode_or_give_the_typed_error(model: type[Any], schema: SchemaRef, body: bytes) -> None:
    _decodes_or_raises_the_typed_error(model, schema, body)


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES | OBJECTS)
@pytest.mark.parametrize(("model", "schema"), MODELS_AND_SCHEMAS, ids=VENDOR_IDS)
def test_arbitrary_json_decodes_or_gives_the_typed_error(model: type[Any], schema: SchemaRef, value: object) -> None:
    _decodes_or_raises_the_typed_error(model, schema, json.dumps(value).encode())


def _locations(node: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [path] if path else []
    if isinstance(node, dict):
        for key, child in cast(dict[str, object], node).items():  # a JSON object: its keys are strings
            found += _locations(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(cast(list[object], node)):
            found += _locations(child, (*path, index))
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.parametrize(("name", "model", "schema", "payload"), VENDOR_CASES, ids=VENDOR_IDS)
def test_whenever_a_model_rejects_a_damaged_body_the_field_is_named(
    name: str, model: type[Any], schema: SchemaRef, payload: Any, data: st.DataObject
) -> None:
    damaged = copy.deepcopy(payload)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3), label="damages")):
        locations = _locations(damaged)
        if not locations:
            break
        location = data.draw(st.sampled_from(locations), label="where")
        replacement = data.draw(st.just(DELETE) | JSON_VALUES, label="what")
        damaged = changed(damaged, list(location), replacement)
    error = _decodes_or_raises_the_typed_error(model, schema, json.dumps(damaged).encode())
    if error is not None:
        assert error.field is not None, error.reason
        assert error.field.split(".")[0].split("[")[0] in payload  # a top-level property of the body


# --- the collector is paused while models are built, and only then ----------------------------


class _RecordsCollector:
    seen: list[bool] = []

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> _RecordsCollector:
        cls.seen.append(gc.isenabled())
        if src_dict.get("fail"):
            raise KeyError("fail")
        return cls()


def test_models_are_built_with_the_collector_paused_then_resumed() -> None:
    _RecordsCollector.seen = []
    assert gc.isenabled()
    decode_model(_RecordsCollector, b'{"ok": true}', status_code=200, schema=BIRD_PAGE)
    assert _RecordsCollector.seen == [False]
    assert gc.isenabled()


def test_the_collector_resumes_when_building_fails() -> None:
    with pytest.raises(ResponseValidationError):
        decode_model(_RecordsCollector, b'{"fail": true}', status_code=200, schema=BIRD_PAGE)
    assert gc.isenabled()


def test_a_collector_the_application_turned_off_stays_off() -> None:
    _RecordsCollector.seen = []
    gc.disable()
    try:
        decode_model(_RecordsCollector, b'{"ok": true}', status_code=200, schema=BIRD_PAGE)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert _RecordsCollector.seen == [False]
