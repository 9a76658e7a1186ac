"""The httpx side of a client (:mod:`conversation_clients._http`): one verifying TLS context, a
page's path joined to the base URL's, and a caller's own httpx client (``http_client=``) used on the
package's terms.
"""

from __future__ import annotations

import ssl
import time
from typing import Any

import certifi
import httpx
import pytest

from conversation_clients import AsyncBirdClient, BirdClient
from conversation_clients.errors import APIError, APITimeoutError, InsecureTransportError, ResponseTooLargeError
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_WORKSPACE_ID, Sandbox
from tests.support.scripted import ACCESS_KEY, BEARER_TOKEN, VENDORS, Vendor, close, items, list_pager, scripted


def _tls_context_of(client: BirdClient | AsyncBirdClient) -> ssl.SSLContext:
    # httpx keeps the context on its connection pool; neither has a public way to show it
    transport: Any = getattr(client, "_http")._transport  # noqa: B009
    context = transport._pool._ssl_context
    assert isinstance(context, ssl.SSLContext)
    return context


@pytest.mark.anyio
async def test_every_client_shares_one_verifying_tls_context() -> None:
    with BirdClient(SANDBOX_BIRD_ACCESS_KEY) as first, BirdClient(SANDBOX_BIRD_ACCESS_KEY) as second:
        async with AsyncBirdClient(SANDBOX_BIRD_ACCESS_KEY) as third:
            contexts = {id(_tls_context_of(client)): _tls_context_of(client) for client in (first, second, third)}
    assert len(contexts) == 1  # the roots are loaded once, not once per client
    (context,) = contexts.values()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


def test_a_client_made_after_ssl_cert_file_changes_gets_a_context_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    with BirdClient(SANDBOX_BIRD_ACCESS_KEY) as before:
        monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
        with BirdClient(SANDBOX_BIRD_ACCESS_KEY) as after:
            assert _tls_context_of(after) is not _tls_context_of(before)


def test_every_page_s_request_joins_the_listing_path_to_the_base_url_path() -> None:
    sandbox = Sandbox(conversations_per_workspace=25)
    paths: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        moved = request.url.copy_with(path=request.url.path.removeprefix("/gateway/v1"))
        return sandbox.transport().handle_request(httpx.Request("GET", moved, headers=request.headers))

    base_url = "https://bird.example/gateway/v1/"
    with BirdClient(SANDBOX_BIRD_ACCESS_KEY, base_url=base_url, transport=httpx.MockTransport(serve)) as bird:
        first = len(list(bird.list_conversations(SANDBOX_WORKSPACE_ID, limit=10)))
        again = len(list(bird.list_conversations(SANDBOX_WORKSPACE_ID, limit=10)))
    assert (first, again) == (25, 25)
    assert paths == [f"/gateway/v1/workspaces/{SANDBOX_WORKSPACE_ID}/conversations"] * 6


# -- ``http_client=``: a caller's own httpx client, on the package's terms -------------------------


KINDS = ["sync", "async"]


def _callers_client(kind: str, seen: list[httpx.Request], **options: Any) -> httpx.Client | httpx.AsyncClient:
    """A caller's proxy-less client that follows redirects, with a request hook of its own."""
    options.setdefault("follow_redirects", True)
    options.setdefault("base_url", "https://somewhere-else.invalid")
    if kind == "sync":
        return httpx.Client(event_hooks={"request": [seen.append]}, **options)

    async def record(request: httpx.Request) -> None:
        seen.append(request)

    return httpx.AsyncClient(event_hooks={"request": [record]}, **options)


async def _close_callers(http: httpx.Client | httpx.AsyncClient) -> None:
    if isinstance(http, httpx.AsyncClient):
        await http.aclose()
    else:
        http.close()


def _credential(vendor: Vendor) -> str:
    return f"AccessKey {ACCESS_KEY}" if vendor.name == "bird" else f"Bearer {BEARER_TOKEN}"


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_the_callers_client_sends_with_our_base_url_auth_and_headers(vendor: Vendor, kind: str) -> None:
    seen: list[httpx.Request] = []
    http = _callers_client(kind, seen, auth=("user", "password"), headers={"Accept-Encoding": "br", "X-Mine": "1"})
    with scripted(vendor.page(range(3))) as (script, base_url):
        client = vendor.client(kind, base_url, http_client=http)
        assert len(await items(list_pager(client, vendor))) == 3
        await close(client)
        assert not http.is_closed  # the caller's, to close
        await _close_callers(http)
    (request,) = script.requests  # reached our base URL, not the caller's
    assert request.headers["authorization"] == _credential(vendor)  # ours, not the caller's auth
    assert request.headers["accept-encoding"] == "gzip, deflate"  # only what the body cap decodes
    assert request.headers["user-agent"].startswith("conversation-clients/")
    assert request.headers["x-mine"] == "1"  # the caller's other headers go along
    # the caller's hook sees the request as sent, credential included: their code
    assert [r.headers["authorization"] for r in seen] == [_credential(vendor)]


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_redirect_is_not_followed_though_the_callers_client_would(vendor: Vendor, kind: str) -> None:
    seen: list[httpx.Request] = []
    http = _callers_client(kind, seen)
    with scripted() as (script, base_url):
        script.replies.append(httpx.Response(302, headers={"Location": f"{base_url}/elsewhere"}))
        script.replies.append(vendor.page(range(1)))
        client = vendor.client(kind, base_url, http_client=http, max_retries=0, retry_policy=None)
        with pytest.raises(APIError) as raised:
            await items(list_pager(client, vendor))
        assert raised.value.status_code == 302
        await close(client)
        await _close_callers(http)
    assert len(script.requests) == 1


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_plain_http_off_loopback_is_refused_with_a_callers_client(vendor: Vendor, kind: str) -> None:
    http = _callers_client(kind, [], base_url="http://api.example.com")
    with pytest.raises(InsecureTransportError):
        vendor.client(kind, "http://api.example.com", http_client=http)
    await _close_callers(http)


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_the_body_cap_holds_on_a_callers_client_and_only_for_our_requests(vendor: Vendor, kind: str) -> None:
    http = _callers_client(kind, [])
    big = vendor.page(range(20))
    with scripted(big, big, big) as (script, base_url):
        client = vendor.client(kind, base_url, http_client=http, max_response_bytes=200)
        with pytest.raises(ResponseTooLargeError):
            await items(list_pager(client, vendor))
        with pytest.raises(ResponseTooLargeError):  # and on a client derived from it
            await items(list_pager(client.with_options(max_retries=0), vendor))
        # the caller's own requests through the same client are not ours to cap
        own = http.get(f"{base_url}/theirs")
        response = own if isinstance(own, httpx.Response) else await own
        assert len(response.content) > 200
        await close(client)
        await _close_callers(http)
    assert len(script.requests) == 3


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_our_timeout_replaces_the_callers(vendor: Vendor, kind: str) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        time.sleep(1.0)
        return vendor.page(range(1))

    http = _callers_client(kind, [], timeout=httpx.Timeout(None))  # the caller's waits forever
    with scripted(slow) as (_, base_url):
        client = vendor.client(kind, base_url, http_client=http, timeout=0.2, max_retries=0, retry_policy=None)
        with pytest.raises(APITimeoutError):
            await items(list_pager(client, vendor))
        await close(client)
        await _close_callers(http)


@pytest.mark.loopback
@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_http_client_is_checked(vendor: Vendor, kind: str) -> None:
    other_kind = "async" if kind == "sync" else "sync"
    wrong = _callers_client(other_kind, [])
    right = _callers_client(kind, [])
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    with pytest.raises(TypeError, match="http_client must be an httpx"):
        vendor.client(kind, "https://api.example.com", http_client=wrong)
    with pytest.raises(TypeError, match="http_client must be an httpx"):
        vendor.client(kind, "https://api.example.com", http_client="https://proxy")
    with pytest.raises(TypeError, match="not both"):
        vendor.client(kind, "https://api.example.com", http_client=right, transport=transport)
    await _close_callers(wrong)
    await _close_callers(right)
