"""Fan-out: list one operation across many targets (workspaces, channels) with bounded concurrency.

:func:`fan_out` (async, the primary form) and :func:`fan_out_sync` (threads, for scripts) take
the targets and a function that starts a listing for one target (given its resume token), run
at most ``concurrency`` listings at once, and yield each page as it arrives, tagged with its
target (:class:`TargetPage`). A target whose listing fails does not stop the others: its
failure is yielded (:class:`TargetFailure`, with the target, the error and the token to resume
it from). With ``stop_on_first_failure=True`` the first failure cancels the rest and is raised
(:class:`FanOutStopped`). ``resume=`` gives each target its own resume token, so a fan-out
picks up where a previous one stopped.

The decisions (which target starts next, what a failure means) are :class:`FanOutPlan`, with
no I/O; the two functions are shells around it. At most one request per target is in flight
(a pager's prefetch replaces the request it follows), so at most ``concurrency`` in all.

Example::

    async with AsyncBirdClient(key, rate_limiter=RateLimiter(BIRD_RATE_LIMIT)) as bird:
        listing = lambda workspace, token: bird.list_conversations(workspace, page_token=token)
        async with contextlib.aclosing(fan_out(workspaces, listing, concurrency=8)) as results:
            async for result in results:
                if isinstance(result, TargetFailure):
                    retry_later[result.target] = result.resume_token
                else:
                    save(result.target, result.page.items, checkpoint=result.page.next_token)
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import queue
import threading
from collections.abc import AsyncGenerator, Callable, Generator, Hashable, Iterable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from conversation_clients._defaults import DEFAULT_CONCURRENCY as DEFAULT_CONCURRENCY
from conversation_clients._prefetch import Abandonment, ListingAbandoned, abandon_listings_with
from conversation_clients.errors import ConversationClientError
from conversation_clients.pagination import AsyncPager, Page, SyncPager

__all__ = [
    "Channel",
    "FanOutPlan",
    "FanOutStopped",
    "TargetFailure",
    "TargetPage",
    "fan_out",
    "fan_out_sync",
]

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

# How often a worker thread blocked on a full queue looks whether the fan-out was left.
_STOP_POLL_SECONDS = 0.05


@attrs.frozen
class Channel:
    """An Omnichannel target: an organization and one of its custom channels.

    >>> Channel("11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000")
    Channel(organization_id='11111111-2222-3333-4444-555555555555', channel_id='66666666-7777-8888-9999-000000000000')
    """

    organization_id: str
    channel_id: str


@attrs.frozen
class TargetPage(Generic[K, T]):
    """One page of one target's listing.

    >>> TargetPage("w1", Page(items=(1, 2), next_token="t", token=None)).page.items
    (1, 2)
    """

    target: K
    page: Page[T]


@attrs.frozen
class TargetFailure(Generic[K]):
    """A target whose listing failed; the others go on. Resume it from :attr:`resume_token`.

    >>> failure = TargetFailure("w1", ConversationClientError("boom", resume_token="t7"))
    >>> failure.resume_token
    't7'
    """

    target: K
    error: ConversationClientError

    @property
    def resume_token(self) -> str | None:
        """The token that fetches the page that failed (None: the listing's first page)."""
        return self.error.resume_token


class FanOutStopped(ConversationClientError):
    """Raised by a fan-out with ``stop_on_first_failure``: ``failure`` says which target, and why.

    The target's error is ``__cause__``; ``resume_token`` is its resume token.
    """

    def __init__(self, failure: TargetFailure[Any]) -> None:
        super().__init__(
            f"fan-out stopped: target {failure.target!r} failed: {failure.error}",
            resume_token=failure.resume_token,
        )
        self.failure = failure


@attrs.define
class FanOutPlan(Generic[K]):
    """Which targets run, and what happens next; no I/O.

    >>> plan = FanOutPlan(["a", "b", "c"], concurrency=2)
    >>> plan.start_next()
    ['a', 'b']
    >>> plan.finished("a"), plan.start_next(), plan.done
    (None, ['c'], False)
    >>> plan.finished("b"), plan.finished("c"), plan.done
    (None, None, True)
    """

    targets: Iterable[K]
    concurrency: int = DEFAULT_CONCURRENCY
    stop_on_first_failure: bool = False
    _pending: collections.deque[K] = attrs.field(init=False)
    _running: set[K] = attrs.field(init=False, factory=lambda: set[Any]())

    def __attrs_post_init__(self) -> None:
        concurrency = self.concurrency
        # caller input, checked at run time whatever the annotation says
        if isinstance(concurrency, bool) or not isinstance(concurrency, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"concurrency must be an int, not {type(concurrency).__name__}")
        if concurrency < 1:
            raise ValueError(f"concurrency must be >= 1, got {concurrency}")
        pending = collections.deque(dict.fromkeys(self.targets))  # each target once, in order
        self._pending = pending

    def start_next(self) -> list[K]:
        """The targets to start now: as many as the bound leaves room for."""
        started: list[K] = []
        while self._pending and len(self._running) < self.concurrency:
            target = self._pending.popleft()
            self._running.add(target)
            started.append(target)
        return started

    def finished(self, target: K) -> None:
        """``target``'s listing ended (completely, or in a failure already reported)."""
        self._running.discard(target)

    def must_stop(self, failure: TargetFailure[K]) -> bool:
        """Whether ``failure`` ends the whole fan-out (``stop_on_first_failure``) or only its target."""
        return self.stop_on_first_failure

    @property
    def done(self) -> bool:
        """Nothing runs and nothing waits."""
        return not self._pending and not self._running


@attrs.frozen
class _Ended(Generic[K]):
    # a worker's last word: its target is over; ``crash`` is an error that is not the target's
    # (a bad argument, a bug), which ends the whole fan-out
    target: K
    crash: BaseException | None = None


def _next_result(
    plan: FanOutPlan[K], result: TargetPage[K, T] | TargetFailure[K] | _Ended[K]
) -> TargetPage[K, T] | TargetFailure[K] | None:
    """What the caller gets of ``result`` (None: nothing; a target ended), or the error that ends the fan-out."""
    if isinstance(result, _Ended):
        plan.finished(result.target)
        if result.crash is not None:
            raise result.crash
        return None
    if isinstance(result, TargetFailure) and plan.must_stop(result):
        raise FanOutStopped(result) from result.error
    return result


def _tokens(resume: Mapping[K, str | None] | None) -> Mapping[K, str | None]:
    return {} if resume is None else resume


async def fan_out(
    targets: Iterable[K],
    listing: Callable[[K, str | None], AsyncPager[T]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    resume: Mapping[K, str | None] | None = None,
    stop_on_first_failure: bool = False,
) -> AsyncGenerator[TargetPage[K, T] | TargetFailure[K], None]:
    """List ``listing(target, resume_token)`` for every target, ``concurrency`` at a time; yield pages as they arrive.

    Each target is listed once (duplicates are dropped), from ``resume[target]`` if given. A
    :class:`~conversation_clients.errors.ConversationClientError` ends only its target and is
    yielded as a :class:`TargetFailure`; with ``stop_on_first_failure`` it cancels the rest and
    raises :class:`FanOutStopped`. Any other exception (a malformed id, a bug) cancels the rest
    and is raised as it is. Leaving early (``break``, then closing the generator, e.g. under
    ``contextlib.aclosing``) cancels every listing in flight, and returns once they have ended.

    >>> async def every_item(targets: list[str], listing: Callable[[str, str | None], AsyncPager[str]]) -> list[str]:
    ...     return [item async for result in fan_out(targets, listing) if isinstance(result, TargetPage)
    ...             for item in result.page.items]
    """
    plan = FanOutPlan(targets, concurrency, stop_on_first_failure)
    tokens = _tokens(resume)
    # bounded: a slow consumer holds the listings back instead of piling pages up in memory
    results: asyncio.Queue[TargetPage[K, T] | TargetFailure[K] | _Ended[K]] = asyncio.Queue(plan.concurrency)
    tasks: set[asyncio.Task[None]] = set()
    closing = False  # the caller has left: nobody reads ``results`` any more

    async def hand_over(result: TargetPage[K, T] | TargetFailure[K] | _Ended[K]) -> bool:
        # Once closing, a put would wait for ever on a full queue: a listing whose cancellation
        # went astray (a fetch that swallows it) must not hold up the fan-out's close.
        if closing:
            return False
        await results.put(result)
        return True

    async def run(target: K) -> None:
        crash: BaseException | None = None
        try:
            pages = listing(target, tokens.get(target)).pages()
            try:
                async for page in pages:
                    if not await hand_over(TargetPage(target, page)):
                        return  # the caller has left
            finally:
                await pages.aclose()  # cancels a prefetch in flight
        except ConversationClientError as error:
            await hand_over(TargetFailure(target, error))
        except Exception as error:  # not the target's failure: the fan-out's
            crash = error
        await hand_over(_Ended(target, crash))

    def start() -> None:
        for target in plan.start_next():
            task = asyncio.create_task(run(target))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    try:
        start()
        while not plan.done:
            handed_over = _next_result(plan, await results.get())
            if handed_over is None:
                start()  # a target ended: room for the next
            else:
                yield handed_over
    finally:
        closing = True  # before the cancellations: a listing that ignores its own puts nothing more
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


def fan_out_sync(
    targets: Iterable[K],
    listing: Callable[[K, str | None], SyncPager[T]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    resume: Mapping[K, str | None] | None = None,
    stop_on_first_failure: bool = False,
) -> Generator[TargetPage[K, T] | TargetFailure[K], None, None]:
    """The sync twin of :func:`fan_out`: each running target is listed on a thread of its own.

    Same arguments, same results, pages yielded as they arrive. Leaving early (``break``, then
    ``close()``, or a ``with contextlib.closing(...)``; an exception) stops every listing: no
    request is sent once closing has begun, and waits between retries or for the rate limiter
    end at once. A sync request cannot be cut off, so closing waits for one already sent to
    complete (within the client's ``attempt_timeout``) before it returns.

    >>> listing = lambda target, token: SyncPager(lambda token: Page(items=(target,), next_token=None, token=token))
    >>> sorted(result.page.items[0] for result in fan_out_sync(["a", "b"], listing) if isinstance(result, TargetPage))
    ['a', 'b']
    """
    plan = FanOutPlan(targets, concurrency, stop_on_first_failure)
    tokens = _tokens(resume)
    results: queue.Queue[TargetPage[K, T] | TargetFailure[K] | _Ended[K]] = queue.Queue(plan.concurrency)
    # set when the fan-out is left: ends the listings' waits, and their fetches not yet sent
    stopped = Abandonment()

    def put(result: TargetPage[K, T] | TargetFailure[K] | _Ended[K]) -> bool:
        while not stopped.is_set():
            try:
                results.put(result, timeout=_STOP_POLL_SECONDS)
            except queue.Full:
                continue
            return not stopped.is_set()  # closing empties the queue: that may be what let it in
        return False

    def run(target: K) -> None:
        abandon_listings_with(stopped)
        crash: BaseException | None = None
        try:
            pages = listing(target, tokens.get(target)).pages()
            try:
                for page in pages:
                    if not put(TargetPage(target, page)):
                        return
            finally:
                pages.close()  # drops a prefetched page and stops its retries
        except ListingAbandoned as error:
            if stopped.is_set():
                return  # the fan-out was left during a wait, or before a fetch
            crash = error
        except ConversationClientError as error:
            put(TargetFailure(target, error))
        except Exception as error:  # not the target's failure: the fan-out's
            crash = error
        put(_Ended(target, crash))

    workers: list[threading.Thread] = []

    def start() -> None:
        for target in plan.start_next():
            # daemon: a request the caller stopped waiting for must not keep the interpreter alive
            worker = threading.Thread(target=run, args=(target,), name=f"fan-out {target!r}", daemon=True)
            workers.append(worker)
            worker.start()

    try:
        start()
        while not plan.done:
            handed_over = _next_result(plan, results.get())
            if handed_over is None:
                start()  # a target ended: room for the next
            else:
                yield handed_over
    finally:
        stopped.set()
        with contextlib.suppress(queue.Empty):
            while True:  # unblock workers waiting to hand over a page
                results.get_nowait()
        # A request already sent finishes on its thread (within the client's attempt deadline);
        # waiting for it means the connection it holds is back in the pool when the caller
        # closes the client, not left open to be found by the garbage collector.
        for worker in workers:
            worker.join()
