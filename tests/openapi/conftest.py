"""The slow end-to-end tests of the scripts under ``openapi/`` carry the ``slow`` marker: they run
by default, and ``-m "not slow"`` leaves them out."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: end-to-end runs of the generator (seconds each); run by default")
