"""Masking credentials in an exception and every exception it was raised from
(:mod:`conversation_clients._error_chain`): a key a server echoes back leaves no trace in the error
chain.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from conversation_clients.errors import (
    APIConnectionError,
    RedactedException,
    ResponseValidationError,
    without_credentials_in,
)
from tests.support.hostile.server import raw
from tests.support.hostile.server import serve as serve_raw
from tests.support.scripted import (
    ACCESS_KEY,
    BEARER_TOKEN,
    BIRD,
    VENDORS,
    Vendor,
    close,
    items,
    list_pager,
    scripted,
)

pytestmark = [pytest.mark.anyio, pytest.mark.hostile]
KINDS = ["sync", "async"]


def secret_of(vendor: Vendor) -> str:
    return ACCESS_KEY if vendor is BIRD else BEARER_TOKEN


def header_of(vendor: Vendor) -> str:
    return f"AccessKey {ACCESS_KEY}" if vendor is BIRD else f"Bearer {BEARER_TOKEN}"


def chain_text(error: BaseException) -> str:
    """The printed traceback, and each chained exception's str, repr and attributes."""
    parts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        parts += [str(current), repr(current), repr(getattr(current, "__dict__", {}))]
        parts.append(repr(getattr(current, "object", None)))  # a UnicodeError's input
        pending += [linked for linked in (current.__cause__, current.__context__) if linked is not None]
    return "\n".join(parts)


async def failing(client: Any, vendor: Vendor) -> BaseException:
    try:
        await items(list_pager(client, vendor))
    except Exception as error:  # noqa: BLE001 - the error is what is examined
        return error
    finally:
        await close(client)
    raise AssertionError("the listing did not fail")


# -- 6: an error's chain -------------------------------------------------------------------------


def _bad_date_page(vendor: Vendor) -> httpx.Response:
    page = vendor.page([1]).json()
    items_field, date_field = ("results", "createdAt") if vendor is BIRD else ("conversations", "timestamp")
    page[items_field][0][date_field] = f"not a date: {header_of(vendor)}"
    return httpx.Response(200, json=page)


def _not_json(vendor: Vendor) -> httpx.Response:
    content = b'{"results": [' + header_of(vendor).encode() + b"]}"
    return httpx.Response(200, content=content, headers={"content-type": "application/json"})


def _not_utf8(vendor: Vendor) -> httpx.Response:
    content = b'{"message": "\xff ' + header_of(vendor).encode() + b'"}'
    return httpx.Response(200, content=content, headers={"content-type": "application/json"})


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
@pytest.mark.parametrize(
    ("body", "cause"),
    [(_bad_date_page, ValueError), (_not_json, json.JSONDecodeError), (_not_utf8, UnicodeDecodeError)],
    ids=["bad-date", "not-json", "not-utf8"],
)
async def test_a_2xx_body_quoting_the_key_leaves_no_trace_in_the_error_chain(
    vendor: Vendor, kind: str, body: Callable[[Vendor], httpx.Response], cause: type[Exception]
) -> None:
    with scripted(body(vendor)) as (_script, base_url):
        error = await failing(vendor.client(kind, base_url, prefetch=False), vendor)

    assert isinstance(error, ResponseValidationError)
    assert isinstance(error.__cause__, cause)  # the chain is kept, its type too
    text = chain_text(error)
    assert "The above exception was the direct cause" in text
    assert secret_of(vendor) not in text
    assert secret_of(vendor)[:12] not in text


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_malformed_header_line_quoting_the_key_leaves_no_trace_in_the_connection_error(
    vendor: Vendor, kind: str
) -> None:
    # h11 quotes the line it refuses; httpcore and httpx copy that into their errors.
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Echo " + header_of(vendor).encode() + b"\r\n\r\n{}"
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with serve_raw(raw(head)) as server:
        client = vendor.client(kind, server.base_url, max_retries=0, retry_policy=None, tracer_provider=provider)
        error = await failing(client, vendor)

    assert isinstance(error, APIConnectionError)
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)
    text = chain_text(error)
    assert "illegal header line" in text
    assert secret_of(vendor) not in text
    # the page's span records the error with its printed traceback
    recorded = repr(
        [(event.name, dict(event.attributes or {})) for span in exporter.get_finished_spans() for event in span.events]
    )
    assert "exception.stacktrace" in recorded
    assert secret_of(vendor) not in recorded


def test_a_chained_exception_whose_text_cannot_be_rewritten_is_replaced_by_a_stand_in() -> None:
    secret = "k3y-0123456789"

    class Stubborn(Exception):
        def __str__(self) -> str:
            return f"server said {secret}"

    def fail() -> None:
        try:
            raise Stubborn
        except Stubborn as stubborn:
            raise ValueError(f"parsing {secret}") from stubborn

    with pytest.raises(ValueError) as caught:
        fail()
    error = caught.value
    cleaned = without_credentials_in(error, [secret])

    assert cleaned is error  # a ValueError's text is its args: rewritten in place
    assert str(error) == "parsing ***"
    assert isinstance(error.__cause__, RedactedException) and error.__suppress_context__
    assert str(error.__cause__).endswith("Stubborn: server said ***")
    assert error.__cause__.__traceback__ is not None
    assert secret not in chain_text(error)
