"""The generated packages' ``types`` (``openapi/templates/types.py.jinja``): UUIDs and date-times
parsed as the plain ways would, a date-time's text written back as it came, and ``UNSET``, the one
member of ``Unset`` (its narrowing is the type checkers' to show: ``tests/typing/unset_types.py``).
"""

from __future__ import annotations

import copy
import datetime
import pickle
import uuid
from types import ModuleType
from typing import Any

import attrs
import pytest
from dateutil.parser import isoparse
from hypothesis import example, given, settings
from hypothesis import strategies as st

import bird_conversations.types
import omnichannel_messaging.types
from bird_conversations.models import Conversation
from bird_conversations.types import UNSET, WireDatetime, format_datetime, parse_datetime, parse_uuid
from omnichannel_messaging.models import ActiveConversationPage
from tests.support.model_instances import minimal_instance


@pytest.mark.parametrize(
    "text",
    [
        "2025-04-15T12:36:40.9049594Z",
        "2025-04-15T12:36:40.123456789+05:30",
        "2025-04-15t12:36:40.9049594z",
    ],
)
def test_sub_microsecond_text_is_written_back_unchanged(text: str) -> None:
    parsed = parse_datetime(text)
    assert isinstance(parsed, datetime.datetime)
    assert parsed.tzinfo is not None
    assert format_datetime(parsed) == text


def test_a_changed_datetime_no_longer_claims_the_original_text() -> None:
    parsed = parse_datetime("2025-04-15T12:36:40.9049594Z")
    later = parsed + datetime.timedelta(seconds=1)
    replaced = parsed.replace(minute=0)
    assert format_datetime(later) == "2025-04-15T12:36:41.904959+00:00"
    assert format_datetime(replaced) == "2025-04-15T12:00:40.904959+00:00"


def test_microsecond_text_is_written_in_isoformat() -> None:
    assert format_datetime(parse_datetime("2024-11-27T14:47:59.577Z")) == "2024-11-27T14:47:59.577000+00:00"


# -- The templates' fast paths build exactly what the plain ways would -----------------------------


def _outcome(parse: Any, text: object) -> tuple[str, object]:
    try:
        return "value", parse(text)
    except Exception as error:  # noqa: BLE001 - the exception's class is what is compared
        return "error", type(error)


uuid_texts = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda value: str(value).upper()),
    st.uuids().map(lambda value: value.hex),
    st.uuids().map(lambda value: "{" + str(value) + "}"),
    st.uuids().map(lambda value: value.urn),
    st.text(alphabet="0123456789abcdefABCDEF-_ {}+xyz", max_size=40),
    st.text(max_size=40),
)


@given(uuid_texts)
@example("36a7ae52-f244-4c1a-972a-f33ab8c950f")  # one digit short
@example("36a7ae52-f244-4c1a-972a-f33ab8c950fg")  # not hex
@example("36a7ae52f2444c1a972af33ab8c950f4----")  # hyphens anywhere, as UUID() allows
@example("+6a7ae52-f244-4c1a-972a-f33ab8c950f4")  # int() takes a sign: so does UUID()
def test_parse_uuid_accepts_and_rejects_what_uuid_does(text: str) -> None:
    assert _outcome(parse_uuid, text) == _outcome(uuid.UUID, text)


@pytest.mark.parametrize("not_text", [5, None, b"36a7ae52f2444c1a972af33ab8c950f4", ["x"]])
def test_parse_uuid_of_a_non_string_raises_a_model_error(not_text: object) -> None:
    with pytest.raises((TypeError, AttributeError, ValueError)):
        parse_uuid(not_text)  # type: ignore[arg-type]


def test_a_parsed_uuid_behaves_as_a_constructed_one() -> None:
    text = "36a7ae52-f244-4c1a-972a-f33ab8c950f4"
    parsed, constructed = parse_uuid(text), uuid.UUID(text)
    assert parsed == constructed and hash(parsed) == hash(constructed)
    assert parsed.is_safe is constructed.is_safe is uuid.SafeUUID.unknown
    assert pickle.loads(pickle.dumps(parsed)) == constructed
    assert copy.deepcopy(parsed) == constructed
    assert (str(parsed), parsed.version, parsed.bytes) == (text, 4, constructed.bytes)
    with pytest.raises(TypeError):
        parsed.int = 5  # type: ignore[misc]  # still immutable


def _parse_datetime_plainly(text: str) -> datetime.datetime:
    """parse_datetime as it was written first: parse, then copy into a WireDatetime when the
    text has more than six fractional digits."""
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        value = isoparse(text)
    if value.tzinfo is None:
        raise ValueError(f"date-time without a UTC offset: {text!r}")
    if len(text) <= 26 or text[19:20] not in (".", ","):
        return value
    end = 20
    while end < len(text) and text[end].isdigit():
        end += 1
    if end - 20 <= 6:
        return value
    precise = WireDatetime(
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond, value.tzinfo, fold=value.fold,
    )  # fmt: skip
    precise.wire_text = text
    return precise


def _datetime_outcome(parse: Any, text: object) -> tuple[object, ...]:
    try:
        value: datetime.datetime = parse(text)
    except Exception as error:  # noqa: BLE001 - the exception's class and message are compared
        return "error", type(error), str(error) if isinstance(error, ValueError) else ""
    return "value", type(value), value, value.tzinfo, value.fold, getattr(value, "wire_text", None)


def _with_fraction(moment: datetime.datetime, mark: str, digits: str, offset: str) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + mark + digits + offset


datetime_texts: st.SearchStrategy[str] = st.one_of(
    st.datetimes(timezones=st.timezones() | st.none()).map(datetime.datetime.isoformat),
    st.builds(
        _with_fraction,
        st.datetimes(),
        st.sampled_from([".", ",", ":"]),
        st.text(alphabet="0123456789", min_size=0, max_size=12),
        st.sampled_from(["Z", "z", "+02:00", "-05:30", "+0200", "", "+14:00", "+24:00", " "]),
    ),
    st.text(alphabet="0123456789-:T.,Z+z \u0661\u00b2", max_size=40),
    st.text(max_size=40),
)


@settings(max_examples=1000)
@given(datetime_texts)
@example("2025-04-15T12:36:40.9049594Z")  # .NET's seven digits
@example("2025-04-15T12:36:40,9049594+02:00")  # a comma, and an offset
@example("2025-04-15T12:36:40.904959Z")  # six: a plain datetime
@example("2025-04-15T12:36:40.9049594")  # seven digits and no offset
@example("2025-04-15T12:36:40.123456٧Z")  # a seventh digit that is not ASCII
@example("20250415T123640.9049594Z")  # basic format: only isoparse reads it
def test_parse_datetime_builds_what_the_plain_way_built(text: str) -> None:
    assert _datetime_outcome(parse_datetime, text) == _datetime_outcome(_parse_datetime_plainly, text)


def _rfc_3339(moment: datetime.datetime, separator: str, mark: str, digits: str, offset: str) -> str:
    date = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
    time = f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    return date + separator + time + (mark + digits if digits else "") + offset


def _offset(sign: str, hours: int, minutes: int, colon: bool) -> str:
    return f"{sign}{hours:02d}{':' if colon else ''}{minutes:02d}"


rfc_3339_texts: st.SearchStrategy[str] = st.builds(
    _rfc_3339,
    st.datetimes(),
    st.sampled_from(["T", "t", " "]),
    st.sampled_from([".", ","]),
    st.text(alphabet="0123456789", min_size=0, max_size=9),  # 0 to 9 fractional digits
    st.one_of(
        st.sampled_from(["Z", "z", "", "+00:00", "-00:00", "+02:00:30", "+24:00"]),
        st.builds(_offset, st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59), st.booleans()),
    ),
)


@settings(max_examples=2000)
@given(rfc_3339_texts)
@example("0001-01-01T00:00:00.0000000Z")  # the first instant a datetime holds, seven digits
@example("9999-12-31T23:59:59.9999999-23:59")  # the last, truncated (not rounded) to .999999
@example("2025-04-15T12:36:40.123456789+05:30")  # nine digits
def test_parse_datetime_reads_rfc_3339_as_the_plain_way_does(text: str) -> None:
    """Well-formed RFC 3339 texts, each fraction length from none to nine digits, and offsets."""
    assert _datetime_outcome(parse_datetime, text) == _datetime_outcome(_parse_datetime_plainly, text)


def test_a_wire_datetime_keeps_its_text_in_a_slot() -> None:
    parsed = parse_datetime("2025-04-15T12:36:40.9049594Z")
    assert type(parsed) is WireDatetime
    assert not hasattr(parsed, "__dict__")  # no dict per date-time
    assert parsed.wire_text == "2025-04-15T12:36:40.9049594Z"
    made_otherwise = [
        parsed + datetime.timedelta(0),
        parsed.replace(minute=0),
        copy.copy(parsed),
        copy.deepcopy(parsed),
        pickle.loads(pickle.dumps(parsed)),
        WireDatetime(2025, 4, 15, tzinfo=datetime.UTC),
    ]
    for value in made_otherwise:
        assert type(value) is WireDatetime
        assert value.wire_text is None
    value = made_otherwise[0]
    value.wire_text = "2025-04-15T12:36:40.9049594Z"
    assert value.wire_text == "2025-04-15T12:36:40.9049594Z"


@pytest.mark.parametrize("not_text", [5, None, 2.5, True, ["2025-04-15T12:36:40.9049594Z"], {"a": 1}])
def test_parse_datetime_of_a_non_string_raises_a_model_error(not_text: object) -> None:
    with pytest.raises(TypeError):
        parse_datetime(not_text)  # type: ignore[arg-type]


# -- UNSET: one value per package, named in reprs, falsy, kept by copies --------------------------

TYPES_MODULES = [bird_conversations.types, omnichannel_messaging.types]


@pytest.mark.parametrize("types", TYPES_MODULES, ids=lambda module: module.__name__)
def test_unset_is_the_one_falsy_member_of_unset_and_reads_as_its_name(types: ModuleType) -> None:
    assert list(types.Unset) == [types.UNSET]
    assert repr(types.UNSET) == "UNSET"
    assert bool(types.UNSET) is False
    assert isinstance(types.UNSET, types.Unset)


@pytest.mark.parametrize("types", TYPES_MODULES, ids=lambda module: module.__name__)
def test_copies_and_pickles_of_unset_are_unset(types: ModuleType) -> None:
    copies = [copy.copy(types.UNSET), copy.deepcopy(types.UNSET)]
    copies += [pickle.loads(pickle.dumps(types.UNSET, protocol)) for protocol in range(pickle.HIGHEST_PROTOCOL + 1)]
    assert all(value is types.UNSET for value in copies)


def test_a_models_repr_names_its_absent_fields_unset() -> None:
    conversation = minimal_instance(Conversation)
    assert "summary=UNSET" in repr(conversation)
    assert "object at 0x" not in repr(conversation)
    page = ActiveConversationPage(conversations=[])
    assert repr(page) == "ActiveConversationPage(conversations=[], continuationtoken=UNSET, additional_properties={})"


def test_a_copied_pickled_or_evolved_model_keeps_its_absent_fields_unset() -> None:
    conversation = minimal_instance(Conversation)
    copies = [
        copy.copy(conversation),
        copy.deepcopy(conversation),
        pickle.loads(pickle.dumps(conversation)),
        attrs.evolve(conversation, name="renamed"),
    ]
    for copied in copies:
        assert copied.summary is UNSET  # identity still says absent
        assert "summary" not in copied.to_dict()
    assert copies[:3] == [conversation] * 3
