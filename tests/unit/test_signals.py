"""The pure parts of signals: page metadata, hook calls, and the spans a Signals value opens."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from conversation_clients.signals import (
    ATTEMPTS_EXTENSION,
    ELAPSED_EXTENSION,
    Hooks,
    PageMeta,
    Signals,
    call_hooks,
    page_meta_from,
    tracer_for,
)


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.clear()


def _tracer(exporter: InMemorySpanExporter) -> object:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return tracer_for(provider)


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


def test_spans_nest_attempts_under_the_page_with_the_vendor_and_operation(exporter: InMemorySpanExporter) -> None:
    signals = Signals(vendor="bird", tracer=_tracer(exporter))
    with signals.page_span("list_conversations") as page:
        for attempt in (1, 2):
            with signals.attempt_span("list_conversations", attempt) as span:
                span.set_attribute("http.response.status_code", 503 if attempt == 1 else 200)
        page.set_attribute("http.response.status_code", 200)

    spans = {span.name: span for span in exporter.get_finished_spans()}
    page_span = spans["bird list_conversations"]
    attempts = [span for span in exporter.get_finished_spans() if span.name.endswith("attempt")]
    assert [span.attributes["conversation_clients.attempt"] for span in attempts] == [1, 2]  # type: ignore[index]
    page_context = page_span.get_span_context()
    assert page_context is not None
    page_id = page_context.span_id
    assert all(span.parent is not None and span.parent.span_id == page_id for span in attempts)
    assert page_span.attributes == {
        "conversation_clients.vendor": "bird",
        "conversation_clients.operation": "list_conversations",
        "http.response.status_code": 200,
    }


def test_without_a_tracer_spans_are_stand_ins() -> None:
    signals = Signals(vendor="bird")
    with signals.page_span("x") as span:
        span.set_attribute("anything", 1)


def test_without_opentelemetry_there_is_no_tracer_and_a_provider_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry", None)  # as if the otel extra were not installed
    assert tracer_for() is None
    with pytest.raises(ImportError, match=r"conversation-clients\[otel\]"):
        tracer_for(TracerProvider())


def test_a_tracer_provider_must_be_one() -> None:
    with pytest.raises(TypeError, match="tracer_provider must be an OpenTelemetry TracerProvider, got str"):
        tracer_for("provider")
