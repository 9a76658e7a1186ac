"""The cursors of an incremental load (:mod:`conversation_clients.dlt._cursors`): instants compared to the
nanosecond from their text, whatever their offset, and rows' fingerprints.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients.dlt._cursors import fingerprint, instant, is_after, latest

# .NET's seven digits, Bird's three, none, an offset other than Z
TEXTS = [
    "2025-04-15T12:36:40.9049594Z",
    "2025-06-02T09:30:00.123Z",
    "2025-06-02T09:30:00Z",
    "2025-06-02T11:30:00+02:00",
]


def test_seven_digit_instants_a_tick_apart_are_ordered_where_datetimes_are_equal() -> None:
    earlier, later = "2025-04-15T12:36:40.9049594Z", "2025-04-15T12:36:40.9049595Z"
    assert datetime.datetime.fromisoformat(earlier) == datetime.datetime.fromisoformat(later)  # microseconds only
    assert is_after(later, earlier) and not is_after(earlier, later)
    assert latest(earlier, later) == later and latest(later, earlier) == later


def test_the_same_instant_in_other_words_is_not_after_itself() -> None:
    assert not is_after("2025-06-02T09:30:00Z", "2025-06-02T11:30:00+02:00")
    assert not is_after("2025-06-02T09:30:00.000Z", "2025-06-02T09:30:00+00:00")
    assert latest("2025-06-02T09:30:00Z", "2025-06-02T11:30:00+02:00") == "2025-06-02T09:30:00Z"  # the cursor kept


@pytest.mark.parametrize("text", ["yesterday", "2025-06-02T09:30:00", "2025-13-02T09:30:00Z", "", "2025-06-02"])
def test_a_text_that_is_no_date_time_with_an_offset_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="not a date-time with an offset"):
        instant(text)


@given(
    st.datetimes(min_value=datetime.datetime(1900, 1, 1), timezones=st.just(datetime.UTC)), st.integers(0, 9_999_999)
)
def test_instants_order_as_the_ticks_they_name(moment: datetime.datetime, ticks: int) -> None:
    base = moment.replace(microsecond=0)
    text = f"{base:%Y-%m-%dT%H:%M:%S}.{ticks:07d}Z"
    following = f"{base:%Y-%m-%dT%H:%M:%S}.{ticks + 1:07d}Z" if ticks < 9_999_999 else None
    assert instant(text) == (base, ticks * 100)
    if following is not None:
        assert is_after(following, text)


@pytest.mark.parametrize("text", TEXTS)
def test_every_instant_is_after_no_cursor(text: str) -> None:
    assert is_after(text, None) and latest(None, text) == text


def test_a_fingerprint_changes_with_any_value_and_not_with_the_order_of_keys() -> None:
    row = {"id": "c1", "tags": ["a", "b"], "lastMessage": {"id": "m1"}}
    assert fingerprint(row) == fingerprint(dict(reversed(list(row.items()))))
    assert fingerprint(row) != fingerprint({**row, "tags": ["b", "a"]})
    assert fingerprint(row) != fingerprint({**row, "lastMessage": {"id": "m2"}})
    assert len(fingerprint(row)) == 16
