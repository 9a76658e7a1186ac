"""The decisions about option values (:mod:`conversation_clients.cli.values`): a date-time option
takes RFC 3339 with a timezone, keeps the text as typed and says what it accepts in the user's
words; the page size follows ``--max-items`` only when none is given.
"""

from __future__ import annotations

import argparse

import pytest

from conversation_clients.cli.values import date_time_problem, date_time_text, guid, page_size_for, target_id

EXAMPLE = "e.g. 2025-04-15T08:00:25Z"


class TestDateTimes:
    @pytest.mark.parametrize(
        "text", ["2025-04-15T08:00:25Z", "2025-04-15T08:00:25.3426044Z", "2025-04-15T12:00:00.1234567-05:00"]
    )
    def test_the_text_is_kept_as_typed_every_digit_included(self, text: str) -> None:
        assert date_time_text(fraction_digits=7)(text) == text

    @pytest.mark.parametrize(
        ("text", "what"),
        [
            ("2025-04-15T12:00:00", "has no timezone"),
            ("2025-04-15", "is not a date-time"),
            ("yesterday", "is not a date-time"),
            ("2025-04-15 12:00:00Z", "is not a date-time"),
            ("2025-13-15T12:00:00Z", "is not a valid date-time"),
            ("2025-04-15T08:00:25.34260441Z", "has 8 fractional digits"),
        ],
    )
    def test_a_refusal_says_what_is_wrong_and_what_is_accepted_in_user_words(self, text: str, what: str) -> None:
        with pytest.raises(argparse.ArgumentTypeError) as caught:
            date_time_text(fraction_digits=7)(text)
        message = str(caught.value)
        assert message.startswith(f"{text!r} {what}; ")
        assert "RFC 3339" in message and EXAMPLE in message and "up to 7 fractional digits" in message
        # no Python advice: no datetime objects, no format names from the standard library
        for python in ("datetime.", "timezone.utc", "fromisoformat", "isoformat", "ISO 8601", "strftime"):
            assert python not in message

    def test_without_a_limit_any_number_of_digits_is_taken_and_none_is_promised(self) -> None:
        assert date_time_problem("2025-04-15T08:00:25.123456789Z") is None
        problem = date_time_problem("2025-04-15T08:00:25")
        assert problem is not None and "fractional digits" not in problem


def test_page_size_follows_max_items_only_when_not_given() -> None:
    assert page_size_for(None, 7, 100) == 7
    assert page_size_for(None, 1000, 250) == 250
    assert page_size_for(50, 7, 100) == 50
    assert page_size_for(None, None, 100) is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("5A3D1B0E-7C2F-4E8A-9B61-0D4C2E8F1A01", "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"),
        (" 5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01\t", "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"),
        ("5A3D1B0E7C2F4E8A9B610D4C2E8F1A01", "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"),
        ("  Workspace_One ", "Workspace_One"),  # not a UUID: as given, but for the blanks around it
    ],
)
def test_a_target_id_is_one_spelling_of_it(given: str, expected: str) -> None:
    assert target_id(given) == expected


def test_a_guid_may_have_blanks_around_it() -> None:
    assert str(guid(" 11111111-2222-3333-4444-555555555555 ")) == "11111111-2222-3333-4444-555555555555"
