"""The prefetch runtime (:mod:`conversation_clients._prefetch`): the next page fetched while the
caller holds this one (one worker thread per sync listing, a task per async one), the gate that
decides when a sync listing starts, and a listing left early (its thread ends, its retries stop, a
cancellation reaches its caller), in memory, over loopback HTTP and against hostile servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sys
import threading
import time
from collections.abc import AsyncGenerator, Callable, Collection, Generator
from typing import Any, Literal, cast

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients import AsyncBirdClient, _prefetch, _shells
from conversation_clients._prefetch import Worker
from conversation_clients.errors import APITimeoutError, ServerError
from conversation_clients.loopback import serve
from conversation_clients.pagination import (
    MAX_WAIT_FOR_SENT,
    AsyncPager,
    FetchedPage,
    ListingAbandoned,
    Page,
    PrefetchGate,
    SyncPager,
    request_sent,
    request_waiting,
    sleep_unless_abandoned,
)
from conversation_clients.retry import RetryPolicy
from tests.support.bounded import bounded
from tests.support.hostile.harness import run_listing
from tests.support.hostile.pages import MODES, item_id, page_body
from tests.support.hostile.server import json_page
from tests.support.hostile.server import serve as serve_raw
from tests.support.scripted import (
    ACCESS_KEY,
    BIRD,
    OPERATIONS,
    WORKSPACE_ID,
    Script,
    Vendor,
    bird_page,
    close,
    list_pager,
    scripted,
)


def _book(*pages: Page[int] | Exception) -> Callable[[str | None], Page[int]]:
    """A fetch function over pages keyed by the token that fetches them."""
    by_token: dict[str | None, Page[int] | Exception] = {}
    token: str | None = None
    for entry in pages:
        by_token[token] = entry
        token = entry.next_token if isinstance(entry, Page) else f"after-{token}"

    def fetch(requested: str | None) -> Page[int]:
        entry = by_token[requested]
        if isinstance(entry, Exception):
            raise entry
        return entry

    return fetch


class _RecordingFetch:
    """An async fetch over three pages that records when each fetch starts, ends or is cancelled."""

    def __init__(self, *, hold: str = "no token is held") -> None:
        self.events: list[str] = []
        self.hold = hold  # a token whose fetch never finishes on its own
        self.pages = {None: Page((1,), "t2", None), "t2": Page((2,), "t3", "t2"), "t3": Page((3,), None, "t3")}

    async def __call__(self, token: str | None) -> Page[int]:
        self.events.append(f"fetch {token}")
        try:
            if token == self.hold:
                await asyncio.Event().wait()
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            self.events.append(f"cancelled {token}")
            raise
        return self.pages[token]


@pytest.mark.anyio
async def test_async_pager_prefetches_the_next_page_while_the_caller_works() -> None:
    fetch = _RecordingFetch()
    async for page in AsyncPager(fetch).pages():
        await asyncio.sleep(0.001)  # the caller's work on this page
        fetch.events.append(f"done {page.token}")
    assert fetch.events == ["fetch None", "fetch t2", "done None", "fetch t3", "done t2", "done t3"]


@pytest.mark.anyio
async def test_async_pager_without_prefetch_fetches_on_demand() -> None:
    fetch = _RecordingFetch()
    async for page in AsyncPager(fetch, prefetch=False).pages():
        await asyncio.sleep(0.001)
        fetch.events.append(f"done {page.token}")
    assert fetch.events == ["fetch None", "done None", "fetch t2", "done t2", "fetch t3", "done t3"]


@pytest.mark.anyio
async def test_an_abandoned_listing_cancels_the_prefetch_in_flight() -> None:
    fetch = _RecordingFetch(hold="t2")
    async for item in AsyncPager(fetch):
        assert item == 1
        await asyncio.sleep(0.01)  # long enough for the prefetch of page 2 to be under way
        break
    # the event loop finalises the abandoned generator on its next turns
    for _ in range(5):
        await asyncio.sleep(0)
    assert fetch.events == ["fetch None", "fetch t2", "cancelled t2"]


@pytest.mark.anyio
async def test_closing_a_listing_cancels_the_prefetch_at_once() -> None:
    fetch = _RecordingFetch(hold="t2")
    async with contextlib.aclosing(AsyncPager(fetch).pages()) as pages:
        async for _ in pages:
            await asyncio.sleep(0.01)
            break
    assert fetch.events == ["fetch None", "fetch t2", "cancelled t2"]


@pytest.mark.anyio
async def test_a_failed_prefetch_surfaces_after_the_page_before_it() -> None:
    failure = ServerError(status_code=503, message="down")
    seen: list[int] = []

    async def fetch(token: str | None) -> Page[int]:
        if token == "t2":
            raise failure
        return Page((1,), "t2", None)

    with pytest.raises(ServerError) as caught:
        async for item in AsyncPager(fetch):
            seen.append(item)
    assert seen == [1]
    assert caught.value.resume_token == "t2"


# --- fetched pages: the next request goes out before this page's items are built -------------


class _Fetches:
    """A fetch function over three pages, returning FetchedPage, recording fetches and builds.

    Building page 1 waits until the fetch of page 2 has started: if the pager built first and
    fetched after, the build would time out, and the test would see "timed out" recorded.
    """

    def __init__(self, *, build_waits_for_prefetch: bool) -> None:
        self.events: list[str] = []
        self.prefetch_started = threading.Event()
        self.build_waits = build_waits_for_prefetch
        self.pages = {None: ((1,), "t2"), "t2": ((2,), "t3"), "t3": ((3,), None)}

    def fetch(self, token: str | None) -> FetchedPage[int]:
        self.events.append(f"fetch {token}")
        if token == "t2":
            self.prefetch_started.set()
        items, next_token = self.pages[token]

        def build() -> tuple[int, ...]:
            if self.build_waits and token is None and not self.prefetch_started.wait(timeout=5):
                self.events.append("timed out")
            self.events.append(f"built {token}")
            return items

        return FetchedPage(token=token, next_token=next_token, item_count=len(items), build_items=build)

    async def afetch(self, token: str | None) -> FetchedPage[int]:
        fetched = self.fetch(token)  # as a client's fetch builds and starts sending its request...
        await asyncio.sleep(0)  # ...before its first wait
        return fetched


def test_sync_prefetch_sends_the_next_request_before_building_the_page() -> None:
    fetches = _Fetches(build_waits_for_prefetch=True)
    assert [item for item in SyncPager(fetches.fetch, prefetch=True)] == [1, 2, 3]
    assert "timed out" not in fetches.events
    assert fetches.events.index("fetch t2") < fetches.events.index("built None")


def test_sync_pager_without_prefetch_builds_before_fetching_on() -> None:
    fetches = _Fetches(build_waits_for_prefetch=False)
    assert list(SyncPager(fetches.fetch)) == [1, 2, 3]
    assert fetches.events == ["fetch None", "built None", "fetch t2", "built t2", "fetch t3", "built t3"]


@pytest.mark.anyio
async def test_async_prefetch_sends_the_next_request_before_building_the_page() -> None:
    fetches = _Fetches(build_waits_for_prefetch=False)
    assert [item async for item in AsyncPager(fetches.afetch)] == [1, 2, 3]
    assert fetches.events.index("fetch t2") < fetches.events.index("built None")


def test_sync_prefetch_runs_on_another_thread_and_keeps_the_callers_context() -> None:
    marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker", default="unset")
    seen: dict[str | None, tuple[str, str]] = {}

    def fetch(token: str | None) -> Page[int]:
        seen[token] = (threading.current_thread().name, marker.get())
        return Page((1,), "t2" if token is None else None, token)

    marker.set("caller's")
    assert list(SyncPager(fetch, prefetch=True)) == [1, 1]
    assert seen[None] == (threading.current_thread().name, "caller's")
    assert seen["t2"] == ("conversation-clients-prefetch", "caller's")


def test_a_failed_sync_prefetch_surfaces_after_the_page_before_it() -> None:
    failure = ServerError(status_code=503, message="down")
    seen: list[int] = []
    with pytest.raises(ServerError) as caught:
        for item in SyncPager(_book(Page((1,), "t2", None), failure), prefetch=True):
            seen.append(item)
    assert seen == [1]
    assert caught.value.resume_token == "t2"


def test_a_page_that_fails_to_build_names_its_own_token_though_the_next_was_fetched() -> None:
    failure = ServerError(status_code=200, message="does not fit")
    fetched: list[str | None] = []

    def fetch(token: str | None) -> FetchedPage[int]:
        fetched.append(token)

        def build() -> tuple[int, ...]:
            if token == "t2":
                raise failure
            return (1,)

        return FetchedPage(
            token=token, next_token={None: "t2", "t2": "t3", "t3": None}[token], item_count=1, build_items=build
        )

    with pytest.raises(ServerError) as caught:
        list(SyncPager(fetch, prefetch=True))
    assert caught.value.resume_token == "t2"
    assert fetched == [None, "t2", "t3"]  # page 3 was asked for before page 2 was built


def test_leaving_a_sync_listing_stops_its_prefetch_retrying() -> None:
    started_waiting = threading.Event()
    outcome: list[str] = []

    def fetch(token: str | None) -> Page[int]:
        if token is None:
            return Page((1,), "t2", None)
        started_waiting.set()
        try:
            sleep_unless_abandoned(30)  # as between two attempts
        except ListingAbandoned:
            outcome.append("abandoned")
            raise
        outcome.append("slept on")  # pragma: no cover - reached only if abandoning failed
        return Page((2,), None, "t2")

    pages = SyncPager(fetch, prefetch=True).pages()
    assert next(pages).items == (1,)
    assert started_waiting.wait(timeout=5)
    pages.close()
    deadline = time.monotonic() + 5
    while not outcome and time.monotonic() < deadline:
        time.sleep(0.01)
    assert outcome == ["abandoned"]


def _prefetch_threads() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name == "conversation-clients-prefetch"}


def _ended(threads: Collection[threading.Thread], within: float = 5.0) -> bool:
    """Whether each of ``threads`` ends within ``within`` seconds.

    A test asks this of its own listing's threads, never of every prefetch thread there is: another
    test's may still be on its way out (a sync request cannot be cut off; its thread ends once the
    request returns).
    """
    deadline = time.monotonic() + within
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(thread.is_alive() for thread in threads)


def _counting_fetch(pages: int, threads: list[threading.Thread]) -> Callable[[str | None], Page[int]]:
    """``pages`` pages of one item; records the thread each fetch ran on (kept alive, so never reused)."""

    def fetch(token: str | None) -> Page[int]:
        threads.append(threading.current_thread())
        number = 1 if token is None else int(token)
        return Page((number,), None if number == pages else str(number + 1), token)

    return fetch


def test_a_sync_listing_fetches_ahead_on_one_thread_however_many_pages() -> None:
    threads: list[threading.Thread] = []
    assert list(SyncPager(_counting_fetch(30, threads), prefetch=True)) == list(range(1, 31))
    assert threads[0] is threading.current_thread()  # the first page has nothing to overlap
    ahead = set(threads[1:])
    assert len(ahead) == 1  # one worker for pages 2 to 30, not a thread per page
    assert next(iter(ahead)).name == "conversation-clients-prefetch"
    assert _ended(ahead)  # and it ends with the listing


def test_leaving_a_sync_listing_early_ends_its_prefetch_thread() -> None:
    threads: list[threading.Thread] = []
    pages = SyncPager(_counting_fetch(30, threads), prefetch=True).pages()
    assert [next(pages).items for _ in range(3)] == [(1,), (2,), (3,)]
    pages.close()
    assert _ended(set(threads[1:]))
    assert len(threads) == 4  # pages 1 to 3, and page 4 asked for while page 3 was handed over


def test_sleep_unless_abandoned_sleeps_outside_a_prefetch() -> None:
    started = time.monotonic()
    sleep_unless_abandoned(0.02)
    assert time.monotonic() - started >= 0.02


# --- reports_sent: the page is built once the next request is out, not when it is answered ---


def test_sync_pager_builds_the_page_once_the_prefetch_reports_its_request_sent() -> None:
    page_one_built = threading.Event()
    events: list[str] = []

    def fetch(token: str | None) -> FetchedPage[int]:
        if token == "t2":
            request_sent()  # as the clients do from httpx's trace hook
            # the answer only comes once page 1 is built: a pager waiting for it would hang
            events.append("answered" if page_one_built.wait(timeout=5) else "timed out")

        def build() -> tuple[int, ...]:
            if token is None:
                page_one_built.set()
            return (1,)

        return FetchedPage(token=token, next_token="t2" if token is None else None, item_count=1, build_items=build)

    assert list(SyncPager(fetch, prefetch=True, reports_sent=True)) == [1, 1]
    assert events == ["answered"]


@pytest.mark.anyio
async def test_async_pager_builds_the_page_once_the_prefetch_reports_its_request_sent() -> None:
    page_one_built = asyncio.Event()
    events: list[str] = []

    async def fetch(token: str | None) -> FetchedPage[int]:
        if token == "t2":
            await asyncio.sleep(0)  # a few turns of the loop before the request is out
            await asyncio.sleep(0)
            events.append("sent")
            request_sent()
            await page_one_built.wait()

        def build() -> tuple[int, ...]:
            if token is None:
                events.append("built None")
                page_one_built.set()
            return (1,)

        return FetchedPage(token=token, next_token="t2" if token is None else None, item_count=1, build_items=build)

    assert [item async for item in AsyncPager(fetch, reports_sent=True)] == [1, 1]
    assert events == ["sent", "built None"]  # one turn of the loop would have built first


# --- a request waiting on something other than the network does not hold the page in hand ---


def _waiting_fetch(release: threading.Event, report: Callable[[], None]) -> Callable[[str | None], FetchedPage[float]]:
    """Page 2's request waits on ``release`` (a credential) after calling ``report``; items are build times."""
    started = time.monotonic()

    def fetch(token: str | None) -> FetchedPage[float]:
        if token == "t2":
            report()
            release.wait(timeout=10)
        return FetchedPage(
            token=token, next_token="t2" if token is None else None, item_count=1,
            build_items=lambda: (time.monotonic() - started,),
        )  # fmt: skip

    return fetch


def test_a_sync_page_in_hand_is_built_at_once_when_the_next_request_waits_on_a_credential() -> None:
    release = threading.Event()
    pages = SyncPager(_waiting_fetch(release, request_waiting), prefetch=True, reports_sent=True).pages()
    first = next(pages)
    release.set()
    assert first.items[0] < 0.5
    pages.close()


def test_a_sync_page_in_hand_waits_for_an_unreported_request_at_most_max_wait_for_sent() -> None:
    release = threading.Event()
    pages = SyncPager(_waiting_fetch(release, lambda: None), prefetch=True, reports_sent=True).pages()
    first = next(pages)
    release.set()
    assert MAX_WAIT_FOR_SENT * 0.9 <= first.items[0] < MAX_WAIT_FOR_SENT + 0.5
    pages.close()


@pytest.mark.anyio
@pytest.mark.parametrize("reports_waiting", [True, False])
async def test_an_async_page_in_hand_does_not_wait_on_the_next_request_s_credential(reports_waiting: bool) -> None:
    release = asyncio.Event()
    started = time.monotonic()

    async def fetch(token: str | None) -> FetchedPage[float]:
        if token == "t2":
            if reports_waiting:
                request_waiting()
            await release.wait()
        return FetchedPage(
            token=token, next_token="t2" if token is None else None, item_count=1,
            build_items=lambda: (time.monotonic() - started,),
        )  # fmt: skip

    pages = AsyncPager(fetch, reports_sent=True).pages()
    first = await anext(pages)
    release.set()
    await pages.aclose()
    if reports_waiting:
        assert first.items[0] < 0.5
    else:
        assert MAX_WAIT_FOR_SENT * 0.9 <= first.items[0] < MAX_WAIT_FOR_SENT + 0.5


def test_a_sync_fetch_may_leave_reading_to_the_iterating_thread() -> None:
    readers: list[str] = []

    def fetch(token: str | None) -> Callable[[], Page[int]]:
        def read() -> Page[int]:
            readers.append(threading.current_thread().name)
            return Page((1,), "t2" if token is None else None, token)

        return read

    assert list(SyncPager(fetch, prefetch=True)) == [1, 1]
    assert readers == [threading.current_thread().name] * 2


def test_a_prefetched_page_that_never_comes_is_a_timeout_carrying_its_token() -> None:
    release = threading.Event()

    def fetch(token: str | None) -> Page[int]:
        if token == "t2":
            release.wait(timeout=10)  # a credential that does not return
        return Page(items=(1,), next_token="t2" if token is None else None, token=token)

    started = time.monotonic()
    pages = SyncPager(fetch, prefetch=True, fetch_timeout=0.3).pages()
    next(pages)
    with pytest.raises(APITimeoutError, match="not fetched within 0.3 s") as raised:
        next(pages)
    release.set()
    assert raised.value.resume_token == "t2"
    assert time.monotonic() - started < 2.0


def test_a_prefetch_s_own_timeout_error_passes_through() -> None:
    def fetch(token: str | None) -> Page[int]:
        if token == "t2":
            raise TimeoutError("the fetch's own")
        return Page(items=(1,), next_token="t2", token=token)

    pages = SyncPager(fetch, prefetch=True, fetch_timeout=5.0).pages()
    next(pages)
    with pytest.raises(TimeoutError, match="the fetch's own"):
        next(pages)


def test_a_page_asked_for_after_its_listing_was_left_is_not_fetched() -> None:
    # The pager waits for its worker to start a fetch before going on, so this only happens when
    # the worker has not got round to it within MAX_WAIT_FOR_SENT: the worker on its own, then.
    abandoned = threading.Event()
    abandoned.set()
    threads: list[threading.Thread] = []
    worker = Worker(_counting_fetch(3, threads), abandoned, reports_sent=True)
    ahead = worker.ask("2")
    worker.stop()
    with pytest.raises(ListingAbandoned):
        ahead.outcome.result(timeout=5)
    assert threads == []
    assert ahead.sent.is_set()


# --- the gate: sync prefetch starts once the fetches keep the listing waiting --------------------


def _gate_after(*waits: float, min_wait: float = 0.002) -> PrefetchGate:
    gate = PrefetchGate(min_wait)
    for waited in waits:
        gate.observe(waited)
    return gate


@pytest.mark.parametrize(
    ("waits", "opens"),
    [
        ((), False),
        ((0.0005,), False),
        ((0.050,), True),  # a distant server: prefetched from page two
        ((0.0005, 0.0004, 0.030, 0.0006), False),  # a lone slow page among fast ones
        ((0.0005, 0.030, 0.040), True),  # two of the last three
        ((0.0005, 0.030), False),  # of two, the lower
        ((0.002,), True),  # the threshold itself is worth it
        ((0.0019,), False),
    ],
)
def test_the_gate_opens_on_the_median_of_the_last_three_waits(waits: tuple[float, ...], opens: bool) -> None:
    assert _gate_after(*waits).open is opens


def test_an_open_gate_stays_open_whatever_the_waits_after() -> None:
    gate = _gate_after(0.030)
    for _ in range(5):
        gate.observe(0.0)  # a prefetched fetch's waits no longer measure the server
    assert gate.open


def test_a_gate_without_a_threshold_is_open_from_the_start() -> None:
    assert PrefetchGate(0.0).open
    assert not PrefetchGate(0.002).open


@given(st.lists(st.floats(min_value=0, max_value=1), max_size=12), st.floats(min_value=1e-6, max_value=1))
def test_the_gate_is_open_exactly_when_some_window_of_three_had_its_median_over_the_threshold(
    waits: list[float], min_wait: float
) -> None:
    def median(window: list[float]) -> float:
        return sorted(window)[(len(window) - 1) // 2]

    windows = [waits[max(0, end - 3) : end] for end in range(1, len(waits) + 1)]
    assert _gate_after(*waits, min_wait=min_wait).open is any(median(window) >= min_wait for window in windows)


def _asleep(seconds: float, fetch: Callable[[str | None], Page[int]]) -> Callable[[str | None], Page[int]]:
    """``fetch``, each call first waiting ``seconds`` asleep: a wait, with no CPU spent."""

    def waiting(token: str | None) -> Page[int]:
        time.sleep(seconds)
        return fetch(token)

    return waiting


def _names(threads: list[threading.Thread]) -> list[str]:
    return [thread.name for thread in threads]


def test_a_sync_listing_that_waits_on_its_fetches_prefetches_from_page_two() -> None:
    threads: list[threading.Thread] = []
    pager = SyncPager(_asleep(0.02, _counting_fetch(4, threads)), prefetch=True, prefetch_min_wait=0.002)
    assert list(pager) == [1, 2, 3, 4]
    assert _names(threads) == [threading.current_thread().name] + ["conversation-clients-prefetch"] * 3


def test_a_sync_listing_whose_fetches_return_sooner_than_the_threshold_fetches_on_the_callers_thread() -> None:
    before = _prefetch_threads()  # another test's may still be on their way out
    threads: list[threading.Thread] = []
    pager = SyncPager(_counting_fetch(4, threads), prefetch=True, prefetch_min_wait=5.0)
    assert list(pager) == [1, 2, 3, 4]
    assert _names(threads) == [threading.current_thread().name] * 4
    assert _prefetch_threads() <= before  # no worker was started


class _CpuOnlyClocks:
    """The ``time`` module as the prefetch gate reads it, for a fetch that only computes: its wall
    clock and its thread's CPU clock advance together, by what :meth:`spin` spends. Real clocks
    would make the test a bet on the scheduler: on a loaded machine any preemption during a real
    spin is a wait, and rightly opens the gate."""

    def __init__(self) -> None:
        self.now = 0.0

    def spin(self, seconds: float) -> None:
        self.now += seconds

    def perf_counter(self) -> float:
        return self.now

    def thread_time(self) -> float:
        return self.now

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)  # sleep and the rest: the real ones


class _CountedClocks:
    """The ``time`` module as the prefetch gate reads it, the real clocks, each read counted."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    def perf_counter(self) -> float:
        self.reads.append("perf_counter")
        return time.perf_counter()

    def thread_time(self) -> float:
        self.reads.append("thread_time")
        return time.thread_time()

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


def test_a_listing_that_does_not_prefetch_reads_no_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    clocks = _CountedClocks()
    monkeypatch.setattr(_prefetch, "time", clocks)
    assert list(SyncPager(_counting_fetch(3, []))) == [1, 2, 3]
    assert clocks.reads == []  # nothing to decide: the gate is not even made


def test_a_fetch_shorter_than_the_threshold_reads_the_thread_clock_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the thread's CPU clock is a system call: a wall time under the threshold is a short wait
    # already, whatever CPU it spent, so only the start's reading is needed
    clocks = _CountedClocks()
    monkeypatch.setattr(_prefetch, "time", clocks)
    assert list(SyncPager(_counting_fetch(3, []), prefetch=True, prefetch_min_wait=5.0)) == [1, 2, 3]
    assert clocks.reads.count("thread_time") == 3  # one a page
    assert clocks.reads.count("perf_counter") == 6


def test_the_fetchs_own_cpu_time_is_not_taken_for_a_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    clocks = _CpuOnlyClocks()
    monkeypatch.setattr(_prefetch, "time", clocks)
    threads: list[threading.Thread] = []
    fetch = _counting_fetch(3, threads)

    def busy(token: str | None) -> Page[int]:
        clocks.spin(0.06)  # 60 ms of this thread's own CPU, no waiting: over the 40 ms threshold
        return fetch(token)

    assert list(SyncPager(busy, prefetch=True, prefetch_min_wait=0.04)) == [1, 2, 3]
    assert _names(threads) == [threading.current_thread().name] * 3


# -- Prefetch over real HTTP: the next page is requested while the caller holds this one -----------


def _sync_pager(client: Any, vendor: Vendor, **kwargs: Any) -> SyncPager[Any]:
    pager = list_pager(client, vendor, **kwargs)
    assert isinstance(pager, SyncPager)
    return pager


def _three_pages(vendor: Vendor) -> tuple[Any, ...]:
    return (vendor.page(range(2), "t2"), vendor.page(range(2, 4), "t3"), vendor.page(range(4, 5)))


async def _requests_seen_while_holding_page_one(vendor: Vendor, kind: str, *, prefetch: bool | str) -> int:
    """How many requests the server has seen once the caller, holding page 1, has waited a while."""
    wait = 2.0 if prefetch else 0.3  # long enough for a request that should come, or should not
    with scripted(*_three_pages(vendor)) as (script, base_url):
        client = vendor.client(kind, base_url, prefetch=prefetch)
        pager = list_pager(client, vendor, size=2)
        if isinstance(pager, SyncPager):
            pages = pager.pages()
            next(pages)
            seen = await _wait_for_requests(script, 2, timeout=wait)
            pages.close()
        else:
            async_pages = pager.pages()
            await anext(async_pages)
            seen = await _wait_for_requests(script, 2, timeout=wait)
            await async_pages.aclose()
        await close(client)
    return seen


async def _wait_for_requests(script: Script, count: int, timeout: float = 2.0) -> int:
    deadline = time.monotonic() + timeout
    while len(script.requests) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.01)  # the async prefetch runs while the caller waits here
    return len(script.requests)


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
async def test_the_next_page_is_requested_while_the_caller_holds_this_one(vendor: Vendor, kind: str) -> None:
    assert await _requests_seen_while_holding_page_one(vendor, kind, prefetch="always") == 2


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
async def test_without_prefetch_nothing_is_requested_ahead(vendor: Vendor, kind: str) -> None:
    assert await _requests_seen_while_holding_page_one(vendor, kind, prefetch=False) == 1


def _slowly(reply: httpx.Response, seconds: float = 0.03) -> Callable[[httpx.Request], httpx.Response]:
    def answer(_: httpx.Request) -> httpx.Response:
        time.sleep(seconds)  # the server's own time: what prefetch exists to hide
        return reply

    return answer


@pytest.mark.loopback
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_by_default_a_sync_listing_prefetches_once_its_server_keeps_it_waiting(vendor: Vendor) -> None:
    with scripted(*map(_slowly, _three_pages(vendor))) as (script, base_url):
        with vendor.client("sync", base_url, prefetch=True) as client:  # the clients' default
            pages = _sync_pager(client, vendor, size=2).pages()
            next(pages)  # page 1 waited 30 ms on the server
            assert asyncio.run(_wait_for_requests(script, 2)) == 2
            pages.close()


@pytest.mark.loopback
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_by_default_a_sync_listing_whose_server_answers_sooner_than_the_threshold_fetches_on_demand(
    vendor: Vendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a threshold no loopback answer reaches, however busy the machine: the gate's own rule
    # (median of three, 2 ms) is tested with exact waits above
    monkeypatch.setattr(_shells, "PREFETCH_MIN_WAIT", 5.0)
    with scripted(*_three_pages(vendor)) as (script, base_url):
        with vendor.client("sync", base_url, prefetch=True) as client:  # the clients' default
            pages = _sync_pager(client, vendor, size=2).pages()
            next(pages)
            assert asyncio.run(_wait_for_requests(script, 2, timeout=0.3)) == 1
            assert len(list(pages)) == 2  # the rest, each fetched when asked for
    assert len(script.requests) == 3


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
async def test_by_default_an_async_listing_prefetches_from_the_first_page(vendor: Vendor) -> None:
    assert await _requests_seen_while_holding_page_one(vendor, "async", prefetch=True) == 2


@pytest.mark.loopback
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_a_prefetched_listing_yields_every_item_once_in_order(vendor: Vendor) -> None:
    with scripted(*_three_pages(vendor)) as (script, base_url):
        with vendor.client("sync", base_url, prefetch="always") as client:
            items = [vendor.item_id(item) for item in _sync_pager(client, vendor, size=2)]
    assert items == [vendor.item_id(item) for item in _expected_items(vendor)]
    assert [request.url.params.get(vendor.token_param) for request in script.requests] == [None, "t2", "t3"]


def _expected_items(vendor: Vendor) -> list[Any]:
    with scripted(*_three_pages(vendor)) as (_, base_url):
        with vendor.client("sync", base_url, prefetch=False) as client:
            return list(_sync_pager(client, vendor, size=2))


@pytest.mark.loopback
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_leaving_a_sync_listing_stops_the_prefetch_retrying(vendor: Vendor) -> None:
    unavailable = httpx.Response(503, json=vendor.error_body(503, "503"))
    patient = RetryPolicy(max_retries=5, initial_delay=0.3, max_delay=0.3, jitter=0.0)
    with scripted(vendor.page(range(2), "t2"), *[unavailable] * 6) as (script, base_url):
        with vendor.client("sync", base_url, retry_policy=patient, prefetch="always") as client:
            pages = _sync_pager(client, vendor, size=2).pages()
            next(pages)
            assert asyncio.run(_wait_for_requests(script, 2)) == 2  # the prefetch got its first 503
            pages.close()
            time.sleep(1.0)  # three more attempts, were it still retrying
    assert len(script.requests) == 2


@pytest.mark.loopback
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_a_prefetch_that_fails_raises_when_its_page_is_reached(vendor: Vendor) -> None:
    unavailable = httpx.Response(503, json=vendor.error_body(503, "503"))
    seen: list[Any] = []
    with scripted(vendor.page(range(2), "t2"), unavailable, unavailable, unavailable) as (_, base_url):
        with vendor.client("sync", base_url, prefetch="always") as client:
            with pytest.raises(ServerError) as caught:
                for item in _sync_pager(client, vendor, size=2):
                    seen.append(item)
    assert len(seen) == 2
    assert caught.value.resume_token == "t2"


class _ImportLookups:
    """A meta path finder that only records the modules the import system goes looking for."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        self.names.append(fullname)


@pytest.mark.loopback
@pytest.mark.anyio
async def test_async_requests_do_not_go_looking_for_modules() -> None:
    # httpcore imports sniffio on every async request; when it is not installed, every
    # request searches sys.path for it (encode/httpcore#1103), hence the dependency.
    lookups = _ImportLookups()
    with scripted(*_three_pages(BIRD), *_three_pages(BIRD)) as (_, base_url):
        async with BIRD.client("async", base_url) as client:
            warm_up = [item async for item in client.list_conversations(**BIRD.list_kwargs(size=2))]
            sys.meta_path.insert(0, lookups)  # what is imported lazily has been, by now
            try:
                items = [item async for item in client.list_conversations(**BIRD.list_kwargs(size=2))]
            finally:
                sys.meta_path.remove(lookups)
    assert len(warm_up) == len(items) == 5
    assert lookups.names == []


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
async def test_a_page_is_handed_over_once_the_next_request_is_sent_not_answered(vendor: Vendor, kind: str) -> None:
    # The server answers page 2 only after the caller holds page 1. A client that waited for
    # page 2's answer (or never heard that its request was out) before handing over page 1
    # would leave the server waiting: its reply below would then say so.
    caller_holds_page_one = threading.Event()
    second: httpx.Response = vendor.page(range(2, 4), "t3")
    third: httpx.Response = vendor.page(range(4, 5))

    def page_two(request: httpx.Request) -> httpx.Response:
        if not caller_holds_page_one.wait(timeout=5):
            return httpx.Response(599, json={"message": "page 1 was held back until page 2 was answered"})
        return second

    with scripted(vendor.page(range(2), "t2"), page_two, third) as (_, base_url):
        client = vendor.client(kind, base_url)
        pager = list_pager(client, vendor, size=2)
        count = 0
        if isinstance(pager, SyncPager):
            for page in pager.pages():
                caller_holds_page_one.set()
                count += len(page.items)
        else:
            async for page in pager.pages():
                caller_holds_page_one.set()
                count += len(page.items)
        await close(client)
    assert count == 5


# -- Issue 17: a cancellation (``asyncio.timeout``, ``Task.cancel()``, a ``TaskGroup``) reaches the
# caller of an async listing left early, and leaving an async fan-out early returns ----------------


#: How long the server holds back the answer to a prefetch: for as long as a test lasts.
HELD = 5.0
NO_RETRIES = RetryPolicy(max_retries=0)
Shape = Literal["pages", "items"]


def _work_on_page(seconds: float) -> None:
    """The caller's own work on a page, CPU-bound: the event loop gets no turn meanwhile."""
    time.sleep(seconds)


class HeldSecondPage:
    """A Bird listing of two pages whose second page (the prefetch) is answered only at :meth:`release`."""

    def __init__(self) -> None:
        self.tokens: list[str | None] = []
        self._released = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("pageToken")
        with self._lock:
            self.tokens.append(token)
        if token is None:
            return bird_page(range(2), "t2")
        self._released.wait(HELD)
        return bird_page(range(2, 4))

    def release(self) -> None:
        self._released.set()

    def saw_prefetch(self) -> bool:
        """Whether the second page's request reached the server (waiting a little for it)."""
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            with self._lock:
                if "t2" in self.tokens:
                    return True
            time.sleep(0.01)
        return False


@contextlib.contextmanager
def _held_second_page() -> Generator[tuple[HeldSecondPage, str], None, None]:
    server = HeldSecondPage()
    with serve(server) as base_url:
        try:
            yield server, base_url
        finally:
            server.release()


def _bird(base_url: str) -> AsyncBirdClient:
    return AsyncBirdClient(ACCESS_KEY, base_url=base_url, retry_policy=NO_RETRIES, prefetch="always")


def _listing(client: AsyncBirdClient, shape: Shape) -> AsyncGenerator[Any, None]:
    pager = client.list_conversations(WORKSPACE_ID, limit=2)
    # __aiter__ is an async generator too: typed as an iterator, it has aclose()
    return pager.pages() if shape == "pages" else cast(AsyncGenerator[Any, None], pager.__aiter__())


@pytest.mark.anyio
@pytest.mark.hostile
@pytest.mark.parametrize("shape", ["pages", "items"])
async def test_a_deadline_that_expires_while_the_caller_works_on_page_one_is_raised_when_it_leaves(
    shape: Shape,
) -> None:
    with _held_second_page() as (server, base_url):
        async with _bird(base_url) as client:

            async def list_then_leave() -> list[str]:
                done: list[str] = []
                with pytest.raises(TimeoutError):
                    async with asyncio.timeout(None) as deadline:
                        async with contextlib.aclosing(_listing(client, shape)) as listing:
                            async for _ in listing:
                                # page 1 in hand, page 2's request in flight: 0.2 s from now
                                deadline.reschedule(asyncio.get_running_loop().time() + 0.2)
                                _work_on_page(0.4)
                                break
                        done.append("left the listing")
                    done.append("past the deadline")
                return done

            assert await bounded(list_then_leave()) == []
        assert server.saw_prefetch()


@pytest.mark.anyio
@pytest.mark.hostile
async def test_a_task_cancelled_while_it_leaves_a_listing_ends_cancelled() -> None:
    with _held_second_page() as (server, base_url):
        async with _bird(base_url) as client:
            holding = asyncio.Event()
            went_on: list[str] = []

            async def list_then_leave() -> None:
                async with contextlib.aclosing(_listing(client, "pages")) as listing:
                    async for _ in listing:
                        holding.set()  # the canceller runs at this task's next await
                        _work_on_page(0.1)
                        break
                went_on.append("after the listing")
                await asyncio.sleep(0)
                went_on.append("after an await")

            async def cancel_it() -> asyncio.Task[None]:
                task = asyncio.create_task(list_then_leave())
                await holding.wait()
                task.cancel()
                await asyncio.wait({task})
                return task

            task = await bounded(cancel_it())
        assert server.saw_prefetch()
    assert task.cancelled()
    assert went_on == []


@pytest.mark.anyio
@pytest.mark.hostile
async def test_a_failing_task_group_sibling_cancels_a_listing_being_left() -> None:
    with _held_second_page() as (server, base_url):
        async with _bird(base_url) as client:
            holding = asyncio.Event()
            went_on: list[str] = []

            async def list_then_go_on() -> None:
                async with contextlib.aclosing(_listing(client, "pages")) as listing:
                    async for _ in listing:
                        holding.set()  # the sibling fails at this task's next await
                        _work_on_page(0.1)
                        break
                went_on.append("after the listing")
                await asyncio.sleep(3600)  # its next job, which a cancelled group must not wait for

            async def fail_once_it_holds_a_page() -> None:
                await holding.wait()
                raise RuntimeError("a sibling failed")

            async def in_a_group() -> tuple[list[BaseException], asyncio.Task[None]]:
                failures: list[BaseException] = []
                listers: list[asyncio.Task[None]] = []
                try:
                    async with asyncio.TaskGroup() as group:
                        listers.append(group.create_task(list_then_go_on()))
                        group.create_task(fail_once_it_holds_a_page())
                except* RuntimeError as failed:
                    failures.extend(failed.exceptions)
                return failures, listers[0]

            failures, lister = await bounded(in_a_group())
        assert server.saw_prefetch()
    assert [type(error) for error in failures] == [RuntimeError]
    assert lister.cancelled()
    assert went_on == []


# -- Item 9 of issue 9: a page in hand reaches the caller without waiting on the next request's
# credential, and a credential that blocks is bounded by the attempt's deadline --------------------


SLOW = 3.0
SLACK = 1.5


def _credential(mode: str) -> str:
    return "slow_after_first" if mode == "sync" else "async_slow_after_first"


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
def test_page_one_is_not_held_back_by_page_two_s_credential(mode: str) -> None:
    pages = (json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2])))
    with serve_raw(*pages) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url,
            credential=_credential(mode), credential_options={"seconds": SLOW}, timeout=30,
        )  # fmt: skip
    assert outcome.error_type is None, outcome.error_message
    assert outcome.items == (item_id(1), item_id(2))
    first, second = outcome.pages
    assert first.at < 1.0  # not SLOW: page 2's credential is not page 1's business
    assert second.at >= SLOW


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
def test_a_blocking_credential_is_bounded_by_the_attempt_deadline(mode: str) -> None:
    pages = (json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2])))
    with serve_raw(*pages) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, client_options={"attempt_timeout": 1.0, "prefetch": "always"},
            credential=_credential(mode), credential_options={"seconds": SLOW}, timeout=30,
        )  # fmt: skip
    assert outcome.items == (item_id(1),)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.resume_token == "page-2"
    # async: the awaited get_token is cancelled at the deadline; sync: a blocking call cannot be
    # interrupted, so the attempt ends as soon as it returns, its token unused
    assert outcome.elapsed < (1.0 if mode == "async" else SLOW) + SLACK
    assert len(server.requests) == 1


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
def test_a_credential_that_does_not_return_is_bounded_by_the_page_timeout(mode: str) -> None:
    pages = (json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2])))
    with serve_raw(*pages) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, client_options={"attempt_timeout": 1.0, "page_timeout": 1.0, "prefetch": "always"},
            credential=_credential(mode), credential_options={"seconds": 20.0}, timeout=30,
        )  # fmt: skip
    assert outcome.items == (item_id(1),)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.resume_token == "page-2"
    # sync: the prefetch thread stays blocked in get_token; the listing stops waiting for it
    # one second after page_timeout
    assert outcome.elapsed < (1.0 if mode == "async" else 2.0) + SLACK
