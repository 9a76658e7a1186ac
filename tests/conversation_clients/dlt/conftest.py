"""Fixtures the dlt sources' tests share: dlt kept quiet and local, a warehouse in a temporary folder."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from tests.support.warehouse import DLT_TEST_SETTINGS, Warehouse


@pytest.fixture(autouse=True, scope="session")
def dlt_kept_local() -> Generator[None]:
    """dlt's settings for every test here, module-scoped fixtures' runs included."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in DLT_TEST_SETTINGS.items():
            patch.setenv(name, value)
        yield


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path)
