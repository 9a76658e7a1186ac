"""A scripted loopback server and vendor adapters, so each behaviour is tested once for
both vendors and both the sync and the async clients."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Generator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import httpx

from conversation_clients import AsyncBirdClient, AsyncOmnichannelClient, BirdClient, OmnichannelClient
from conversation_clients.loopback import serve
from conversation_clients.pagination import AsyncPager, Page, SyncPager
from conversation_clients.retry import RetryPolicy

Reply = httpx.Response | Callable[[httpx.Request], httpx.Response]
AnyClient = BirdClient | AsyncBirdClient | OmnichannelClient | AsyncOmnichannelClient
AnyPager = SyncPager[Any] | AsyncPager[Any]

ACCESS_KEY = "bird-key-s3cr3t-DO-NOT-LEAK"
BEARER_TOKEN = "entra-token-s3cr3t-DO-NOT-LEAK"
WORKSPACE_ID = "e58899bf-1e8d-4ff7-b9db-a60befaf90d2"
ORGANIZATION_ID = "11111111-2222-3333-4444-555555555555"
CHANNEL_ID = "66666666-7777-8888-9999-000000000000"
FAST_RETRIES = RetryPolicy(max_retries=2, initial_delay=0.001, max_delay=0.002)


class Script:
    """Answers requests with the replies given, in order, and records every request it saw."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            if not self.replies:
                return httpx.Response(599, json={"message": "the test script has no reply left"})
            reply = self.replies.pop(0)
        return reply(request) if callable(reply) else reply


@contextmanager
def scripted(*replies: Reply) -> Generator[tuple[Script, str], None, None]:
    """A loopback server answering from a :class:`Script`; yields (script, base_url)."""
    script = Script(*replies)
    with serve(script) as base_url:
        yield script, base_url


@attrs.frozen
class Vendor:
    """What differs between the vendors, for tests written once for both."""

    name: str
    token_param: str
    size_param: str
    max_size: int
    make: Callable[..., AnyClient]
    make_async: Callable[..., AnyClient]
    page: Callable[..., httpx.Response]
    item_id: Callable[[Any], str]
    list_kwargs: Callable[..., dict[str, Any]]
    error_body: Callable[[int, str], dict[str, Any]]
    family: str = ""  # the vendor whose client lists (Bird's operations share one client)
    method: str = "list_conversations"
    path: str = ""

    def client(self, kind: str, base_url: str, **options: Any) -> Any:
        """A client of this vendor; typed Any because the tests using it are vendor-agnostic.

        Prefetch starts on the first page (``"always"``) unless a test says otherwise: a loopback
        server answers too soon for the default to start it, and these tests were written to
        drive the sync clients' worker thread (retries, errors, resume tokens on prefetched pages).
        """
        options.setdefault("retry_policy", FAST_RETRIES)
        options.setdefault("prefetch", "always")
        maker = self.make if kind == "sync" else self.make_async
        return maker(base_url, **options)


def bird_conversation(number: int) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=number)),
        "name": f"Conversation {number}",
        "status": "active",
        "visibility": "private",
        "accessibility": "open",
        "activeParticipantCount": 1,
        "channelId": "7b0eb8a0-606b-59f1-bd90-43cacb048146",
        "createdAt": "2024-11-27T14:47:59.577Z",
        "updatedAt": "2024-11-27T14:47:59.577Z",
        "featuredParticipants": [],
        "platformStyle": "email",
    }


CONVERSATION_ID = "16e1df9e-c6ac-406b-b1ce-13f34d0dea08"
_MESSAGE: dict[str, Any] = json.loads((Path(__file__).parent / "fixtures" / "bird_list_messages_200.json").read_text())[
    "results"
][0]


def bird_message(number: int) -> dict[str, Any]:
    """The vendor's example message, numbered."""
    return {**_MESSAGE, "id": str(uuid.UUID(int=number))}


def bird_messages_page(numbers: range | list[int], token: object = None, *, omit_token: bool = False) -> httpx.Response:
    body: dict[str, Any] = {"results": [bird_message(n) for n in numbers]}
    if not omit_token:
        body["nextPageToken"] = token
    return httpx.Response(200, json=body)


def bird_page(numbers: range | list[int], token: object = None, *, omit_token: bool = False) -> httpx.Response:
    body: dict[str, Any] = {"results": [bird_conversation(n) for n in numbers]}
    if not omit_token:
        body["nextPageToken"] = token
    return httpx.Response(200, json=body)


def omni_page(numbers: range | list[int], token: object = None, *, omit_token: bool = False) -> httpx.Response:
    body: dict[str, Any] = {
        "conversations": [
            {"conversationid": str(uuid.UUID(int=n)), "timestamp": "2025-04-15T12:36:40.9049594Z"} for n in numbers
        ]
    }
    if not omit_token:
        body["continuationtoken"] = token
    return httpx.Response(200, json=body)


def _make_bird(base_url: str, **options: Any) -> BirdClient:
    return BirdClient(ACCESS_KEY, base_url=base_url, **options)


def _make_async_bird(base_url: str, **options: Any) -> AsyncBirdClient:
    return AsyncBirdClient(ACCESS_KEY, base_url=base_url, **options)


def _omni_options(options: dict[str, Any]) -> dict[str, Any]:
    options.setdefault("token", BEARER_TOKEN)
    options.setdefault("polling_warning_interval", None)
    return {"organization_id": ORGANIZATION_ID, "channel_id": CHANNEL_ID, **options}


def _make_omni(base_url: str, **options: Any) -> OmnichannelClient:
    return OmnichannelClient(base_url, **_omni_options(options))


def _make_async_omni(base_url: str, **options: Any) -> AsyncOmnichannelClient:
    return AsyncOmnichannelClient(base_url, **_omni_options(options))


def _bird_kwargs(*, size: int | None = None, resume: str | None = None) -> dict[str, Any]:
    return {"workspace_id": WORKSPACE_ID, "limit": size, "page_token": resume}


def _bird_messages_kwargs(*, size: int | None = None, resume: str | None = None) -> dict[str, Any]:
    return {"workspace_id": WORKSPACE_ID, "conversation_id": CONVERSATION_ID, "limit": size, "page_token": resume}


def _omni_kwargs(*, size: int | None = None, resume: str | None = None) -> dict[str, Any]:
    return {"page_size": size, "continuation_token": resume}


BIRD = Vendor(
    name="bird", token_param="pageToken", size_param="limit", max_size=100,
    make=_make_bird, make_async=_make_async_bird, page=bird_page,
    item_id=lambda conversation: str(conversation.id), list_kwargs=_bird_kwargs,
    error_body=lambda status, code: {"code": code, "message": f"bird says {status}", "details": {"hint": "x"}},
    family="bird", path=f"/workspaces/{WORKSPACE_ID}/conversations",
)  # fmt: skip
# Bird's "List conversation messages": a generated method of the same clients, tested like the others.
BIRD_MESSAGES = attrs.evolve(
    BIRD, name="bird-messages", page=bird_messages_page, list_kwargs=_bird_messages_kwargs, method="list_messages",
    path=f"/workspaces/{WORKSPACE_ID}/conversations/{CONVERSATION_ID}/messages",
)  # fmt: skip
OMNI = Vendor(
    name="omnichannel", token_param="ContinuationToken", size_param="PageSize", max_size=250,
    make=_make_omni, make_async=_make_async_omni, page=omni_page,
    item_id=lambda conversation: str(conversation.conversationid), list_kwargs=_omni_kwargs,
    error_body=lambda status, code: {"type": "about:blank", "title": "Problem", "status": status,
                                     "detail": f"omnichannel says {status}", "errorCode": int(code)},
    family="omnichannel", path="/api/v1.0/consumer/conversations",
)  # fmt: skip
VENDORS = [BIRD, OMNI]
#: Every paginated operation of both vendors' clients: the listing tests run for each.
OPERATIONS = [BIRD, BIRD_MESSAGES, OMNI]


def list_pager(client: Any, vendor: Vendor, **kwargs: Any) -> AnyPager:
    pager: AnyPager = getattr(client, vendor.method)(**vendor.list_kwargs(**kwargs))
    return pager


def omni_client(kind: str, base_url: str, **options: Any) -> OmnichannelClient | AsyncOmnichannelClient:
    """A typed Omnichannel client for the Omnichannel-only tests."""
    client: OmnichannelClient | AsyncOmnichannelClient = OMNI.client(kind, base_url, **options)
    return client


async def items(pager: AnyPager) -> list[Any]:
    """All items, whichever kind of pager."""
    if isinstance(pager, AsyncPager):
        return [item async for item in pager]
    return list(pager)


async def pages(pager: AnyPager) -> list[Page[Any]]:
    """All pages, whichever kind of pager."""
    if isinstance(pager, AsyncPager):
        return [page async for page in pager.pages()]
    return list(pager.pages())


async def first_pages(pager: AnyPager, count: int) -> list[Page[Any]]:
    """The first ``count`` pages, then stop iterating."""
    taken: list[Page[Any]] = []
    if isinstance(pager, AsyncPager):
        iterator: AsyncIterator[Page[Any]] = pager.pages()
        async for page in iterator:
            taken.append(page)
            if len(taken) == count:
                break
        return taken
    for page in pager.pages():
        taken.append(page)
        if len(taken) == count:
            break
    return taken


async def close(client: AnyClient) -> None:
    if isinstance(client, (AsyncBirdClient, AsyncOmnichannelClient)):
        await client.aclose()
    else:
        client.close()
