"""Auto-pagination (:mod:`conversation_clients.pagination`): the rules once, both pagers on
in-memory fetch functions, ``max_items=`` over loopback, and listings under injected faults: every
conversation exactly once, with retries and with resumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import math
import threading
import time
import uuid
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, Final, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversation_clients import AsyncBirdClient, AsyncOmnichannelClient, BirdClient, OmnichannelClient, RetryPolicy
from conversation_clients.errors import (
    APIConnectionError,
    APIError,
    ConversationClientError,
    PagerClosedError,
    PaginationError,
    RateLimitError,
    ServerError,
)
from conversation_clients.pagination import (
    MAX_CONSECUTIVE_EMPTY_PAGES,
    AsyncPager,
    Page,
    PageCursor,
    SyncPager,
    next_token_from,
)
from conversation_clients.sandbox import SANDBOX_BIRD_BASE_URL, SANDBOX_OMNICHANNEL_BASE_URL, Faults, Sandbox
from tests.support.bounded import bounded
from tests.support.hostile.pages import bird_body
from tests.support.hostile.server import Connection, Request, held_until_hangup, json_page
from tests.support.hostile.server import serve as serve_raw
from tests.support.scripted import (
    ACCESS_KEY,
    OPERATIONS,
    VENDORS,
    WORKSPACE_ID,
    Vendor,
    close,
    items,
    list_pager,
    pages,
    scripted,
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


# -- ``max_items=`` on every listing method: that many items, and no page requested past them ------


#: Long enough for a prefetch that should not happen to reach the server if it did.
SETTLE = 0.3


def _pages_of(vendor: Vendor, size: int, count: int) -> list[Any]:
    return [vendor.page(range(n * size, (n + 1) * size), None if n == count - 1 else f"t{n + 2}") for n in range(count)]


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
@pytest.mark.parametrize(
    ("size", "max_items", "pages_needed"),
    [(2, 4, 2), (2, 5, 3), (3, 1, 1), (3, 9, 3)],
    ids=["divides", "does-not-divide", "inside-the-first-page", "ends-on-a-page"],
)
async def test_max_items_requests_exactly_the_pages_it_needs(
    vendor: Vendor, kind: str, size: int, max_items: int, pages_needed: int
) -> None:
    with scripted(*_pages_of(vendor, size, 6)) as (script, base_url):
        client = vendor.client(kind, base_url, prefetch="always")  # from the first page, even on loopback
        pager = getattr(client, vendor.method)(**vendor.list_kwargs(size=size), max_items=max_items)
        taken = await items(pager)
        await asyncio.sleep(SETTLE)
        await close(client)
    assert len(script.requests) == pages_needed
    everything = await _uncapped(vendor, kind, size)
    assert [vendor.item_id(item) for item in taken] == [vendor.item_id(item) for item in everything[:max_items]]


async def _uncapped(vendor: Vendor, kind: str, size: int) -> list[Any]:
    with scripted(*_pages_of(vendor, size, 6)) as (_, base_url):
        client = vendor.client(kind, base_url)
        listed = await items(list_pager(client, vendor, size=size))
        await close(client)
    return listed


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_pages_are_whole_up_to_the_one_that_reaches_max_items(vendor: Vendor, kind: str) -> None:
    with scripted(*_pages_of(vendor, 2, 6)) as (script, base_url):
        client = vendor.client(kind, base_url)
        pager = getattr(client, vendor.method)(**vendor.list_kwargs(size=2), max_items=3)
        handed = await pages(pager)
        await asyncio.sleep(SETTLE)
        await close(client)
    assert [len(page.items) for page in handed] == [2, 2]
    assert handed[-1].next_token == "t3"  # still resumes after every item of that page
    assert len(script.requests) == 2


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
@pytest.mark.parametrize(
    ("value", "error"), [(0, ValueError), (-1, ValueError), (True, TypeError), ("3", TypeError), (2.0, TypeError)]
)
async def test_max_items_is_checked_before_anything_is_sent(
    vendor: Vendor, kind: str, value: object, error: type[Exception]
) -> None:
    with scripted() as (script, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(error, match="max_items"):
            getattr(client, vendor.method)(**vendor.list_kwargs(), max_items=value)
        await close(client)
    assert script.requests == []


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_without_max_items_every_page_is_listed(kind: str) -> None:
    vendor = VENDORS[0]
    with scripted(*_pages_of(vendor, 2, 3)) as (script, base_url):
        client = vendor.client(kind, base_url)
        pager = list_pager(client, vendor, size=2)
        assert isinstance(pager, AsyncPager) == (kind == "async")
        assert len(await items(pager)) == 6
        await close(client)
    assert len(script.requests) == 3


# -- Listings under injected faults: every conversation exactly once, with retries and with resumes ---


VendorName = Literal["bird", "omnichannel"]
Where = Literal["in-process", "loopback"]
Mode = Literal["sync", "async"]
SyncLister = Callable[[str | None], Iterator[uuid.UUID]]
AsyncLister = Callable[[str | None], AsyncIterator[uuid.UUID]]
VENDOR_NAMES: Final[tuple[VendorName, ...]] = ("bird", "omnichannel")
MODES: Final[tuple[Mode, ...]] = ("sync", "async")
WHERE: Final[tuple[Where, ...]] = ("in-process", "loopback")
CONVERSATIONS: Final = 10_000
#: The brief's fault mix: every kind but 500 (whose handling is the same as 503's).
KINDS: Final = ("429", "429-retry-after", "503", "520", "drop")
FAILURE_RATE: Final = 0.2
SEED: Final = 20_240_415
#: Each vendor's largest page: 100 pages of Bird, 40 of Omnichannel for 10,000 conversations.
MAX_PAGE: Final[dict[VendorName, int]] = {"bird": 100, "omnichannel": 250}
# Faults are drawn independently per response, so a page is lost for good only when all
# 1 + max_retries attempts fail: 0.2 ** 9 = 5.1e-7 per page with 8 retries, under 1e-4 for a
# whole listing of 100 pages (and the pinned SEED makes these runs deterministic anyway).
# Delays are a millisecond or two, so the retries cost nothing but the requests themselves.
RETRIES: Final = RetryPolicy(max_retries=8, initial_delay=0.0005, max_delay=0.002)
# The Hypothesis test draws seeds at random and failure rates up to 0.3: 12 retries keep a lost
# page at 0.3 ** 13 = 1.6e-7, about 2e-5 for a listing at the worst rate drawn.
GENEROUS_RETRIES: Final = RetryPolicy(max_retries=12, initial_delay=0.0005, max_delay=0.002)


def sandbox(count: int = CONVERSATIONS, *, failure_rate: float = FAILURE_RATE, seed: int = SEED) -> Sandbox:
    return Sandbox(conversations_per_workspace=count, faults=Faults(failure_rate=failure_rate, kinds=KINDS, seed=seed))


# -- what the sandbox holds ------------------------------------------------------------------------


@functools.cache
def expected_ids(vendor: VendorName) -> tuple[uuid.UUID, ...]:
    """The ids of the first 10,000 conversations, in listing order (a listing of n is the first n)."""
    truth = Sandbox(conversations_per_workspace=CONVERSATIONS)
    if vendor == "bird":
        workspace = truth.workspaces[0]
        return tuple(uuid.UUID(truth.bird_conversation(workspace, i)["id"]) for i in range(CONVERSATIONS))
    channel = truth.channels[0]
    return tuple(uuid.UUID(truth.omnichannel_conversation(channel, i)["conversationid"]) for i in range(CONVERSATIONS))


def assert_exactly_once(listed: Sequence[uuid.UUID], vendor: VendorName, count: int = CONVERSATIONS) -> None:
    expected = expected_ids(vendor)[:count]
    repeated = sorted(str(id_) for id_, seen in Counter(listed).items() if seen > 1)
    missing = set(expected) - set(listed)
    assert not repeated, f"{len(repeated)} conversations listed more than once, e.g. {repeated[:3]}"
    assert not missing, f"{len(missing)} of {count} conversations never listed"
    assert list(listed) == list(expected), "every conversation listed once, but out of order"


def page_count(count: int, page_size: int) -> int:
    return max(1, math.ceil(count / page_size))


# -- clients on either transport, as functions from a start token to the ids listed -----------------


@contextlib.contextmanager
def sync_lister(
    vendor: VendorName, box: Sandbox, where: Where, policy: RetryPolicy, page_size: int | None = None
) -> Generator[SyncLister]:
    size = page_size or MAX_PAGE[vendor]
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(box.serve()) if where == "loopback" else None
        transport = box.transport() if url is None else None
        if vendor == "bird":
            bird = stack.enter_context(
                BirdClient(
                    box.bird_access_key, base_url=url or SANDBOX_BIRD_BASE_URL, retry_policy=policy, transport=transport
                )
            )

            def list_bird(token: str | None) -> Iterator[uuid.UUID]:
                for conversation in bird.list_conversations(box.workspaces[0], limit=size, page_token=token):
                    yield conversation.id

            yield list_bird
        else:
            omni = stack.enter_context(
                OmnichannelClient(
                    url or SANDBOX_OMNICHANNEL_BASE_URL,
                    organization_id=box.organization_id,
                    channel_id=box.channels[0],
                    token=box.omnichannel_token,
                    retry_policy=policy,
                    transport=transport,
                    polling_warning_interval=None,  # a test restarting listings is not polling
                )
            )

            def list_omni(token: str | None) -> Iterator[uuid.UUID]:
                for conversation in omni.list_conversations(page_size=size, continuation_token=token):
                    yield conversation.conversationid

            yield list_omni


@contextlib.asynccontextmanager
async def async_lister(
    vendor: VendorName, box: Sandbox, where: Where, policy: RetryPolicy, page_size: int | None = None
) -> AsyncGenerator[AsyncLister]:
    size = page_size or MAX_PAGE[vendor]
    async with contextlib.AsyncExitStack() as stack:
        url = stack.enter_context(box.serve()) if where == "loopback" else None
        transport = box.async_transport() if url is None else None
        if vendor == "bird":
            bird = await stack.enter_async_context(
                AsyncBirdClient(
                    box.bird_access_key, base_url=url or SANDBOX_BIRD_BASE_URL, retry_policy=policy, transport=transport
                )
            )

            async def list_bird(token: str | None) -> AsyncIterator[uuid.UUID]:
                async for conversation in bird.list_conversations(box.workspaces[0], limit=size, page_token=token):
                    yield conversation.id

            yield list_bird
        else:
            omni = await stack.enter_async_context(
                AsyncOmnichannelClient(
                    url or SANDBOX_OMNICHANNEL_BASE_URL,
                    organization_id=box.organization_id,
                    channel_id=box.channels[0],
                    token=box.omnichannel_token,
                    retry_policy=policy,
                    transport=transport,
                    polling_warning_interval=None,
                )
            )

            async def list_omni(token: str | None) -> AsyncIterator[uuid.UUID]:
                async for conversation in omni.list_conversations(page_size=size, continuation_token=token):
                    yield conversation.conversationid

            yield list_omni


def list_all(vendor: VendorName, box: Sandbox, where: Where, mode: Mode, policy: RetryPolicy) -> list[uuid.UUID]:
    """One listing from the start; any error propagates."""
    if mode == "sync":
        with sync_lister(vendor, box, where, policy) as list_ids:
            return list(list_ids(None))

    async def run() -> list[uuid.UUID]:
        async with async_lister(vendor, box, where, policy) as list_ids:
            return [id_ async for id_ in list_ids(None)]

    return asyncio.run(run())


# -- the caller's resume loop ----------------------------------------------------------------------

#: More resumes than any listing here can need; reaching it means resuming makes no progress.
MAX_RESUMES: Final = 5_000


class Resumed:
    """What a resumed listing collected: the ids, and each error with how many ids preceded it."""

    def __init__(self) -> None:
        self.ids: list[uuid.UUID] = []
        self.errors: list[tuple[ConversationClientError, int]] = []

    def failed(self, error: ConversationClientError) -> str | None:
        self.errors.append((error, len(self.ids)))
        assert len(self.errors) <= MAX_RESUMES, "resuming from resume_token makes no progress"
        return error.resume_token


def collect_resuming(list_ids: SyncLister) -> Resumed:
    """List from a token; on ConversationClientError take error.resume_token and go on, until done."""
    resumed = Resumed()
    token: str | None = None
    while True:
        try:
            for id_ in list_ids(token):
                resumed.ids.append(id_)
            return resumed
        except ConversationClientError as error:
            token = resumed.failed(error)


async def collect_resuming_async(list_ids: AsyncLister) -> Resumed:
    resumed = Resumed()
    token: str | None = None
    while True:
        try:
            async for id_ in list_ids(token):
                resumed.ids.append(id_)
            return resumed
        except ConversationClientError as error:
            token = resumed.failed(error)


def resume_all(
    vendor: VendorName, box: Sandbox, where: Where, mode: Mode, policy: RetryPolicy, page_size: int | None = None
) -> Resumed:
    if mode == "sync":
        with sync_lister(vendor, box, where, policy, page_size) as list_ids:
            return collect_resuming(list_ids)

    async def run() -> Resumed:
        async with async_lister(vendor, box, where, policy, page_size) as list_ids:
            return await collect_resuming_async(list_ids)

    return asyncio.run(run())


def assert_resumed_cleanly(resumed: Resumed) -> None:
    """Only the injected kinds surface, and a token is missing only before the first page arrived."""
    for error, ids_before in resumed.errors:
        # 429s are RateLimitError; 503 and 520 ServerError; a dropped connection APIConnectionError
        assert isinstance(error, RateLimitError | ServerError | APIConnectionError), repr(error)
        assert (error.resume_token is None) == (ids_before == 0), (error.resume_token, ids_before)


# -- retries to spare: every conversation exactly once ----------------------------------------------


@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_listing_under_faults_yields_each_conversation_once_the_same_way_everywhere(vendor: VendorName) -> None:
    # The same seed over each path (sync, async; in-process, loopback): each lists all 10,000 once
    # and in order, and each makes exactly the same number of requests, because the faults are
    # drawn per request in order and no path sends more than one request at a time.
    pages = page_count(CONVERSATIONS, MAX_PAGE[vendor])
    request_counts: dict[tuple[Mode, Where], int] = {}
    for mode in MODES:
        for where in WHERE:
            box = sandbox()
            assert_exactly_once(list_all(vendor, box, where, mode, RETRIES), vendor)
            request_counts[mode, where] = box.request_count
    faults = {count - pages for count in request_counts.values()}
    assert len(faults) == 1, f"the same seed gave different runs: {request_counts}"
    # at 20 %, about a quarter as many faults as pages: a run with none would prove nothing
    assert pages * 0.1 < faults.pop() < pages * 0.5, request_counts


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    vendor=st.sampled_from(VENDOR_NAMES),
    mode=st.sampled_from(MODES),
    failure_rate=st.floats(min_value=0.05, max_value=0.3),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_listing_under_faults_yields_each_conversation_once_whatever_the_seed(
    vendor: VendorName, mode: Mode, failure_rate: float, seed: int
) -> None:
    box = sandbox(failure_rate=failure_rate, seed=seed)
    assert_exactly_once(list_all(vendor, box, "in-process", mode, GENEROUS_RETRIES), vendor)
    assert box.request_count >= page_count(CONVERSATIONS, MAX_PAGE[vendor])


# -- retries exhausted: resume_token continues the listing --------------------------------------------

NO_RETRIES: Final = RetryPolicy(max_retries=0)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_resume_token_continues_a_listing_of_10000_without_loss_or_repeat(vendor: VendorName, mode: Mode) -> None:
    box = sandbox()
    resumed = resume_all(vendor, box, "in-process", mode, NO_RETRIES)
    assert_exactly_once(resumed.ids, vendor)
    assert_resumed_cleanly(resumed)
    pages = page_count(CONVERSATIONS, MAX_PAGE[vendor])
    # with no retries, every fault is an error and every error costs one request
    assert len(resumed.errors) == box.request_count - pages
    assert len(resumed.errors) > pages * 0.1


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_resume_token_continues_a_listing_over_loopback(vendor: VendorName, mode: Mode) -> None:
    # Higher rate, smaller listing: the errors come from real sockets (a dropped connection is a
    # closed socket, not an exception raised in-process).
    count = 2_000
    box = sandbox(count, failure_rate=0.4)
    resumed = resume_all(vendor, box, "loopback", mode, NO_RETRIES, page_size=50)
    assert_exactly_once(resumed.ids, vendor, count)
    assert_resumed_cleanly(resumed)
    assert len(resumed.errors) == box.request_count - page_count(count, 50)
    assert any(isinstance(error, APIConnectionError) for error, _ in resumed.errors), "no dropped connection"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    vendor=st.sampled_from(VENDOR_NAMES),
    mode=st.sampled_from(MODES),
    count=st.integers(min_value=0, max_value=1_500),
    page_size=st.integers(min_value=10, max_value=100),
    failure_rate=st.floats(min_value=0.1, max_value=0.7),
    max_retries=st.integers(min_value=0, max_value=1),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_resume_token_continues_any_listing(
    vendor: VendorName, mode: Mode, count: int, page_size: int, failure_rate: float, max_retries: int, seed: int
) -> None:
    # Empty listings, listings that end exactly on a page boundary, failures of the first and of
    # the last page, several failures in a row: wherever the listing breaks, it resumes cleanly.
    box = sandbox(count, failure_rate=failure_rate, seed=seed)
    policy = RetryPolicy(max_retries=max_retries, initial_delay=0.0, max_delay=0.0)
    resumed = resume_all(vendor, box, "in-process", mode, policy, page_size=page_size)
    assert_exactly_once(resumed.ids, vendor, count)
    assert_resumed_cleanly(resumed)
    # every error spent 1 + max_retries failed requests; retries that then succeeded spent more
    spent = page_count(count, page_size) + len(resumed.errors) * (1 + max_retries)
    if max_retries == 0:
        assert box.request_count == spent
    else:
        assert box.request_count >= spent


# -- Issue 20: closing a pager (contextlib.closing / contextlib.aclosing) ends its iterations -------

#: The longest a closing test may run before it is taken to hang.
GUARD: Final = 10.0


def _eventually(condition: Callable[[], bool], seconds: float = GUARD) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _held_after_page_one() -> Callable[[str | None], Awaitable[Page[int]]]:
    """An async fetch whose first page comes at once and whose second never does."""

    async def fetch(token: str | None) -> Page[int]:
        if token is not None:
            await asyncio.Event().wait()
        return Page((1, 2), "t2", token)

    return fetch


def test_a_closed_sync_pager_refuses_every_later_step() -> None:
    pager = SyncPager(_book(*PAGES))
    under_way = iter(pager)
    assert next(under_way) == 1
    with contextlib.closing(pager):
        pass
    pager.close()  # again: nothing more happens
    with pytest.raises(PagerClosedError):
        next(under_way)  # the next item of an iteration under way: an error, not the end
    with pytest.raises(PagerClosedError):
        list(pager)
    with pytest.raises(PagerClosedError):
        next(pager.pages())


@pytest.mark.anyio
async def test_a_closed_async_pager_refuses_every_later_step() -> None:
    fetch = _book(*PAGES)

    async def afetch(token: str | None) -> Page[int]:
        return fetch(token)

    pager = AsyncPager(afetch)
    under_way = aiter(pager)
    assert await anext(under_way) == 1
    async with contextlib.aclosing(pager):
        pass
    await pager.aclose()  # again: nothing more happens
    with pytest.raises(PagerClosedError):
        await anext(under_way)
    with pytest.raises(PagerClosedError):
        [item async for item in pager]
    with pytest.raises(PagerClosedError):
        await anext(pager.pages())


@pytest.mark.anyio
async def test_an_async_pager_closed_by_another_task_raises_pager_closed_in_the_iterating_one() -> None:
    pager = AsyncPager(_held_after_page_one())
    waiting = asyncio.Event()

    async def iterate() -> list[int]:
        seen: list[int] = []
        async for item in pager:
            seen.append(item)
            if item == 2:
                waiting.set()  # its next step awaits page 2, which never comes on its own
        return seen

    async def close_it() -> asyncio.Task[list[int]]:
        task = asyncio.create_task(iterate())
        await waiting.wait()
        await asyncio.sleep(0.01)  # the iterating task is now waiting for page 2
        await pager.aclose()
        await asyncio.wait({task})
        return task

    iterating = await bounded(close_it(), GUARD)
    assert not iterating.cancelled()  # the prefetch was cancelled, not the task that waited for it
    with pytest.raises(PagerClosedError):
        iterating.result()


@pytest.mark.anyio
@pytest.mark.loopback
@pytest.mark.parametrize("shape", ["items", "pages"])
async def test_aclosing_a_pager_left_mid_listing_cancels_its_request_in_flight(shape: str) -> None:
    # The prefetch of page 2 is in flight (the server holds it) when the caller breaks out under
    # contextlib.aclosing(pager): once the block is left, nothing of the listing is pending, and
    # the server sees the connection closed.
    hung_up = threading.Event()
    with serve_raw(json_page(bird_body([1, 2], "t2")), held_until_hangup(hung_up)) as server:
        client = AsyncBirdClient(ACCESS_KEY, base_url=server.base_url, retry_policy=NO_RETRIES, prefetch="always")

        async def list_then_leave() -> set[asyncio.Task[Any]]:
            before = asyncio.all_tasks()
            pager = client.list_conversations(WORKSPACE_ID, limit=2)
            async with contextlib.aclosing(pager):
                async for _ in pager if shape == "items" else pager.pages():
                    while len(server.requests) < 2:  # page 2's request has reached the server
                        await asyncio.sleep(0.01)
                    break
            return asyncio.all_tasks() - before  # at once: no await since the block was left

        async with client:
            assert await bounded(list_then_leave(), GUARD) == set()
        assert hung_up.wait(GUARD)
        assert len(server.requests) == 2


@pytest.mark.loopback
def test_closing_a_sync_pager_left_mid_listing_stops_its_prefetch() -> None:
    # The prefetch of page 2, in flight when the pager is closed, is hung up (or, on a transport
    # that cannot be cut, completes: here a 503 once released), and its retries stop and its
    # thread ends. Left open, the iteration held by the caller would have retried.
    released = threading.Event()

    def page_two_fails_once_released(connection: Connection, request: Request) -> None:
        released.wait(GUARD)
        json_page({"error": "down"}, status=503)(connection, request)

    policy = RetryPolicy(max_retries=3, initial_delay=0.05, max_delay=0.05, jitter=0.0)
    with serve_raw(json_page(bird_body([1, 2], "t2")), page_two_fails_once_released) as server:
        with BirdClient(ACCESS_KEY, base_url=server.base_url, retry_policy=policy, prefetch="always") as client:
            before = set(threading.enumerate())
            pager = client.list_conversations(WORKSPACE_ID, limit=2)
            with contextlib.closing(pager):
                under_way = iter(pager)
                next(under_way)
                assert _eventually(lambda: len(server.requests) == 2)
                (prefetching,) = [thread for thread in set(threading.enumerate()) - before if "prefetch" in thread.name]
            released.set()
            prefetching.join(GUARD)
            assert not prefetching.is_alive()
            assert len(server.requests) == 2  # no retry
            with pytest.raises(PagerClosedError):
                next(under_way)


@pytest.mark.loopback
def test_closing_a_sync_pager_hangs_up_its_prefetch_on_the_wire() -> None:
    # The prefetch of page 2 is on the wire, the server holding its answer, when the pager is
    # closed on another thread's behalf (here the caller's): the server sees the connection hung
    # up then, not at the attempt's deadline (nor when the client closes its pool), and no other
    # request follows, retries or not.
    hung_up = threading.Event()
    policy = RetryPolicy(max_retries=3, initial_delay=0.05, max_delay=0.05, jitter=0.0)
    with serve_raw(json_page(bird_body([1, 2], "t2")), held_until_hangup(hung_up, seconds=2 * GUARD)) as server:
        with BirdClient(ACCESS_KEY, base_url=server.base_url, retry_policy=policy, prefetch="always") as client:
            before = set(threading.enumerate())
            pager = client.list_conversations(WORKSPACE_ID, limit=2)
            under_way = iter(pager)
            next(under_way)  # page 1 in hand, page 2 asked for
            assert _eventually(lambda: len(server.requests) == 2)
            (prefetching,) = [thread for thread in set(threading.enumerate()) - before if "prefetch" in thread.name]
            pager.close()
            assert hung_up.wait(GUARD), "the server still holds page 2's connection"
            prefetching.join(GUARD)
            assert not prefetching.is_alive()
            with pytest.raises(PagerClosedError):
                next(under_way)
        assert len(server.requests) == 2
