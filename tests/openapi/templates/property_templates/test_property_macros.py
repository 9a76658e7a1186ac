"""Every value the generated models take is checked against its schema type (issue 9, item 5): the
checks ``openapi/templates/property_templates/property_macros.py.jinja`` renders into each
``from_dict``.

A page whose values have the wrong JSON type is refused with a ``ResponseValidationError`` that
names the field and says what was expected and what came, instead of a model whose ``int``
attribute holds ``"lots"``. Unknown enum values and unknown properties stay tolerated
(``tests/openapi/templates/test_model.py``, ``test_str_enum.py``). The generated checks and the
overlay's schema walk (``find_mismatch``, which writes the error's field and reason) must agree on
every value: the last tests here draw broken payloads and hold the two to the same verdict.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bird_conversations.models import ConversationPage, DetailedError, MessagePage
from bird_conversations.types import UNSET
from conversation_clients._decoding import decode_model
from conversation_clients._operations.bird_conversations import LIST_CONVERSATIONS_SCHEMA as BIRD_PAGE
from conversation_clients._operations.omnichannel_messaging import LIST_CONVERSATIONS_SCHEMA as OMNI_PAGE
from conversation_clients._schema_errors import SchemaRef, find_mismatch
from conversation_clients.errors import ResponseValidationError
from omnichannel_messaging.models import ActiveConversationPage, ProblemDetails
from tests.support.paths import FIXTURES

BIRD_ERROR = SchemaRef("bird_conversations", "/components/schemas/error.detailed")
OMNI_PROBLEM = SchemaRef("omnichannel_messaging", "/components/schemas/ProblemDetails")
BIRD_MESSAGES = SchemaRef(
    "bird_conversations",
    "/paths/~1workspaces~1{workspaceId}~1conversations~1{conversationId}~1messages/get/responses/200/content/application~1json/schema",
)
_BIRD_FIXTURE: Any = json.loads((FIXTURES / "bird_list_conversations_200.json").read_bytes())
# Five conversations, so that a path can point past the first one (results[3]).
BIRD_PAGE_JSON: Any = {**_BIRD_FIXTURE, "results": [copy.deepcopy(_BIRD_FIXTURE["results"][0]) for _ in range(5)]}
OMNI_PAGE_JSON: Any = json.loads((FIXTURES / "omnichannel_list_conversations_200.json").read_bytes())
_MESSAGES_FIXTURE: Any = json.loads((FIXTURES / "bird_list_messages_200.json").read_bytes())
# With a template and a next token too, so that the nullable template and the token are replaced as well.
BIRD_MESSAGES_JSON: Any = {
    **_MESSAGES_FIXTURE,
    "results": [
        *_MESSAGES_FIXTURE["results"],
        {
            **_MESSAGES_FIXTURE["results"][0],
            "template": {"name": "shipping", "projectId": "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b"},
        },
    ],
    "nextPageToken": "next",
}
BIRD_ERROR_JSON: Any = {"code": "NotFound", "message": "conversation not found", "details": {"id": "x"}}
OMNI_PROBLEM_JSON: Any = {"type": "about:blank", "title": "Bad Request", "status": 400, "errorCode": 30007}
DELETE = object()


def changed(payload: Any, path: list[str | int], value: object) -> Any:
    """A deep copy of ``payload`` with the node at ``path`` replaced (or deleted with DELETE)."""
    result = copy.deepcopy(payload)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return result


def refused(model: type[Any], payload: Any, schema: SchemaRef) -> ResponseValidationError:
    body = json.dumps(payload).encode()  # NaN and Infinity are written as Python's json writes them
    with pytest.raises(ResponseValidationError) as caught:
        decode_model(model, body, status_code=200, schema=schema)
    assert caught.value.body == body
    return caught.value


def accepted(model: type[Any], payload: Any, schema: SchemaRef) -> Any:
    return decode_model(model, json.dumps(payload).encode(), status_code=200, schema=schema)


# (path, wrong value, field named, reason given)
BIRD_WRONG_VALUES: list[tuple[list[str | int], object, str, str]] = [
    # the values issue 9 lists
    (
        ["results", 3, "activeParticipantCount"],
        "lots",
        "results[3].activeParticipantCount",
        "expected integer, got string",
    ),
    (["results", 3, "name"], 12345, "results[3].name", "expected string, got integer"),
    (["results", 3, "read"], "no", "results[3].read", "expected boolean, got string"),
    (["results", 3, "tags"], {"a": 1}, "results[3].tags", "expected array, got object"),
    (
        ["results", 3, "activeParticipantCount"],
        math.nan,
        "results[3].activeParticipantCount",
        "expected integer, got NaN",
    ),
    (["results"], {}, "results", "expected array, got object"),
    (["results"], "", "results", "expected array, got string"),
    # integer: not a boolean, not a number with a fraction or an exponent, not infinite
    (
        ["results", 3, "activeParticipantCount"],
        True,
        "results[3].activeParticipantCount",
        "expected integer, got boolean",
    ),
    (
        ["results", 3, "activeParticipantCount"],
        2.0,
        "results[3].activeParticipantCount",
        "expected integer, got number",
    ),
    (
        ["results", 3, "activeParticipantCount"],
        math.inf,
        "results[3].activeParticipantCount",
        "expected integer, got Infinity",
    ),
    (
        ["results", 3, "pendingParticipantCount"],
        "0",
        "results[3].pendingParticipantCount",
        "expected integer, got string",
    ),
    (
        ["results", 3, "pendingParticipantCount"],
        None,
        "results[3].pendingParticipantCount",
        "expected integer, got null",
    ),
    # string
    (["results", 3, "description"], [], "results[3].description", "expected string, got array"),
    (["results", 3, "summary"], False, "results[3].summary", "expected string, got boolean"),
    (["nextPageToken"], 7, "nextPageToken", "expected string or null, got integer"),
    (
        ["results", 3, "lastMessage", "sender", "name"],
        1,
        "results[3].lastMessage.sender.name",
        "expected string, got integer",
    ),
    (
        ["results", 3, "featuredParticipants", 0, "contact", "identifierValue"],
        {"x": 1},
        "results[3].featuredParticipants[0].contact.identifierValue",
        "expected string, got object",
    ),
    # boolean
    (["results", 3, "starred"], 1, "results[3].starred", "expected boolean, got integer"),
    (["results", 3, "hasDraft"], "true", "results[3].hasDraft", "expected boolean, got string"),
    # array of strings, and its elements
    (["results", 3, "tags"], "vip", "results[3].tags", "expected array, got string"),
    (["results", 3, "tags"], ["vip", 1], "results[3].tags[1]", "expected string, got integer"),
    # object: a model, and a map of strings
    (["results", 3, "lastMessage"], [], "results[3].lastMessage", "expected object, got array"),
    (["results", 3, "attributes"], "", "results[3].attributes", "expected object, got string"),
    (["results", 3, "attributes"], [], "results[3].attributes", "expected object, got array"),
    (["results", 3, "attributes"], {"priority": 1}, "results[3].attributes.priority", "expected string, got integer"),
    (["results", 3], [], "results[3]", "expected object, got array"),
    (["results", 3], "", "results[3]", "expected object, got string"),
    (["results", 3, "featuredParticipants", 0], [], "results[3].featuredParticipants[0]", "expected object, got array"),
    # a string enum: unknown strings are kept, other JSON types are not
    (["results", 3, "status"], 7, "results[3].status", "expected string, got integer"),
    (["results", 3, "lastMessage", "type"], ["html"], "results[3].lastMessage.type", "expected string, got array"),
    # date-time: text with a UTC offset
    (
        ["results", 3, "createdAt"],
        "2024-11-27T14:47:59.577",
        "results[3].createdAt",
        "date-time without a UTC offset: '2024-11-27T14:47:59.577'",
    ),
    (
        ["results", 3, "lastMessage", "createdAt"],
        "2024-11-27",
        "results[3].lastMessage.createdAt",
        "date-time without a UTC offset: '2024-11-27'",
    ),
    (["results", 3, "updatedAt"], 1732718879, "results[3].updatedAt", "expected string, got integer"),
    # uuid
    (["results", 3, "channelId"], 5, "results[3].channelId", "expected string, got integer"),
    (["results", 3, "lastMessage", "id"], "0ff78529", "results[3].lastMessage.id", "not a valid uuid: '0ff78529'"),
    # a nullable list of models: null is fine, anything else is checked
    (
        ["results", 3, "lastMessage", "recipients"],
        "x",
        "results[3].lastMessage.recipients",
        "expected array or null, got string",
    ),
    (
        ["results", 3, "lastMessage", "recipients"],
        {},
        "results[3].lastMessage.recipients",
        "expected array or null, got object",
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "field", "reason"),
    BIRD_WRONG_VALUES,
    ids=[f"{case[2]}={case[1]!r}" for case in BIRD_WRONG_VALUES],
)
def test_a_bird_page_with_a_wrong_typed_value_is_refused_naming_the_field(
    path: list[str | int], value: object, field: str, reason: str
) -> None:
    error = refused(ConversationPage, changed(BIRD_PAGE_JSON, path, value), BIRD_PAGE)
    assert (error.field, error.reason) == (field, reason)


OMNI_WRONG_VALUES: list[tuple[SchemaRef, type[Any], Any, list[str | int], object, str, str]] = [
    (
        OMNI_PAGE,
        ActiveConversationPage,
        OMNI_PAGE_JSON,
        ["conversations", 1, "timestamp"],
        "2025-04-16T14:25:19.9245078",
        "conversations[1].timestamp",
        "date-time without a UTC offset: '2025-04-16T14:25:19.9245078'",
    ),
    (
        OMNI_PAGE,
        ActiveConversationPage,
        OMNI_PAGE_JSON,
        ["conversations", 2, "timestamp"],
        "2025-04-16 14:25:29",
        "conversations[2].timestamp",
        "date-time without a UTC offset: '2025-04-16 14:25:29'",
    ),
    (
        OMNI_PAGE,
        ActiveConversationPage,
        OMNI_PAGE_JSON,
        ["conversations", 1, "conversationid"],
        12,
        "conversations[1].conversationid",
        "expected string, got integer",
    ),
    (
        OMNI_PAGE,
        ActiveConversationPage,
        OMNI_PAGE_JSON,
        ["conversations"],
        {},
        "conversations",
        "expected array, got object",
    ),
    (
        OMNI_PAGE,
        ActiveConversationPage,
        OMNI_PAGE_JSON,
        ["conversations"],
        "",
        "conversations",
        "expected array, got string",
    ),
    (
        OMNI_PAGE,
        ActiveConversationPage,
        OMNI_PAGE_JSON,
        ["conversations", 0],
        [],
        "conversations[0]",
        "expected object, got array",
    ),
    (
        OMNI_PAGE,
        ActiveConversationPage,
        OMNI_PAGE_JSON,
        ["continuationtoken"],
        5,
        "continuationtoken",
        "expected string or null, got integer",
    ),
    (
        OMNI_PAGE,
        ActiveConversationPage,
        OMNI_PAGE_JSON,
        ["continuationtoken"],
        ["t"],
        "continuationtoken",
        "expected string or null, got array",
    ),
    (OMNI_PROBLEM, ProblemDetails, OMNI_PROBLEM_JSON, ["status"], "400", "status", "expected integer, got string"),
    (
        OMNI_PROBLEM,
        ProblemDetails,
        OMNI_PROBLEM_JSON,
        ["errorCode"],
        30007.5,
        "errorCode",
        "expected integer, got number",
    ),
    (OMNI_PROBLEM, ProblemDetails, OMNI_PROBLEM_JSON, ["title"], None, "title", "expected string, got null"),
    (BIRD_ERROR, DetailedError, BIRD_ERROR_JSON, ["code"], 404, "code", "expected string, got integer"),
    (BIRD_ERROR, DetailedError, BIRD_ERROR_JSON, ["details"], [], "details", "expected object, got array"),
]


@pytest.mark.parametrize(
    ("schema", "model", "payload", "path", "value", "field", "reason"),
    OMNI_WRONG_VALUES,
    ids=[f"{case[1].__name__}.{case[5]}={case[4]!r}" for case in OMNI_WRONG_VALUES],
)
def test_other_bodies_with_a_wrong_typed_value_are_refused_naming_the_field(
    schema: SchemaRef, model: type[Any], payload: Any, path: list[str | int], value: object, field: str, reason: str
) -> None:
    error = refused(model, changed(payload, path, value), schema)
    assert (error.field, error.reason) == (field, reason)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["results", 3, "lastMessage", "recipients"], None),  # nullable
        (["results", 3, "pendingParticipantCount"], DELETE),  # optional
        (["results", 3, "lastMessage"], DELETE),  # optional
        (["results", 3, "read"], False),
        (["results", 3, "tags"], []),
        (["results", 3, "tags"], ["vip", "refund"]),
        (["results", 3, "attributes"], {}),
        (["results", 3, "attributes"], {"priority": "high"}),
        (["results", 3, "activeParticipantCount"], 2**70),  # JSON integers have no size limit
        (["results", 3, "status"], "snoozed"),  # an enum value added later
        (["results", 3, "brandNewField"], {"anything": [1, 2.5, None]}),  # a property added later
        (["results", 3, "createdAt"], "2024-11-27T14:47:59.5771234+05:30"),
        (["results", 3, "createdAt"], "2024-11-27T14:47:59z"),  # RFC 3339 allows a lower-case z
        (["results"], []),
        (["nextPageToken"], None),  # a last page may say so with null (openapi/bird/corrections.patch.json)
    ],
)
def test_values_of_the_right_type_still_parse(path: list[str | int], value: object) -> None:
    page = accepted(ConversationPage, changed(BIRD_PAGE_JSON, path, value), BIRD_PAGE)
    assert len(page.results) in (0, 5)


def test_date_times_keep_their_offset_and_null_tokens_pass() -> None:
    payload = changed(OMNI_PAGE_JSON, ["continuationtoken"], None)
    payload["conversations"][0]["timestamp"] = "2025-04-15T12:36:40.9049594+02:00"
    page = accepted(ActiveConversationPage, payload, OMNI_PAGE)
    assert page.continuationtoken is None
    offset = page.conversations[0].timestamp.utcoffset()
    assert offset is not None and offset.total_seconds() == 7200


def test_an_optional_integer_that_is_absent_stays_unset_and_problem_details_parse() -> None:
    problem = accepted(ProblemDetails, {"title": "Gone"}, OMNI_PROBLEM)
    assert problem.title == "Gone"
    assert accepted(ProblemDetails, OMNI_PROBLEM_JSON, OMNI_PROBLEM).status == 400


def test_the_model_error_behind_a_refusal_is_chained() -> None:
    error = refused(ConversationPage, changed(BIRD_PAGE_JSON, ["results", 3, "name"], 12345), BIRD_PAGE)
    assert isinstance(error.__cause__, TypeError)
    assert str(error) == "invalid response body (HTTP 200) at results[3].name: expected string, got integer"


# --- the walk and the generated checks agree -------------------------------------------


@pytest.mark.parametrize(
    ("schema", "value", "expected"),
    [
        ({"type": "number"}, 1.5, None),
        ({"type": "number"}, 3, None),
        ({"type": "number"}, True, ("", "expected number, got boolean")),
        ({"type": "number"}, math.nan, ("", "expected number, got NaN")),
        ({"type": "number"}, -math.inf, ("", "expected number, got -Infinity")),
        ({"type": "integer"}, -math.inf, ("", "expected integer, got -Infinity")),
        (
            {"type": "string", "format": "date-time"},
            "2025-04-15T12:36:40",
            ("", "date-time without a UTC offset: '2025-04-15T12:36:40'"),
        ),
        ({"type": "string", "format": "date-time"}, "2025-04-15T12:36:40-00:00", None),
        ({"type": "string", "format": "date-time", "nullable": True}, None, None),
    ],
)
def test_the_walk_knows_numbers_and_offsets(
    schema: dict[str, Any], value: object, expected: tuple[str, str] | None
) -> None:
    assert find_mismatch(value, schema, {}) == expected


def _paths(node: object, prefix: list[str | int]) -> list[list[str | int]]:
    """Every path into ``node`` (the root excluded): each key and each index."""
    found: list[list[str | int]] = []
    children: list[tuple[str | int, object]] = []
    if isinstance(node, dict):
        children.extend(cast(dict[str, object], node).items())
    elif isinstance(node, list):
        children.extend(enumerate(cast(list[object], node)))
    for key, child in children:
        found.append([*prefix, key])
        found.extend(_paths(child, [*prefix, key]))
    return found


MESSAGES_WRONG_VALUES: list[tuple[list[str | int], object, str, str]] = [
    (["results", 2, "template"], "shipping", "results[2].template", "expected object or null, got string"),
    (["results", 2, "template", "projectId"], "p-1", "results[2].template.projectId", "not a valid uuid: 'p-1'"),
    (["results", 0, "sender"], [], "results[0].sender", "expected object, got array"),
    (["results", 0, "interactions"], {}, "results[0].interactions", "expected array or null, got object"),
    (["results", 1, "body", "html", "html"], 1, "results[1].body.html.html", "expected string, got integer"),
    (["results", 1, "receiverTypes", 0], 0, "results[1].receiverTypes[0]", "expected string, got integer"),
]


@pytest.mark.parametrize(
    ("path", "value", "field", "reason"),
    MESSAGES_WRONG_VALUES,
    ids=[f"{case[2]}={case[1]!r}" for case in MESSAGES_WRONG_VALUES],
)
def test_a_bird_messages_page_with_a_wrong_typed_value_is_refused_naming_the_field(
    path: list[str | int], value: object, field: str, reason: str
) -> None:
    error = refused(MessagePage, changed(BIRD_MESSAGES_JSON, path, value), BIRD_MESSAGES)
    assert (error.field, error.reason) == (field, reason)


def test_a_messages_template_may_be_absent_an_object_or_null() -> None:
    page = accepted(MessagePage, BIRD_MESSAGES_JSON, BIRD_MESSAGES)
    assert [message.template is UNSET for message in page.results] == [True, True, False]
    without = accepted(MessagePage, changed(BIRD_MESSAGES_JSON, ["results", 2, "template"], None), BIRD_MESSAGES)
    assert without.results[2].template is None


REPLACEMENTS: list[object] = [
    0, -3, 2**64, 1.5, 2.0, math.nan, math.inf, True, False, None, "", "x", [], ["x"], [1], {}, {"x": 1},
    "2025-04-15T12:36:40Z", "2025-04-15T12:36:40", "7b0eb8a0-606b-59f1-bd90-43cacb048146", "active",
]  # fmt: skip
AGREEMENT_CASES: list[tuple[type[Any], SchemaRef, Any]] = [
    (ConversationPage, BIRD_PAGE, BIRD_PAGE_JSON),
    (MessagePage, BIRD_MESSAGES, BIRD_MESSAGES_JSON),
    (ActiveConversationPage, OMNI_PAGE, OMNI_PAGE_JSON),
    (DetailedError, BIRD_ERROR, BIRD_ERROR_JSON),
    (ProblemDetails, OMNI_PROBLEM, OMNI_PROBLEM_JSON),
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_models_refuse_exactly_what_the_walk_finds(data: st.DataObject) -> None:
    """Any one value replaced anywhere: the models and the walk give the same verdict and field."""
    model, schema, valid = data.draw(st.sampled_from(AGREEMENT_CASES))
    path = data.draw(st.sampled_from(_paths(valid, [])))
    payload = changed(valid, path, data.draw(st.sampled_from([*REPLACEMENTS, DELETE])))
    mismatch = find_mismatch(payload, schema.schema(), schema.document())
    body = json.dumps(payload).encode()
    if mismatch is None:
        decode_model(model, body, status_code=200, schema=schema)
    else:
        with pytest.raises(ResponseValidationError) as caught:
            decode_model(model, body, status_code=200, schema=schema)
        assert (caught.value.field, caught.value.reason) == ((mismatch[0] or None), mismatch[1])
