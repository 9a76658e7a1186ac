"""A pager's iterations under way, and closing them: what ``SyncPager.close()`` and
``AsyncPager.aclose()`` (so ``contextlib.closing`` / ``contextlib.aclosing`` over a pager) do.

A pager may be iterated several times, each iteration a generator of its own that the caller may
hold, drop (``break``) or be in the middle of on another task or thread. The pager keeps here
those under way; closing it ends their requests (an async one's is cancelled, a sync one's
prefetch abandoned: :mod:`conversation_clients._prefetch`), and every later step of any of them
raises :class:`~conversation_clients.errors.PagerClosedError`: a listing that was closed says so rather than look finished.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncGenerator, Callable
from typing import Any, TypeVar

import attrs

from conversation_clients._prefetch import (
    Abandonment,
    ListingAbandoned,
    Prefetch,
    Worker,
    cancel_and_reap,
    fan_out_abandonment,
    wait_at_most,
)
from conversation_clients.errors import PagerClosedError

__all__ = [
    "MAX_WAIT_FOR_FINALISED",
    "AsyncIterations",
    "AsyncRun",
    "SyncIterations",
    "SyncRun",
]

R = TypeVar("R")
G = TypeVar("G", bound=AsyncGenerator[Any, None])

#: The longest :meth:`AsyncIterations.close` waits for the event loop to finish an iteration that
#: was dropped (``break`` out of ``async for``), its request already cancelled: the loop's
#: finaliser has only the iteration's last lines left to run.
MAX_WAIT_FOR_FINALISED = 1.0


def _closed() -> PagerClosedError:
    return PagerClosedError("this listing's pager was closed: it lists nothing more (start a new listing)")


class SyncRun:
    """One iteration of a sync pager under way: whether it was left, the sync fan-out it runs in (whose
    leaving leaves it too), and its prefetch thread, if any.

    Its "left" event (:attr:`abandoned`, which a prefetch thread's waits end on) is made only when
    something waits on it or may set it: most listings end without either, and an event costs
    more than the rest of a one-page listing's bookkeeping.
    """

    __slots__ = ("_event", "_left", "within", "worker")

    def __init__(self, within: Abandonment | None = None) -> None:
        self._left = False
        self._event: threading.Event | None = None
        self.within = within
        self.worker: Worker[Any] | None = None

    @property
    def abandoned(self) -> threading.Event:
        """The event set once this iteration is left (made on first use; set at once if left already)."""
        event = self._event
        if event is None:
            with _EVENTS_LOCK:
                event = self._event
                if event is None:
                    event = self._event = threading.Event()
                    # read after the event is in place: a leave() on another thread either sees
                    # the event and sets it, or has set _left before this reads it
                    if self._left:
                        event.set()
        return event

    def leave(self) -> None:
        """Mark this iteration left; sets its event, if it has one."""
        self._left = True
        event = self._event
        if event is not None:
            event.set()

    def is_left(self) -> bool:
        """Whether it was left, by its pager or by the fan-out it runs in."""
        event = self._event
        return self._left or (event is not None and event.is_set())


# Only guards making a run's event: two threads asking for it at once get the same one.
_EVENTS_LOCK = threading.Lock()


class SyncIterations:
    """A sync pager's iterations under way, and whether it was closed.

    :meth:`close` abandons each (a prefetch's result is dropped, its retries and rate-limit waits
    end, nothing more is sent, a request on the wire is hung up where the sync clients' own
    transport carries it, :class:`~conversation_clients._deadline.WireCutter`, and its thread ends
    once that request returns) and every later step raises
    :class:`~conversation_clients.errors.PagerClosedError`. It returns at once: the thread that
    sent the request fails it, and closes its connection, itself.

    >>> iterations = SyncIterations()
    >>> run = iterations.begin()
    >>> iterations.close(); iterations.close(); run.abandoned.is_set()
    True
    >>> iterations.begin()
    Traceback (most recent call last):
    ...
    conversation_clients.errors.PagerClosedError: this listing's pager was closed: it lists nothing more (start a new listing)
    """

    def __init__(self) -> None:
        self.closed = False
        self._runs: set[SyncRun] = set()
        self._lock = threading.Lock()  # iterations may run on several threads, and close on another

    def check_open(self) -> None:
        """Raise :class:`~conversation_clients.errors.PagerClosedError` if the pager was closed."""
        if self.closed:
            raise _closed()

    def begin(self) -> SyncRun:
        """A new iteration (:class:`~conversation_clients.errors.PagerClosedError` if the pager was closed), left with the sync
        fan-out whose thread runs it, if any."""
        run = SyncRun(within=fan_out_abandonment())
        with self._lock:
            self.check_open()
            self._runs.add(run)
        if run.within is not None:
            run.within.nest(run.abandoned)  # left with the fan-out (at once if it was left already)
        return run

    def check_left(self, run: SyncRun, *, sending: bool) -> None:
        """Before a page: :class:`~conversation_clients.errors.PagerClosedError` if the pager was closed; ``ListingAbandoned`` if
        ``run`` was left (its fan-out's) and the page would be ``sending`` a request of its own."""
        self.check_open()
        if sending and run.is_left():  # the fan-out was left: send nothing more
            raise ListingAbandoned("the listing was left before this page was fetched")

    def worker(self, run: SyncRun, fetch: Callable[[str | None], R], *, reports_sent: bool) -> Worker[R]:
        """``run``'s prefetch thread, started if it has none; never once the pager is closed."""
        with self._lock:  # no close between the check and the thread being known to it
            self.check_open()
            if run.worker is None:
                run.worker = Worker(fetch, run.abandoned, reports_sent=reports_sent)
            return run.worker

    def prefetched(self, ahead: Prefetch[R], timeout: float | None) -> R:
        """``ahead``'s page (see :meth:`Prefetch.result`); :class:`~conversation_clients.errors.PagerClosedError` if a close abandoned it."""
        try:
            return ahead.result(timeout)
        except ListingAbandoned:
            self.check_open()
            raise

    def end(self, run: SyncRun) -> None:
        """``run`` is over: its prefetch's retries stop, and its thread ends once idle."""
        run.leave()
        if run.within is not None:
            run.within.unnest(run.abandoned)
        with self._lock:
            self._runs.discard(run)
        if run.worker is not None:
            run.worker.stop()

    def close(self) -> None:
        """Abandon every iteration under way and refuse new ones; idempotent, returns at once."""
        with self._lock:
            self.closed = True
            runs, self._runs = self._runs, set()
        for run in runs:
            run.leave()  # first: a prefetch woken by the hang-up finds its listing left, and retries nothing
            if run.worker is not None:
                run.worker.stop()
                run.worker.hang_up()


@attrs.define(eq=False)
class AsyncRun:
    """One iteration of an async pager under way: its generator (weakly), its prefetch in flight."""

    generator: weakref.ref[AsyncGenerator[Any, None]] | None = None
    ahead: asyncio.Task[Any] | None = None
    ended: asyncio.Event = attrs.field(factory=asyncio.Event)


class AsyncIterations:
    """An async pager's iterations under way, and whether it was closed.

    :meth:`follow` makes an iteration's generator, which calls :meth:`begin` first, :meth:`end`
    last and :meth:`check_open` after each ``yield``. :meth:`close` cancels every iteration's
    request in flight and waits for its task to end. An iteration dropped by ``break`` is being
    finished by the event loop (its asynchronous generator finaliser): that is waited for too,
    so that nothing of the pager's is still pending once it returns.
    """

    def __init__(self) -> None:
        self.closed = False
        self._runs: set[AsyncRun] = set()

    def check_open(self) -> None:
        """Raise :class:`~conversation_clients.errors.PagerClosedError` if the pager was closed."""
        if self.closed:
            raise _closed()

    def follow(self, body: Callable[[AsyncRun], G]) -> G:
        """``body(run)``: an iteration's generator, known (weakly) to its run."""
        run = AsyncRun()
        generator = body(run)
        run.generator = weakref.ref(generator)
        return generator

    def begin(self, run: AsyncRun) -> None:
        """``run`` starts (:class:`~conversation_clients.errors.PagerClosedError` if the pager was closed)."""
        self.check_open()
        self._runs.add(run)

    async def end(self, run: AsyncRun) -> None:
        """``run`` is over: its prefetch in flight, if any, is cancelled and reaped."""
        try:
            if run.ahead is not None:
                await cancel_and_reap(run.ahead)
        finally:
            self._runs.discard(run)
            run.ended.set()

    async def prefetched(self, ahead: asyncio.Task[R]) -> R:
        """What ``ahead`` returned; :class:`~conversation_clients.errors.PagerClosedError` if :meth:`close` (on another task) cancelled it."""
        try:
            return await ahead
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if self.closed and ahead.cancelled() and (current is None or not current.cancelling()):
                raise _closed() from None  # the prefetch's cancellation, not this task's
            raise

    async def close(self) -> None:
        """Cancel every iteration's request in flight and wait for it to end; refuse new iterations."""
        self.closed = True
        runs = list(self._runs)
        ahead = [run.ahead for run in runs if run.ahead is not None]
        for task in ahead:
            task.cancel()  # all at once: if this task is cancelled while reaping, none is left sent
        for task in ahead:
            await cancel_and_reap(task)
        for run in runs:
            if run.generator is not None and run.generator() is None:  # dropped: the loop finishes it
                await wait_at_most(run.ended, MAX_WAIT_FOR_FINALISED)
