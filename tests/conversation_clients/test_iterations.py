"""A pager's iterations under way and closing them (:mod:`conversation_clients._iterations`): what
``close()`` and ``aclose()`` end, in memory. The pagers closed over loopback HTTP are in
``test_pagination.py``.
"""

from __future__ import annotations

import asyncio
import pickle
import threading
from collections.abc import AsyncGenerator

import pytest

from conversation_clients._iterations import AsyncIterations, AsyncRun, SyncIterations
from conversation_clients._prefetch import Abandonment, ListingAbandoned, Prefetch, abandon_listings_with
from conversation_clients.errors import PagerClosedError


def test_the_error_pickles_as_the_public_one() -> None:
    assert PagerClosedError.__module__ == "conversation_clients.errors"
    error = pickle.loads(pickle.dumps(PagerClosedError("closed")))
    assert isinstance(error, PagerClosedError)


def test_closing_abandons_every_sync_iteration_under_way_and_refuses_new_ones() -> None:
    iterations = SyncIterations()
    first, second = iterations.begin(), iterations.begin()
    iterations.close()
    iterations.close()
    assert first.abandoned.is_set() and second.abandoned.is_set()
    with pytest.raises(PagerClosedError):
        iterations.begin()
    with pytest.raises(PagerClosedError):
        iterations.check_left(first, sending=False)


def test_closing_stops_a_sync_iteration_s_prefetch_thread_and_starts_none_after() -> None:
    iterations = SyncIterations()
    run, not_prefetching = iterations.begin(), iterations.begin()
    worker = iterations.worker(run, lambda token: token, reports_sent=False)
    assert iterations.worker(run, lambda token: token, reports_sent=False) is worker  # one thread a listing
    iterations.close()
    worker._thread.join(5.0)  # pyright: ignore[reportPrivateUsage]
    assert not worker._thread.is_alive()  # pyright: ignore[reportPrivateUsage]
    with pytest.raises(PagerClosedError):
        iterations.worker(not_prefetching, lambda token: token, reports_sent=False)
    assert not_prefetching.worker is None


def test_a_prefetch_abandoned_by_a_close_is_a_pager_closed_error() -> None:
    iterations = SyncIterations()
    ahead: Prefetch[str] = Prefetch("t2")
    ahead.outcome.set_exception(ListingAbandoned("left"))
    with pytest.raises(ListingAbandoned):  # left with its fan-out: as before
        iterations.prefetched(ahead, None)
    iterations.close()
    with pytest.raises(PagerClosedError):
        iterations.prefetched(ahead, None)


def test_a_sync_iteration_in_a_fan_out_is_left_with_it() -> None:
    left = Abandonment()
    result: list[bool] = []

    def in_the_fan_out() -> None:
        abandon_listings_with(left)
        iterations = SyncIterations()
        run = iterations.begin()
        left.set()
        result.append(run.abandoned.is_set())
        try:
            iterations.check_left(run, sending=True)
        except ListingAbandoned:
            result.append(True)
        iterations.end(run)

    thread = threading.Thread(target=in_the_fan_out)
    thread.start()
    thread.join(5.0)
    assert result == [True, True]


@pytest.mark.anyio
async def test_closing_cancels_every_async_prefetch_in_flight_and_waits_for_it() -> None:
    iterations = AsyncIterations()
    cancelled: list[str] = []

    async def held(token: str) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            await asyncio.sleep(0)  # ending takes a turn or two, as closing a connection does
            cancelled.append(token)
            raise

    runs = [AsyncRun(ahead=asyncio.create_task(held(token))) for token in ("a", "b")]
    for run in runs:
        iterations.begin(run)
    await asyncio.sleep(0)
    await asyncio.wait_for(iterations.close(), 5.0)
    assert sorted(cancelled) == ["a", "b"]
    assert all(run.ahead is not None and run.ahead.done() for run in runs)
    with pytest.raises(PagerClosedError):
        iterations.begin(AsyncRun())


@pytest.mark.anyio
async def test_closing_waits_for_an_iteration_the_event_loop_is_finishing() -> None:
    iterations = AsyncIterations()
    finished: list[str] = []

    async def body(run: AsyncRun) -> AsyncGenerator[int, None]:
        iterations.begin(run)
        try:
            yield 1
        finally:
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            finished.append("finished")
            await iterations.end(run)

    generator = iterations.follow(body)
    assert await anext(generator) == 1
    del generator  # a break: the event loop's finaliser closes it, later
    await asyncio.wait_for(iterations.close(), 5.0)
    assert finished == ["finished"]


def test_a_sync_iteration_makes_its_event_only_when_one_is_asked_for() -> None:
    # most listings end without a prefetch thread or a fan-out: no event is waited on, none is made
    iterations = SyncIterations()
    run = iterations.begin()
    assert not run.is_left()
    iterations.end(run)
    assert run.is_left()
    assert run.abandoned.is_set()  # asked for once left: made set
    for _ in range(200):  # left by a close on another thread while its event is being made: set all the same
        iterations = SyncIterations()
        run = iterations.begin()
        leaving = threading.Thread(target=iterations.close)
        leaving.start()
        event = run.abandoned
        leaving.join(5.0)
        assert event.wait(5.0)
