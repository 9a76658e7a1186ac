"""msgspec (the ``speedups`` extra) reads every body to the same value, or the same error, as the
standard library path: both paths are run on the same bytes and compared.

``repr`` compares payloads exactly: ``1`` is not ``1.0`` nor ``True``, ``-0.0`` is not ``0.0``,
NaN equals NaN, and key order counts.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Callable, Iterator
from importlib.metadata import version
from typing import cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement

import conversation_clients._decoding as decoding
import conversation_clients._fast_json as fast_json
from bird_conversations.models import ConversationPage
from conversation_clients._decoding import decode_model
from conversation_clients._fast_json import fast_decoder
from conversation_clients._schema_errors import SchemaRef
from conversation_clients.errors import ResponseValidationError
from tests.support.paths import REPOSITORY

BIRD_PAGE = SchemaRef("bird_conversations", "/components/schemas/ConversationPage")
Outcome = tuple[str, str, str]


def _read(body: bytes) -> Outcome:
    try:
        payload = decoding.parse_json_object(body, status_code=200)
    except ResponseValidationError as error:
        cause = error.__cause__
        return ("error", str(error.reason), "" if cause is None else type(cause).__name__)
    return ("value", repr(payload), "")


def _read_top_level(body: bytes) -> Outcome:
    """Like _read, for any JSON value (parse_json_object refuses all but objects)."""
    try:
        value = decoding._parse_json(body, 200)  # pyright: ignore[reportPrivateUsage]
    except ResponseValidationError as error:
        cause = error.__cause__
        return ("error", str(error.reason), "" if cause is None else type(cause).__name__)
    return ("value", repr(value), type(value).__name__)


@pytest.fixture
def monkeypatch_decoder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], None]]:
    def use(fast: bool) -> None:
        monkeypatch.setattr(fast_json, "FAST_DECODER", fast_decoder() if fast else None)

    yield use


def _both(read: Callable[[bytes], Outcome], body: bytes) -> tuple[Outcome, Outcome]:
    saved = fast_json.FAST_DECODER
    assert saved is not None, "the tests need msgspec installed (the speedups extra)"
    try:
        fast = read(body)
        fast_json.FAST_DECODER = None
        stdlib = read(body)
    finally:
        fast_json.FAST_DECODER = saved
    return fast, stdlib


def _tried_by_msgspec(body: bytes) -> bool:
    """Whether msgspec itself reads ``body`` (rather than refusing it to json.loads)."""
    decoder = fast_decoder()
    assert decoder is not None
    decode, refusals = decoder
    try:
        decode(body)
    except refusals:
        return False
    return True


def test_msgspec_is_the_reader_when_installed() -> None:
    assert fast_json.FAST_DECODER is not None
    decode, _ = fast_json.FAST_DECODER
    assert type(getattr(decode, "__self__", None)).__module__ == "msgspec.json"


def test_without_msgspec_the_standard_library_reads_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "msgspec", None)  # import msgspec now raises ImportError
    assert fast_decoder() is None


def test_the_speedups_extra_admits_the_msgspec_the_tests_run_with() -> None:
    pyproject = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    (requirement,) = map(Requirement, pyproject["project"]["optional-dependencies"]["speedups"])
    assert requirement.name == "msgspec"
    assert requirement.specifier.contains(version("msgspec"))
    assert "msgspec" not in " ".join(pyproject["project"]["dependencies"])  # a plain install needs no compiler


@pytest.mark.parametrize(
    ("body", "expected", "msgspec_reads_it"),
    [
        # a byte order mark: tolerated today; msgspec refuses it, json.loads reads it
        (b'\xef\xbb\xbf{"a": 1}', ("value", "{'a': 1}", "dict"), False),
        (
            b'{"a": "caf\xe9"}',
            ("error", "body is not JSON: not valid UTF-8 (byte 0xe9 at offset 10)", "UnicodeDecodeError"),
            False,
        ),
        (
            b'{"a": "\xed\xa0\x80"}',
            ("error", "body is not JSON: not valid UTF-8 (byte 0xed at offset 7)", "UnicodeDecodeError"),
            False,
        ),
        (b"", ("error", "body is not JSON: empty body", ""), False),
        (b" \r\n\t", ("error", "body is not JSON: empty body", ""), False),
        # json.loads reads NaN and the infinities; the models' value checks refuse them later
        (b'{"a": NaN}', ("value", "{'a': nan}", "dict"), False),
        (b'{"a": [Infinity, -Infinity]}', ("value", "{'a': [inf, -inf]}", "dict"), False),
        (b'{"a": 1e400}', ("value", "{'a': inf}", "dict"), False),
        (b'{"a": "\\ud800"}', ("value", "{'a': '\\ud800'}", "dict"), False),
        (b'{"a": "\\udc00\\ud800"}', ("value", "{'a': '\\udc00\\ud800'}", "dict"), False),
        (b'{"a": "\\ud83d\\ude00"}', ("value", "{'a': '\U0001f600'}", "dict"), True),
        # integers past 64 bits stay exact ints (orjson would make them floats)
        (b'{"a": 18446744073709551616}', ("value", "{'a': 18446744073709551616}", "dict"), True),
        (b'{"a": -92233720368547758080000}', ("value", "{'a': -92233720368547758080000}", "dict"), True),
        (b'{"a": ' + b"9" * 4300 + b"}", ("value", "{'a': " + "9" * 4300 + "}", "dict"), True),
        (
            b'{"a": ' + b"9" * 4301 + b"}",
            (
                "error",
                "body is not JSON: Exceeds the limit (4300 digits) for integer string conversion: value has 4301 d…",
                "ValueError",
            ),
            False,
        ),
        (b'{"a": 1, "b": 2, "a": 3}', ("value", "{'a': 3, 'b': 2}", "dict"), True),
        (
            b'{"a": -0, "b": -0.0, "c": 1.0, "d": 1e2}',
            ("value", "{'a': 0, 'b': -0.0, 'c': 1.0, 'd': 100.0}", "dict"),
            True,
        ),
        (b"[" * 100_000, ("error", "body is not JSON: nested too deeply", "RecursionError"), False),
        (b'{"a": 1} trailing', ("error", "body is not JSON: Extra data at line 1 column 10", "JSONDecodeError"), False),
        (
            b'{"a": "\x01"}',
            ("error", "body is not JSON: Invalid control character at at line 1 column 8", "JSONDecodeError"),
            False,
        ),
        (b"[1, 2]", ("value", "[1, 2]", "list"), True),
    ],
    ids=[
        "bom",
        "latin-1",
        "encoded-surrogate",
        "empty",
        "whitespace",
        "nan",
        "infinity",
        "1e400",
        "lone-surrogate",
        "reversed-surrogates",
        "surrogate-pair",
        "past-64-bits",
        "negative-past-64-bits",
        "digit-limit",
        "past-digit-limit",
        "duplicate-keys",
        "numbers",
        "deep",
        "trailing",
        "control-character",
        "array",
    ],
)
def test_each_case_reads_as_today(body: bytes, expected: Outcome, msgspec_reads_it: bool) -> None:
    fast, stdlib = _both(_read_top_level, body)
    assert fast == stdlib == expected
    assert _tried_by_msgspec(body) is msgspec_reads_it


def test_an_application_lowering_the_digit_limit_is_honoured() -> None:
    body = b'{"a": ' + b"9" * 700 + b"}"
    saved = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        fast, stdlib = _both(_read, body)
    finally:
        sys.set_int_max_str_digits(saved)
    assert fast == stdlib
    assert fast[0] == "error"


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _read_nesting(body: bytes) -> Outcome:
    """Like _read_top_level for nested lists, without repr (which has its own nesting limit)."""
    try:
        value = decoding._parse_json(body, 200)  # pyright: ignore[reportPrivateUsage]
    except ResponseValidationError as error:
        cause = error.__cause__
        return ("error", str(error.reason), "" if cause is None else type(cause).__name__)
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = cast(list[object], value)[0] if value else None
    return ("value", str(depth), "list")


def _deepest_json_loads_reads() -> int:
    """The deepest nesting the standard library path reads, called from here (bisection).

    Up to Python 3.11 it is near sys.getrecursionlimit(), lower the deeper the caller's stack;
    from 3.12 near the C recursion limit (1500 levels in 3.12, 10000 in 3.13), whatever the
    Python stack: found, not assumed, so the test holds on each version.
    """
    saved = fast_json.FAST_DECODER
    fast_json.FAST_DECODER = None
    try:
        low, high = 1, 2**20  # reads low; refuses high
        while high - low > 1:
            middle = (low + high) // 2
            if _read_nesting(_nested(middle))[0] == "value":
                low = middle
            else:
                high = middle
    finally:
        fast_json.FAST_DECODER = saved
    return low


def _nesting_outcomes() -> list[tuple[int, Outcome, Outcome]]:
    deepest = _deepest_json_loads_reads()
    return [(depth, *_both(_read_nesting, _nested(depth))) for depth in range(deepest - 300, deepest + 20)]


def _nested_calls(frames: int) -> list[tuple[int, Outcome, Outcome]]:
    return _nested_calls(frames - 1) if frames else _nesting_outcomes()


@pytest.mark.parametrize("frames", [0, 1, 7, 100])
def test_nesting_too_deep_for_json_loads_is_too_deep_for_msgspec(frames: int) -> None:
    # Around json.loads's nesting limit, from different depths of the caller's stack: msgspec
    # never accepts a body that json.loads, called from the same place, finds nested too deeply.
    outcomes = _nested_calls(frames)
    assert [(depth, fast) for depth, fast, _ in outcomes] == [(depth, stdlib) for depth, _, stdlib in outcomes]
    assert {stdlib[0] for _, _, stdlib in outcomes} == {"value", "error"}  # the boundary is inside the range


# JSON-ish bytes: tokens JSON has, and the ones msgspec and json.loads disagree on
TOKENS = st.sampled_from(
    [
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b'"',
        b'"a"',
        b'"b"',
        b"\\",
        b"\\u",
        b"\\ud800",
        b"\\udc00",
        b"\\n",
        b"d83d",
        b"0",
        b"1",
        b"-",
        b".",
        b"e",
        b"E+",
        b"18446744073709551616",
        b"1e400",
        b"NaN",
        b"Infinity",
        b"true",
        b"false",
        b"null",
        b" ",
        b"\t",
        b"\n",
        b"\x00",
        b"\x01",
        b"\xef\xbb\xbf",
        b"\xff",
        b"\xc3\xa9",
        b"\xe9",
        b"\xed\xa0\x80",
        b"\xf0\x9f\x98\x80",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=12,
)


def _dumped(value: object, ensure_ascii: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")


def _cut(value: object, cut: int) -> bytes:
    """A JSON text broken off after ``cut`` bytes (maybe inside a character)."""
    return _dumped(value, ensure_ascii=False)[:cut]


JSON_ISH = (
    st.lists(TOKENS, max_size=30).map(b"".join)
    | st.builds(_dumped, JSON_VALUES, st.booleans())
    | st.builds(_cut, JSON_VALUES, st.integers(min_value=0, max_value=60))
    | st.binary(max_size=60)
)


@settings(max_examples=1500, deadline=None)
@given(body=JSON_ISH)
def test_both_readers_give_the_same_value_or_the_same_error(body: bytes) -> None:
    fast, stdlib = _both(_read_top_level, body)
    assert fast == stdlib


def test_a_page_decodes_to_equal_models_either_way(monkeypatch_decoder: Callable[[bool], None]) -> None:
    body = json.dumps(
        {
            "results": [],
            "nextPageToken": "x" * 3,
            "extra": {"big": 2**70, "float": 0.1, "nested": [[1, 2.5, None, True]]},
        }
    ).encode()
    monkeypatch_decoder(True)
    fast = decode_model(ConversationPage, body, status_code=200, schema=BIRD_PAGE)
    monkeypatch_decoder(False)
    stdlib = decode_model(ConversationPage, body, status_code=200, schema=BIRD_PAGE)
    assert fast == stdlib
    assert fast.to_dict() == json.loads(body)
