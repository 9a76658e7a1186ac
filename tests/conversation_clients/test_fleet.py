"""Fan-out over many targets (:mod:`conversation_clients.fleet`), both vendors, sync and async,
against the loopback sandbox; leaving it early returns promptly (sync: within the attempt deadline,
sending nothing more; async: whatever its listings do with their cancellation).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Generator, Mapping
from contextlib import contextmanager
from typing import Any, Literal, NamedTuple

import httpx
import pytest

from bird_conversations.models import Conversation
from conversation_clients import AsyncOmnichannelClient, BirdClient
from conversation_clients.auth import BearerTokenSource
from conversation_clients.errors import NotFoundError, ResponseValidationError, ServerError
from conversation_clients.fleet import (
    FanOutPlan,
    FanOutStopped,
    TargetFailure,
    TargetPage,
    fan_out,
    fan_out_sync,
)
from conversation_clients.loopback import serve
from conversation_clients.pagination import AsyncPager, SyncPager
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.retry import RetryPolicy
from conversation_clients.sandbox import Faults
from tests.support.bounded import bounded
from tests.support.fleet_server import FLEET_VENDORS, FleetVendor, counting_sandbox
from tests.support.scripted import ACCESS_KEY, CHANNEL_ID, ORGANIZATION_ID, WORKSPACE_ID, bird_page, omni_page

Result = TargetPage[Any, Any] | TargetFailure[Any]


@pytest.fixture(params=FLEET_VENDORS, ids=lambda vendor: vendor.name)
def vendor(request: pytest.FixtureRequest) -> FleetVendor:
    chosen: FleetVendor = request.param
    return chosen


async def run_fan_out(
    kind: str,
    client: Any,
    vendor: FleetVendor,
    targets: list[Any],
    *,
    concurrency: int = 3,
    resume: Mapping[Any, str | None] | None = None,
    stop_on_first_failure: bool = False,
) -> list[Result]:
    listing = vendor.listing(client)
    options: dict[str, Any] = {
        "concurrency": concurrency,
        "resume": resume,
        "stop_on_first_failure": stop_on_first_failure,
    }
    try:
        if kind == "sync":
            return list(fan_out_sync(targets, listing, **options))
        async with contextlib.aclosing(fan_out(targets, listing, **options)) as results:
            return [result async for result in results]
    finally:
        if kind == "sync":
            client.close()
        else:
            await client.aclose()


def ids_by_target(vendor: FleetVendor, results: list[Result]) -> dict[Any, list[str]]:
    found: dict[Any, list[str]] = defaultdict(list)
    for result in results:
        if isinstance(result, TargetPage):
            found[result.target].extend(vendor.item_id(item) for item in result.page.items)
    return dict(found)


@pytest.mark.anyio
@pytest.mark.loopback
async def test_every_target_is_listed_whole_with_bounded_concurrency(vendor: FleetVendor, kind: str) -> None:
    targets = [vendor.target(n) for n in range(8)]
    with counting_sandbox(faults=Faults(latency=0.03)) as (server, base_url):
        client = vendor.client(kind, server.sandbox, base_url)
        results = await run_fan_out(kind, client, vendor, targets, concurrency=3)
    assert ids_by_target(vendor, results) == {target: vendor.expected_ids(server.sandbox, target) for target in targets}
    assert all(isinstance(result, TargetPage) for result in results)
    assert server.requests == 8 * 3  # 25 conversations, 10 a page
    assert 1 < server.max_in_flight <= 3  # counted at the server


@pytest.mark.anyio
@pytest.mark.loopback
async def test_each_target_pages_come_in_order_and_end_on_its_last_page(vendor: FleetVendor, kind: str) -> None:
    targets = [vendor.target(n) for n in range(4)]
    with counting_sandbox() as (server, base_url):
        results = await run_fan_out(kind, vendor.client(kind, server.sandbox, base_url), vendor, targets)
    for target in targets:
        pages = [result.page for result in results if isinstance(result, TargetPage) and result.target == target]
        assert [page.token for page in pages[1:]] == [page.next_token for page in pages[:-1]]
        assert pages[-1].is_last and not any(page.is_last for page in pages[:-1])


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_failing_target_is_reported_and_the_others_finish(vendor: FleetVendor, kind: str) -> None:
    targets = [vendor.target(0), vendor.missing, vendor.target(1)]
    with counting_sandbox() as (server, base_url):
        results = await run_fan_out(kind, vendor.client(kind, server.sandbox, base_url), vendor, targets)
    failures = [result for result in results if isinstance(result, TargetFailure)]
    assert [(failure.target, type(failure.error), failure.resume_token) for failure in failures] == [
        (vendor.missing, NotFoundError, None)
    ]
    listed = ids_by_target(vendor, results)
    assert listed == {target: vendor.expected_ids(server.sandbox, target) for target in (targets[0], targets[2])}


def _fail_second_pages_of(vendor: FleetVendor, target: Any) -> Any:
    """An intercept that answers 500 to every request for ``target``'s later pages."""
    marker = target if isinstance(target, str) else target.channel_id

    def intercept(request: httpx.Request) -> httpx.Response | None:
        later_page = "pageToken" in request.url.params or "ContinuationToken" in request.url.params
        mentions = marker in request.url.path or request.headers.get("channel-id") == marker
        if later_page and mentions:
            return httpx.Response(500, json={"code": "InternalError", "message": "down"})
        return None

    return intercept


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_mid_listing_failure_carries_its_resume_token_and_a_rerun_resumes_that_target(
    vendor: FleetVendor, kind: str
) -> None:
    targets = [vendor.target(n) for n in range(3)]
    broken = targets[1]
    with counting_sandbox(intercept=_fail_second_pages_of(vendor, broken)) as (server, base_url):
        first = await run_fan_out(kind, vendor.client(kind, server.sandbox, base_url), vendor, targets)
    failure = next(result for result in first if isinstance(result, TargetFailure))
    assert failure.target == broken and isinstance(failure.error, ServerError)
    first_page = next(r.page for r in first if isinstance(r, TargetPage) and r.target == broken)
    assert failure.resume_token == first_page.next_token is not None

    # rerun only what is left, from the token the failure gave
    with counting_sandbox() as (server, base_url):
        again = await run_fan_out(
            kind, vendor.client(kind, server.sandbox, base_url), vendor, [broken], resume={broken: failure.resume_token}
        )
        expected = vendor.expected_ids(server.sandbox, broken)
    assert server.requests == 2  # pages 2 and 3 only
    assert ids_by_target(vendor, first)[broken] + ids_by_target(vendor, again)[broken] == expected


@pytest.mark.anyio
@pytest.mark.loopback
async def test_stop_on_first_failure_raises_it_with_its_target(vendor: FleetVendor, kind: str) -> None:
    targets = [vendor.missing, *(vendor.target(n) for n in range(6))]
    with counting_sandbox(faults=Faults(latency=0.02)) as (server, base_url):
        client = vendor.client(kind, server.sandbox, base_url)
        with pytest.raises(FanOutStopped) as raised:
            await run_fan_out(kind, client, vendor, targets, concurrency=2, stop_on_first_failure=True)
    assert raised.value.failure.target == vendor.missing
    assert isinstance(raised.value.__cause__, NotFoundError)
    assert raised.value.resume_token is None
    assert server.requests < 1 + 6 * 3  # the rest were cancelled, not listed


@pytest.mark.anyio
@pytest.mark.loopback
async def test_an_error_that_is_not_a_targets_failure_ends_the_fan_out(vendor: FleetVendor, kind: str) -> None:
    with counting_sandbox() as (server, base_url):
        client = vendor.client(kind, server.sandbox, base_url)
        with pytest.raises(ValueError, match="must be a UUID"):
            await run_fan_out(kind, client, vendor, [vendor.target(0), vendor.malformed])


@pytest.mark.anyio
@pytest.mark.loopback
async def test_leaving_early_stops_the_other_listings(vendor: FleetVendor, kind: str) -> None:
    targets = [vendor.target(n) for n in range(6)]
    with counting_sandbox(faults=Faults(latency=0.02)) as (server, base_url):
        client = vendor.client(kind, server.sandbox, base_url)
        listing = vendor.listing(client)
        if kind == "sync":
            with contextlib.closing(fan_out_sync(targets, listing, concurrency=2)) as results:
                first = next(results)
            client.close()
        else:
            async with contextlib.aclosing(fan_out(targets, listing, concurrency=2)) as async_results:
                first = await anext(async_results)
            await client.aclose()
    assert isinstance(first, TargetPage)
    assert server.requests < 6 * 3


@pytest.mark.anyio
@pytest.mark.loopback
def test_the_plan_keeps_the_bound_and_drops_duplicate_targets() -> None:
    plan = FanOutPlan(["a", "b", "a", "c", "d"], concurrency=2)
    assert plan.start_next() == ["a", "b"]
    assert plan.start_next() == []
    plan.finished("b")
    assert plan.start_next() == ["c"]
    plan.finished("a")
    plan.finished("c")
    assert plan.start_next() == ["d"]
    plan.finished("d")
    assert plan.done


@pytest.mark.anyio
@pytest.mark.loopback
@pytest.mark.parametrize(("bad", "error"), [(0, ValueError), (True, TypeError), (2.5, TypeError)])
def test_concurrency_is_checked(bad: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="concurrency must be"):
        FanOutPlan(["a"], concurrency=bad)


# -- Issue 17: a cancellation (``asyncio.timeout``, ``Task.cancel()``, a ``TaskGroup``) reaches the
# caller of an async listing left early, and leaving an async fan-out early returns ----------------


ATTEMPT_TIMEOUT = 2.0
#: What leaving a fan-out may take beyond the attempt deadline (a loaded machine).
LEAVE_MARGIN = 1.0
NO_RETRIES = RetryPolicy(max_retries=0)


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


@pytest.mark.anyio
@pytest.mark.hostile
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

            first, leaving = await bounded(
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
    assert leaving < ATTEMPT_TIMEOUT + LEAVE_MARGIN


@pytest.mark.anyio
@pytest.mark.hostile
async def test_leaving_a_fan_out_whose_listing_ignores_its_cancellation_returns_promptly() -> None:
    busy = EndlessListing()
    credential = TurnsCancellationIntoAnError()
    with serve(busy) as busy_url, serve(_page_that_fails_to_build) as other_url:
        async with _omnichannel(busy_url, "entra-token") as quick, _omnichannel(other_url, credential) as stubborn:

            async def ready() -> None:
                await _queue_full(busy)
                await credential.waiting.wait()  # the other target waits for its first token

            first, leaving = await bounded(
                _leave_a_fan_out_early(
                    {
                        "busy": lambda token: quick.list_conversations(continuation_token=token),
                        "stubborn": lambda token: stubborn.list_conversations(continuation_token=token),
                    },
                    ready,
                )
            )
    assert isinstance(first, TargetPage) and first.target == "busy"
    assert leaving < ATTEMPT_TIMEOUT + LEAVE_MARGIN


@pytest.mark.anyio
@pytest.mark.hostile
async def test_the_page_that_fails_to_build_fails_as_a_target_failure() -> None:
    # the broken target's setting above, on its own: page 1 is read (its next token prefetched), then fails
    with serve(_page_that_fails_to_build) as base_url:
        async with _omnichannel(base_url, "entra-token") as client:

            def listing(target: str, token: str | None) -> AsyncPager[Any]:
                return client.list_conversations(continuation_token=token)

            async def list_it() -> list[TargetPage[str, Any] | TargetFailure[str]]:
                return [result async for result in fan_out(["broken"], listing)]

            results = await bounded(list_it())
    [failure] = results
    assert isinstance(failure, TargetFailure)
    assert isinstance(failure.error, ResponseValidationError)
    assert failure.resume_token is None


# -- Closing a sync fan-out early: it returns within the attempt deadline and sends nothing more ---


#: What the fan-out lists for each target, from its resume token.
Listing = Callable[[str, str | None], SyncPager[Conversation]]
#: What closing may take beyond the attempt deadline (thread hand-offs, a loaded machine).
MARGIN = 0.75
#: The longest a test waits for close() at all: past it, close() is taken to hang.
HARD_LIMIT = 20.0
Prefetch = bool | Literal["always"]


class TimedServer:
    """Answers with ``answer(request)`` and notes when each request arrived (``time.monotonic``)."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self._answer = answer
        self._lock = threading.Lock()
        self.arrivals: list[tuple[float, str | None]] = []  # (when, page token)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.arrivals.append((time.monotonic(), request.url.params.get("pageToken")))
        return self._answer(request)

    def count(self) -> int:
        with self._lock:
            return len(self.arrivals)

    def since(self, moment: float) -> list[str | None]:
        """The page tokens of the requests that arrived at ``moment`` or later."""
        with self._lock:
            return [token for when, token in self.arrivals if when >= moment]

    def wait_for(self, count: int, within: float = 10.0) -> None:
        deadline = time.monotonic() + within
        while self.count() < count:
            assert time.monotonic() < deadline, f"the server saw {self.count()} requests, expected {count}"
            time.sleep(0.01)


@contextmanager
def timed_server(answer: Callable[[httpx.Request], httpx.Response]) -> Generator[tuple[TimedServer, str], None, None]:
    server = TimedServer(answer)
    with serve(server) as base_url:
        yield server, base_url


def _client(base_url: str, prefetch: Prefetch, **options: Any) -> BirdClient:
    # the default retry policy: it honours Retry-After, as the setting did
    return BirdClient(ACCESS_KEY, base_url=base_url, attempt_timeout=ATTEMPT_TIMEOUT, prefetch=prefetch, **options)


def _close_timed(results: Generator[Any, None, None]) -> tuple[float, float]:
    """Close ``results`` on a thread; (when closing began, how long it took). Fails past HARD_LIMIT."""
    failure: list[BaseException] = []

    def close() -> None:
        try:
            results.close()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failure.append(error)

    closer = threading.Thread(target=close, name="closing the fan-out", daemon=True)
    began = time.monotonic()
    closer.start()
    closer.join(HARD_LIMIT)
    took = time.monotonic() - began
    assert not closer.is_alive(), f"close() did not return within {HARD_LIMIT:g} s"
    assert failure == []
    return began, took


def _page_two_unavailable(request: httpx.Request) -> httpx.Response:
    if request.url.params.get("pageToken") is None:
        return bird_page(range(3), "t2")
    return httpx.Response(
        503, json={"code": "ServiceUnavailable", "message": "try later"}, headers={"Retry-After": "3"}
    )


@pytest.mark.hostile
@pytest.mark.parametrize("prefetch", [False, "always"], ids=["no-prefetch", "prefetch-always"])
def test_closing_during_a_retry_back_off_returns_at_once_and_sends_nothing_more(prefetch: Prefetch) -> None:
    with timed_server(_page_two_unavailable) as (server, base_url), _client(base_url, prefetch) as client:
        listing: Listing = lambda target, token: client.list_conversations(target, page_token=token)  # noqa: E731
        results = fan_out_sync([WORKSPACE_ID], listing, concurrency=1)
        first = next(results)
        assert isinstance(first, TargetPage) and first.page.next_token == "t2"
        server.wait_for(2)  # page 2 answered 503: its retry waits out Retry-After
        time.sleep(0.2)
        began, took = _close_timed(results)
        time.sleep(0.5)  # a request sent after close() returned would arrive by now
        assert server.since(began) == []
    assert took < ATTEMPT_TIMEOUT + MARGIN


def _endless_pages(request: httpx.Request) -> httpx.Response:
    number = int(request.url.params.get("pageToken") or 1)
    return bird_page(range(number * 10, number * 10 + 2), str(number + 1))


@pytest.mark.hostile
@pytest.mark.parametrize("prefetch", [False, "always"], ids=["no-prefetch", "prefetch-always"])
def test_closing_starts_no_further_page_fetch(prefetch: Prefetch) -> None:
    # One page handed over, the next waiting in the queue (it holds one: concurrency=1), and the
    # worker blocked handing over a third: emptying the queue on close used to let that one
    # through, and the worker went on to fetch a fourth.
    for trial in range(5):
        with timed_server(_endless_pages) as (server, base_url), _client(base_url, prefetch) as client:
            listing: Listing = lambda target, token: client.list_conversations(target, page_token=token)  # noqa: E731
            results = fan_out_sync([WORKSPACE_ID], listing, concurrency=1)
            assert isinstance(next(results), TargetPage)
            server.wait_for(3)
            time.sleep(0.2)  # the worker now waits to hand over page 3 (and page 4 is prefetched)
            seen = server.count()
            began, took = _close_timed(results)
            time.sleep(0.2)
            assert server.since(began) == [], f"trial {trial}: requests after close() began"
            assert server.count() == seen
        assert took < ATTEMPT_TIMEOUT + MARGIN


@pytest.mark.hostile
def test_closing_during_a_rate_limiter_wait_returns_at_once_and_sends_nothing_more() -> None:
    # The limiter's waits are the request flow's Sleep steps too: page 2 may go 4 s after page 1.
    limiter = RateLimiter(RateLimit(per_target=0.25))
    with timed_server(_endless_pages) as (server, base_url), _client(base_url, False, rate_limiter=limiter) as client:
        listing: Listing = lambda target, token: client.list_conversations(target, page_token=token)  # noqa: E731
        results = fan_out_sync([WORKSPACE_ID], listing, concurrency=1)
        assert isinstance(next(results), TargetPage)
        time.sleep(0.2)  # the worker now waits for page 2's slot
        began, took = _close_timed(results)
        time.sleep(0.5)
        assert server.since(began) == []
        assert server.count() == 1
    assert took < ATTEMPT_TIMEOUT + MARGIN
