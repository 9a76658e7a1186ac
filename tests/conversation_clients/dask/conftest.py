"""Fixtures the distributed export's tests share: a folder of their own in fsspec's in-memory file system."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.support.dask_runs import memory_filesystem


@pytest.fixture
def memory_url() -> Iterator[str]:
    """A ``memory://`` folder no other test uses (the in-memory file system is one per process), removed after."""
    path = f"/tests-{uuid.uuid4().hex}"
    yield f"memory://{path}"
    filesystem = memory_filesystem()
    if filesystem.exists(path):
        filesystem.rm(path, recursive=True)
