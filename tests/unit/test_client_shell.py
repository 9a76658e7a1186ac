"""What the shells give every httpx client they build."""

from __future__ import annotations

import ssl
from typing import Any

import certifi
import httpx
import pytest

from conversation_clients import AsyncBirdClient, BirdClient
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_WORKSPACE_ID, Sandbox


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
