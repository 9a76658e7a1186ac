"""The shells every client is built on (:mod:`conversation_clients._shells`): both vendors, sync
and async, over real loopback HTTP (paging, resume, retries, errors, secrets), and
``client.with_options(...)``, a client of the same class sharing the connection pool.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any

import httpx
import pytest

from conversation_clients import BirdClient, OmnichannelClient, errors
from conversation_clients.errors import APITimeoutError, ResponseTooLargeError, ServerError
from conversation_clients.loopback import DropConnection
from conversation_clients.pagination import SyncPager
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.retry import RetryPolicy
from tests.support.scripted import (
    ACCESS_KEY,
    BEARER_TOKEN,
    BIRD,
    CHANNEL_ID,
    OMNI,
    ORGANIZATION_ID,
    VENDORS,
    WORKSPACE_ID,
    Vendor,
    close,
    first_pages,
    items,
    list_pager,
    pages,
    scripted,
)

pytestmark = pytest.mark.loopback


def _ids(vendor: Vendor, listed: list[Any]) -> list[int]:
    return [int(vendor.item_id(item).replace("-", ""), 16) for item in listed]


@pytest.mark.anyio
async def test_lists_every_page_in_order(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(3), "t2"), vendor.page(range(3, 6), "t3"), vendor.page(range(6, 7))) as (
        script,
        base_url,
    ):
        client = vendor.client(kind, base_url)
        listed = await items(list_pager(client, vendor, size=3))
        await close(client)

    assert _ids(vendor, listed) == list(range(7))
    queries = [dict(request.url.params) for request in script.requests]
    assert [query.get(vendor.token_param) for query in queries] == [None, "t2", "t3"]
    assert all(query[vendor.size_param] == "3" for query in queries)


@pytest.mark.anyio
async def test_every_request_carries_credentials_and_identity(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(1), "t2"), vendor.page(range(1, 2))) as (script, base_url):
        client = vendor.client(kind, base_url)
        await items(list_pager(client, vendor))
        await close(client)

    for request in script.requests:
        assert request.headers["accept"] == "application/json"
        assert request.headers["user-agent"].startswith("conversation-clients/")
        if vendor.family == "bird":
            assert request.headers["authorization"] == f"AccessKey {ACCESS_KEY}"
            assert request.url.path == vendor.path
        else:
            assert request.headers["authorization"] == f"Bearer {BEARER_TOKEN}"
            assert request.headers["channel-id"] == CHANNEL_ID
            assert request.headers["organization-id"] == ORGANIZATION_ID
            assert request.url.path == "/api/v1.0/consumer/conversations"


@pytest.mark.anyio
@pytest.mark.parametrize("ending", ["absent", "null", "empty"])
async def test_listing_ends_on_absent_null_or_empty_token(vendor: Vendor, kind: str, ending: str) -> None:
    last = (
        vendor.page(range(2, 3), omit_token=True)
        if ending == "absent"
        else vendor.page(range(2, 3), None if ending == "null" else "")
    )
    with scripted(vendor.page(range(2), "t2"), last) as (script, base_url):
        client = vendor.client(kind, base_url)
        listed = await pages(list_pager(client, vendor))
        await close(client)

    assert [page.next_token for page in listed] == ["t2", None]
    assert [page.token for page in listed] == [None, "t2"]
    assert len(script.requests) == 2


@pytest.mark.anyio
async def test_empty_page_with_a_token_goes_on(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page([], "t2"), vendor.page(range(1))) as (_, base_url):
        client = vendor.client(kind, base_url)
        listed = await items(list_pager(client, vendor))
        await close(client)
    assert _ids(vendor, listed) == [0]


@pytest.mark.anyio
async def test_resume_from_a_saved_token(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(2), "t2"), vendor.page(range(2, 4), "t3"), vendor.page(range(4, 5))) as (
        script,
        base_url,
    ):
        # the script answers in order, whatever the token: a prefetch would take the resumed page
        client = vendor.client(kind, base_url, prefetch=False)
        (first,) = await first_pages(list_pager(client, vendor), 1)
        resumed = await items(list_pager(client, vendor, resume=first.next_token))
        await close(client)

    assert _ids(vendor, resumed) == [2, 3, 4]
    assert [request.url.params.get(vendor.token_param) for request in script.requests] == [None, "t2", "t3"]


@pytest.mark.anyio
async def test_repeated_token_is_a_pagination_error_not_a_loop(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(1), "t2"), vendor.page(range(1, 2), "t3"), vendor.page(range(2, 3), "t2")) as (
        script,
        base_url,
    ):
        client = vendor.client(kind, base_url)
        with pytest.raises(errors.PaginationError) as caught:
            await items(list_pager(client, vendor))
        await close(client)

    assert len(script.requests) == 3
    assert caught.value.resume_token == "t3"
    assert caught.value.token == "t2"


@pytest.mark.anyio
async def test_token_repeating_the_start_token_is_caught(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(1), "saved")) as (_, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(errors.PaginationError):
            await items(list_pager(client, vendor, resume="saved"))
        await close(client)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("failures", "attempts"),
    [
        ([httpx.Response(503)], 2),
        ([httpx.Response(500), httpx.Response(502)], 3),
        ([httpx.Response(429, headers={"Retry-After": "0"})], 2),
        ([httpx.Response(429)], 2),
        ([httpx.Response(408)], 2),
        ([httpx.Response(520)], 2),
        ([httpx.Response(599, headers={"retry-after-ms": "1"})], 2),
    ],
    ids=["503", "500-502", "429-retry-after", "429-bare", "408", "520", "599-retry-after-ms"],
)
async def test_retryable_failures_are_retried(
    vendor: Vendor, kind: str, failures: list[httpx.Response], attempts: int
) -> None:
    with scripted(*failures, vendor.page(range(2))) as (script, base_url):
        client = vendor.client(kind, base_url)
        listed = await items(list_pager(client, vendor))
        await close(client)
    assert _ids(vendor, listed) == [0, 1]
    assert len(script.requests) == attempts


@pytest.mark.anyio
async def test_dropped_connections_are_retried(vendor: Vendor, kind: str) -> None:
    def drop(request: httpx.Request) -> httpx.Response:
        raise DropConnection

    with scripted(drop, drop, vendor.page(range(1))) as (script, base_url):
        client = vendor.client(kind, base_url)
        listed = await items(list_pager(client, vendor))
        await close(client)
    assert len(listed) == 1
    assert len(script.requests) == 3


@pytest.mark.anyio
async def test_timeouts_are_retried_then_raised(vendor: Vendor, kind: str) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        time.sleep(0.3)
        return vendor.page(range(1))

    with scripted(slow, slow, slow) as (script, base_url):
        client = vendor.client(kind, base_url, timeout=httpx.Timeout(0.05))
        with pytest.raises(errors.APITimeoutError) as caught:
            await items(list_pager(client, vendor))
        await close(client)
    assert len(script.requests) == 3
    assert caught.value.resume_token is None


@pytest.mark.anyio
async def test_retries_exhausted_raise_the_typed_error_with_attempt_count(vendor: Vendor, kind: str) -> None:
    with scripted(httpx.Response(520), httpx.Response(520), httpx.Response(520), vendor.page(range(1))) as (
        script,
        base_url,
    ):
        client = vendor.client(kind, base_url)
        with pytest.raises(errors.ServerError) as caught:
            await items(list_pager(client, vendor))
        await close(client)
    assert caught.value.status_code == 520
    assert len(script.requests) == 3


@pytest.mark.anyio
async def test_max_retries_zero_sends_once(vendor: Vendor, kind: str) -> None:
    with scripted(httpx.Response(503), vendor.page(range(1))) as (script, base_url):
        client = vendor.client(kind, base_url, retry_policy=None, max_retries=0)
        with pytest.raises(errors.ServerError):
            await items(list_pager(client, vendor))
        await close(client)
    assert len(script.requests) == 1


@pytest.mark.anyio
async def test_default_policy_retries_twice(vendor: Vendor, kind: str) -> None:
    retry_now = {"Retry-After": "0"}
    with scripted(
        httpx.Response(503, headers=retry_now), httpx.Response(503, headers=retry_now), vendor.page(range(1))
    ) as (
        script,
        base_url,
    ):
        client = vendor.client(kind, base_url, retry_policy=None)
        assert len(await items(list_pager(client, vendor))) == 1
        await close(client)
    assert len(script.requests) == 3


@pytest.mark.anyio
async def test_retry_after_beyond_the_cap_fails_at_once(vendor: Vendor, kind: str) -> None:
    with scripted(httpx.Response(429, headers={"Retry-After": "3600"}), vendor.page(range(1))) as (script, base_url):
        client = vendor.client(kind, base_url)
        started = time.monotonic()
        with pytest.raises(errors.RateLimitError) as caught:
            await items(list_pager(client, vendor))
        await close(client)
    assert caught.value.retry_after == 3600
    assert len(script.requests) == 1
    assert time.monotonic() - started < 30  # it did not sleep an hour


@pytest.mark.anyio
async def test_retry_after_is_honoured(vendor: Vendor, kind: str) -> None:
    with scripted(httpx.Response(429, headers={"Retry-After": "0.3"}), vendor.page(range(1))) as (_, base_url):
        client = vendor.client(kind, base_url)
        started = time.monotonic()
        await items(list_pager(client, vendor))
        await close(client)
    assert time.monotonic() - started >= 0.3


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (422, errors.BadRequestError),
        (405, errors.APIError),
    ],
)
async def test_error_statuses_map_to_typed_errors(
    vendor: Vendor, kind: str, status: int, error_class: type[errors.APIError]
) -> None:
    headers = {"x-ms-correlation-id": "corr-123"}
    with scripted(httpx.Response(status, json=vendor.error_body(status, "30007"), headers=headers)) as (
        script,
        base_url,
    ):
        client = vendor.client(kind, base_url)
        with pytest.raises(error_class) as caught:
            await items(list_pager(client, vendor))
        await close(client)

    error = caught.value
    assert type(error) is error_class
    assert error.status_code == status
    assert error.request_id == "corr-123"
    assert error.message == f"{vendor.family} says {status}"
    assert error.code == ("30007" if vendor.family == "bird" else 30007)
    assert isinstance(error.body, dict)
    assert len(script.requests) == 1  # not retried


@pytest.mark.anyio
async def test_error_mid_listing_carries_the_resume_token(vendor: Vendor, kind: str) -> None:
    with scripted(
        vendor.page(range(2), "t2"),
        httpx.Response(503),
        httpx.Response(503),
        httpx.Response(503),
        vendor.page(range(2, 4)),
    ) as (script, base_url):
        client = vendor.client(kind, base_url)
        seen: list[Any] = []
        with pytest.raises(errors.ServerError) as caught:
            pager = list_pager(client, vendor)
            if isinstance(pager, SyncPager):
                for item in pager:
                    seen.append(item)
            else:
                async for item in pager:
                    seen.append(item)
        resumed = await items(list_pager(client, vendor, resume=caught.value.resume_token))
        await close(client)

    assert caught.value.resume_token == "t2"
    assert _ids(vendor, seen + resumed) == [0, 1, 2, 3]  # nothing lost, nothing repeated
    assert script.requests[-1].url.params[vendor.token_param] == "t2"


@pytest.mark.anyio
async def test_redirects_are_not_followed_to_another_origin(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(1))) as (elsewhere, other_url):
        with scripted(httpx.Response(307, headers={"Location": f"{other_url}/steal"})) as (_, base_url):
            client = vendor.client(kind, base_url)
            with pytest.raises(errors.APIError) as caught:
                await items(list_pager(client, vendor))
            await close(client)
    assert caught.value.status_code == 307
    assert elsewhere.requests == []


@pytest.mark.anyio
async def test_secrets_and_tokens_never_reach_logs_reprs_or_messages(
    vendor: Vendor, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with scripted(
        vendor.page(range(1), "page-token-SECRET-1"),
        httpx.Response(503),
        vendor.page(range(1, 2), "page-token-SECRET-2"),
        httpx.Response(401, json=vendor.error_body(401, "30002")),
    ) as (_, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(errors.AuthenticationError) as caught:
            await items(list_pager(client, vendor))
        client_repr = repr(client)
        await close(client)

    ours = [record.getMessage() for record in caplog.records if record.name.startswith("conversation_clients")]
    assert len([line for line in ours if "attempt" in line]) == 4  # one line per attempt
    # credentials appear nowhere, in any logger (httpx's and httpcore's included) at any level
    everything = "\n".join([caplog.text, client_repr, str(caught.value), repr(caught.value)])
    for secret in (ACCESS_KEY, BEARER_TOKEN):
        assert secret not in everything
    # page tokens are redacted from our lines and errors (httpx's own INFO line shows its URL as is)
    ours_and_errors = "\n".join([*ours, client_repr, str(caught.value), repr(caught.value)])
    assert "page-token-SECRET" not in ours_and_errors


@pytest.mark.anyio
async def test_plain_http_to_a_remote_host_is_refused(vendor: Vendor, kind: str) -> None:
    with pytest.raises(errors.InsecureTransportError):
        vendor.client(kind, "http://api.example.com")
    with pytest.raises(ValueError):  # also a ValueError, as argument errors are
        vendor.client(kind, "http://api.example.com")


@pytest.mark.anyio
async def test_input_checks_happen_before_any_request(vendor: Vendor, kind: str) -> None:
    with scripted(vendor.page(range(1))) as (script, base_url):
        client = vendor.client(kind, base_url)
        for bad_size in (0, vendor.max_size + 1, -5):
            with pytest.raises(ValueError, match="limit|page_size"):
                list_pager(client, vendor, size=bad_size)
        with pytest.raises(TypeError, match="limit|page_size"):
            list_pager(client, vendor, size="10")
        await close(client)
    assert script.requests == []


@pytest.mark.anyio
async def test_a_body_that_fails_to_decode_is_a_typed_error(vendor: Vendor, kind: str) -> None:
    broken_gzip = httpx.Response(200, stream=httpx.ByteStream(b"not gzip at all"), headers={"Content-Encoding": "gzip"})
    with scripted(broken_gzip, vendor.page(range(1))) as (script, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(errors.APIConnectionError) as caught:
            await items(list_pager(client, vendor))
        await close(client)
    assert "DecodingError" in str(caught.value)
    assert len(script.requests) == 1  # the same bytes would come back: not retried


# -- ``client.with_options(...)``: a client of the same class sharing the connection pool ----------


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


# -- what each request costs: built once where it can be, as httpx would build it ---------------


def test_a_listing_s_first_page_url_is_built_once_per_client_as_httpx_builds_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # httpx parses the whole URL again to add a query to it; a listing's first page is the same
    # URL whenever the arguments are, so each client encodes it once
    merged: list[str] = []
    merge = httpx.URL.copy_merge_params

    def counted(url: httpx.URL, params: Any) -> httpx.URL:
        merged.append(url.path)
        return merge(url, params)

    monkeypatch.setattr(httpx.URL, "copy_merge_params", counted)
    with scripted(*[BIRD.page(range(1)) for _ in range(3)]) as (script, base_url):
        with BirdClient(ACCESS_KEY, base_url=base_url) as bird:
            for _ in range(3):
                assert len(list(bird.list_conversations(WORKSPACE_ID, limit=5, reverse=True))) == 1
        sent = [request.url for request in script.requests]
    listing_path = f"/workspaces/{WORKSPACE_ID}/conversations"
    assert merged.count(listing_path) == 1
    expected = httpx.Request("GET", f"{base_url}{listing_path}", params={"limit": 5, "reverse": True}).url
    assert sent == [expected] * 3
    # not with a caller's httpx client that has query parameters of its own: httpx puts them first
    with scripted(BIRD.page(range(1)), BIRD.page(range(1))) as (script, base_url):
        with (
            httpx.Client(params={"team": "exports"}) as http,
            BirdClient(ACCESS_KEY, base_url=base_url, http_client=http) as bird,
        ):
            for _ in range(2):
                list(bird.list_conversations(WORKSPACE_ID, limit=5))
        assert [request.url.query for request in script.requests] == [b"team=exports&limit=5"] * 2


def test_an_operation_s_headers_are_placed_as_httpx_would_without_its_copies(monkeypatch: pytest.MonkeyPatch) -> None:
    # Omnichannel's organization and channel are header parameters: appended to the request, after
    # the client's own, as httpx's merge would, without the header copies that merge makes
    merges: list[object] = []
    update = httpx.Headers.update

    def counted(headers: httpx.Headers, other: Any = None) -> None:
        merges.append(other)
        update(headers, other)

    monkeypatch.setattr(httpx.Headers, "update", counted)
    with scripted(OMNI.page(range(1))) as (script, base_url):
        client = OmnichannelClient(base_url, organization_id=ORGANIZATION_ID, channel_id=CHANNEL_ID, token=BEARER_TOKEN)
        with client:
            assert len(list(client.list_conversations())) == 1
        (request,) = script.requests
    assert not [other for other in merges if isinstance(other, dict) and "channel-id" in other]
    names = [name.decode().lower() for name, _value in request.headers.raw]
    assert names[-3:] == ["channel-id", "organization-id", "authorization"]  # after the client's own
    assert {"accept", "user-agent", "accept-encoding"} <= set(names[:-3])
    assert (request.headers["channel-id"], request.headers["organization-id"]) == (CHANNEL_ID, ORGANIZATION_ID)
