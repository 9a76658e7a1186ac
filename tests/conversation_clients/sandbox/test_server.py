"""The sandbox's core (:mod:`conversation_clients.sandbox._server`): every way in answers alike
(HEAD is GET without a body, in-process and on loopback), requests are counted thread-safely, and a
drop closes the connection.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from typing import Any

import httpx
import pytest

from conversation_clients.loopback import DropConnection
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_MISSING_ID,
    Faults,
    Sandbox,
)
from tests.support.sandbox_wire import (
    BIRD_HEADERS,
    OMNICHANNEL_HEADERS,
    OMNICHANNEL_PATH,
    WAYS,
    bird_http,
    bird_path,
    sandbox_http,
)

ALLOW = "GET, HEAD"


def headers_of(response: httpx.Response, *, leave_out: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return sorted(
        (name.lower(), value) for name, value in response.headers.multi_items() if name.lower() not in leave_out
    )


# (vendor, headers, path, query): the successful page, a later page, and errors of each kind.
HEAD_CASES: dict[str, tuple[Mapping[str, str], str, dict[str, Any]]] = {
    "bird page": (BIRD_HEADERS, bird_path(), {"limit": 7}),
    "bird 401": ({"Authorization": "AccessKey wrong"}, bird_path(), {}),
    "bird 404 workspace": (BIRD_HEADERS, bird_path(SANDBOX_MISSING_ID), {}),
    "bird 404 route": (BIRD_HEADERS, "/workspaces", {}),
    "bird 400": (BIRD_HEADERS, bird_path(), {"limit": 0}),
    "omnichannel page": (OMNICHANNEL_HEADERS, OMNICHANNEL_PATH, {"PageSize": 3}),
    "omnichannel 401": ({}, OMNICHANNEL_PATH, {}),
    "omnichannel 400": (OMNICHANNEL_HEADERS, OMNICHANNEL_PATH, {"PageSize": 0}),
    "omnichannel 404 route": (OMNICHANNEL_HEADERS, "/nowhere", {}),
}


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("case", HEAD_CASES)
def test_head_is_get_without_a_body(case: str, way: str) -> None:
    headers, path, query = HEAD_CASES[case]
    with sandbox_http(Sandbox(conversations_per_workspace=20), way, headers) as http:
        get = http.get(path, params=query)
        head = http.head(path, params=query)
        again = http.get(path, params=query)  # a HEAD leaves the connection usable

    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content)) != "0"
    # every header as the GET had it, Content-Length included; the correlation id is new per request
    assert headers_of(head, leave_out=("x-ms-correlation-id",)) == headers_of(get, leave_out=("x-ms-correlation-id",))
    assert again.content == get.content


@pytest.mark.parametrize("way", WAYS)
def test_head_of_a_fault_is_the_fault_without_a_body(way: str) -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("503",)))
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        head = http.head(bird_path())

    assert head.status_code == 503 and head.content == b"" and int(head.headers["content-length"]) > 0


def test_head_counts_as_a_request_and_goes_through_the_rate_limit() -> None:
    sandbox = Sandbox(faults=Faults(requests_per_second=1))
    with sandbox_http(sandbox, "in-process", BIRD_HEADERS) as http:
        statuses = [http.head(bird_path()).status_code for _ in range(3)]

    assert statuses[0] == 200 and 429 in statuses
    assert sandbox.request_count == 3


@pytest.mark.anyio
async def test_the_async_transport_answers_methods_alike() -> None:
    async with httpx.AsyncClient(
        transport=Sandbox().async_transport(), base_url="https://sandbox", headers=OMNICHANNEL_HEADERS
    ) as http:
        options = await http.options(OMNICHANNEL_PATH)
        get = await http.get(OMNICHANNEL_PATH)
        head = await http.head(OMNICHANNEL_PATH)

    assert options.status_code == 405 and options.headers["allow"] == ALLOW
    assert options.json()["status"] == 405
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(get.content))


# -- The Sandbox object itself: arguments, counting, thread safety, and data computed on demand ----


def test_request_count_counts_every_request_and_resets() -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=0.5, seed=1))
    with bird_http(sandbox) as http, bird_http(sandbox, access_key=None) as anonymous:
        for _ in range(7):
            try:
                http.get(bird_path())
            except httpx.RemoteProtocolError:
                pass
        anonymous.get(bird_path())
    assert sandbox.request_count == 8
    sandbox.reset_counts()
    assert sandbox.request_count == 0


def test_counting_and_fault_draws_are_thread_safe() -> None:
    sandbox = Sandbox(conversations_per_workspace=0, faults=Faults(failure_rate=0.5, seed=3))
    request = httpx.Request(
        "GET", f"https://bird{bird_path()}", headers={"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"}
    )
    dropped = [0] * 8

    def work(slot: int) -> None:
        for _ in range(250):
            dropped[slot] += sandbox.reply(request).dropped

    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    single = Sandbox(conversations_per_workspace=0, faults=Faults(failure_rate=0.5, seed=3))
    assert sandbox.request_count == 2000
    # the same 2000 draws as one thread makes, only interleaved: the same number of drops
    assert sum(dropped) == sum(single.reply(request).dropped for _ in range(2000))


def test_handle_raises_drop_connection_for_a_drop() -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("drop",)))
    request = httpx.Request(
        "GET", f"https://bird{bird_path()}", headers={"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"}
    )
    with pytest.raises(DropConnection):
        sandbox.handle(request)


def test_serve_answers_on_loopback_through_the_same_code() -> None:
    sandbox = Sandbox(conversations_per_workspace=3)
    with sandbox.serve() as base_url, httpx.Client(base_url=base_url) as http:
        served = http.get(bird_path(), headers={"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"})
    with bird_http(sandbox) as http:
        in_process = http.get(bird_path())

    assert base_url.startswith("http://127.0.0.1:")
    assert served.json() == in_process.json()
    assert sandbox.request_count == 2


def test_the_in_process_transports_report_the_request_written_before_answering() -> None:
    # As httpcore does over a network: the clients' prefetch builds the page it holds once the
    # next request is out, and would otherwise wait for the sandbox's whole latency.
    sandbox = Sandbox(conversations_per_workspace=3, faults=Faults(latency=0.01))
    seen: list[tuple[str, int]] = []

    def trace(event: str, info: dict[str, Any]) -> None:
        seen.append((event, sandbox.request_count))

    async def async_trace(event: str, info: dict[str, Any]) -> None:
        trace(event, info)

    with bird_http(sandbox) as http:
        assert http.get(bird_path(), extensions={"trace": trace}).status_code == 200
    expected = [("http11.send_request_headers.complete", 0), ("http11.send_request_body.complete", 0)]
    assert seen == expected  # both before the sandbox counted (and answered) the request

    async def fetch_async() -> int:
        headers = {"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"}
        async with httpx.AsyncClient(
            transport=sandbox.async_transport(), base_url="https://b", headers=headers
        ) as http:
            return (await http.get(bird_path(), extensions={"trace": async_trace})).status_code

    seen.clear()
    assert asyncio.run(fetch_async()) == 200
    assert seen == [(event, 1) for event, _ in expected]


def test_added_conversations_are_served_by_every_vendor_and_counted_once_each_when_added_at_once() -> None:
    sandbox = Sandbox(conversations_per_workspace=4)
    threads = [threading.Thread(target=sandbox.add_conversations, args=(3,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sandbox.conversations == 4 + 8 * 3
    with sandbox_http(sandbox, "in-process", BIRD_HEADERS) as http:
        assert http.get(bird_path(), params={"limit": 100}).json()["total"] == 28
    with sandbox_http(sandbox, "in-process", OMNICHANNEL_HEADERS) as http:
        assert len(http.get(OMNICHANNEL_PATH, params={"PageSize": 100}).json()["conversations"]) == 28
