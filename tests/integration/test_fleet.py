"""Fan-out over many targets, both vendors, sync and async, against the loopback sandbox."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import httpx
import pytest

from conversation_clients.errors import NotFoundError, ServerError
from conversation_clients.fleet import (
    FanOutPlan,
    FanOutStopped,
    TargetFailure,
    TargetPage,
    fan_out,
    fan_out_sync,
)
from conversation_clients.sandbox import Faults
from tests.integration.fleet_server import FLEET_VENDORS, FleetVendor, counting_sandbox

pytestmark = pytest.mark.anyio

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


async def test_every_target_is_listed_whole_with_bounded_concurrency(vendor: FleetVendor, kind: str) -> None:
    targets = [vendor.target(n) for n in range(8)]
    with counting_sandbox(faults=Faults(latency=0.03)) as (server, base_url):
        client = vendor.client(kind, server.sandbox, base_url)
        results = await run_fan_out(kind, client, vendor, targets, concurrency=3)
    assert ids_by_target(vendor, results) == {target: vendor.expected_ids(server.sandbox, target) for target in targets}
    assert all(isinstance(result, TargetPage) for result in results)
    assert server.requests == 8 * 3  # 25 conversations, 10 a page
    assert 1 < server.max_in_flight <= 3  # counted at the server


async def test_each_target_pages_come_in_order_and_end_on_its_last_page(vendor: FleetVendor, kind: str) -> None:
    targets = [vendor.target(n) for n in range(4)]
    with counting_sandbox() as (server, base_url):
        results = await run_fan_out(kind, vendor.client(kind, server.sandbox, base_url), vendor, targets)
    for target in targets:
        pages = [result.page for result in results if isinstance(result, TargetPage) and result.target == target]
        assert [page.token for page in pages[1:]] == [page.next_token for page in pages[:-1]]
        assert pages[-1].is_last and not any(page.is_last for page in pages[:-1])


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


async def test_an_error_that_is_not_a_targets_failure_ends_the_fan_out(vendor: FleetVendor, kind: str) -> None:
    with counting_sandbox() as (server, base_url):
        client = vendor.client(kind, server.sandbox, base_url)
        with pytest.raises(ValueError, match="must be a UUID"):
            await run_fan_out(kind, client, vendor, [vendor.target(0), vendor.malformed])


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


@pytest.mark.parametrize(("bad", "error"), [(0, ValueError), (True, TypeError), (2.5, TypeError)])
def test_concurrency_is_checked(bad: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="concurrency must be"):
        FanOutPlan(["a"], concurrency=bad)
