"""The pagination rules, once, and both pagers driven by in-memory fetch functions."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
import time
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients._prefetch import Worker
from conversation_clients.errors import APIError, APITimeoutError, PaginationError, ServerError
from conversation_clients.pagination import (
    MAX_CONSECUTIVE_EMPTY_PAGES,
    MAX_WAIT_FOR_SENT,
    AsyncPager,
    FetchedPage,
    ListingAbandoned,
    Page,
    PageCursor,
    PrefetchGate,
    SyncPager,
    next_token_from,
    request_sent,
    request_waiting,
    sleep_unless_abandoned,
)


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("", None), ("abc", "abc"), (" ", " ")])
def test_next_token_from(raw: object, expected: str | None) -> None:
    assert next_token_from(raw) == expected


@pytest.mark.parametrize("raw", [12345, 0, False, ["t"], {"t": 1}])
def test_a_token_that_is_not_a_string_is_not_taken_for_the_end(raw: object) -> None:
    with pytest.raises(TypeError, match="expected a string token"):
        next_token_from(raw)


def test_cursor_starts_at_the_start_token_and_ends_without_a_token() -> None:
    cursor = PageCursor(start_token="saved")
    assert (cursor.token, cursor.done) == ("saved", False)
    cursor.advance(next_token="t2", item_count=3)
    assert (cursor.token, cursor.done) == ("t2", False)
    cursor.advance(next_token=None, item_count=3)
    assert cursor.done


def test_cursor_refuses_a_token_it_has_seen() -> None:
    cursor = PageCursor(start_token=None)
    cursor.advance(next_token="TOKEN-A", item_count=1)
    cursor.advance(next_token="TOKEN-B", item_count=1)
    with pytest.raises(PaginationError) as caught:
        cursor.advance(next_token="TOKEN-A", item_count=1)
    assert caught.value.token == "TOKEN-A"
    assert "TOKEN-A" not in str(caught.value)  # tokens are fingerprinted, not printed


def test_cursor_refuses_the_start_token_coming_back() -> None:
    cursor = PageCursor(start_token="s")
    with pytest.raises(PaginationError):
        cursor.advance(next_token="s", item_count=1)


def test_cursor_stops_an_endless_run_of_empty_pages() -> None:
    cursor = PageCursor(start_token=None)
    for number in range(MAX_CONSECUTIVE_EMPTY_PAGES - 1):
        cursor.advance(next_token=f"t{number}", item_count=0)
    cursor.advance(next_token="full", item_count=2)  # a page with items resets the streak
    for number in range(MAX_CONSECUTIVE_EMPTY_PAGES - 1):
        cursor.advance(next_token=f"u{number}", item_count=0)
    with pytest.raises(PaginationError, match="empty pages"):
        cursor.advance(next_token="last-straw", item_count=0)


@given(st.lists(st.text(min_size=1), unique=True, max_size=30))
def test_distinct_tokens_never_trip_the_guard(tokens: list[str]) -> None:
    cursor = PageCursor(start_token=None)
    for token in tokens:
        cursor.advance(next_token=token, item_count=1)
    assert cursor.token == (tokens[-1] if tokens else None)


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


PAGES = (Page((1, 2), "t2", None), Page((3,), "t3", "t2"), Page((4, 5), None, "t3"))


def test_sync_pager_items_and_pages() -> None:
    pager = SyncPager(_book(*PAGES))
    assert list(pager) == [1, 2, 3, 4, 5]
    assert [page.items for page in pager.pages()] == [(1, 2), (3,), (4, 5)]
    assert list(pager) == [1, 2, 3, 4, 5]  # iterable again: each iteration is a fresh listing


@pytest.mark.anyio
async def test_async_pager_items_and_pages() -> None:
    fetch = _book(*PAGES)

    async def afetch(token: str | None) -> Page[int]:
        return fetch(token)

    pager = AsyncPager(afetch)
    assert [item async for item in pager] == [1, 2, 3, 4, 5]
    assert [page.items async for page in pager.pages()] == [(1, 2), (3,), (4, 5)]


def test_pager_resumes_from_a_start_token() -> None:
    book = _book(*PAGES)
    assert list(SyncPager(book, start_token="t2")) == [3, 4, 5]


def test_an_error_carries_the_token_of_the_page_that_failed() -> None:
    failure = ServerError(status_code=503, message="down")
    pager = SyncPager(_book(Page((1,), "t2", None), failure))
    seen: list[int] = []
    with pytest.raises(APIError) as caught:
        for item in pager:
            seen.append(item)
    assert seen == [1]
    assert caught.value is failure
    assert caught.value.resume_token == "t2"


@pytest.mark.anyio
async def test_async_error_carries_the_resume_token() -> None:
    failure = ServerError(status_code=503, message="down")
    fetch = _book(Page((1,), "t2", None), failure)

    async def afetch(token: str | None) -> Page[int]:
        return fetch(token)

    with pytest.raises(ServerError) as caught:
        async for _ in AsyncPager(afetch):
            pass
    assert caught.value.resume_token == "t2"


def test_a_repeated_token_error_resumes_at_the_page_that_repeated_it() -> None:
    pager = SyncPager(_book(Page((1,), "t2", None), Page((2,), "t2", "t2")))
    with pytest.raises(PaginationError) as caught:
        list(pager)
    assert caught.value.resume_token == "t2"


def test_other_exceptions_pass_through_untouched() -> None:
    def broken(token: str | None) -> Page[int]:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        list(SyncPager(broken))


def test_pager_is_lazy() -> None:
    calls: list[str | None] = []

    def fetch(token: str | None) -> Page[int]:
        calls.append(token)
        return Page((1,), None, token)

    pager = SyncPager(fetch)
    assert calls == []
    assert "resuming=False" in repr(pager)
    next(iter(pager))
    assert calls == [None]


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


def _prefetch_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "conversation-clients-prefetch"]


def _no_prefetch_thread_left(within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while _prefetch_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    return not _prefetch_threads()


def _counting_fetch(pages: int, threads: list[threading.Thread]) -> Callable[[str | None], Page[int]]:
    """``pages`` pages of one item; records the thread each fetch ran on (kept alive, so never reused)."""

    def fetch(token: str | None) -> Page[int]:
        threads.append(threading.current_thread())
        number = 1 if token is None else int(token)
        return Page((number,), None if number == pages else str(number + 1), token)

    return fetch


def test_a_sync_listing_fetches_ahead_on_one_thread_however_many_pages() -> None:
    assert _no_prefetch_thread_left()  # none of an earlier test's
    threads: list[threading.Thread] = []
    assert list(SyncPager(_counting_fetch(30, threads), prefetch=True)) == list(range(1, 31))
    assert threads[0] is threading.current_thread()  # the first page has nothing to overlap
    ahead = {id(thread): thread for thread in threads[1:]}
    assert len(ahead) == 1  # one worker for pages 2 to 30, not a thread per page
    assert next(iter(ahead.values())).name == "conversation-clients-prefetch"
    assert _no_prefetch_thread_left()  # and it ends with the listing


def test_leaving_a_sync_listing_early_ends_its_prefetch_thread() -> None:
    assert _no_prefetch_thread_left()
    threads: list[threading.Thread] = []
    pages = SyncPager(_counting_fetch(30, threads), prefetch=True).pages()
    assert [next(pages).items for _ in range(3)] == [(1,), (2,), (3,)]
    pages.close()
    assert _no_prefetch_thread_left()
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
    assert _no_prefetch_thread_left()
    threads: list[threading.Thread] = []
    pager = SyncPager(_counting_fetch(4, threads), prefetch=True, prefetch_min_wait=5.0)
    assert list(pager) == [1, 2, 3, 4]
    assert _names(threads) == [threading.current_thread().name] * 4
    assert not _prefetch_threads()  # no worker was started


def test_the_fetchs_own_cpu_time_is_not_taken_for_a_wait() -> None:
    threads: list[threading.Thread] = []
    fetch = _counting_fetch(3, threads)

    def busy(token: str | None) -> Page[int]:
        started = time.thread_time()
        while time.thread_time() - started < 0.06:  # 60 ms of this thread's own CPU, no waiting
            pass
        return fetch(token)

    assert list(SyncPager(busy, prefetch=True, prefetch_min_wait=0.04)) == [1, 2, 3]
    assert _names(threads) == [threading.current_thread().name] * 3
