"""Issue 17: a cancellation (``asyncio.timeout``, ``Task.cancel()``, a ``TaskGroup``) reaches the
caller of an async listing left early, and leaving an async fan-out early returns.

Over real loopback HTTP (:func:`conversation_clients.loopback.serve`). The cancellations are
made to arrive while a listing's clean-up waits for its prefetch to end: the caller works on
page 1 without giving the event loop a turn (CPU-bound work), so the first turn the loop gets
is inside that clean-up. Every test runs under a guard (:func:`_bounded`): a regression that
hangs fails instead of holding up the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import Any, Literal, NamedTuple, TypeVar, cast

import httpx
import pytest

from conversation_clients import AsyncBirdClient, AsyncOmnichannelClient
from conversation_clients.auth import BearerTokenSource
from conversation_clients.errors import ResponseValidationError
from conversation_clients.fleet import TargetFailure, TargetPage, fan_out
from conversation_clients.loopback import serve
from conversation_clients.pagination import AsyncPager
from conversation_clients.retry import RetryPolicy
from tests.integration.harness import ACCESS_KEY, CHANNEL_ID, ORGANIZATION_ID, WORKSPACE_ID, bird_page, omni_page

pytestmark = pytest.mark.anyio

R = TypeVar("R")

#: The longest a test may run before it is taken to hang.
GUARD = 8.0
ATTEMPT_TIMEOUT = 2.0
#: What leaving a fan-out may take beyond the attempt deadline (a loaded machine).
MARGIN = 1.0
#: How long the server holds back the answer to a prefetch: for as long as a test lasts.
HELD = 5.0
NO_RETRIES = RetryPolicy(max_retries=0)

Shape = Literal["pages", "items"]


async def _bounded(awaitable: Awaitable[R], seconds: float = GUARD) -> R:
    """Await ``awaitable`` in a task of its own; fail the test if it has not ended within ``seconds``."""
    task = asyncio.ensure_future(awaitable)
    await asyncio.wait({task}, timeout=seconds)
    if not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=2.0)
        pytest.fail(f"still running after {seconds:g} s: it hangs")
    return task.result()


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

            assert await _bounded(list_then_leave()) == []
        assert server.saw_prefetch()


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

            task = await _bounded(cancel_it())
        assert server.saw_prefetch()
    assert task.cancelled()
    assert went_on == []


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

            failures, lister = await _bounded(in_a_group())
        assert server.saw_prefetch()
    assert [type(error) for error in failures] == [RuntimeError]
    assert lister.cancelled()
    assert went_on == []


# ---------------------------------------------------------------- fan-out


class _Token(NamedTuple):
    token: str
    expires_on: int


class EndlessListing:
    """An Omnichannel channel with page after page (one conversation each), counting the requests."""

    def __init__(self) -> None:
        self.requests = 0
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests += 1
        token = request.url.params.get("ContinuationToken")
        number = 1 if token is None else int(token.removeprefix("p"))
        return omni_page([number], f"p{number + 1}" if number < 500 else None)

    def seen(self) -> int:
        with self._lock:
            return self.requests


def _page_that_fails_to_build(request: httpx.Request) -> httpx.Response:
    """Page 1 reads (it has a next token) but its item does not build; page 2 is empty."""
    if request.url.params.get("ContinuationToken") is None:
        body = {"conversations": [{"conversationid": "not-a-uuid", "timestamp": "2025-04-15T12:36:40Z"}]}
        return httpx.Response(200, json={**body, "continuationtoken": "p2"})
    return omni_page([], None)


class SlowToCancel:
    """An async credential: the first token at once, then each takes long, and once cancelled it
    takes a while more to clean up (closing its own session, say) before it ends."""

    def __init__(self) -> None:
        self.calls = 0
        self.cancelled = asyncio.Event()
        self.cleaned_up = False

    async def get_token(self, *scopes: str) -> _Token:
        self.calls += 1
        if self.calls > 1:
            try:
                await asyncio.sleep(60)  # bounded by the attempt deadline
            except asyncio.CancelledError:
                self.cancelled.set()
                try:
                    await asyncio.sleep(60)  # its clean-up: ended by a further cancellation, or the deadline
                finally:
                    self.cleaned_up = True
                raise
        return _Token("entra-token", int(time.time()))  # expires at once: every request asks again


class TurnsCancellationIntoAnError:
    """An async credential that, cancelled while it fetches a token, raises an error instead."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()

    async def get_token(self, *scopes: str) -> _Token:
        self.waiting.set()
        try:
            await asyncio.sleep(60)  # bounded by the attempt deadline
        except asyncio.CancelledError:
            raise RuntimeError("the token request was interrupted") from None
        return _Token("entra-token", int(time.time()))


def _omnichannel(base_url: str, token: BearerTokenSource) -> AsyncOmnichannelClient:
    return AsyncOmnichannelClient(
        base_url, organization_id=ORGANIZATION_ID, channel_id=CHANNEL_ID, token=token,
        scope=None if isinstance(token, str) else "https://example/.default", retry_policy=NO_RETRIES,
        attempt_timeout=ATTEMPT_TIMEOUT, polling_warning_interval=None,
    )  # fmt: skip


async def _leave_a_fan_out_early(
    listings: dict[str, Callable[[str | None], AsyncPager[Any]]], ready: Callable[[], Awaitable[None]]
) -> tuple[TargetPage[str, Any] | TargetFailure[str], float]:
    """Take the fan-out's first result, wait for ``ready()``, leave; (the first result, how long leaving took)."""

    def listing(target: str, token: str | None) -> AsyncPager[Any]:
        return listings[target](token)

    async with contextlib.aclosing(fan_out(list(listings), listing, concurrency=2)) as results:
        first = await anext(results)
        await ready()
        left = time.monotonic()
    return first, time.monotonic() - left


async def _queue_full(busy: EndlessListing) -> None:
    # the busy target's fifth request means pages 2 and 3 wait in the queue (its size is the
    # concurrency, 2), and page 4 waits to join them: nobody reads it once the caller has left
    while busy.seen() < 5:
        await asyncio.sleep(0.01)


async def test_leaving_a_fan_out_whose_target_failed_with_a_prefetch_in_flight_returns_promptly() -> None:
    busy = EndlessListing()
    credential = SlowToCancel()
    with serve(busy) as busy_url, serve(_page_that_fails_to_build) as broken_url:
        async with _omnichannel(busy_url, "entra-token") as quick, _omnichannel(broken_url, credential) as slow:
            cleaned_up_before_leaving: list[bool] = []

            async def ready() -> None:
                await _queue_full(busy)
                # the broken target built page 1, failed, and waits for its prefetch to end
                await credential.cancelled.wait()
                cleaned_up_before_leaving.append(credential.cleaned_up)

            first, leaving = await _bounded(
                _leave_a_fan_out_early(
                    {
                        "busy": lambda token: quick.list_conversations(continuation_token=token),
                        "broken": lambda token: slow.list_conversations(continuation_token=token),
                    },
                    ready,
                )
            )
    assert isinstance(first, TargetPage) and first.target == "busy"
    assert cleaned_up_before_leaving == [False]  # the setting of the issue: it left during that wait
    assert leaving < ATTEMPT_TIMEOUT + MARGIN


async def test_leaving_a_fan_out_whose_listing_ignores_its_cancellation_returns_promptly() -> None:
    busy = EndlessListing()
    credential = TurnsCancellationIntoAnError()
    with serve(busy) as busy_url, serve(_page_that_fails_to_build) as other_url:
        async with _omnichannel(busy_url, "entra-token") as quick, _omnichannel(other_url, credential) as stubborn:

            async def ready() -> None:
                await _queue_full(busy)
                await credential.waiting.wait()  # the other target waits for its first token

            first, leaving = await _bounded(
                _leave_a_fan_out_early(
                    {
                        "busy": lambda token: quick.list_conversations(continuation_token=token),
                        "stubborn": lambda token: stubborn.list_conversations(continuation_token=token),
                    },
                    ready,
                )
            )
    assert isinstance(first, TargetPage) and first.target == "busy"
    assert leaving < ATTEMPT_TIMEOUT + MARGIN


async def test_the_page_that_fails_to_build_fails_as_a_target_failure() -> None:
    # the broken target's setting above, on its own: page 1 is read (its next token prefetched), then fails
    with serve(_page_that_fails_to_build) as base_url:
        async with _omnichannel(base_url, "entra-token") as client:

            def listing(target: str, token: str | None) -> AsyncPager[Any]:
                return client.list_conversations(continuation_token=token)

            async def list_it() -> list[TargetPage[str, Any] | TargetFailure[str]]:
                return [result async for result in fan_out(["broken"], listing)]

            results = await _bounded(list_it())
    [failure] = results
    assert isinstance(failure, TargetFailure)
    assert isinstance(failure.error, ResponseValidationError)
    assert failure.resume_token is None
