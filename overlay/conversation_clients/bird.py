"""Bird Conversations API: list the conversations of a workspace.

Example::

    with BirdClient(access_key="...") as bird:
        for conversation in bird.list_conversations(workspace_id, limit=100):
            print(conversation.id, conversation.status)
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from bird_conversations.api.conversation.list_conversations import build_request_kwargs
from bird_conversations.models import Conversation, ConversationPage
from bird_conversations.types import UNSET

from conversation_clients._arguments import require_page_size, require_page_token, require_uuid
from conversation_clients._client import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncClientShell,
    Listing,
    SyncClientShell,
    http_client_options,
    read_json_page,
    retry_policy_for,
    transfer_limits,
)
from conversation_clients._body import DEFAULT_MAX_RESPONSE_BYTES
from conversation_clients._deadline import DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_PAGE_TIMEOUT
from conversation_clients._validation import SchemaRef
from conversation_clients.auth import AccessKeyAuth
from conversation_clients.pagination import AsyncPager, FetchedPage, SyncPager
from conversation_clients.retry import RetryPolicy

__all__ = ["BIRD_BASE_URL", "AsyncBirdClient", "BirdClient", "conversations_listing"]

BIRD_BASE_URL = "https://api.bird.com"
MAX_LIMIT = 100
MAX_RESOURCE_LENGTH = 60
PAGE_SCHEMA = SchemaRef(
    "bird_conversations",
    "/paths/~1workspaces~1{workspaceId}~1conversations/get/responses/200/content/application~1json/schema",
)


def _check_resource(resource: str | None) -> None:
    if resource is None:
        return
    # caller input, checked at run time whatever the annotation says
    if not isinstance(resource, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"resource must be a string, not {type(resource).__name__}")
    if not 0 < len(resource) <= MAX_RESOURCE_LENGTH:
        raise ValueError(f"resource must be 1 to {MAX_RESOURCE_LENGTH} characters, got {len(resource)}")


def read_conversation_page(response: httpx.Response, token: str | None) -> FetchedPage[Conversation]:
    """Read a 2xx list response: its next token now, its conversations when the page is built."""
    return read_json_page(
        response,
        token,
        model=ConversationPage,
        schema=PAGE_SCHEMA,
        items_field="results",
        token_field="nextPageToken",
        items_of=lambda page: page.results,
    )


def conversations_listing(
    workspace_id: str | uuid.UUID,
    *,
    limit: int | None = None,
    reverse: bool | None = None,
    resource: str | None = None,
    page_token: str | None = None,
) -> Listing[Conversation]:
    """Describe ``GET /workspaces/{workspaceId}/conversations``; checks every argument first.

    >>> listing = conversations_listing("e58899bf-1e8d-4ff7-b9db-a60befaf90d2", limit=100)
    >>> listing.request_kwargs("next")["params"]
    {'limit': 100, 'pageToken': 'next'}
    """
    workspace = require_uuid(workspace_id, "workspace_id")
    require_page_size(limit, "limit", maximum=MAX_LIMIT)
    _check_resource(resource)
    # caller input, checked at run time whatever the annotation says
    if reverse is not None and not isinstance(reverse, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"reverse must be a bool, not {type(reverse).__name__}")
    require_page_token(page_token, "page_token")

    def request_kwargs(token: str | None) -> dict[str, Any]:
        return build_request_kwargs(
            workspace,
            limit=UNSET if limit is None else limit,
            page_token=UNSET if token is None else token,
            reverse=UNSET if reverse is None else reverse,
            resource=UNSET if resource is None else resource,
        )

    return Listing(request_kwargs=request_kwargs, read_page=read_conversation_page, start_token=page_token or None)


def _bird_options(access_key: str, base_url: str, timeout: float | httpx.Timeout) -> dict[str, Any]:
    return http_client_options(base_url=base_url, auth=AccessKeyAuth(access_key), timeout=timeout)


class BirdClient(SyncClientShell):
    """Lists Bird conversations; sends ``Authorization: AccessKey <key>``.

    GETs are retried on connection errors, timeouts, 408, 429 and 5xx (``max_retries``, default
    2; 0 disables), honouring ``Retry-After``. ``transport`` takes any httpx transport (tests,
    proxies). The key never appears in a repr, an error message or a log line.

    ``prefetch`` (default True) requests page n+1, on a background thread, while page n is
    built and worked through; ``prefetch=False`` keeps every request on the calling thread.

    Limits (see the README): ``max_response_bytes`` (default 16 MiB) caps every response body,
    counted as it streams, compressed and decoded: past it, ``ResponseTooLargeError``.
    ``attempt_timeout`` (default 60 s) bounds one attempt from sending to the body's last byte;
    ``page_timeout`` (default 300 s) bounds a page fetch, its retries and ``Retry-After`` waits
    included. Past either, ``APITimeoutError``. With a ``transport=`` of your own, the sync
    client checks the attempt deadline between body chunks only (it cannot bound a single read).

    Example::

        with BirdClient(access_key="...") as bird:
            for page in bird.list_conversations(workspace_id).pages():
                save(page.items, checkpoint=page.next_token)
    """

    def __init__(
        self,
        access_key: str,
        *,
        base_url: str = BIRD_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        prefetch: bool = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        page_timeout: float = DEFAULT_PAGE_TIMEOUT,
    ) -> None:
        super().__init__(
            _bird_options(access_key, base_url, timeout),
            transport=transport,
            policy=retry_policy_for(max_retries, retry_policy),
            prefetch=prefetch,
            limits=transfer_limits(
                max_response_bytes=max_response_bytes, attempt_timeout=attempt_timeout, page_timeout=page_timeout
            ),
        )

    def list_conversations(
        self,
        workspace_id: str | uuid.UUID,
        *,
        limit: int | None = None,
        reverse: bool | None = None,
        resource: str | None = None,
        page_token: str | None = None,
    ) -> SyncPager[Conversation]:
        """List a workspace's conversations, fetching pages as you iterate.

        ``limit`` is the page size (1 to 100; Bird's default is 10). ``page_token`` resumes from
        a saved ``Page.next_token`` or an error's ``resume_token``. Arguments are checked before
        any request is sent.
        """
        return self._paginate(
            conversations_listing(workspace_id, limit=limit, reverse=reverse, resource=resource, page_token=page_token)
        )


class AsyncBirdClient(AsyncClientShell):
    """The async twin of :class:`BirdClient`: same arguments, ``async with``, ``async for``.

    ``prefetch`` (default True) requests page n+1 while you work through page n; leaving a
    listing early cancels that request.

    Example::

        async with AsyncBirdClient(access_key="...") as bird:
            async for conversation in bird.list_conversations(workspace_id):
                print(conversation.id)
    """

    def __init__(
        self,
        access_key: str,
        *,
        base_url: str = BIRD_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        prefetch: bool = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        page_timeout: float = DEFAULT_PAGE_TIMEOUT,
    ) -> None:
        super().__init__(
            _bird_options(access_key, base_url, timeout),
            transport=transport,
            policy=retry_policy_for(max_retries, retry_policy),
            prefetch=prefetch,
            limits=transfer_limits(
                max_response_bytes=max_response_bytes, attempt_timeout=attempt_timeout, page_timeout=page_timeout
            ),
        )

    def list_conversations(
        self,
        workspace_id: str | uuid.UUID,
        *,
        limit: int | None = None,
        reverse: bool | None = None,
        resource: str | None = None,
        page_token: str | None = None,
    ) -> AsyncPager[Conversation]:
        """List a workspace's conversations; see :meth:`BirdClient.list_conversations`."""
        return self._paginate(
            conversations_listing(workspace_id, limit=limit, reverse=reverse, resource=resource, page_token=page_token)
        )
