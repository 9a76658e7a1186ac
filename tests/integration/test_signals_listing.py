"""Page metadata, hooks and OpenTelemetry spans of real listings: both vendors, sync and async."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from conversation_clients import errors
from conversation_clients.pagination import SyncPager
from conversation_clients.signals import Hooks, PageEvent, RequestEvent, ResponseEvent, RetryEvent
from tests.integration.harness import (
    ACCESS_KEY,
    BEARER_TOKEN,
    Vendor,
    close,
    items,
    list_pager,
    pages,
    scripted,
)

pytestmark = pytest.mark.anyio

TOKEN = "tok-Secret-Page-2"
REQUEST_ID_HEADER = {"bird": "x-request-id", "omnichannel": "x-ms-correlation-id"}


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.clear()


def _with_headers(response: httpx.Response, vendor: Vendor, request_id: str) -> httpx.Response:
    response.headers[REQUEST_ID_HEADER[vendor.family]] = request_id
    response.headers["X-RateLimit-Remaining"] = "41"
    return response


def _unavailable() -> httpx.Response:
    return httpx.Response(503, json={"message": "try again"})


def _replies(vendor: Vendor) -> list[httpx.Response]:
    """Page 1 after one 503; page 2 at once (the last)."""
    return [
        _unavailable(),
        _with_headers(vendor.page(range(2), TOKEN), vendor, "rid-1"),
        _with_headers(vendor.page(range(2, 3)), vendor, "rid-2"),
    ]


async def test_each_page_tells_its_status_request_id_rate_limits_attempts_and_time(vendor: Vendor, kind: str) -> None:
    with scripted(*_replies(vendor)) as (_script, base_url):
        client = vendor.client(kind, base_url)
        listed = await pages(list_pager(client, vendor))
        await close(client)

    assert [page.meta.status_code for page in listed] == [200, 200]
    assert [page.meta.request_id for page in listed] == ["rid-1", "rid-2"]
    assert [page.meta.attempts for page in listed] == [2, 1]
    assert all(page.meta.rate_limit == {"x-ratelimit-remaining": "41"} for page in listed)
    assert all(page.meta.elapsed > 0 for page in listed)
    assert ACCESS_KEY not in repr(listed[0].meta) and BEARER_TOKEN not in repr(listed[0].meta)


async def test_hooks_see_each_request_response_retry_and_page_in_order(vendor: Vendor, kind: str) -> None:
    seen: list[Any] = []

    def record(event: Any) -> None:
        seen.append(event)

    async def record_async(event: Any) -> None:
        seen.append(event)

    hook = record if kind == "sync" else record_async
    hooks = Hooks(on_request=hook, on_response=hook, on_retry=hook, on_page=hook)
    with scripted(*_replies(vendor)) as (_script, base_url):
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


async def test_a_hook_that_raises_stops_the_listing(vendor: Vendor, kind: str) -> None:
    def refuse(event: PageEvent) -> None:
        raise RuntimeError("stop here")

    with scripted(vendor.page(range(2), TOKEN), vendor.page(range(2, 3))) as (_script, base_url):
        client = vendor.client(kind, base_url, hooks=Hooks(on_page=refuse))
        with pytest.raises(RuntimeError, match="stop here"):
            await items(list_pager(client, vendor))
        await close(client)


def test_an_async_hook_in_a_sync_client_is_a_type_error(vendor: Vendor) -> None:
    async def hook(event: RequestEvent) -> None:
        return None

    with scripted(vendor.page(range(1))) as (_script, base_url):
        client = vendor.client("sync", base_url, hooks=Hooks(on_request=hook))
        with pytest.raises(TypeError, match="async hooks need an async client"):
            list(cast(SyncPager[Any], list_pager(client, vendor)))
        client.close()


def test_hooks_must_be_a_hooks_value(vendor: Vendor) -> None:
    with pytest.raises(TypeError, match="hooks must be"):
        vendor.client("sync", "https://api.example", hooks=[print])


def _by_name(spans: tuple[ReadableSpan, ...], suffix: str) -> list[ReadableSpan]:
    return [span for span in spans if span.name.endswith(suffix)]


async def test_one_span_per_page_fetch_and_one_child_per_attempt(
    vendor: Vendor, kind: str, exporter: InMemorySpanExporter
) -> None:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with scripted(*_replies(vendor)) as (_script, base_url):
        client = vendor.client(kind, base_url, tracer_provider=provider, prefetch=False)
        await items(list_pager(client, vendor))
        await close(client)

    spans = exporter.get_finished_spans()
    operation = vendor.method
    page_spans = _by_name(spans, f"{vendor.family} {operation}")
    attempt_spans = _by_name(spans, "attempt")
    assert len(page_spans) == 2 and len(attempt_spans) == 3
    first, second = sorted(page_spans, key=lambda span: span.start_time or 0)
    assert first.attributes == {
        "conversation_clients.vendor": vendor.family,
        "conversation_clients.operation": operation,
        "http.response.status_code": 200,
        "conversation_clients.request_id": "rid-1",
        "conversation_clients.attempts": 2,
    }
    first_context = first.get_span_context()
    assert first_context is not None
    first_id = first_context.span_id
    children = [span for span in attempt_spans if span.parent is not None and span.parent.span_id == first_id]
    assert [(span.attributes or {}).get("conversation_clients.attempt") for span in children] == [1, 2]
    assert [(span.attributes or {}).get("http.response.status_code") for span in children] == [503, 200]
    assert (second.attributes or {}).get("conversation_clients.attempts") == 1
    every_value = repr([dict(span.attributes or {}) for span in spans]) + repr([span.name for span in spans])
    assert TOKEN not in every_value and ACCESS_KEY not in every_value and BEARER_TOKEN not in every_value


async def test_a_failed_page_fetch_ends_its_span_with_the_error(
    vendor: Vendor, kind: str, exporter: InMemorySpanExporter
) -> None:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with scripted(httpx.Response(404, json={"message": "gone"})) as (_script, base_url):
        client = vendor.client(kind, base_url, tracer_provider=provider)
        with pytest.raises(errors.NotFoundError):
            await items(list_pager(client, vendor))
        await close(client)

    (page_span,) = _by_name(exporter.get_finished_spans(), vendor.method)
    assert not page_span.status.is_ok
    assert (page_span.attributes or {}).get("http.response.status_code") == 404


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
