"""Fixtures the command line's tests share."""

from __future__ import annotations

import pytest

from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY


@pytest.fixture
def bird_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIRD_ACCESS_KEY", SANDBOX_BIRD_ACCESS_KEY)
