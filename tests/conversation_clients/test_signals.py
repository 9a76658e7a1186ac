"""What a client tells the application (:mod:`conversation_clients.signals`): page metadata and
hooks, alone and in real listings, with no credential a server echoes back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any, cast

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from conversation_clients.pagination import SyncPager
from conversation_clients.signals import (
    ATTEMPTS_EXTENSION,
    ELAPSED_EXTENSION,
    Hooks,
    PageEvent,
    PageMeta,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
    call_hooks,
    page_meta_from,
)
from tests.support.scripted import (
    ACCESS_KEY,
    BEARER_TOKEN,
    BIRD,
    VENDORS,
    Vendor,
    close,
    items,
    list_pager,
    pages,
    scripted,
)
from tests.support.signal_replies import REQUEST_ID_HEADER, TOKEN, replies


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.clear()


def test_page_meta_reads_status_request_id_rate_limits_attempts_and_time() -> None:
    response = httpx.Response(
        200,
        headers=[
            ("X-RateLimit-Limit", "50"),
            ("RateLimit-Remaining", "3"),
            ("Retry-After", "1"),
            ("x-ms-correlation-id", "corr-9"),
            ("Authorization", "Bearer never-kept"),
            ("Set-Cookie", "s=1"),
        ],
        extensions={ATTEMPTS_EXTENSION: 3, ELAPSED_EXTENSION: 0.25},
    )
    meta = page_meta_from(response, ("x-request-id", "x-ms-correlation-id"))
    assert meta == PageMeta(
        status_code=200,
        request_id="corr-9",
        rate_limit={"x-ratelimit-limit": "50", "ratelimit-remaining": "3", "retry-after": "1"},
        elapsed=0.25,
        attempts=3,
    )
    assert "never-kept" not in repr(meta) and "s=1" not in repr(meta)


def test_the_first_request_id_header_the_vendor_names_wins() -> None:
    response = httpx.Response(200, headers={"x-request-id": "b", "request-id": "a"})
    assert page_meta_from(response, ("request-id", "x-request-id")).request_id == "a"
    assert page_meta_from(response, ("x-correlation-id",)).request_id is None


def test_hooks_are_called_in_order_and_a_single_callable_is_a_tuple_of_one() -> None:
    seen: list[str] = []
    hooks = Hooks(on_page=(lambda event: seen.append(f"a{event}"), lambda event: seen.append(f"b{event}")))
    assert call_hooks(hooks.on_page, 1, asynchronous=False) == []  # type: ignore[arg-type]
    assert seen == ["a1", "b1"]
    assert len(Hooks(on_retry=print).on_retry) == 1


def test_an_async_hook_is_awaited_by_an_async_caller_and_refused_by_a_sync_one() -> None:
    seen: list[int] = []

    async def hook(event: int) -> None:
        seen.append(event)

    pending = call_hooks((hook,), 7, asynchronous=True)

    async def await_all() -> None:
        for awaitable in pending:
            await awaitable

    asyncio.run(await_all())
    assert seen == [7]
    with pytest.raises(TypeError, match="async hooks need an async client"):
        call_hooks((hook,), 8, asynchronous=False)
    assert seen == [7]


def test_a_hook_that_raises_stops_the_caller() -> None:
    def hook(event: object) -> None:
        raise RuntimeError("the application says stop")

    with pytest.raises(RuntimeError, match="the application says stop"):
        call_hooks((hook,), 1, asynchronous=False)


# -- Page metadata, hooks and OpenTelemetry spans of real listings: both vendors, sync and async ---


@pytest.mark.anyio
@pytest.mark.loopback
async def test_each_page_tells_its_status_request_id_rate_limits_attempts_and_time(vendor: Vendor, kind: str) -> None:
    with scripted(*replies(vendor)) as (_script, base_url):
        client = vendor.client(kind, base_url)
        listed = await pages(list_pager(client, vendor))
        await close(client)

    assert [page.meta.status_code for page in listed] == [200, 200]
    assert [page.meta.request_id for page in listed] == ["rid-1", "rid-2"]
    assert [page.meta.attempts for page in listed] == [2, 1]
    assert all(page.meta.rate_limit == {"x-ratelimit-remaining": "41"} for page in listed)
    assert all(page.meta.elapsed > 0 for page in listed)
    assert ACCESS_KEY not in repr(listed[0].meta) and BEARER_TOKEN not in repr(listed[0].meta)


@pytest.mark.anyio
@pytest.mark.loopback
async def test_hooks_see_each_request_response_retry_and_page_in_order(vendor: Vendor, kind: str) -> None:
    seen: list[Any] = []

    def record(event: Any) -> None:
        seen.append(event)

    async def record_async(event: Any) -> None:
        seen.append(event)

    hook = record if kind == "sync" else record_async
    hooks = Hooks(on_request=hook, on_response=hook, on_retry=hook, on_page=hook)
    with scripted(*replies(vendor)) as (_script, base_url):
        client = vendor.client(kind, base_url, hooks=hooks, prefetch=False)
        listed = await items(list_pager(client, vendor))
        await close(client)

    assert len(listed) == 3
    kinds = [type(event).__name__ for event in seen]
    assert kinds == [
        "RequestEvent",
        "ResponseEvent",
        "RetryEvent",
        "RequestEvent",
        "ResponseEvent",
        "PageEvent",
        "RequestEvent",
        "ResponseEvent",
        "PageEvent",
    ]
    first_response = seen[1]
    assert isinstance(first_response, ResponseEvent) and first_response.status_code == 503
    retry = seen[2]
    assert isinstance(retry, RetryEvent) and retry.attempt == 1 and "503" in retry.reason and retry.delay >= 0
    assert isinstance(seen[3], RequestEvent) and seen[3].attempt == 2
    page_events = [event for event in seen if isinstance(event, PageEvent)]
    assert [(event.item_count, event.is_last, event.meta.request_id) for event in page_events] == [
        (2, False, "rid-1"),
        (1, True, "rid-2"),
    ]
    assert all(event.vendor == vendor.family for event in seen)
    text = repr(seen)
    assert TOKEN not in text and ACCESS_KEY not in text and BEARER_TOKEN not in text
    assert f"{vendor.token_param}=***" in seen[6].target


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_hook_that_raises_stops_the_listing(vendor: Vendor, kind: str) -> None:
    def refuse(event: PageEvent) -> None:
        raise RuntimeError("stop here")

    with scripted(vendor.page(range(2), TOKEN), vendor.page(range(2, 3))) as (_script, base_url):
        client = vendor.client(kind, base_url, hooks=Hooks(on_page=refuse))
        with pytest.raises(RuntimeError, match="stop here"):
            await items(list_pager(client, vendor))
        await close(client)


@pytest.mark.anyio
@pytest.mark.loopback
def test_an_async_hook_in_a_sync_client_is_a_type_error(vendor: Vendor) -> None:
    async def hook(event: RequestEvent) -> None:
        return None

    with scripted(vendor.page(range(1))) as (_script, base_url):
        client = vendor.client("sync", base_url, hooks=Hooks(on_request=hook))
        with pytest.raises(TypeError, match="async hooks need an async client"):
            list(cast(SyncPager[Any], list_pager(client, vendor)))
        client.close()


@pytest.mark.anyio
@pytest.mark.loopback
def test_hooks_must_be_a_hooks_value(vendor: Vendor) -> None:
    with pytest.raises(TypeError, match="hooks must be"):
        vendor.client("sync", "https://api.example", hooks=[print])


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_derived_client_has_its_own_hooks(vendor: Vendor, kind: str) -> None:
    seen: list[PageEvent] = []
    with scripted(vendor.page(range(1)), vendor.page(range(1, 2))) as (_script, base_url):
        client = vendor.client(kind, base_url)
        derived = client.with_options(hooks=Hooks(on_page=seen.append))
        await items(list_pager(client, vendor))
        assert seen == []
        await items(list_pager(derived, vendor))
        await close(client)
    assert [event.item_count for event in seen] == [1]


# -- Items 5 to 7 of issue 17: a credential a server echoes back, where it still slipped through ---


KINDS = ["sync", "async"]


def secret_of(vendor: Vendor) -> str:
    return ACCESS_KEY if vendor is BIRD else BEARER_TOKEN


def header_of(vendor: Vendor) -> str:
    return f"AccessKey {ACCESS_KEY}" if vendor is BIRD else f"Bearer {BEARER_TOKEN}"


def _echoing_headers(vendor: Vendor, response: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    def reply(request: httpx.Request) -> httpx.Response:
        authorization = request.headers.get("authorization", "")
        response.headers[REQUEST_ID_HEADER[vendor.family]] = f"req-{authorization}"
        response.headers["X-RateLimit-Remaining"] = f"41; {authorization}"
        return response

    return reply


@pytest.mark.anyio
@pytest.mark.hostile
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_page_meta_hooks_and_spans_mask_a_credential_echoed_in_request_id_and_rate_limit_headers(
    vendor: Vendor, kind: str
) -> None:
    seen: list[object] = []

    def record(event: object) -> None:
        seen.append(event)

    async def record_async(event: object) -> None:
        seen.append(event)

    hook = record if kind == "sync" else record_async
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with scripted(_echoing_headers(vendor, vendor.page(range(2)))) as (_script, base_url):
        client = vendor.client(
            kind, base_url, hooks=Hooks(on_response=hook, on_page=hook), tracer_provider=provider, prefetch=False
        )
        (page,) = await pages(list_pager(client, vendor))
        await close(client)

    scheme = header_of(vendor).split(" ")[0]
    assert page.meta.request_id == f"req-{scheme} ***"
    assert page.meta.rate_limit == {"x-ratelimit-remaining": f"41; {scheme} ***"}
    (response_event,) = [event for event in seen if isinstance(event, ResponseEvent)]
    (page_event,) = [event for event in seen if isinstance(event, PageEvent)]
    assert response_event.request_id == f"req-{scheme} ***"
    assert page_event.meta == page.meta
    spans = exporter.get_finished_spans()
    request_ids = [(span.attributes or {}).get("conversation_clients.request_id") for span in spans]
    assert request_ids and all(request_id == f"req-{scheme} ***" for request_id in request_ids)
    for shown in (repr(page.meta), repr(seen), repr([dict(span.attributes or {}) for span in spans])):
        assert secret_of(vendor) not in shown
