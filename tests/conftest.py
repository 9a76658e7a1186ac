"""Shared pytest configuration: async tests run on asyncio through anyio's plugin, and the fixtures
most loopback tests share: each paginated operation of both vendors (``vendor``), sync and async
(``kind``). A test module that needs another set (the fan-out tests' vendors) defines its own
``vendor``.

The kinds of test are markers (registered in ``pyproject.toml``), not folders: ``pytest -m hostile``,
``-m loopback``, ``-m subprocess`` (or ``-m "not subprocess"``) select them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scripted import OPERATIONS, Vendor

#: The hostile tests' helpers, whose doctests are hostile tests too.
_HOSTILE_SUPPORT = Path(__file__).parent / "support" / "hostile"
#: ... and one of them runs a listing in a child process.
_HOSTILE_HARNESS = _HOSTILE_SUPPORT / "harness.py"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=OPERATIONS, ids=lambda vendor: vendor.name)
def vendor(request: pytest.FixtureRequest) -> Vendor:
    chosen: Vendor = request.param
    return chosen


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    chosen: str = request.param
    return chosen


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the doctests of the hostile helpers as the hostile tests are marked (a doctest takes no
    ``pytestmark``)."""
    for item in items:
        if item.path.parent == _HOSTILE_SUPPORT:
            item.add_marker(pytest.mark.hostile)
            if item.path == _HOSTILE_HARNESS:
                item.add_marker(pytest.mark.subprocess)
