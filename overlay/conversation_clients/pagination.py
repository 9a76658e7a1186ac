"""Auto-pagination: items and pages, sync and async, with the same shape.

The rules (when a listing ends, what counts as a repeated token, which token resumes a failed
listing) live in :class:`PageCursor`, a small state object with no I/O. :class:`SyncPager` and
:class:`AsyncPager` only call a fetch function and feed the cursor, so one set of rule tests
covers both.

>>> pages = {None: Page(items=(1, 2), next_token="t2", token=None), "t2": Page(items=(3,), next_token=None, token="t2")}
>>> list(SyncPager(lambda token: pages[token]))
[1, 2, 3]
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, TypeVar

import attrs

from conversation_clients.errors import ConversationClientError, PaginationError

__all__ = ["AsyncPager", "Page", "PageCursor", "SyncPager", "next_token_from"]

T = TypeVar("T")

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

    @property
    def is_last(self) -> bool:
        """True when no page follows this one."""
        return self.next_token is None


def next_token_from(raw: object) -> str | None:
    """The next-page token as the server sent it, or None when the listing ends.

    Neither vendor documents how the last page says so: an absent (pass None), null or ""
    token ends it. Anything else that is not a string raises ``TypeError``: treating it as
    the end would silently drop the pages after it.

    >>> [next_token_from(value) for value in (None, "", "abc")]
    [None, None, 'abc']
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
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
                "the server returned a page token it had already returned; "
                "stopping instead of repeating pages",
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

    >>> pager = SyncPager(lambda token: Page(items=(1,), next_token=None, token=token))
    >>> [page.items for page in pager.pages()]
    [(1,)]
    """

    def __init__(self, fetch: Callable[[str | None], Page[T]], *, start_token: str | None = None) -> None:
        self._fetch = fetch
        self._start_token = start_token

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def pages(self) -> Iterator[Page[T]]:
        """Iterate page by page (each with ``items`` and ``next_token``)."""
        cursor = PageCursor(start_token=self._start_token)
        while not cursor.done:
            token = cursor.token
            try:
                page = self._fetch(token)
                cursor.advance(next_token=page.next_token, item_count=len(page.items))
            except ConversationClientError as error:
                error.resume_token = token
                raise
            yield page

    def __repr__(self) -> str:
        return f"{type(self).__name__}(resuming={self._start_token is not None})"


class AsyncPager(Generic[T]):
    """The async twin of :class:`SyncPager`: ``async for`` items, or ``async for`` over :meth:`pages`.

    With ``prefetch`` (the default) the request for page n+1 is sent as soon as page n arrives,
    so a consumer that spends time on each page overlaps it with the server's latency. Leaving a
    listing early (``break``, an exception, or ``aclose()``) cancels the request in flight.

    >>> async def first_ids(pager: AsyncPager[str]) -> list[str]:
    ...     return [item async for item in pager]
    """

    def __init__(
        self,
        fetch: Callable[[str | None], Awaitable[Page[T]]],
        *,
        start_token: str | None = None,
        prefetch: bool = True,
    ) -> None:
        self._fetch = fetch
        self._start_token = start_token
        self._prefetch = prefetch

    async def __aiter__(self) -> AsyncIterator[T]:
        pages = self.pages()
        try:
            async for page in pages:
                for item in page.items:
                    yield item
        finally:
            await pages.aclose()  # now, not at garbage collection: cancels a prefetch in flight

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Iterate page by page (each with ``items`` and ``next_token``)."""
        cursor = PageCursor(start_token=self._start_token)
        token = cursor.token
        in_flight: asyncio.Future[Page[T]] | None = None
        try:
            while not cursor.done:
                try:
                    page = await (in_flight if in_flight is not None else self._fetch(token))
                    in_flight = None
                    cursor.advance(next_token=page.next_token, item_count=len(page.items))
                except ConversationClientError as error:
                    error.resume_token = token
                    raise
                token = cursor.token
                if self._prefetch and not cursor.done:
                    in_flight = asyncio.ensure_future(self._fetch(token))
                yield page
        finally:
            if in_flight is not None:
                in_flight.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await in_flight  # reap it, so its error (if any) is not reported as never retrieved

    def __repr__(self) -> str:
        return f"{type(self).__name__}(resuming={self._start_token is not None}, prefetch={self._prefetch})"
