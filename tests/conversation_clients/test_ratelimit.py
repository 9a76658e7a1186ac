"""The rate limiter (:mod:`conversation_clients.ratelimit`): its core against a fake clock, its
shells, its step in the request flow, in the clients over loopback, and its arithmetic against
hostile servers.
"""

from __future__ import annotations

import contextlib
import json
import threading
import tracemalloc
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients import AsyncBirdClient, BirdClient, OmnichannelClient, ratelimit
from conversation_clients._flow import Limits, Send, Sleep, request_flow
from conversation_clients.bird import BIRD_RATE_LIMIT
from conversation_clients.errors import APITimeoutError, RateLimitError
from conversation_clients.fleet import TargetPage, fan_out, fan_out_sync
from conversation_clients.ratelimit import LimiterState, RateLimit, RateLimiter, require_rate_limiter
from conversation_clients.retry import RetryPolicy
from conversation_clients.sandbox import Faults
from tests.support.arrivals import BOUNDED, Arrivals
from tests.support.fleet_server import FLEET_VENDORS, FleetVendor, counting_sandbox
from tests.support.hostile.pages import MODES, bird_body
from tests.support.hostile.server import Behaviour, json_page, raw, serve
from tests.support.scripted import ACCESS_KEY, WORKSPACE_ID, bird_page, scripted


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def send_times(state: LimiterState, targets: list[str], *, now: float = 0.0) -> list[float]:
    """When each request would go, booked all at ``now``."""
    times: list[float] = []
    for target in targets:
        wait = state.reserve(target, now=now)
        assert wait is not None
        times.append(round(now + wait, 6))
    return times


def test_requests_to_one_target_are_spaced_by_its_rate() -> None:
    state = LimiterState(RateLimit(per_target=4.0))
    assert send_times(state, ["a"] * 5) == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_targets_have_their_own_schedules() -> None:
    state = LimiterState(RateLimit(per_target=2.0))
    assert send_times(state, ["a", "b", "a", "b", "c"]) == [0.0, 0.0, 0.5, 0.5, 0.0]


def test_the_overall_rate_binds_across_targets() -> None:
    state = LimiterState(RateLimit(per_target=10.0, overall=4.0))
    assert send_times(state, ["a", "b", "c", "d", "a"]) == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_a_target_rate_binds_under_a_looser_overall_rate() -> None:
    state = LimiterState(RateLimit(per_target=2.0, overall=100.0))
    assert send_times(state, ["a", "a", "a"]) == [0.0, 0.5, 1.0]


def test_burst_lets_that_many_go_at_once_then_spaces_them() -> None:
    state = LimiterState(RateLimit(per_target=2.0, burst=3))
    assert send_times(state, ["a"] * 5) == [0.0, 0.0, 0.0, 0.5, 1.0]


def test_an_idle_target_does_not_save_up_more_than_its_burst() -> None:
    state = LimiterState(RateLimit(per_target=2.0))
    send_times(state, ["a"] * 3)
    assert send_times(state, ["a", "a"], now=60.0) == [60.0, 60.5]


def test_a_slot_past_the_deadline_is_not_booked() -> None:
    state = LimiterState(RateLimit(per_target=1.0))
    assert state.reserve("a", now=0.0) == 0.0
    assert state.reserve("a", now=0.0, within=0.5) is None  # would wait 1 s
    assert state.reserve("a", now=0.0, within=1.5) == 1.0  # the refused one took nothing


def test_a_429_halves_the_target_rate_and_holds_it_for_retry_after() -> None:
    limit = RateLimit(per_target=10.0)
    state = LimiterState(limit)
    state.reserve("a", now=0.0)
    state.record("a", 429, now=0.0, retry_after=2.0)
    assert state.rate_of("a") == 5.0
    assert state.rate_of("b") == 10.0  # other targets untouched
    assert send_times(state, ["a", "a"]) == [2.0, 2.2]  # held, then 1/5 s apart


@pytest.mark.parametrize("burst", [1, 2, 5, 10])
def test_a_retry_after_hold_is_not_cut_short_by_the_burst(burst: int) -> None:
    # issue 17, item 8: the burst allowance (burst - 1) / rate, 0.8 s at burst 5 once the rate is
    # halved to 5/s, used to be subtracted from the hold too, so the next request went at once
    state = LimiterState(RateLimit(per_target=10.0, burst=burst))
    state.reserve("a", now=0.0)
    state.record("a", 429, now=0.0, retry_after=0.5)
    assert send_times(state, ["a"], now=0.01) == [0.5]


def test_after_the_hold_the_burst_applies_as_after_any_idle_time() -> None:
    state = LimiterState(RateLimit(per_target=10.0, burst=3))
    send_times(state, ["a"] * 3)
    state.record("a", 429, now=0.0, retry_after=2.0)  # the rate halves to 5/s
    assert send_times(state, ["a"] * 5, now=0.0) == [2.0, 2.0, 2.0, 2.2, 2.4]


def test_a_later_429_never_shortens_an_earlier_hold() -> None:
    state = LimiterState(RateLimit(per_target=10.0, burst=5))
    state.record("a", 429, now=0.0, retry_after=3.0)
    state.record("a", 429, now=1.0, retry_after=0.5)
    assert send_times(state, ["a"], now=1.0) == [3.0]


@given(
    per_target=st.booleans(),
    rate=st.floats(min_value=0.01, max_value=1000.0),
    burst=st.integers(min_value=1, max_value=50),
    booked=st.integers(min_value=0, max_value=20),
    at=st.floats(min_value=0.0, max_value=100.0),
    hold=st.floats(min_value=0.0, max_value=3600.0),
    later=st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=20),
)
def test_no_request_goes_before_the_hold_whatever_the_burst(
    per_target: bool, rate: float, burst: int, booked: int, at: float, hold: float, later: list[float]
) -> None:
    # For any burst >= 1 and hold h: after slow_down at ``at``, no request is admitted before at + h
    # (with or without requests booked before the 429, and asked at any time up to the hold's end).
    limit = RateLimit(per_target=rate, burst=burst) if per_target else RateLimit(overall=rate, burst=burst)
    state = LimiterState(limit)
    for _ in range(booked):
        state.reserve("a", now=0.0)
    state.record("a", 429, now=at, retry_after=hold)
    for fraction in sorted(later) or [0.0]:
        now = at + fraction * hold
        wait = state.reserve("a", now=now)
        assert wait is not None
        assert now + wait >= (at + hold) * (1 - 1e-12)  # what float rounding of now + wait may lose


def test_repeated_429s_keep_slowing_down_but_not_below_the_floor() -> None:
    state = LimiterState(RateLimit(per_target=10.0, min_fraction=0.1))
    for _ in range(10):
        state.record("a", 429, now=0.0)
    assert state.rate_of("a") == pytest.approx(1.0)


def test_successes_recover_the_rate_additively_up_to_the_configured_one() -> None:
    state = LimiterState(RateLimit(per_target=10.0, recovery=0.1))
    state.record("a", 429, now=0.0)
    assert state.rate_of("a") == 5.0
    rates: list[float] = []
    for _ in range(7):
        state.record("a", 200, now=0.0)
        rates.append(round(state.rate_of("a"), 6))
    assert rates == [6.0, 7.0, 8.0, 9.0, 10.0, 10.0, 10.0]


def test_other_statuses_change_nothing() -> None:
    state = LimiterState(RateLimit(per_target=10.0))
    state.record("a", 503, now=0.0, retry_after=5.0)
    state.record("a", 404, now=0.0)
    assert state.rate_of("a") == 10.0
    assert send_times(state, ["a"]) == [0.0]


def test_without_a_per_target_rate_a_429_slows_the_overall_one() -> None:
    state = LimiterState(RateLimit(overall=8.0))
    state.record("a", 429, now=0.0)
    assert state.rate_of("b") == 4.0


# -- Issue 20: a limiter forgets the targets whose schedules behave as new, so that its memory is
# bounded by the targets in use, not by every target it has seen ---------------------------------


def _forgetting_at_once(limit: RateLimit) -> LimiterState:
    """A state that forgets every target it may at each new target (none always kept)."""
    state = LimiterState(limit)
    state._always_kept = 0  # pyright: ignore[reportPrivateUsage]
    state._forget_per_new_target = 1_000_000  # pyright: ignore[reportPrivateUsage]
    return state


def _never_forgetting(limit: RateLimit) -> LimiterState:
    state = LimiterState(limit)
    state._forget_per_new_target = 0  # pyright: ignore[reportPrivateUsage]
    return state


def test_a_forgotten_target_is_booked_exactly_as_one_that_was_kept() -> None:
    limit = RateLimit(per_target=4.0, overall=10.0, burst=3)
    forgetting, keeping = _forgetting_at_once(limit), _never_forgetting(limit)
    for state in (forgetting, keeping):
        send_times(state, ["a"] * 5)  # a burst, then spaced: "a" is busy until 0.75
        state.record("a", 429, now=0.5, retry_after=1.0)  # slowed to 2/s, held until 1.5
        for _ in range(10):
            state.record("a", 200, now=0.6)  # back to 4/s
        send_times(state, ["a"] * 2, now=1.0)  # after the hold: 1.5, 1.5 (the burst)
        send_times(state, ["b"], now=3.0)  # a new target: "a" behaves as new by now
    assert (forgetting.targets_held, keeping.targets_held) == (1, 2)
    later = ["a", "a", "b", "a", "a", "a", "b"]
    assert send_times(forgetting, later, now=3.5) == send_times(keeping, later, now=3.5)
    assert forgetting.rate_of("a") == keeping.rate_of("a") == 4.0


def test_a_target_is_kept_while_it_is_held_slowed_or_spaced() -> None:
    state = _forgetting_at_once(RateLimit(per_target=1.0))
    state.reserve("spaced", now=0.0)  # its next slot at 1.0
    state.record("held", 429, now=0.0, retry_after=60.0)  # slowed, and held for a minute
    state.record("slowed", 429, now=0.0)  # halved
    for _ in range(9):
        state.record("slowed", 200, now=0.0)  # 9 of the 10 successes back to 1/s
    state.reserve("other", now=0.5)
    assert state.targets_held == 4
    state.record("slowed", 200, now=0.5)  # at its configured rate again
    state.reserve("another", now=1.0)
    assert state.targets_held == 3  # "spaced" and "slowed" behave as new: forgotten
    assert send_times(state, ["held"], now=30.0) == [60.0]  # the hold was kept


@given(
    per_target=st.floats(min_value=0.5, max_value=20.0),
    overall=st.none() | st.floats(min_value=0.5, max_value=40.0),
    burst=st.integers(min_value=1, max_value=4),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["reserve", "record"]),
            st.sampled_from("abcd"),
            st.floats(min_value=0.0, max_value=2.0),  # the clock advances by this first
            st.none() | st.floats(min_value=0.01, max_value=2.0),  # within (a reservation's)
            st.sampled_from([200, 429, 503]),  # status (a record's)
            st.none() | st.floats(min_value=0.0, max_value=3.0),  # retry_after (a record's)
        ),
        max_size=60,
    ),
)
def test_forgetting_targets_never_changes_a_booking(
    per_target: float,
    overall: float | None,
    burst: int,
    steps: list[tuple[str, str, float, float | None, int, float | None]],
) -> None:
    # The same calls on a state that forgets every target it may and on one that forgets none:
    # every wait and every rate is the same, to the last bit.
    limit = RateLimit(per_target=per_target, overall=overall, burst=burst)
    forgetting, keeping = _forgetting_at_once(limit), _never_forgetting(limit)
    now = 0.0
    for kind, target, advance, within, status, retry_after in steps:
        now += advance
        if kind == "reserve":
            assert forgetting.reserve(target, now=now, within=within) == keeping.reserve(target, now=now, within=within)
        else:
            forgetting.record(target, status, now=now, retry_after=retry_after)
            keeping.record(target, status, now=now, retry_after=retry_after)
        assert [forgetting.rate_of(t) for t in "abcd"] == [keeping.rate_of(t) for t in "abcd"]
        assert forgetting.targets_held <= keeping.targets_held


def test_a_million_targets_used_once_each_leave_the_limiter_bounded() -> None:
    # Issue 20: 200,000 idle targets grew a limiter by 36 MB. Here a million, a new one each
    # millisecond at 50/s each (the one before is spaced for 20 ms): the held count stays under
    # what is always kept plus twice those in use, and memory does not grow with the count.
    state = LimiterState(RateLimit(per_target=50.0))
    kept = ratelimit._ALWAYS_KEPT  # pyright: ignore[reportPrivateUsage]
    in_use = round((1 / 50.0) / 0.001) + 1
    reserve, now, most, start = state.reserve, 0.0, 0, 0
    try:
        for n in range(1_000_000):
            if n == 950_000:  # tracing every allocation is slow: the last 50,000 will show any growth
                tracemalloc.start()
            elif n == 960_000:  # what is held from here on was allocated under tracing: a fair start
                start = tracemalloc.get_traced_memory()[0]
                tracemalloc.reset_peak()
            if reserve(f"workspace-{n}", now=now) != 0.0:
                pytest.fail(f"target {n} waited, though each target is booked once")
            now += 0.001
            if n % 1000 == 0:
                most = max(most, state.targets_held)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - start < 64 * 1024  # kept, these 40,000 targets would take some 7 MB
    assert most <= kept + 2 * in_use


def test_the_limiter_reads_its_clock() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(per_target=2.0), clock=clock)
    assert limiter.reserve("a") == 0.0
    assert limiter.reserve("a") == 0.5
    clock.now += 10.0
    assert limiter.reserve("a") == 0.0


def test_one_limiter_shared_by_threads_books_every_slot_once() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(per_target=1000.0), clock=clock)
    waits: list[float] = []
    lock = threading.Lock()

    def book() -> None:
        for _ in range(200):
            wait = limiter.reserve("a")
            assert wait is not None
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=book) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 1,600 requests at 1,000/s with the clock standing still: one slot each, 1 ms apart
    assert sorted(round(wait * 1000) for wait in waits) == list(range(1600))


def test_the_shells_sleep_for_their_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr("conversation_clients.ratelimit.time.sleep", slept.append)
    limiter = RateLimiter(RateLimit(per_target=5.0), clock=FakeClock())
    limiter.wait("a")
    limiter.wait("a")
    assert slept == [pytest.approx(0.2)]


@pytest.mark.anyio
async def test_the_async_shell_awaits_its_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("asyncio.sleep", fake_sleep)
    limiter = RateLimiter(RateLimit(per_target=5.0), clock=FakeClock())
    await limiter.wait_async("a")
    await limiter.wait_async("a")
    assert slept == [pytest.approx(0.2)]


def test_bad_settings_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="needs per_target or overall"):
        RateLimit()
    with pytest.raises(ValueError, match="overall must be a finite number > 0"):
        RateLimit(overall=float("inf"))
    with pytest.raises(TypeError, match="per_target must be a number"):
        RateLimit(per_target="50")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="decrease must be above 0 and at most 1"):
        RateLimit(per_target=1.0, decrease=0.0)
    with pytest.raises(ValueError, match="burst must be >= 1"):
        RateLimit(per_target=1.0, burst=0)
    with pytest.raises(TypeError, match="limit must be a RateLimit"):
        RateLimiter(50.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rate_limiter must be a RateLimiter or None"):
        require_rate_limiter(RateLimit(per_target=1.0))  # type: ignore[arg-type]


# --- the limiter's step in the request flow ---------------------------------------------------

REQUEST = httpx.Request("GET", "https://api.example/workspaces/w1/conversations")
NO_JITTER = RetryPolicy(jitter=0.0)


def test_the_flow_sleeps_for_its_slot_before_every_attempt_retries_included() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(per_target=2.0), clock=clock)
    limiter.reserve("w1")  # another request took the first slot
    flow = request_flow(REQUEST, NO_JITTER, monotonic=clock, limiter=limiter.for_target("w1"))
    assert flow.send(None) == Sleep(0.5)
    clock.now += 0.5
    assert isinstance(flow.send(None), Send)
    assert flow.send(httpx.Response(503)) == Sleep(0.5)  # the retry's backoff
    clock.now += 0.5
    assert isinstance(flow.send(None), Send)  # its slot (1.0 after the start) has come: no wait
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200))


def test_a_slot_that_would_pass_the_page_deadline_is_an_api_timeout_error() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(per_target=0.1), clock=clock)  # one request every 10 s
    limiter.reserve("w1")
    flow = request_flow(
        REQUEST, NO_JITTER, monotonic=clock, limits=Limits(page_timeout=5.0), limiter=limiter.for_target("w1")
    )
    with pytest.raises(APITimeoutError, match="waiting for the rate limiter would pass page_timeout=5 s"):
        flow.send(None)


def test_a_429_in_the_flow_slows_the_target_and_a_success_recovers_it() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(per_target=10.0, recovery=0.5), clock=clock)
    flow = request_flow(REQUEST, NO_JITTER, monotonic=clock, limiter=limiter.for_target("w1"))
    flow.send(None)
    step = flow.send(httpx.Response(429, headers={"Retry-After": "1"}))
    assert step == Sleep(1.0)
    assert limiter.rate_of("w1") == 5.0
    clock.now += 1.0
    assert isinstance(flow.send(None), Send)  # held until Retry-After, which has passed
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200))
    assert limiter.rate_of("w1") == 10.0


def test_a_429_that_ends_the_flow_still_slows_the_target() -> None:
    limiter = RateLimiter(RateLimit(per_target=10.0), clock=FakeClock())
    flow = request_flow(REQUEST, RetryPolicy(max_retries=0), limiter=limiter.for_target("w1"))
    flow.send(None)
    with pytest.raises(RateLimitError):
        flow.send(httpx.Response(429))
    assert limiter.rate_of("w1") == 5.0


def test_after_a_429_that_ended_a_flow_the_next_one_waits_out_retry_after_whatever_the_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(per_target=10.0, burst=5), clock=clock)
    first = request_flow(REQUEST, RetryPolicy(max_retries=0), monotonic=clock, limiter=limiter.for_target("w1"))
    first.send(None)
    with pytest.raises(RateLimitError):
        first.send(httpx.Response(429, headers={"Retry-After": "0.5"}))
    clock.now += 0.01
    second = request_flow(REQUEST, NO_JITTER, monotonic=clock, limiter=limiter.for_target("w1"))
    assert second.send(None) == Sleep(pytest.approx(0.49))  # type: ignore[arg-type]


# -- The rate limiter in the clients: a fan-out under the sandbox's rate limit, sharing, adaptation ---


# 20 targets of 3 pages each (25 conversations, 10 a page): 60 requests against a sandbox that
# answers 429 past 30 a second.
SERVER_RATE = 30.0
TARGETS = 20


@pytest.fixture(params=FLEET_VENDORS, ids=lambda vendor: vendor.name)
def vendor(request: pytest.FixtureRequest) -> FleetVendor:
    chosen: FleetVendor = request.param
    return chosen


async def fan_out_under_the_sandbox_rate(
    vendor: FleetVendor, kind: str, limiter: RateLimiter | None
) -> tuple[int, list[Any]]:
    """How many 429s the sandbox answered to a 20-target fan-out, and what the fan-out yielded."""
    targets = [vendor.target(n) for n in range(TARGETS)]
    with counting_sandbox(faults=Faults(requests_per_second=SERVER_RATE)) as (server, base_url):
        # retries as a real client makes them (Retry-After honoured), so that both runs finish
        client = vendor.client(kind, server.sandbox, base_url, rate_limiter=limiter, retry_policy=None)
        listing = vendor.listing(client)
        if kind == "sync":
            with client:
                results: list[Any] = list(fan_out_sync(targets, listing, concurrency=TARGETS))
        else:
            async with client, contextlib.aclosing(fan_out(targets, listing, concurrency=TARGETS)) as stream:
                results = [result async for result in stream]
    return server.rate_limited, results


@pytest.mark.anyio
@pytest.mark.loopback
async def test_with_the_limiter_a_fan_out_gets_no_429(vendor: FleetVendor, kind: str) -> None:
    limiter = RateLimiter(RateLimit(overall=SERVER_RATE * 0.75))
    rate_limited, results = await fan_out_under_the_sandbox_rate(vendor, kind, limiter)
    assert rate_limited == 0
    assert len(results) == TARGETS * 3 and all(isinstance(result, TargetPage) for result in results)


@pytest.mark.anyio
@pytest.mark.loopback
async def test_without_the_limiter_the_same_fan_out_gets_429s(vendor: FleetVendor, kind: str) -> None:
    rate_limited, _ = await fan_out_under_the_sandbox_rate(vendor, kind, None)
    assert rate_limited > 0  # some targets may even run out of retries (TargetFailure)


class StandingClock:
    """A clock that does not move: every booked slot shows in the next wait."""

    def __call__(self) -> float:
        return 0.0


@pytest.mark.anyio
@pytest.mark.loopback
def test_one_limiter_shared_by_two_clients_books_their_requests_in_one_schedule() -> None:
    rate = 1_000_000.0  # slots 1 µs apart: the waits are real but negligible
    limiter = RateLimiter(RateLimit(per_target=rate), clock=StandingClock())
    with scripted(*(bird_page(range(2), f"t{n}") if n % 2 == 0 else bird_page(range(2)) for n in range(4))) as (
        script,
        base_url,
    ):
        with BirdClient(ACCESS_KEY, base_url=base_url, rate_limiter=limiter) as first:
            assert len(list(first.list_conversations(WORKSPACE_ID, limit=2))) == 4
        with BirdClient(ACCESS_KEY, base_url=base_url, rate_limiter=limiter) as second:
            assert len(list(second.list_conversations(WORKSPACE_ID, limit=2))) == 4
    assert len(script.requests) == 4
    # four slots taken for this workspace, by both clients; another workspace is untouched
    assert limiter.reserve(WORKSPACE_ID) == pytest.approx(4 / rate)
    assert limiter.reserve("another-workspace") == 0.0


@pytest.mark.anyio
@pytest.mark.loopback
def test_omnichannel_channels_have_their_own_schedules() -> None:
    limiter = RateLimiter(RateLimit(per_target=1_000_000.0), clock=StandingClock())
    organization = "11111111-2222-3333-4444-555555555555"
    channels = ["66666666-7777-8888-9999-000000000000", "66666666-7777-8888-9999-000000000001"]
    page = httpx.Response(200, json={"conversations": []})
    with scripted(page, page, page) as (_, base_url):
        with OmnichannelClient(
            base_url, token="t", organization_id=organization, polling_warning_interval=None, rate_limiter=limiter
        ) as omni:
            for channel in (channels[0], channels[0], channels[1]):
                list(omni.list_conversations(channel_id=channel))
    assert limiter.reserve(f"{organization}/{channels[0]}") == pytest.approx(2e-6)
    assert limiter.reserve(f"{organization}/{channels[1]}") == pytest.approx(1e-6)


@pytest.mark.anyio
@pytest.mark.loopback
def test_a_429_slows_the_workspace_down_and_successes_bring_it_back() -> None:
    limiter = RateLimiter(BIRD_RATE_LIMIT)
    retry_now = httpx.Response(429, headers={"Retry-After": "0"}, json={"code": "TooManyRequests", "message": "slow"})
    with scripted(retry_now, bird_page(range(1), "t2"), bird_page(range(1))) as (script, base_url):
        with BirdClient(ACCESS_KEY, base_url=base_url, rate_limiter=limiter, prefetch=False) as bird:
            pages = bird.list_conversations(WORKSPACE_ID).pages()
            next(pages)
            assert limiter.rate_of(WORKSPACE_ID) == pytest.approx(25.0 + 2.5)  # halved, then one success
            next(pages)
            assert limiter.rate_of(WORKSPACE_ID) == pytest.approx(30.0)
    assert len(script.requests) == 3


@pytest.mark.anyio
@pytest.mark.loopback
def test_the_client_option_is_checked_when_the_client_is_built() -> None:
    with pytest.raises(TypeError, match="rate_limiter must be a RateLimiter or None, not RateLimit"):
        BirdClient(ACCESS_KEY, rate_limiter=BIRD_RATE_LIMIT)  # type: ignore[arg-type]


# -- Items 8 to 10 of issue 17: the rate limiter's and Retry-After's arithmetic, over loopback -----


#: every client here gives up well before the test would hang


def bird_429(retry_after: str) -> Behaviour:
    body = json.dumps({"code": "TooManyRequests", "message": "slow down"}).encode()
    head = (
        "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nConnection: close\r\n"
        f"Retry-After: {retry_after}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return raw(head.encode() + body)


async def list_conversations(mode: str, limiter: RateLimiter, base_url: str, **options: Any) -> None:
    """One listing of :data:`WORKSPACE_ID`'s conversations with a new client sharing ``limiter``."""
    if mode == "sync":
        with BirdClient(ACCESS_KEY, base_url=base_url, rate_limiter=limiter, **BOUNDED, **options) as bird:
            list(bird.list_conversations(WORKSPACE_ID))
    else:
        async with AsyncBirdClient(ACCESS_KEY, base_url=base_url, rate_limiter=limiter, **BOUNDED, **options) as bird:
            [item async for item in bird.list_conversations(WORKSPACE_ID)]


# -- item 8: a Retry-After hold is not cut short by the burst ------------------------------
@pytest.mark.hostile
@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("burst", [1, 5, 10])
async def test_after_a_429_the_next_request_waits_out_retry_after_whatever_the_burst(mode: str, burst: int) -> None:
    arrivals = Arrivals()
    limiter = RateLimiter(RateLimit(per_target=10.0, burst=burst))
    no_retries = {"retry_policy": RetryPolicy(max_retries=0)}  # the 429 ends the first listing: no retry's sleep
    with serve(arrivals.timed(bird_429("0.5")), arrivals.timed(json_page(bird_body([1], None)))) as server:
        with pytest.raises(RateLimitError) as raised:
            await list_conversations(mode, limiter, server.base_url, **no_retries)
        assert raised.value.retry_after == 0.5
        await list_conversations(mode, limiter, server.base_url, **no_retries)  # the next request: held
    assert len(arrivals.times) == 2
    assert arrivals.gaps()[0] >= 0.45  # was a few ms with burst 5 or 10
