"""The fixtures most loopback tests share: each paginated operation of both vendors, sync and async.

A test module that needs another set (the fan-out tests' vendors) defines its own ``vendor``.
"""

from __future__ import annotations

import pytest

from tests.integration.harness import OPERATIONS, Vendor


@pytest.fixture(params=OPERATIONS, ids=lambda vendor: vendor.name)
def vendor(request: pytest.FixtureRequest) -> Vendor:
    chosen: Vendor = request.param
    return chosen


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    chosen: str = request.param
    return chosen
