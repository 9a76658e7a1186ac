"""Items 5 to 7 of issue 17: a credential a server echoes back, where it still slipped through.

5. A bearer token replaced by a refresh while a request carrying it is in flight: that request's
   response, echoing the old token, was logged by httpcore with only the tokens' common prefix
   masked.
6. An error chained from a lower exception quoting the key (the model's ``ValueError`` about a bad
   date, the JSON parser's error holding the document, h11's "illegal header line"): the printed
   traceback, and the chain error reporters walk, showed it.
7. A credential echoed in a request-id or rate-limit header reached ``PageMeta``, hook events and
   span attributes in clear, while the same headers on a 404 were scrubbed in the error.

Every test runs the clients over real loopback HTTP, sync and async.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from conversation_clients._logging import GUARDED_LOGGERS, SECRETS_KEPT_PER_OWNER, hide_in_logs, scrub_log_text
from conversation_clients.errors import (
    APIConnectionError,
    RedactedException,
    ResponseValidationError,
    without_credentials_in,
)
from conversation_clients.loopback import serve as serve_handler
from conversation_clients.pagination import SyncPager
from conversation_clients.signals import Hooks, PageEvent, ResponseEvent
from tests.hostile.server import raw
from tests.hostile.server import serve as serve_raw
from tests.integration.harness import (
    ACCESS_KEY,
    BEARER_TOKEN,
    BIRD,
    OMNI,
    VENDORS,
    Vendor,
    close,
    items,
    list_pager,
    pages,
    scripted,
)

pytestmark = pytest.mark.anyio

KINDS = ["sync", "async"]

# Bearer tokens from one issuer share a long prefix, as JWTs do; each ends in its own tail.
_ISSUER = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.token-"
TAILS = [f"{letter}Q7xWv{letter}" for letter in "abcdefghijklmnop"]
WAIT = 10.0  # seconds any one step may take before the test gives up


def secret_of(vendor: Vendor) -> str:
    return ACCESS_KEY if vendor is BIRD else BEARER_TOKEN


def header_of(vendor: Vendor) -> str:
    return f"AccessKey {ACCESS_KEY}" if vendor is BIRD else f"Bearer {BEARER_TOKEN}"


class _Everything(logging.Handler):
    """Keeps every record's final text, as a handler would write it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def every_log_line() -> Iterator[_Everything]:
    handler = _Everything()
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", *GUARDED_LOGGERS)}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


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


# -- 5: a token replaced by a refresh while a request carrying it is in flight ------------------


@pytest.mark.parametrize("refreshes", [1, SECRETS_KEPT_PER_OWNER + 1], ids=["one-refresh", "more-than-kept"])
@pytest.mark.parametrize("kind", KINDS)
async def test_a_token_replaced_by_a_refresh_stays_masked_while_a_request_carrying_it_is_answered(
    kind: str, refreshes: int, every_log_line: _Everything
) -> None:
    # Listing A (PageSize=1) goes out with token 1 and is answered only after ``refreshes``
    # listings B on the same client each got a 401 for the token before and refreshed to the
    # next one. Every response echoes the token it was sent with: A's, token 1, comes last.
    tokens = [f"{_ISSUER}{number}-{tail}" for number, tail in enumerate(TAILS[: refreshes + 1], start=1)]
    issued = iter(tokens)
    a_arrived, b_done = threading.Event(), threading.Event()
    wanted: list[str] = []  # the token the B listing under way must end up sending

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get(OMNI.size_param) == "1":
            a_arrived.set()
            b_done.wait(WAIT)
            return OMNI.page([1])
        if request.headers.get("authorization") != f"Bearer {wanted[-1]}":
            return httpx.Response(401, json=OMNI.error_body(401, "401"))
        return OMNI.page([2])

    def handler(request: httpx.Request) -> httpx.Response:
        response = answer(request)
        response.headers["x-echo"] = request.headers.get("authorization", "")
        return response

    with serve_handler(handler) as base_url:
        client = OMNI.client(kind, base_url, token=lambda: next(issued), prefetch=False)
        listed_b: list[Any] = []
        if kind == "sync":

            def listing(size: int) -> list[Any]:
                return list(cast(SyncPager[Any], list_pager(client, OMNI, size=size)))

            with ThreadPoolExecutor(1) as pool:
                listing_a = pool.submit(listing, 1)
                assert a_arrived.wait(WAIT)
                for token in tokens[1:]:
                    wanted.append(token)
                    listed_b += listing(2)
                b_done.set()
                listed_a = listing_a.result(timeout=WAIT)
        else:
            task_a = asyncio.ensure_future(items(list_pager(client, OMNI, size=1)))
            assert await asyncio.to_thread(a_arrived.wait, WAIT)
            for token in tokens[1:]:
                wanted.append(token)
                listed_b += await items(list_pager(client, OMNI, size=2))
            b_done.set()
            listed_a = await asyncio.wait_for(task_a, WAIT)
        await close(client)

    assert (len(listed_a), len(listed_b)) == (1, refreshes)
    text = "\n".join(every_log_line.lines)
    echoes = [line for line in text.splitlines() if "receive_response_headers.complete" in line and "x-echo" in line]
    assert len(echoes) == 1 + 2 * refreshes, "httpcore did not log the echoing responses' headers"
    for token in tokens:
        assert token not in text
        tail = token.rsplit("-", 1)[-1]  # what no other token has
        assert tail not in text, f"the tail of {token!r} leaked: only the common prefix was masked"
    assert all("Bearer ***'" in line for line in echoes)


def test_an_owner_keeps_its_recent_secrets_and_a_request_its_own_however_many_follow() -> None:
    class Owner:
        pass

    owner = Owner()
    request = httpx.Request("GET", "https://api.example/")
    first = "tok-first-0a1b2c3d4e"
    hide_in_logs(owner, first)
    hide_in_logs(request, first)
    hide_in_logs(owner, "tok-second-5f6a7b8c")
    assert scrub_log_text(f"echo {first} / tok-second-5f6a7b8c") == "echo *** / ***"

    later = [f"later-{number:03d}-9z8y7x6w" for number in range(3 * SECRETS_KEPT_PER_OWNER)]
    for token in later:
        hide_in_logs(owner, token)
    assert scrub_log_text(f"echo {first}") == "echo ***"  # the request still carries it
    assert scrub_log_text(later[-1]) == "***"
    assert scrub_log_text(later[-SECRETS_KEPT_PER_OWNER]) == "***"
    assert scrub_log_text(later[0]) == later[0]  # bounded: the oldest are let go

    del request
    gc.collect()
    assert scrub_log_text(first) == first  # gone with the request


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


# -- 7: page metadata, hook events and spans ------------------------------------------------------

REQUEST_ID_HEADER = {"bird": "x-request-id", "omnichannel": "x-ms-correlation-id"}


def _echoing_headers(vendor: Vendor, response: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    def reply(request: httpx.Request) -> httpx.Response:
        authorization = request.headers.get("authorization", "")
        response.headers[REQUEST_ID_HEADER[vendor.family]] = f"req-{authorization}"
        response.headers["X-RateLimit-Remaining"] = f"41; {authorization}"
        return response

    return reply


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
