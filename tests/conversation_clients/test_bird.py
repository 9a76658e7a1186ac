"""Bird's module (:mod:`conversation_clients.bird`): its rate-limit target (the workspace, behind
any base URL path), its own argument checks, and "List conversation messages" with its arguments
on the wire, over loopback.
"""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest

from bird_conversations.models import Message
from conversation_clients import AsyncBirdClient, BirdClient
from conversation_clients.bird import BIRD as BIRD_PROFILE
from conversation_clients.ratelimit import RateLimit, RateLimiter
from tests.support.arrivals import BOUNDED, Arrivals
from tests.support.hostile.server import Behaviour, Connection, Request, json_page, serve
from tests.support.scripted import (
    ACCESS_KEY,
    BIRD,
    BIRD_MESSAGES,
    CONVERSATION_ID,
    WORKSPACE_ID,
    close,
    items,
    scripted,
)

# --- the Bird target: its workspace, wherever the path puts it ---------------------------------

WORKSPACE = "e58899bf-1e8d-4ff7-b9db-a60befaf90d2"
CONVERSATION = "16e1df9e-c6ac-406b-b1ce-13f34d0dea08"


@pytest.mark.parametrize(
    "base_path",
    ["", "/bird", "/v1/bird/", "/gateway/workspaces/team", "/workspaces/proxy/workspaces"],
    ids=["none", "prefix", "deeper-prefix", "prefix-naming-workspaces", "prefix-ending-in-workspaces"],
)
@pytest.mark.parametrize(
    "operation",
    [f"/workspaces/{WORKSPACE}/conversations", f"/workspaces/{WORKSPACE}/conversations/{CONVERSATION}/messages"],
    ids=["conversations", "messages"],
)
def test_the_bird_target_is_the_workspace_whatever_the_base_url_path(base_path: str, operation: str) -> None:
    # issue 17, item 9: behind a base_url with a path, each conversation used to be a target of its own
    request = httpx.Request("GET", f"https://gw.example{base_path.rstrip('/')}{operation}?limit=10")
    assert BIRD_PROFILE.rate_limit_target(request) == WORKSPACE


@pytest.mark.parametrize("path", ["/", "/health", "/bird/workspaces", "/bird/workspaces/"])
def test_a_bird_path_without_a_workspace_counts_as_itself(path: str) -> None:
    assert BIRD_PROFILE.rate_limit_target(httpx.Request("GET", f"https://gw.example{path}")) == path


# -- Both vendors, sync and async, over real loopback HTTP: paging, resume, retries, errors --------


@pytest.mark.anyio
@pytest.mark.loopback
async def test_bird_specific_input_checks(kind: str) -> None:
    client = BIRD.client(kind, "http://127.0.0.1:9")
    with pytest.raises(ValueError, match="workspace_id"):
        client.list_conversations("not-a-uuid")
    with pytest.raises(ValueError, match="resource"):
        client.list_conversations(WORKSPACE_ID, resource="x" * 61)
    await close(client)


# -- Bird's "List conversation messages" over loopback: its own arguments on the wire --------------


@pytest.mark.anyio
@pytest.mark.loopback
async def test_every_argument_goes_out_as_the_document_names_it(kind: str) -> None:
    with scripted(BIRD_MESSAGES.page(range(2), "t2"), BIRD_MESSAGES.page(range(2, 3))) as (script, base_url):
        client = BIRD_MESSAGES.client(kind, base_url)
        listed = await items(
            client.list_messages(
                WORKSPACE_ID, CONVERSATION_ID, limit=2, reverse=True, date_from="2025-04-15T12:36:40.9049594+02:00"
            )
        )
        await close(client)
    assert [type(message) for message in listed] == [Message] * 3
    assert [request.url.path for request in script.requests] == [BIRD_MESSAGES.path] * 2
    first, second = (dict(request.url.params) for request in script.requests)
    # every fractional digit of the text given is sent back
    assert first == {"limit": "2", "reverse": "true", "dateFrom": "2025-04-15T12:36:40.9049594+02:00"}
    assert second == {**first, "pageToken": "t2"}


@pytest.mark.anyio
@pytest.mark.loopback
@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"conversation_id": "nope"}, ValueError, "conversation_id must be a UUID"),
        ({"limit": 101}, ValueError, r"limit must be between 1 and 100"),
        ({"reverse": 1}, TypeError, "reverse must be a bool"),
        ({"date_from": datetime.datetime(2025, 4, 15)}, ValueError, "date_from must include a timezone"),
        ({"page_token": "a" * 40_000}, ValueError, "page_token cannot be sent back"),
    ],
    ids=["conversation-id", "limit", "reverse", "naive-date-from", "token"],
)
def test_arguments_are_checked_from_the_document_before_anything_is_sent(
    arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    with scripted() as (script, base_url):
        client = BIRD_MESSAGES.client("sync", base_url)
        call = {"workspace_id": WORKSPACE_ID, "conversation_id": CONVERSATION_ID, **arguments}
        with pytest.raises(error, match=message):
            client.list_messages(**call)
        client.close()
    assert script.requests == []


# -- Items 8 to 10 of issue 17: the rate limiter's and Retry-After's arithmetic, over loopback -----


#: four conversations of one workspace
CONVERSATIONS = [f"16e1df9e-c6ac-406b-b1ce-13f34d0dea0{n}" for n in range(4)]
#: every client here gives up well before the test would hang


def under_prefix(prefix: str, answer: Behaviour) -> Behaviour:
    """``answer`` for a request under ``prefix + /workspaces/``; a 404 for any other path."""
    not_found = json_page({"code": "NotFound", "message": "no such path"}, status=404)

    def behave(connection: Connection, request: Request) -> None:
        (answer if request.target.startswith(f"{prefix}/workspaces/{WORKSPACE_ID}/") else not_found)(
            connection, request
        )

    return behave


async def list_conversations(mode: str, limiter: RateLimiter, base_url: str, **options: Any) -> None:
    """One listing of :data:`WORKSPACE_ID`'s conversations with a new client sharing ``limiter``."""
    if mode == "sync":
        with BirdClient(ACCESS_KEY, base_url=base_url, rate_limiter=limiter, **BOUNDED, **options) as bird:
            list(bird.list_conversations(WORKSPACE_ID))
    else:
        async with AsyncBirdClient(ACCESS_KEY, base_url=base_url, rate_limiter=limiter, **BOUNDED, **options) as bird:
            [item async for item in bird.list_conversations(WORKSPACE_ID)]


# -- item 9: Bird's per-workspace limit behind a base_url with a path ------------------------
@pytest.mark.hostile
@pytest.mark.anyio
@pytest.mark.parametrize(
    ("prefix", "mode"),
    [("", "sync"), ("/bird", "sync"), ("/bird", "async"), ("/gateway/workspaces/team", "sync")],
    ids=["no-prefix", "bird-sync", "bird-async", "prefix-naming-workspaces"],
)
async def test_bird_spaces_requests_per_workspace_behind_a_base_url_path(prefix: str, mode: str) -> None:
    arrivals = Arrivals()
    limiter = RateLimiter(RateLimit(per_target=2.0))  # one request each 0.5 s per workspace
    page = under_prefix(prefix, json_page({"results": []}))
    with serve(arrivals.timed(page)) as server:
        base_url = server.base_url + prefix
        if mode == "sync":
            with BirdClient(ACCESS_KEY, base_url=base_url, rate_limiter=limiter, **BOUNDED) as bird:
                for conversation in CONVERSATIONS:
                    assert list(bird.list_messages(WORKSPACE_ID, conversation)) == []
        else:
            async with AsyncBirdClient(ACCESS_KEY, base_url=base_url, rate_limiter=limiter, **BOUNDED) as bird:
                for conversation in CONVERSATIONS:
                    assert [message async for message in bird.list_messages(WORKSPACE_ID, conversation)] == []
    assert [target.split("?")[0] for target in arrivals.targets] == [
        f"{prefix}/workspaces/{WORKSPACE_ID}/conversations/{conversation}/messages" for conversation in CONVERSATIONS
    ]
    # four requests of one workspace at 2/s: three gaps of 0.5 s (1.5 s in all); they were ~0 behind /bird
    assert all(gap >= 0.45 for gap in arrivals.gaps()), arrivals.gaps()
    assert max(arrivals.times) - min(arrivals.times) >= 1.4
