"""Prefetch over real HTTP: the next page is requested while the caller holds this one.

Both vendors, sync (a background thread) and async (a task). The pagination rules themselves
are tested in ``tests/unit/test_pagination.py``.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from conversation_clients import _shells
from conversation_clients.errors import ServerError
from conversation_clients.pagination import SyncPager
from conversation_clients.retry import RetryPolicy

from .harness import BIRD, OPERATIONS, Script, Vendor, close, list_pager, scripted


def _sync_pager(client: Any, vendor: Vendor, **kwargs: Any) -> SyncPager[Any]:
    pager = list_pager(client, vendor, **kwargs)
    assert isinstance(pager, SyncPager)
    return pager


def _three_pages(vendor: Vendor) -> tuple[Any, ...]:
    return (vendor.page(range(2), "t2"), vendor.page(range(2, 4), "t3"), vendor.page(range(4, 5)))


async def _requests_seen_while_holding_page_one(vendor: Vendor, kind: str, *, prefetch: bool | str) -> int:
    """How many requests the server has seen once the caller, holding page 1, has waited a while."""
    wait = 2.0 if prefetch else 0.3  # long enough for a request that should come, or should not
    with scripted(*_three_pages(vendor)) as (script, base_url):
        client = vendor.client(kind, base_url, prefetch=prefetch)
        pager = list_pager(client, vendor, size=2)
        if isinstance(pager, SyncPager):
            pages = pager.pages()
            next(pages)
            seen = await _wait_for_requests(script, 2, timeout=wait)
            pages.close()
        else:
            async_pages = pager.pages()
            await anext(async_pages)
            seen = await _wait_for_requests(script, 2, timeout=wait)
            await async_pages.aclose()
        await close(client)
    return seen


async def _wait_for_requests(script: Script, count: int, timeout: float = 2.0) -> int:
    deadline = time.monotonic() + timeout
    while len(script.requests) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.01)  # the async prefetch runs while the caller waits here
    return len(script.requests)


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
async def test_the_next_page_is_requested_while_the_caller_holds_this_one(vendor: Vendor, kind: str) -> None:
    assert await _requests_seen_while_holding_page_one(vendor, kind, prefetch="always") == 2


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
async def test_without_prefetch_nothing_is_requested_ahead(vendor: Vendor, kind: str) -> None:
    assert await _requests_seen_while_holding_page_one(vendor, kind, prefetch=False) == 1


def _slowly(reply: httpx.Response, seconds: float = 0.03) -> Callable[[httpx.Request], httpx.Response]:
    def answer(_: httpx.Request) -> httpx.Response:
        time.sleep(seconds)  # the server's own time: what prefetch exists to hide
        return reply

    return answer


@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_by_default_a_sync_listing_prefetches_once_its_server_keeps_it_waiting(vendor: Vendor) -> None:
    with scripted(*map(_slowly, _three_pages(vendor))) as (script, base_url):
        with vendor.client("sync", base_url, prefetch=True) as client:  # the clients' default
            pages = _sync_pager(client, vendor, size=2).pages()
            next(pages)  # page 1 waited 30 ms on the server
            assert asyncio.run(_wait_for_requests(script, 2)) == 2
            pages.close()


@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_by_default_a_sync_listing_whose_server_answers_sooner_than_the_threshold_fetches_on_demand(
    vendor: Vendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a threshold no loopback answer reaches, however busy the machine: the gate's own rule
    # (median of three, 2 ms) is tested with exact waits in tests/unit/test_pagination.py
    monkeypatch.setattr(_shells, "PREFETCH_MIN_WAIT", 5.0)
    with scripted(*_three_pages(vendor)) as (script, base_url):
        with vendor.client("sync", base_url, prefetch=True) as client:  # the clients' default
            pages = _sync_pager(client, vendor, size=2).pages()
            next(pages)
            assert asyncio.run(_wait_for_requests(script, 2, timeout=0.3)) == 1
            assert len(list(pages)) == 2  # the rest, each fetched when asked for
    assert len(script.requests) == 3


@pytest.mark.anyio
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
async def test_by_default_an_async_listing_prefetches_from_the_first_page(vendor: Vendor) -> None:
    assert await _requests_seen_while_holding_page_one(vendor, "async", prefetch=True) == 2


@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_a_prefetched_listing_yields_every_item_once_in_order(vendor: Vendor) -> None:
    with scripted(*_three_pages(vendor)) as (script, base_url):
        with vendor.client("sync", base_url, prefetch="always") as client:
            items = [vendor.item_id(item) for item in _sync_pager(client, vendor, size=2)]
    assert items == [vendor.item_id(item) for item in _expected_items(vendor)]
    assert [request.url.params.get(vendor.token_param) for request in script.requests] == [None, "t2", "t3"]


def _expected_items(vendor: Vendor) -> list[Any]:
    with scripted(*_three_pages(vendor)) as (_, base_url):
        with vendor.client("sync", base_url, prefetch=False) as client:
            return list(_sync_pager(client, vendor, size=2))


@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_leaving_a_sync_listing_stops_the_prefetch_retrying(vendor: Vendor) -> None:
    unavailable = httpx.Response(503, json=vendor.error_body(503, "503"))
    patient = RetryPolicy(max_retries=5, initial_delay=0.3, max_delay=0.3, jitter=0.0)
    with scripted(vendor.page(range(2), "t2"), *[unavailable] * 6) as (script, base_url):
        with vendor.client("sync", base_url, retry_policy=patient, prefetch="always") as client:
            pages = _sync_pager(client, vendor, size=2).pages()
            next(pages)
            assert asyncio.run(_wait_for_requests(script, 2)) == 2  # the prefetch got its first 503
            pages.close()
            time.sleep(1.0)  # three more attempts, were it still retrying
    assert len(script.requests) == 2


@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
def test_a_prefetch_that_fails_raises_when_its_page_is_reached(vendor: Vendor) -> None:
    unavailable = httpx.Response(503, json=vendor.error_body(503, "503"))
    seen: list[Any] = []
    with scripted(vendor.page(range(2), "t2"), unavailable, unavailable, unavailable) as (_, base_url):
        with vendor.client("sync", base_url, prefetch="always") as client:
            with pytest.raises(ServerError) as caught:
                for item in _sync_pager(client, vendor, size=2):
                    seen.append(item)
    assert len(seen) == 2
    assert caught.value.resume_token == "t2"


class _ImportLookups:
    """A meta path finder that only records the modules the import system goes looking for."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        self.names.append(fullname)


@pytest.mark.anyio
async def test_async_requests_do_not_go_looking_for_modules() -> None:
    # httpcore imports sniffio on every async request; when it is not installed, every
    # request searches sys.path for it (encode/httpcore#1103), hence the dependency.
    lookups = _ImportLookups()
    with scripted(*_three_pages(BIRD), *_three_pages(BIRD)) as (_, base_url):
        async with BIRD.client("async", base_url) as client:
            warm_up = [item async for item in client.list_conversations(**BIRD.list_kwargs(size=2))]
            sys.meta_path.insert(0, lookups)  # what is imported lazily has been, by now
            try:
                items = [item async for item in client.list_conversations(**BIRD.list_kwargs(size=2))]
            finally:
                sys.meta_path.remove(lookups)
    assert len(warm_up) == len(items) == 5
    assert lookups.names == []


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
async def test_a_page_is_handed_over_once_the_next_request_is_sent_not_answered(vendor: Vendor, kind: str) -> None:
    # The server answers page 2 only after the caller holds page 1. A client that waited for
    # page 2's answer (or never heard that its request was out) before handing over page 1
    # would leave the server waiting: its reply below would then say so.
    caller_holds_page_one = threading.Event()
    second: httpx.Response = vendor.page(range(2, 4), "t3")
    third: httpx.Response = vendor.page(range(4, 5))

    def page_two(request: httpx.Request) -> httpx.Response:
        if not caller_holds_page_one.wait(timeout=5):
            return httpx.Response(599, json={"message": "page 1 was held back until page 2 was answered"})
        return second

    with scripted(vendor.page(range(2), "t2"), page_two, third) as (_, base_url):
        client = vendor.client(kind, base_url)
        pager = list_pager(client, vendor, size=2)
        count = 0
        if isinstance(pager, SyncPager):
            for page in pager.pages():
                caller_holds_page_one.set()
                count += len(page.items)
        else:
            async for page in pager.pages():
                caller_holds_page_one.set()
                count += len(page.items)
        await close(client)
    assert count == 5
