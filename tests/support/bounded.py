"""An awaitable bounded in time, for the tests of leaving, closing and cancelling async listings:
a step that hangs fails its test, saying so, instead of hanging the suite."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Final, TypeVar

import pytest

#: The longest an awaited step may run before it is taken to hang.
GUARD: Final = 8.0
T = TypeVar("T")


async def bounded(awaitable: Awaitable[T], seconds: float = GUARD) -> T:
    """Await ``awaitable`` in a task of its own; fail the test if it has not ended within ``seconds``."""
    task = asyncio.ensure_future(awaitable)
    await asyncio.wait({task}, timeout=seconds)
    if not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=2.0)
        pytest.fail(f"still running after {seconds:g} s: it hangs")
    return task.result()
