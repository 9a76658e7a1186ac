"""Items 8 to 10 of issue 17: the rate limiter's and Retry-After's arithmetic, over loopback.

* A 429's ``Retry-After`` holds the target whatever the limiter's ``burst``: the next request
  arrives no sooner (it used to go at once with burst 5).
* Bird's per-workspace limit holds behind a ``base_url`` with a path (a proxy's or a gateway's
  prefix): it used to count each conversation as a target of its own.
* ``retry-after-ms`` is capped at one year in seconds: ``100000000`` ms is 100,000 s (it read
  as 31,536 s).

Times are the server's: when each request's head arrived. The margins are generous (a request
waits a tenth less than asked at most) and the bounds one-sided, so a loaded machine only makes
these tests slower, never red. The limiter and Retry-After tests run the client in this process
(a ``RateLimiter`` cannot cross into the hostile child as JSON); nothing here sends a bomb, and
every client has a page deadline.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from conversation_clients import AsyncBirdClient, BirdClient
from conversation_clients.errors import RateLimitError
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.retry import RetryPolicy
from tests.hostile.harness import run_listing
from tests.hostile.pages import MODES, VENDORS, bird_body
from tests.hostile.server import Behaviour, Connection, Request, json_page, raw, serve

ACCESS_KEY = "bird-key-s3cr3t-DO-NOT-LEAK"
WORKSPACE_ID = "e58899bf-1e8d-4ff7-b9db-a60befaf90d2"
#: four conversations of one workspace
CONVERSATIONS = [f"16e1df9e-c6ac-406b-b1ce-13f34d0dea0{n}" for n in range(4)]
#: every client here gives up well before the test would hang
BOUNDED: dict[str, Any] = {"timeout": 5.0, "attempt_timeout": 5.0, "page_timeout": 10.0, "prefetch": False}


class Arrivals:
    """Wraps behaviours to note when each request's head arrived (``time.monotonic``), and its path."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.targets: list[str] = []
        self._lock = threading.Lock()

    def timed(self, behaviour: Behaviour) -> Behaviour:
        def behave(connection: Connection, request: Request) -> None:
            with self._lock:
                self.times.append(time.monotonic())
                self.targets.append(request.target)
            behaviour(connection, request)

        return behave

    def gaps(self) -> list[float]:
        """The time between each request and the one before it, in arrival order."""
        ordered = sorted(self.times)
        return [later - earlier for earlier, later in zip(ordered, ordered[1:], strict=False)]


def bird_429(retry_after: str) -> Behaviour:
    body = json.dumps({"code": "TooManyRequests", "message": "slow down"}).encode()
    head = (
        "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nConnection: close\r\n"
        f"Retry-After: {retry_after}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return raw(head.encode() + body)


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


# -- item 8: a Retry-After hold is not cut short by the burst ------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("burst", [1, 5, 10])
async def test_after_a_429_the_next_request_waits_out_retry_after_whatever_the_burst(mode: str, burst: int) -> None:
    arrivals = Arrivals()
    limiter = RateLimiter(RateLimit(per_target=10.0, burst=burst))
    no_retries = {"retry_policy": RetryPolicy(max_retries=0)}  # the 429 ends the first listing: no retry's sleep
    with serve(arrivals.timed(bird_429("0.5")), arrivals.timed(json_page(bird_body([1], None)))) as server:
        with pytest.raises(RateLimitError) as raised:
            await list_conversations(mode, limiter, server.base_url, **no_retries)
        assert raised.value.retry_after == 0.5
        await list_conversations(mode, limiter, server.base_url, **no_retries)  # the next request: held
    assert len(arrivals.times) == 2
    assert arrivals.gaps()[0] >= 0.45  # was a few ms with burst 5 or 10


# -- item 9: Bird's per-workspace limit behind a base_url with a path ------------------------


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


# -- item 10: a millisecond Retry-After is capped in seconds --------------------------------


def unavailable_with(vendor: str, header: str, value: str) -> Behaviour:
    """A 503 whose only wait is ``header: value``."""
    body = (
        {"code": "Unavailable", "message": "down"}
        if vendor == "bird"
        else {"title": "Service Unavailable", "status": 503, "detail": "down"}
    )
    encoded = json.dumps(body).encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
        f"{header}: {value}\r\nContent-Length: {len(encoded)}\r\n\r\n"
    )
    return raw(head.encode() + encoded)


@pytest.mark.parametrize("header", ["retry-after-ms", "x-ms-retry-after-ms"])
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_100000000_ms_retry_after_is_100000_seconds_and_not_attempted(vendor: str, header: str) -> None:
    retrying = {"retry_policy": {"max_retries": 2, "initial_delay": 0.05, "max_delay": 0.05, "max_retry_after": 60.0}}
    with serve(unavailable_with(vendor, header, "100000000"), json_page({})) as server:
        outcome = run_listing(vendor, "sync", server.base_url, client_options=retrying, timeout=30)
        requests = len(server.requests)
    # over max_retry_after: the typed error at once, with the wait the server asked for
    assert outcome.error_type == "ServerError", outcome.error_message
    assert outcome.error_attributes["retry_after"] == 100_000.0  # was 31,536 s
    assert requests == 1
