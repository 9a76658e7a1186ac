"""The decisions about option values (:mod:`conversation_clients.cli.values`): ``--since`` needs a
timezone, and the page size follows ``--max-items`` only when none is given.
"""

from __future__ import annotations

import datetime

import pytest

from conversation_clients.cli.values import page_size_for, parse_since


class TestValues:
    def test_since_accepts_offsets_and_z(self) -> None:
        assert parse_since("2025-04-15T12:00:00Z").utcoffset() == datetime.timedelta(0)
        assert parse_since("2025-04-15T12:00:00.1234567-05:00").utcoffset() == datetime.timedelta(hours=-5)

    @pytest.mark.parametrize("text", ["2025-04-15T12:00:00", "2025-04-15", "yesterday"])
    def test_since_refuses_naive_or_garbage(self, text: str) -> None:
        with pytest.raises(ValueError, match="--since"):
            parse_since(text)

    def test_page_size_follows_max_items_only_when_not_given(self) -> None:
        assert page_size_for(None, 7, 100) == 7
        assert page_size_for(None, 1000, 250) == 250
        assert page_size_for(50, 7, 100) == 50
        assert page_size_for(None, None, 100) is None
