"""Closing a sync fan-out early: it returns within the attempt deadline and sends nothing more.

Over real loopback HTTP (:func:`conversation_clients.loopback.serve`), the server noting when
each request arrived. Every close runs on a thread joined with a timeout, so a regression fails
instead of hanging the run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import Any, Literal

import httpx
import pytest

from bird_conversations.models import Conversation
from conversation_clients import BirdClient
from conversation_clients.fleet import TargetPage, fan_out_sync
from conversation_clients.loopback import serve
from conversation_clients.pagination import SyncPager
from conversation_clients.ratelimit import RateLimit, RateLimiter
from tests.integration.harness import ACCESS_KEY, WORKSPACE_ID, bird_page

#: What the fan-out lists for each target, from its resume token.
Listing = Callable[[str, str | None], SyncPager[Conversation]]

ATTEMPT_TIMEOUT = 2.0
#: What closing may take beyond the attempt deadline (thread hand-offs, a loaded machine).
MARGIN = 0.75
#: The longest a test waits for close() at all: past it, close() is taken to hang.
HARD_LIMIT = 20.0

Prefetch = bool | Literal["always"]


class TimedServer:
    """Answers with ``answer(request)`` and notes when each request arrived (``time.monotonic``)."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self._answer = answer
        self._lock = threading.Lock()
        self.arrivals: list[tuple[float, str | None]] = []  # (when, page token)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.arrivals.append((time.monotonic(), request.url.params.get("pageToken")))
        return self._answer(request)

    def count(self) -> int:
        with self._lock:
            return len(self.arrivals)

    def since(self, moment: float) -> list[str | None]:
        """The page tokens of the requests that arrived at ``moment`` or later."""
        with self._lock:
            return [token for when, token in self.arrivals if when >= moment]

    def wait_for(self, count: int, within: float = 10.0) -> None:
        deadline = time.monotonic() + within
        while self.count() < count:
            assert time.monotonic() < deadline, f"the server saw {self.count()} requests, expected {count}"
            time.sleep(0.01)


@contextmanager
def timed_server(answer: Callable[[httpx.Request], httpx.Response]) -> Generator[tuple[TimedServer, str], None, None]:
    server = TimedServer(answer)
    with serve(server) as base_url:
        yield server, base_url


def _client(base_url: str, prefetch: Prefetch, **options: Any) -> BirdClient:
    # the default retry policy: it honours Retry-After, as the setting did
    return BirdClient(ACCESS_KEY, base_url=base_url, attempt_timeout=ATTEMPT_TIMEOUT, prefetch=prefetch, **options)


def _close_timed(results: Generator[Any, None, None]) -> tuple[float, float]:
    """Close ``results`` on a thread; (when closing began, how long it took). Fails past HARD_LIMIT."""
    failure: list[BaseException] = []

    def close() -> None:
        try:
            results.close()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failure.append(error)

    closer = threading.Thread(target=close, name="closing the fan-out", daemon=True)
    began = time.monotonic()
    closer.start()
    closer.join(HARD_LIMIT)
    took = time.monotonic() - began
    assert not closer.is_alive(), f"close() did not return within {HARD_LIMIT:g} s"
    assert failure == []
    return began, took


def _page_two_unavailable(request: httpx.Request) -> httpx.Response:
    if request.url.params.get("pageToken") is None:
        return bird_page(range(3), "t2")
    return httpx.Response(
        503, json={"code": "ServiceUnavailable", "message": "try later"}, headers={"Retry-After": "3"}
    )


@pytest.mark.parametrize("prefetch", [False, "always"], ids=["no-prefetch", "prefetch-always"])
def test_closing_during_a_retry_back_off_returns_at_once_and_sends_nothing_more(prefetch: Prefetch) -> None:
    with timed_server(_page_two_unavailable) as (server, base_url), _client(base_url, prefetch) as client:
        listing: Listing = lambda target, token: client.list_conversations(target, page_token=token)  # noqa: E731
        results = fan_out_sync([WORKSPACE_ID], listing, concurrency=1)
        first = next(results)
        assert isinstance(first, TargetPage) and first.page.next_token == "t2"
        server.wait_for(2)  # page 2 answered 503: its retry waits out Retry-After
        time.sleep(0.2)
        began, took = _close_timed(results)
        time.sleep(0.5)  # a request sent after close() returned would arrive by now
        assert server.since(began) == []
    assert took < ATTEMPT_TIMEOUT + MARGIN


def _endless_pages(request: httpx.Request) -> httpx.Response:
    number = int(request.url.params.get("pageToken") or 1)
    return bird_page(range(number * 10, number * 10 + 2), str(number + 1))


@pytest.mark.parametrize("prefetch", [False, "always"], ids=["no-prefetch", "prefetch-always"])
def test_closing_starts_no_further_page_fetch(prefetch: Prefetch) -> None:
    # One page handed over, the next waiting in the queue (it holds one: concurrency=1), and the
    # worker blocked handing over a third: emptying the queue on close used to let that one
    # through, and the worker went on to fetch a fourth.
    for trial in range(5):
        with timed_server(_endless_pages) as (server, base_url), _client(base_url, prefetch) as client:
            listing: Listing = lambda target, token: client.list_conversations(target, page_token=token)  # noqa: E731
            results = fan_out_sync([WORKSPACE_ID], listing, concurrency=1)
            assert isinstance(next(results), TargetPage)
            server.wait_for(3)
            time.sleep(0.2)  # the worker now waits to hand over page 3 (and page 4 is prefetched)
            seen = server.count()
            began, took = _close_timed(results)
            time.sleep(0.2)
            assert server.since(began) == [], f"trial {trial}: requests after close() began"
            assert server.count() == seen
        assert took < ATTEMPT_TIMEOUT + MARGIN


def test_closing_during_a_rate_limiter_wait_returns_at_once_and_sends_nothing_more() -> None:
    # The limiter's waits are the request flow's Sleep steps too: page 2 may go 4 s after page 1.
    limiter = RateLimiter(RateLimit(per_target=0.25))
    with timed_server(_endless_pages) as (server, base_url), _client(base_url, False, rate_limiter=limiter) as client:
        listing: Listing = lambda target, token: client.list_conversations(target, page_token=token)  # noqa: E731
        results = fan_out_sync([WORKSPACE_ID], listing, concurrency=1)
        assert isinstance(next(results), TargetPage)
        time.sleep(0.2)  # the worker now waits for page 2's slot
        began, took = _close_timed(results)
        time.sleep(0.5)
        assert server.since(began) == []
        assert server.count() == 1
    assert took < ATTEMPT_TIMEOUT + MARGIN
