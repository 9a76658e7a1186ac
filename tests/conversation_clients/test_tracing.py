"""OpenTelemetry spans (:mod:`conversation_clients._tracing`): one per page fetch and a child per
attempt, stand-ins without a tracer.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from conversation_clients import errors
from conversation_clients._tracing import NO_SPAN
from conversation_clients.signals import (
    Signals,
    tracer_for,
)
from tests.support.scripted import (
    ACCESS_KEY,
    BEARER_TOKEN,
    Vendor,
    close,
    items,
    list_pager,
    scripted,
)
from tests.support.signal_replies import TOKEN, replies


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.clear()


def _tracer(exporter: InMemorySpanExporter) -> object:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return tracer_for(provider)


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


@pytest.mark.parametrize("sdk_set", [False, True], ids=["api-alone", "sdk-set"])
def test_the_api_alone_starts_no_span_until_an_sdk_provider_is_set(
    monkeypatch: pytest.MonkeyPatch, sdk_set: bool
) -> None:
    # opentelemetry-api installed (by any package) and no SDK: the global provider is the API's
    # proxy, whose spans record nothing; a page fetch makes none, and makes them once one is set
    tracer = trace.ProxyTracer("conversation_clients")
    started: list[str] = []

    def start_as_current_span(name: str, **options: object) -> contextlib.AbstractContextManager[object]:
        started.append(name)
        return contextlib.nullcontext(trace.INVALID_SPAN)

    monkeypatch.setattr(tracer, "start_as_current_span", start_as_current_span)
    provider = TracerProvider() if sdk_set else trace.ProxyTracerProvider()
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)
    report = Signals(vendor="bird", tracer=tracer).page_report(
        "list_conversations", httpx.Request("GET", "https://a/w")
    )
    with report.page_span() as page_span:
        report.requesting()
        with report.attempt_span() as attempt_span:
            report.answered(httpx.Response(200), attempt_span)
    if sdk_set:
        assert started == ["bird list_conversations", "bird list_conversations attempt"]
    else:
        assert started == [] and page_span is attempt_span is NO_SPAN


def test_without_opentelemetry_there_is_no_tracer_and_a_provider_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry", None)  # as if the otel extra were not installed
    assert tracer_for() is None
    with pytest.raises(ImportError, match=r"conversation-clients\[otel\]"):
        tracer_for(TracerProvider())


def test_a_tracer_provider_must_be_one() -> None:
    with pytest.raises(TypeError, match="tracer_provider must be an OpenTelemetry TracerProvider, got str"):
        tracer_for("provider")


# -- Page metadata, hooks and OpenTelemetry spans of real listings: both vendors, sync and async ---


def _by_name(spans: tuple[ReadableSpan, ...], suffix: str) -> list[ReadableSpan]:
    return [span for span in spans if span.name.endswith(suffix)]


@pytest.mark.anyio
@pytest.mark.loopback
async def test_one_span_per_page_fetch_and_one_child_per_attempt(
    vendor: Vendor, kind: str, exporter: InMemorySpanExporter
) -> None:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with scripted(*replies(vendor)) as (_script, base_url):
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


@pytest.mark.anyio
@pytest.mark.loopback
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
