"""Auto-pagination: items and pages, sync and async, with the same shape.

The rules (when a listing ends, what counts as a repeated token, which token resumes a failed
listing) live in :class:`PageCursor`, a small state object with no I/O. :class:`SyncPager` and
:class:`AsyncPager` only call a fetch function and feed the cursor, so one set of rule tests
covers both.

A fetch function returns a :class:`Page`, or a :class:`FetchedPage` whose items are built
later: the pagers send the request for the next page before building the current page's
items, so that the server's time overlaps the client's (prefetch, on by default in the clients;
the thread and the task that fetch ahead are :mod:`conversation_clients._prefetch`'s). Closing a
pager ends its iterations under way (:mod:`conversation_clients._iterations`).

>>> pages = {None: Page(items=(1, 2), next_token="t2", token=None), "t2": Page(items=(3,), next_token=None, token="t2")}
>>> list(SyncPager(lambda token: pages[token]))
[1, 2, 3]
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeAlias, TypeVar

import attrs

from conversation_clients._checks import page_token_problem
from conversation_clients._iterations import AsyncIterations, AsyncRun, SyncIterations
from conversation_clients._prefetch import MAX_WAIT_FOR_SENT as MAX_WAIT_FOR_SENT
from conversation_clients._prefetch import PREFETCH_MIN_WAIT as PREFETCH_MIN_WAIT
from conversation_clients._prefetch import Abandonment as Abandonment
from conversation_clients._prefetch import ListingAbandoned as ListingAbandoned
from conversation_clients._prefetch import (
    Prefetch,
    PrefetchGate,
    fetched_now,
    in_task,
    request_sent,
    request_waiting,
    wait_at_most,
)
from conversation_clients._prefetch import abandon_listings_with as abandon_listings_with
from conversation_clients._prefetch import sleep_unless_abandoned as sleep_unless_abandoned
from conversation_clients.errors import ConversationClientError, PaginationError
from conversation_clients.signals import NO_RESPONSE, PageMeta

__all__ = [
    "AsyncPager",
    "FetchedPage",
    "Page",
    "PageCursor",
    "PrefetchGate",
    "RawItem",
    "SyncPager",
    "next_token_from",
    "request_sent",
    "request_waiting",
]

# Raised out of a sync fan-out's listing that was left mid-fetch: shown (and pickled) under its
# public name, as the classes defined here are.
ListingAbandoned.__module__ = __name__

T = TypeVar("T")
#: One item as the server sent it: the JSON object decoded from the page's body (:attr:`Page.raw_items`).
RawItem: TypeAlias = Mapping[str, Any]

#: A server that keeps answering empty pages with fresh tokens is looping; stop after this many.
MAX_CONSECUTIVE_EMPTY_PAGES = 50


@attrs.frozen
class Page(Generic[T]):
    """One page of a listing.

    ``token`` fetched this page (None for the first page); ``next_token`` fetches the page after
    it, or is None on the last page. Save ``next_token`` to checkpoint a long export and pass it
    back as ``page_token=`` / ``continuation_token=`` to resume.

    >>> page = Page(items=("a",), next_token="n", token=None)
    >>> page.is_last
    False
    """

    items: tuple[T, ...]
    next_token: str | None
    token: str | None
    #: What the response it came from says: status, request id, rate limits, time, attempts.
    meta: PageMeta = attrs.field(default=NO_RESPONSE, kw_only=True, eq=False, repr=False)
    #: The items as the server sent them, one for each of ``items`` and in their order: the JSON objects
    #: decoded from the body, keys in the server's order, values as sent (a date-time's text, an unknown
    #: property). Read-only. Empty when the page was not read from a response body (one built by hand).
    raw_items: tuple[RawItem, ...] = attrs.field(default=(), kw_only=True, eq=False, repr=False)

    @property
    def as_sent(self) -> tuple[RawItem, ...] | tuple[T, ...]:
        """:attr:`raw_items` when the page has them; else (a page built by hand) its models, :attr:`items`."""
        return self.raw_items if len(self.raw_items) == len(self.items) else self.items

    @property
    def is_last(self) -> bool:
        """True when no page follows this one."""
        return self.next_token is None


@attrs.frozen
class FetchedPage(Generic[T]):
    """A page whose body has been read far enough to know the next token; :meth:`page` builds its items.

    Building the items (the generated models) is most of a client's work on a page. Kept apart,
    it can wait until the request for the next page is on its way. ``item_count`` is the number
    of items the body holds, before they are built (for the cursor's empty-page rule).

    >>> fetched = FetchedPage(token=None, next_token="t2", item_count=2, build_items=lambda: ["a", "b"])
    >>> fetched.page()
    Page(items=('a', 'b'), next_token='t2', token=None)
    """

    token: str | None
    next_token: str | None
    item_count: int
    build_items: Callable[[], Iterable[T]] = attrs.field(repr=False)
    meta: PageMeta = attrs.field(default=NO_RESPONSE, kw_only=True, eq=False, repr=False)
    #: The items as the server sent them: :attr:`Page.raw_items`.
    raw_items: tuple[RawItem, ...] = attrs.field(default=(), kw_only=True, eq=False, repr=False)

    def page(self) -> Page[T]:
        """Build the items; raises what building raises (``ResponseValidationError`` in the clients)."""
        items = tuple(self.build_items())
        return Page(items=items, next_token=self.next_token, token=self.token, meta=self.meta, raw_items=self.raw_items)


#: What a sync pager's fetch function returns: a page, or a function that finishes reading it.
#: The function runs on the thread that iterates: a prefetch thread then only waits on the
#: network, and parsing JSON does not contend for the GIL with building the page before it.
SyncFetched: TypeAlias = "Page[T] | FetchedPage[T] | Callable[[], Page[T] | FetchedPage[T]]"


def _as_fetched(result: SyncFetched[T]) -> FetchedPage[T]:
    read: Page[T] | FetchedPage[T] = result() if callable(result) else result
    if isinstance(read, FetchedPage):
        return read
    items: tuple[T, ...] = read.items
    return FetchedPage(
        token=read.token,
        next_token=read.next_token,
        item_count=len(items),
        build_items=lambda: items,
        meta=read.meta,
        raw_items=read.raw_items,
    )


def next_token_from(raw: object) -> str | None:
    """The next-page token as the server sent it, or None when the listing ends.

    Neither vendor documents how the last page says so: an absent (pass None), null or ""
    token ends it. Anything else that is not a string raises ``TypeError``: treating it as
    the end would silently drop the pages after it. A string the client could not send back
    (see :func:`conversation_clients._checks.page_token_problem`: a lone surrogate, or
    over 32 KiB percent-encoded) raises ``ValueError``, which does not quote it.

    >>> [next_token_from(value) for value in (None, "", "abc")]
    [None, None, 'abc']
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        problem = page_token_problem(raw)
        if problem is not None:
            raise ValueError(f"the next page token cannot be sent back: it {problem}")
        return raw
    raise TypeError(f"expected a string token, got {type(raw).__name__}")


@attrs.define
class PageCursor:
    """Where a listing stands: the token of the next page to fetch, and the tokens seen so far.

    >>> cursor = PageCursor(start_token=None)
    >>> cursor.advance(next_token="t2", item_count=10)
    >>> cursor.token, cursor.done
    ('t2', False)
    >>> cursor.advance(next_token=None, item_count=3)
    >>> cursor.done
    True
    """

    start_token: str | None
    token: str | None = attrs.field(init=False)
    done: bool = attrs.field(init=False, default=False)
    # a lambda, not the bare class, so that type checkers take set[str] from the annotation
    _seen: set[str] = attrs.field(init=False, factory=lambda: set())
    _empty_streak: int = attrs.field(init=False, default=0)

    def __attrs_post_init__(self) -> None:
        self.token = self.start_token
        if self.start_token is not None:
            self._seen.add(self.start_token)

    def advance(self, *, next_token: str | None, item_count: int) -> None:
        """Record a fetched page; raise :class:`PaginationError` if the server is looping.

        A token already handed out (or the one the listing started from) would fetch a page
        already seen: iterating on would repeat items forever, so it is an error, not a loop.
        """
        if next_token is None:
            self.done = True
            return
        if next_token in self._seen:
            raise PaginationError(
                "the server returned a page token it had already returned; stopping instead of repeating pages",
                token=next_token,
            )
        self._empty_streak = self._empty_streak + 1 if item_count == 0 else 0
        if self._empty_streak >= MAX_CONSECUTIVE_EMPTY_PAGES:
            raise PaginationError(
                f"the server returned {MAX_CONSECUTIVE_EMPTY_PAGES} empty pages in a row, each with a new token",
                token=next_token,
            )
        self._seen.add(next_token)
        self.token = next_token


class SyncPager(Generic[T]):
    """A lazy listing: iterate for items, or call :meth:`pages` for pages.

    Any :class:`~conversation_clients.errors.ConversationClientError` raised while fetching
    carries ``resume_token``, the token that fetches the page that failed.

    With ``prefetch``, the request for page n+1 is sent, on a background thread (one per
    listing, started with the first prefetch), as soon as page n's body is read: building page
    n's items and the caller's own work on them overlap the server's time. With
    ``prefetch_min_wait`` (seconds; the clients give :data:`PREFETCH_MIN_WAIT`), that starts
    only once the listing's fetches keep it waiting that long (:class:`PrefetchGate`): against
    a server that answers at once, the hand-off between threads would cost more than it hides. Page n is built once
    that request is on the wire when the fetch says so (``reports_sent``: it calls
    :func:`request_sent`), else once the fetch has started. Leaving a listing early (``break``, an exception,
    closing the iterator, or :meth:`close`) drops that request's result and stops its retries; a request already
    sent finishes in the background (its connection then serves the next request), except that
    :meth:`close` hangs it up where the clients' own transport carries it. ``fetch_timeout``
    bounds the wait for a prefetched page: past it, ``APITimeoutError`` (the clients give their
    ``page_timeout`` plus a second, so that a credential blocking for ever cannot hold a listing).

    ``max_items`` caps the listing: iterating gives at most that many items, and no page is
    requested (prefetched or not) once the pages already fetched hold that many. :meth:`pages`
    hands over whole pages, so the last one may hold more than the cap leaves room for: its
    ``next_token`` still resumes after all of its items.

    >>> pages = {None: Page(items=(1, 2), next_token="t2", token=None), "t2": Page(items=(3,), next_token=None, token="t2")}
    >>> list(SyncPager(lambda token: pages[token], max_items=1, prefetch=True))
    [1]

    >>> pager = SyncPager(lambda token: Page(items=(1,), next_token=None, token=token))
    >>> [page.items for page in pager.pages()]
    [(1,)]
    """

    def __init__(
        self,
        fetch: Callable[[str | None], SyncFetched[T]],
        *,
        start_token: str | None = None,
        prefetch: bool = False,
        prefetch_min_wait: float = 0.0,
        reports_sent: bool = False,
        fetch_timeout: float | None = None,
        max_items: int | None = None,
    ) -> None:
        self._fetch = fetch
        self._start_token = start_token
        self._prefetch = prefetch
        self._prefetch_min_wait = prefetch_min_wait
        self._reports_sent = reports_sent
        self._fetch_timeout = fetch_timeout
        self._max_items = max_items
        self._iterations = SyncIterations()

    def close(self) -> None:
        """End the iterations under way; later steps raise :class:`~conversation_clients.errors.PagerClosedError` (``contextlib.closing``)."""
        self._iterations.close()

    def __iter__(self) -> Iterator[T]:
        pages = self.pages()
        left = self._max_items
        try:
            for page in pages:
                items = _first(page.items, left)
                for item in items:
                    yield item
                    self._iterations.check_open()  # the next item of a closed pager is an error, not the end
                if left is not None:
                    left -= len(items)
        finally:
            pages.close()  # now, not at garbage collection: stops a prefetch's retries

    def pages(self) -> Generator[Page[T], None, None]:
        """Iterate page by page (each with ``items`` and ``next_token``); whole pages, up to the one that reaches ``max_items``."""
        cursor = PageCursor(start_token=self._start_token)
        wanted = _Wanted(self._max_items)
        gate = PrefetchGate(self._prefetch_min_wait) if self._prefetch else None
        iterations = self._iterations
        run = iterations.begin()  # PagerClosedError once closed; left with a sync fan-out it runs in
        ahead: Prefetch[SyncFetched[T]] | None = None
        try:
            while not cursor.done and wanted.more:
                token = cursor.token
                iterations.check_left(run, sending=ahead is None)  # closed, or its fan-out left
                try:
                    fetched = _as_fetched(
                        iterations.prefetched(ahead, self._fetch_timeout)
                        if ahead is not None
                        else fetched_now(self._fetch, token, gate)
                    )
                    ahead = None
                    iterations.check_open()  # closed (on another thread) while this page was fetched
                    cursor.advance(next_token=fetched.next_token, item_count=fetched.item_count)
                    wanted.received(fetched.item_count)
                    if gate is not None and gate.open and not cursor.done and wanted.more:
                        ahead = iterations.worker(run, self._fetch, reports_sent=self._reports_sent).ask(cursor.token)
                        ahead.sent.wait(MAX_WAIT_FOR_SENT)
                    page = fetched.page()
                except ConversationClientError as error:
                    error.resume_token = token
                    raise
                yield page
        finally:
            iterations.end(run)  # its retries and prefetch thread too

    def __repr__(self) -> str:
        return f"{type(self).__name__}(resuming={self._start_token is not None}, prefetch={self._prefetch})"


@attrs.define
class _Wanted:
    """How many more items a listing capped at ``max_items`` needs (None: no cap).

    Counted from ``FetchedPage.item_count``, before the items are built: the pager decides
    whether to prefetch the next page before it builds the one in hand.
    """

    max_items: int | None
    held: int = 0

    @property
    def more(self) -> bool:
        return self.max_items is None or self.held < self.max_items

    def received(self, item_count: int) -> None:
        self.held += item_count


def _first(items: tuple[T, ...], left: int | None) -> tuple[T, ...]:
    return items if left is None else items[:left]


class AsyncPager(Generic[T]):
    """The async twin of :class:`SyncPager`: ``async for`` items, or ``async for`` over :meth:`pages`.

    With ``prefetch`` (the default) the request for page n+1 is sent as soon as page n's body
    is read, before its items are built, so the consumer's work overlaps the server's latency.
    With ``reports_sent`` (the fetch calls :func:`request_sent`), page n is built once that
    request is on the wire; without, after the fetch has had one turn of the event loop.
    Leaving a listing early (``break``, an exception) cancels the request in flight once the
    event loop finalises the iteration left; :meth:`aclose` (``contextlib.aclosing(pager)``)
    cancels it at once. ``max_items`` caps the listing as in :class:`SyncPager`.

    >>> async def first_id(pager: AsyncPager[str]) -> str | None:
    ...     async with contextlib.aclosing(pager):  # leaving cancels the next page's request at once
    ...         return await anext(aiter(pager), None)
    """

    def __init__(
        self,
        fetch: Callable[[str | None], Awaitable[Page[T] | FetchedPage[T]]],
        *,
        start_token: str | None = None,
        prefetch: bool = True,
        reports_sent: bool = False,
        max_items: int | None = None,
    ) -> None:
        self._fetch = fetch
        self._start_token = start_token
        self._prefetch = prefetch
        self._reports_sent = reports_sent
        self._max_items = max_items
        self._iterations = AsyncIterations()

    async def aclose(self) -> None:
        """Cancel the requests in flight, end the iterations; later steps raise :class:`~conversation_clients.errors.PagerClosedError`."""
        await self._iterations.close()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterations.follow(self._items)

    async def _items(self, run: AsyncRun) -> AsyncGenerator[T, None]:
        self._iterations.begin(run)  # PagerClosedError once closed
        pages = self.pages()
        left = self._max_items
        try:
            async for page in pages:
                items = _first(page.items, left)
                for item in items:
                    yield item
                    self._iterations.check_open()  # the next item of a closed pager is an error, not the end
                if left is not None:
                    left -= len(items)
        finally:
            try:
                await pages.aclose()  # now, not at garbage collection: cancels a prefetch in flight
            finally:
                await self._iterations.end(run)

    def pages(self) -> AsyncGenerator[Page[T], None]:
        """Iterate page by page (each with ``items`` and ``next_token``); whole pages, up to the one that reaches ``max_items``."""
        return self._iterations.follow(self._pages)

    async def _pages(self, run: AsyncRun) -> AsyncGenerator[Page[T], None]:
        cursor = PageCursor(start_token=self._start_token)
        wanted = _Wanted(self._max_items)
        iterations = self._iterations
        iterations.begin(run)  # PagerClosedError once closed
        try:
            while not cursor.done and wanted.more:
                token = cursor.token
                try:
                    ahead = run.ahead
                    fetched = _as_fetched(await (self._fetch(token) if ahead is None else iterations.prefetched(ahead)))
                    run.ahead = None
                    iterations.check_open()  # closed (by another task) while this page was fetched
                    cursor.advance(next_token=fetched.next_token, item_count=fetched.item_count)
                    wanted.received(fetched.item_count)
                    if self._prefetch and not cursor.done and wanted.more:
                        run.ahead, sent = in_task(self._fetch, cursor.token)
                        # let it send its request before building the page keeps the loop busy
                        if self._reports_sent:
                            await wait_at_most(sent, MAX_WAIT_FOR_SENT)
                        else:
                            await asyncio.sleep(0)
                    page = fetched.page()
                except ConversationClientError as error:
                    error.resume_token = token
                    raise
                yield page
                iterations.check_open()
        finally:
            await iterations.end(run)  # cancels its prefetch in flight, if any

    def __repr__(self) -> str:
        return f"{type(self).__name__}(resuming={self._start_token is not None}, prefetch={self._prefetch})"
