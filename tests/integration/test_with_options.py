"""``client.with_options(...)``: a client of the same class sharing the connection pool.

Both vendors, sync and async, against loopback servers that record every request.
"""

from __future__ import annotations

import math
import time
from typing import Any

import httpx
import pytest

from conversation_clients.errors import APITimeoutError, ResponseTooLargeError, ServerError
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.retry import RetryPolicy

from .harness import VENDORS, Vendor, close, items, list_pager, scripted

KINDS = ["sync", "async"]


def _connections(client: Any) -> int:
    # the pool of the httpx client every derived client shares
    pool = client._http._transport._pool  # noqa: SLF001 - the pool is what is shared
    return len(pool.connections)


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_derived_client_shares_the_pool_and_sends_its_headers(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(2)), vendor.page(range(2))) as (script, base_url):
        client = vendor.client(kind, base_url)
        derived = client.with_options(headers={"X-Team": "exports"}, timeout=20)
        assert type(derived) is type(client)
        assert derived._http is client._http  # noqa: SLF001 - the same httpx client, so the same pool
        assert len(await items(list_pager(client, vendor))) == 2
        assert len(await items(list_pager(derived, vendor))) == 2
        assert _connections(client) == 1  # the derived client's request reused the connection
        await close(client)
    first, second = script.requests
    assert "x-team" not in first.headers
    assert second.headers["x-team"] == "exports"
    # everything else the client sends is the same
    assert second.headers["authorization"] == first.headers["authorization"]
    assert second.headers["accept-encoding"] == first.headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_derived_clients_timeout_reaches_its_requests(vendor: Vendor, kind: str) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        time.sleep(1.0)
        return vendor.page(range(1))

    with scripted(slow, slow) as (script, base_url):
        client = vendor.client(kind, base_url, max_retries=0, retry_policy=None)
        impatient = client.with_options(timeout=0.2)
        with pytest.raises(APITimeoutError):
            await items(list_pager(impatient, vendor))
        assert len(await items(list_pager(client, vendor))) == 1  # the original's 30 s still hold
        await close(client)
    assert len(script.requests) == 2


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_derived_clients_attempt_timeout_binds_its_attempts(vendor: Vendor, kind: str) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        time.sleep(1.0)
        return vendor.page(range(1))

    with scripted(slow) as (_, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(APITimeoutError):
            await items(list_pager(client.with_options(attempt_timeout=0.2, max_retries=0), vendor))
        await close(client)


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_derived_clients_body_cap_and_retries_are_its_own(vendor: Vendor, kind: str) -> None:
    big = vendor.page(range(20))
    replies = (big, big, httpx.Response(503), httpx.Response(503), vendor.page(range(1)))
    with scripted(*replies) as (script, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(ResponseTooLargeError):
            await items(list_pager(client.with_options(max_response_bytes=200), vendor))
        assert len(await items(list_pager(client, vendor))) == 20  # the original's 16 MiB cap
        with pytest.raises(ServerError):
            await items(list_pager(client.with_options(max_retries=0), vendor))
        # the original keeps its retries: the 503 is retried, the page after it read
        assert len(await items(list_pager(client, vendor))) == 1
        await close(client)
    assert len(script.requests) == 5


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_retry_policy_and_rate_limiter_are_replaced_only_in_the_derived_client(vendor: Vendor, kind: str) -> None:
    with scripted() as (_, base_url):
        client = vendor.client(kind, base_url)
        limiter = RateLimiter(RateLimit(per_target=10.0))
        policy = RetryPolicy(max_retries=7)
        derived = client.with_options(retry_policy=policy, rate_limiter=limiter)
        assert (derived._policy, derived._rate_limiter) == (policy, limiter)  # noqa: SLF001
        assert client._rate_limiter is None  # noqa: SLF001
        # max_retries alone keeps the rest of the policy
        assert derived.with_options(max_retries=1)._policy == RetryPolicy(max_retries=1)  # noqa: SLF001
        await close(client)


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_closing_a_derived_client_leaves_the_pool_open(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(1))) as (script, base_url):
        client = vendor.client(kind, base_url)
        derived = client.with_options(max_retries=0)
        await close(derived)
        assert len(await items(list_pager(client, vendor))) == 1
        await close(client)
        assert client._http.is_closed  # noqa: SLF001
    assert len(script.requests) == 1


OWNED = ["Authorization", "host", "Accept-Encoding", "content-length", "Transfer-Encoding"]


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_headers_the_client_owns_are_refused(vendor: Vendor, kind: str) -> None:
    with scripted() as (_, base_url):
        client = vendor.client(kind, base_url)
        held = ["organization-id", "Channel-Id"] if vendor.name == "omnichannel" else []
        for name in [*OWNED, *held]:
            with pytest.raises(ValueError, match=f"headers: {name} is set by the client itself"):
                client.with_options(headers={name: "x"})
        for value in ("a\r\nHost: evil", "a\nb", "a\x00"):
            with pytest.raises(ValueError, match="CR, LF or NUL"):
                client.with_options(headers={"X-Team": value})
        with pytest.raises(ValueError, match="not a header name"):
            client.with_options(headers={"X-Team\r\nHost": "x"})
        with pytest.raises(TypeError, match="names and values must be str"):
            client.with_options(headers={"X-Team": 5})
        with pytest.raises(TypeError, match="headers must be a mapping"):
            client.with_options(headers=[("X-Team", "x")])
        await close(client)


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
@pytest.mark.parametrize(
    ("options", "error", "names"),
    [
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": httpx.Timeout(5, read=None)}, ValueError, "timeout.read"),
        ({"max_retries": -1}, ValueError, "max_retries"),
        ({"max_retries": True}, TypeError, "max_retries"),
        ({"retry_policy": "x"}, TypeError, "retry_policy"),
        ({"attempt_timeout": math.nan}, ValueError, "attempt_timeout"),
        ({"page_timeout": -1}, ValueError, "page_timeout"),
        ({"max_response_bytes": 0}, ValueError, "max_response_bytes"),
        ({"rate_limiter": RateLimit(per_target=1.0)}, TypeError, "rate_limiter"),
    ],
)
async def test_options_are_checked_as_the_constructor_checks_them(
    vendor: Vendor, kind: str, options: dict[str, Any], error: type[Exception], names: str
) -> None:
    with scripted() as (script, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(error, match=names):
            client.with_options(**options)
        await close(client)
    assert script.requests == []
