"""``max_items=`` on every listing method: that many items, and no page requested past them.

Both vendors, every operation, sync and async, prefetch on from the first page (``"always"``):
the pager knows how many items the pages in hand hold (``FetchedPage.item_count``) before it
prefetches, so it asks for exactly the pages it needs, whether or not the page size divides
``max_items``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from conversation_clients.pagination import AsyncPager

from .harness import OPERATIONS, VENDORS, Vendor, close, items, list_pager, pages, scripted

#: Long enough for a prefetch that should not happen to reach the server if it did.
SETTLE = 0.3


def _pages_of(vendor: Vendor, size: int, count: int) -> list[Any]:
    return [vendor.page(range(n * size, (n + 1) * size), None if n == count - 1 else f"t{n + 2}") for n in range(count)]


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", OPERATIONS, ids=lambda vendor: vendor.name)
@pytest.mark.parametrize(
    ("size", "max_items", "pages_needed"),
    [(2, 4, 2), (2, 5, 3), (3, 1, 1), (3, 9, 3)],
    ids=["divides", "does-not-divide", "inside-the-first-page", "ends-on-a-page"],
)
async def test_max_items_requests_exactly_the_pages_it_needs(
    vendor: Vendor, kind: str, size: int, max_items: int, pages_needed: int
) -> None:
    with scripted(*_pages_of(vendor, size, 6)) as (script, base_url):
        client = vendor.client(kind, base_url, prefetch="always")  # from the first page, even on loopback
        pager = getattr(client, vendor.method)(**vendor.list_kwargs(size=size), max_items=max_items)
        taken = await items(pager)
        await asyncio.sleep(SETTLE)
        await close(client)
    assert len(script.requests) == pages_needed
    everything = await _uncapped(vendor, kind, size)
    assert [vendor.item_id(item) for item in taken] == [vendor.item_id(item) for item in everything[:max_items]]


async def _uncapped(vendor: Vendor, kind: str, size: int) -> list[Any]:
    with scripted(*_pages_of(vendor, size, 6)) as (_, base_url):
        client = vendor.client(kind, base_url)
        listed = await items(list_pager(client, vendor, size=size))
        await close(client)
    return listed


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_pages_are_whole_up_to_the_one_that_reaches_max_items(vendor: Vendor, kind: str) -> None:
    with scripted(*_pages_of(vendor, 2, 6)) as (script, base_url):
        client = vendor.client(kind, base_url)
        pager = getattr(client, vendor.method)(**vendor.list_kwargs(size=2), max_items=3)
        handed = await pages(pager)
        await asyncio.sleep(SETTLE)
        await close(client)
    assert [len(page.items) for page in handed] == [2, 2]
    assert handed[-1].next_token == "t3"  # still resumes after every item of that page
    assert len(script.requests) == 2


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
@pytest.mark.parametrize(
    ("value", "error"), [(0, ValueError), (-1, ValueError), (True, TypeError), ("3", TypeError), (2.0, TypeError)]
)
async def test_max_items_is_checked_before_anything_is_sent(
    vendor: Vendor, kind: str, value: object, error: type[Exception]
) -> None:
    with scripted() as (script, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(error, match="max_items"):
            getattr(client, vendor.method)(**vendor.list_kwargs(), max_items=value)
        await close(client)
    assert script.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_without_max_items_every_page_is_listed(kind: str) -> None:
    vendor = VENDORS[0]
    with scripted(*_pages_of(vendor, 2, 3)) as (script, base_url):
        client = vendor.client(kind, base_url)
        pager = list_pager(client, vendor, size=2)
        assert isinstance(pager, AsyncPager) == (kind == "async")
        assert len(await items(pager)) == 6
        await close(client)
    assert len(script.requests) == 3
