"""The rate limiter in the clients: a fan-out under the sandbox's rate limit, sharing, adaptation."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx
import pytest

from conversation_clients import BirdClient, OmnichannelClient
from conversation_clients.bird import BIRD_RATE_LIMIT
from conversation_clients.fleet import TargetPage, fan_out, fan_out_sync
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.sandbox import Faults
from tests.integration.fleet_server import FLEET_VENDORS, FleetVendor, counting_sandbox
from tests.integration.harness import ACCESS_KEY, WORKSPACE_ID, bird_page, scripted

pytestmark = pytest.mark.anyio

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


async def test_with_the_limiter_a_fan_out_gets_no_429(vendor: FleetVendor, kind: str) -> None:
    limiter = RateLimiter(RateLimit(overall=SERVER_RATE * 0.75))
    rate_limited, results = await fan_out_under_the_sandbox_rate(vendor, kind, limiter)
    assert rate_limited == 0
    assert len(results) == TARGETS * 3 and all(isinstance(result, TargetPage) for result in results)


async def test_without_the_limiter_the_same_fan_out_gets_429s(vendor: FleetVendor, kind: str) -> None:
    rate_limited, _ = await fan_out_under_the_sandbox_rate(vendor, kind, None)
    assert rate_limited > 0  # some targets may even run out of retries (TargetFailure)


class StandingClock:
    """A clock that does not move: every booked slot shows in the next wait."""

    def __call__(self) -> float:
        return 0.0


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


def test_the_client_option_is_checked_when_the_client_is_built() -> None:
    with pytest.raises(TypeError, match="rate_limiter must be a RateLimiter or None, not RateLimit"):
        BirdClient(ACCESS_KEY, rate_limiter=BIRD_RATE_LIMIT)  # type: ignore[arg-type]
