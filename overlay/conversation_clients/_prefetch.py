"""The prefetch runtime of the pagers: the thread and the task that fetch a listing's next page
ahead, how a listing left early stops them, and when a sync listing starts prefetching.

:mod:`conversation_clients.pagination` holds the paging rules and the pagers; this module holds
what they run the next page's fetch on. A sync listing asks its :class:`Worker` (one thread per
listing) once its :class:`PrefetchGate` opens; an async listing runs the fetch as a task
(:func:`in_task`) and, when left, cancels it (:func:`cancel_and_reap`). A fetch that reports when
its request is on the wire (:func:`request_sent`, :func:`request_waiting`) lets the pager build
the page in hand without holding that request back. A listing left early (or every listing of a
sync fan-out that was closed: :class:`Abandonment`) ends its retry and rate-limit waits at once
(:func:`sleep_unless_abandoned`) and sends no further request.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import queue
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

import attrs

from conversation_clients._deadline import WireCutter, cut_off_with
from conversation_clients.errors import APITimeoutError

__all__ = [
    "MAX_WAIT_FOR_SENT",
    "PREFETCH_MIN_WAIT",
    "Abandonment",
    "ListingAbandoned",
    "Prefetch",
    "PrefetchGate",
    "Worker",
    "abandon_listings_with",
    "cancel_and_reap",
    "fan_out_abandonment",
    "fetched_now",
    "in_task",
    "request_sent",
    "request_waiting",
    "sleep_unless_abandoned",
    "wait_at_most",
]

#: What a fetch returns: the prefetch runtime hands it over as it is.
R = TypeVar("R")

#: The longest a page in hand waits for the next page's request to go out (``reports_sent``):
#: past it, the page is built anyway. A request that waits on a credential says so at once
#: (:func:`request_waiting`); this bounds what nothing reports, e.g. a connection being made.
MAX_WAIT_FOR_SENT = 1.0
#: A sync listing prefetches (clients' ``prefetch=True``) once its fetches keep it waiting this
#: long, in seconds (:class:`PrefetchGate`). Handing a page's request to the worker thread costs
#: CPU on every page (0.1 to 0.3 ms here: ``nox -s bench``, row ``prefetch-cpu-sync``); a server
#: on loopback answers a 100-conversation page in about 0.5 ms, one across a network in tens of
#: milliseconds or more. Below this, prefetch would spend CPU to hide almost nothing.
PREFETCH_MIN_WAIT = 0.002


@attrs.define
class PrefetchGate:
    """Whether a sync listing fetches its next page ahead, from how long its fetches kept it waiting.

    ``observe`` takes the seconds a fetch made on the iterating thread spent waiting (its wall
    time less the thread's CPU time: the network, the server, a rate limiter, a retry's
    back-off). The gate opens once the median of the last three reaches ``min_wait`` (the
    first page alone decides at first, so a distant server is prefetched from page two) and
    stays open for the rest of the listing: a prefetched fetch shares the CPU with the page
    being built, so its waits no longer measure the server. ``min_wait=0`` is open from the
    start. A lone slow page among fast ones (the server's garbage collector, a busy machine)
    does not open it.

    >>> gate = PrefetchGate(min_wait=0.002)
    >>> gate.observe(0.0005); gate.observe(0.030); gate.open
    False
    >>> gate.observe(0.040); gate.open
    True
    """

    min_wait: float
    open: bool = attrs.field(init=False)
    # whether each of the last waits reached min_wait: all the median's comparison needs
    _recent: tuple[bool, ...] = attrs.field(init=False, default=())

    def __attrs_post_init__(self) -> None:
        self.open = self.min_wait <= 0

    def observe(self, waited: float) -> None:
        """Note one fetch's wait, in seconds; open the gate if the recent ones are worth hiding."""
        if self.open:
            return
        recent = self._recent = (*self._recent[1 - _GATE_WINDOW :], waited >= self.min_wait)
        # the median (the lower, of two) reaches min_wait when more than half of them do
        self.open = sum(recent) > len(recent) // 2


_GATE_WINDOW = 3


def fetched_now(fetch: Callable[[str | None], R], token: str | None, gate: PrefetchGate | None) -> R:
    """``fetch(token)`` on this thread, its wait (wall time less this thread's CPU) told to ``gate``.

    Nothing is timed once the gate is open, or without one (a listing that does not prefetch).
    """
    if gate is None or gate.open:
        return fetch(token)
    wall, cpu = time.perf_counter(), time.thread_time()
    fetched = fetch(token)
    waited = time.perf_counter() - wall
    if waited >= gate.min_wait:  # less the thread's own CPU; a shorter wall time is short enough already
        waited -= time.thread_time() - cpu
    gate.observe(waited)
    return fetched


class ListingAbandoned(Exception):
    """Raised inside a background fetch whose listing was left: its retry waits end early."""


# Set, in a sync pager's background fetch, to the event that says its listing was left.
_abandoned: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar(
    "conversation_clients_abandoned", default=None
)


class Abandonment(threading.Event):
    """An event that abandons every sync listing iterated under it (:func:`abandon_listings_with`).

    A sync fan-out sets one when it is left: each listing's own "left" event is set with it, so
    their retry and rate-limit waits end at once (:func:`sleep_unless_abandoned`) and they send no
    further request, prefetched or not.

    >>> left, listing = Abandonment(), threading.Event()
    >>> left.nest(listing); left.set(); listing.is_set()
    True
    """

    def __init__(self) -> None:
        super().__init__()
        self._nested_lock = threading.Lock()
        self._nested: set[threading.Event] = set()

    def set(self) -> None:
        with self._nested_lock:
            super().set()
            nested, self._nested = self._nested, set()
        for event in nested:
            event.set()

    def nest(self, event: threading.Event) -> None:
        """Set ``event`` when this is set (at once if it already is), until :meth:`unnest`."""
        with self._nested_lock:
            if self.is_set():
                event.set()
            else:
                self._nested.add(event)

    def unnest(self, event: threading.Event) -> None:
        with self._nested_lock:
            self._nested.discard(event)


def abandon_listings_with(abandonment: Abandonment) -> None:
    """Abandon the sync listings this thread goes on to iterate when ``abandonment`` is set.

    Their waits (:func:`sleep_unless_abandoned`) then raise :class:`ListingAbandoned`, and so
    does a page fetch not yet started. A sync fan-out calls this on each of its threads.
    """
    _abandoned.set(abandonment)


def sleep_unless_abandoned(seconds: float) -> None:
    """``time.sleep``, except in a listing that was left: then raise :class:`ListingAbandoned`.

    The sync clients wait between retries (and for the rate limiter) with this, so a listing
    left while its next page was being fetched (a prefetch, or any page of a sync fan-out that
    was closed: :func:`abandon_listings_with`) sends no more requests for it.

    >>> sleep_unless_abandoned(0)
    """
    abandoned = _abandoned.get()
    if abandoned is None:
        time.sleep(seconds)
    elif abandoned.wait(seconds):
        raise ListingAbandoned("the listing was left; not retrying its prefetch")


def fan_out_abandonment() -> Abandonment | None:
    """The :class:`Abandonment` this thread's listings are abandoned with, if a sync fan-out set one.

    >>> fan_out_abandonment() is None
    True
    """
    within = _abandoned.get()  # in a prefetch's thread, its listing's own event: not a fan-out's
    return within if isinstance(within, Abandonment) else None


# Set in a prefetch's context: what to call once the prefetch's request is on the wire.
_on_request_sent: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "conversation_clients_on_request_sent", default=None
)


def request_sent() -> None:
    """Tell the pager whose prefetch this is that its request is on the wire; a no-op elsewhere.

    A fetch function that calls this (the clients do, from httpx's ``trace`` hook) lets a pager
    created with ``reports_sent=True`` wait for its request to go out, and no longer, before
    it builds the current page: building holds the CPU, and would hold the request back.

    >>> request_sent()
    """
    callback = _on_request_sent.get()
    if callback is not None:
        callback()


def request_waiting() -> None:
    """Tell the pager whose prefetch this is that its request waits on something other than the
    network (a credential fetching a token); a no-op elsewhere.

    The pager then builds the page it holds at once instead of waiting for the request to go
    out (:func:`request_sent`): the page in hand does not wait on the next page's credential.
    The clients' authentication calls this before it asks a credential for a token.

    >>> request_waiting()
    """
    request_sent()  # for the pager, both mean "stop waiting for this request"


class Prefetch(Generic[R]):
    """One page asked of a listing's worker: ``sent`` is set once its request is on the wire (see
    :func:`request_sent`), or when the fetch ends; ``outcome`` then holds what the fetch returned."""

    def __init__(self, token: str | None) -> None:
        self.token = token
        # the consumer's context at the moment it asked (tracing, logging), copied: what the
        # fetch sets stays in the fetch, as it would in a thread of its own
        self.context = contextvars.copy_context()
        self.sent = threading.Event()
        self.outcome: Future[R] = Future()

    def result(self, timeout: float | None) -> R:
        """What the fetch returned (or raise what it raised), waited for at most ``timeout`` seconds:
        past it, ``APITimeoutError``."""
        try:
            return self.outcome.result(timeout=timeout)
        except TimeoutError:
            if self.outcome.done():
                raise  # the fetch's own TimeoutError, not our wait's
            raise APITimeoutError(
                f"the page was not fetched within {timeout:g} s "
                "(something the request waits on does not return: a credential, a name lookup?)"
            ) from None


class Worker(Generic[R]):
    """The one thread that fetches a sync listing's pages ahead, one at a time, for as long as the
    listing lasts: a thread per page would pay a thread's start-up on every page.

    :meth:`ask` queues a page; :meth:`stop` lets the thread end once its current fetch (if any)
    returns, its retries stopped (``abandoned``); :meth:`hang_up` also cuts that fetch's request
    where its connection allows (:class:`~conversation_clients._deadline.WireCutter`).
    """

    def __init__(self, fetch: Callable[[str | None], R], abandoned: threading.Event, *, reports_sent: bool) -> None:
        self._fetch = fetch
        self._abandoned = abandoned
        self._reports_sent = reports_sent
        self._cutter = WireCutter()
        self._asked: queue.SimpleQueue[Prefetch[R] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="conversation-clients-prefetch", daemon=True)
        self._thread.start()

    def ask(self, token: str | None) -> Prefetch[R]:
        prefetch: Prefetch[R] = Prefetch(token)
        self._asked.put(prefetch)
        return prefetch

    def stop(self) -> None:
        self._asked.put(None)

    def hang_up(self) -> None:
        """Hang up the connection of the request in flight, if any, and of any it would send after."""
        self._cutter.cut()

    def _serve(self) -> None:
        while (prefetch := self._asked.get()) is not None:
            prefetch.context.run(self._run, prefetch)

    def _run(self, prefetch: Prefetch[R]) -> None:
        _abandoned.set(self._abandoned)
        _on_request_sent.set(prefetch.sent.set)
        cut_off_with(self._cutter)
        if not self._reports_sent:
            prefetch.sent.set()  # nothing will say when the request is out: that it has started will do
        try:
            if self._abandoned.is_set():  # left before its turn came: send nothing for it
                raise ListingAbandoned("the listing was left before this page was fetched")
            prefetch.outcome.set_result(self._fetch(prefetch.token))
        except BaseException as error:  # noqa: BLE001 - handed to the consumer, who raises it
            prefetch.outcome.set_exception(error)
        finally:
            self._cutter.release()  # its connection, back in the pool, is no longer this fetch's
            prefetch.sent.set()


def in_task(fetch: Callable[[str | None], Awaitable[R]], token: str | None) -> tuple[asyncio.Task[R], asyncio.Event]:
    """Run ``fetch(token)`` as a task; the event is set once its request is on the wire, or when it ends."""
    sent = asyncio.Event()
    context = contextvars.copy_context()
    context.run(_on_request_sent.set, sent.set)
    task = asyncio.get_running_loop().create_task(_awaited(fetch(token)), context=context)
    task.add_done_callback(lambda _: sent.set())
    return task, sent


async def _awaited(awaitable: Awaitable[R]) -> R:
    return await awaitable


async def cancel_and_reap(task: asyncio.Task[object]) -> None:
    """Cancel a listing's prefetch ``task`` and wait for it to end, dropping what it ended with.

    Only the prefetch's own end is dropped (its ``CancelledError``, or an error it raised first:
    retrieved, so that it is not reported as never retrieved). A cancellation of the task that
    waits here (``asyncio.timeout``, ``Task.cancel()``, a ``TaskGroup`` whose sibling failed)
    arrives as a ``CancelledError`` too; ``cancelling()`` tells them apart, and that one goes on.
    """
    current = asyncio.current_task()
    requested = 0 if current is None else current.cancelling()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        if current is not None and current.cancelling():
            raise  # a cancellation of the waiting task: not ours to swallow
    except Exception:  # the listing was left: the prefetch's error is nobody's
        pass
    if current is not None and current.cancelling() > requested:
        # asked while the prefetch was ending some other way (it swallowed its cancellation, or
        # turned it into an error): asyncio handed the request on to it, and it went no further
        raise asyncio.CancelledError


async def wait_at_most(event: asyncio.Event, seconds: float) -> None:
    if event.is_set():
        return
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()
