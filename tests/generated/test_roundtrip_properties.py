"""Payloads drawn from the corrected schemas (widened the way vendors drift) parse and round-trip.

Widened: every enum also takes unknown strings, objects carry properties the document does not
name, date-times come in any RFC 3339 notation including .NET's seven fractional digits.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any, Protocol, cast

import hypothesis_jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bird_conversations.models import ConversationPage, DetailedError, MessagePage
from omnichannel_messaging.models import ActiveConversationPage, ProblemDetails
from tests.openapi_schemas import (
    WIDE_DATE_TIME,
    canonical,
    component_schema,
    corrected_document,
    response_schema,
    to_json_schema,
)

# hypothesis_jsonschema's JSON type holds a bare ``list``, an unknown element type to strict pyright.
from_schema = cast(Callable[..., st.SearchStrategy[Any]], hypothesis_jsonschema.from_schema)  # pyright: ignore[reportUnknownMemberType]


class Model(Protocol):
    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Any: ...


@st.composite
def rfc3339_datetimes(draw: st.DrawFn) -> str:
    """Date-times in the notations servers send: Z or offsets, 0 to 9 fractional digits."""
    moment = draw(st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2200, 1, 1)))
    digits = draw(st.integers(min_value=0, max_value=9))
    fraction = (
        ""
        if digits == 0
        else "." + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=digits, max_size=digits)))
    )
    offset = draw(st.sampled_from(["Z", "+00:00", "+05:30", "-08:00", "+14:00"]))
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + offset


BIRD = corrected_document("bird_conversations")
OMNI = corrected_document("omnichannel_messaging")
BIRD_LIST = "/workspaces/{workspaceId}/conversations"
BIRD_MESSAGES = "/workspaces/{workspaceId}/conversations/{conversationId}/messages"
OMNI_LIST = "/api/v1.0/consumer/conversations"

CASES: list[tuple[str, type[Any], Any]] = [
    ("bird 200 page", ConversationPage, response_schema(BIRD, BIRD_LIST)),
    ("bird 404 error", DetailedError, response_schema(BIRD, BIRD_LIST, status="404")),
    ("bird error.detailed", DetailedError, component_schema(BIRD, "error.detailed")),
    ("bird messages 200 page", MessagePage, response_schema(BIRD, BIRD_MESSAGES)),
    *[
        (f"bird messages {status} error", DetailedError, response_schema(BIRD, BIRD_MESSAGES, status=status))
        for status in ("403", "404", "409")
    ],
    ("omnichannel 200 page", ActiveConversationPage, response_schema(OMNI, OMNI_LIST)),
    *[
        (f"omnichannel {status} problem", ProblemDetails, response_schema(OMNI, OMNI_LIST, status=status))
        for status in ("400", "401", "404", "429", "500", "503")
    ],
]
FORMATS = {WIDE_DATE_TIME: rfc3339_datetimes(), "uuid": st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper())}


def _round_trip_property(model: type[Any], schema: Any, *, tolerant: bool) -> Callable[[], None]:
    json_schema = to_json_schema(schema, tolerant=tolerant)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(from_schema(json_schema, custom_formats=FORMATS))
    def check(payload: Any) -> None:
        parsed = model.from_dict(payload)
        written = parsed.to_dict()
        assert canonical(written, json_schema) == canonical(payload, json_schema)

    return check


@pytest.mark.parametrize(("model", "schema"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_payloads_as_documented_round_trip(model: type[Any], schema: Any) -> None:
    _round_trip_property(model, schema, tolerant=False)()


@pytest.mark.parametrize(("model", "schema"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_payloads_with_unknown_values_and_fields_round_trip(model: type[Any], schema: Any) -> None:
    _round_trip_property(model, schema, tolerant=True)()


def test_widening_really_adds_unknown_enum_values_and_fields() -> None:
    # guards the property tests above against a widening that silently does nothing
    widened = to_json_schema(component_schema(BIRD, "inbox.conversations.conversation"), tolerant=True)
    status = widened["properties"]["status"]
    assert {"type": "string"} in status["anyOf"]
    assert widened.get("additionalProperties", True) is not False
