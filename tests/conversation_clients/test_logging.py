"""Logging (:mod:`conversation_clients._logging`): no log line, ours or httpx's or httpcore's, at
any level, carries a page token or a credential (a token replaced by a refresh included); one
environment variable switches the package's logging on.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import httpx
import pytest

from conversation_clients import LOG_ENV
from conversation_clients._logging import GUARDED_LOGGERS, SECRETS_KEPT_PER_OWNER, hide_in_logs, scrub_log_text
from conversation_clients.loopback import serve as serve_handler
from conversation_clients.pagination import SyncPager
from tests.support.scripted import (
    ACCESS_KEY,
    BEARER_TOKEN,
    OMNI,
    Vendor,
    close,
    items,
    list_pager,
    scripted,
)

pytestmark = pytest.mark.anyio
# Distinctive tokens, so that a leak cannot hide behind a common word.
TOKENS = ("tok-Alpha-7f3e9c1d", "tok-Bravo-2b8a4e6f", "tok/Charlie+1==")


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


def _echoing(response: httpx.Response, request_seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    """A reply that echoes the request's credential back in a response header (httpcore logs
    response headers at DEBUG)."""

    def reply(request: httpx.Request) -> httpx.Response:
        request_seen.append(request)
        response.headers["x-echo"] = request.headers.get("authorization", "")
        return response

    return reply


@pytest.mark.loopback
async def test_no_line_of_a_listing_shows_a_token_or_a_credential(
    vendor: Vendor, kind: str, every_log_line: _Everything
) -> None:
    seen: list[httpx.Request] = []
    replies = [
        _echoing(vendor.page(range(2), TOKENS[0]), seen),
        _echoing(vendor.page(range(2, 4), TOKENS[1]), seen),
        _echoing(vendor.page(range(4, 6), TOKENS[2]), seen),
        _echoing(vendor.page(range(6, 7)), seen),
    ]
    with scripted(*replies) as (_script, base_url):
        client = vendor.client(kind, base_url)
        listed = await items(list_pager(client, vendor, size=2))
        await close(client)

    assert len(listed) == 7
    # the tokens did travel in the URLs, and the lines that would show them were written
    assert [request.url.params.get(vendor.token_param) for request in seen] == [None, *TOKENS]
    text = "\n".join(every_log_line.lines)
    assert "httpx INFO HTTP Request: GET" in text
    assert "httpcore.http11 DEBUG receive_response_headers.complete" in text
    assert "x-echo" in text
    for secret in (*TOKENS, ACCESS_KEY, BEARER_TOKEN):
        for form in (secret, httpx.QueryParams({"t": secret}).get("t"), str(httpx.QueryParams({"t": secret}))[2:]):
            assert form is not None and form not in text, f"{form!r} leaked into the log"


@pytest.mark.loopback
def test_query_values_are_masked_by_name_and_other_values_kept() -> None:
    line = scrub_log_text("GET /w?limit=5&pageToken=a%2Fb&page%54oken=x&reverse=true&ContinuationToken=y")
    assert line == "GET /w?limit=5&pageToken=***&page%54oken=***&reverse=true&ContinuationToken=***"


@pytest.mark.loopback
@pytest.mark.subprocess
def test_a_log_switch_in_the_environment_turns_logging_on() -> None:
    code = (
        "import logging, conversation_clients; "
        "logging.getLogger('conversation_clients').debug('hello %s', 'https://x/y?pageToken=zzz-secret')"
    )
    environment = {key: value for key, value in os.environ.items() if key != LOG_ENV}
    quiet = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)
    loud = subprocess.run(
        [sys.executable, "-c", code], env={**environment, LOG_ENV: "debug"}, capture_output=True, text=True, timeout=60
    )
    assert quiet.returncode == loud.returncode == 0
    assert quiet.stderr == ""
    assert "DEBUG conversation_clients: hello https://x/y?pageToken=***" in loud.stderr
    assert "zzz-secret" not in loud.stderr


# -- Items 5 to 7 of issue 17: a credential a server echoes back, where it still slipped through ---


KINDS = ["sync", "async"]
# Bearer tokens from one issuer share a long prefix, as JWTs do; each ends in its own tail.
_ISSUER = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.token-"
TAILS = [f"{letter}Q7xWv{letter}" for letter in "abcdefghijklmnop"]
WAIT = 10.0  # seconds any one step may take before the test gives up


# -- 5: a token replaced by a refresh while a request carrying it is in flight ------------------
@pytest.mark.hostile
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


@pytest.mark.hostile
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
