"""The Sandbox object itself: arguments, counting, thread safety, and data computed on demand."""

from __future__ import annotations

import asyncio
import threading
import tracemalloc
from typing import Any

import httpx
import pytest

from conversation_clients.loopback import DropConnection
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_CHANNEL_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
    Faults,
    Sandbox,
)
from tests.sandbox.helpers import bird_http, bird_path


def test_the_fixed_ids_are_uuids_and_the_defaults_use_them() -> None:
    sandbox = Sandbox()
    assert sandbox.workspaces == (SANDBOX_WORKSPACE_ID,)
    assert sandbox.channels == (SANDBOX_CHANNEL_ID,)
    assert sandbox.organization_id == SANDBOX_ORGANIZATION_ID
    assert (sandbox.bird_access_key, sandbox.omnichannel_token) == (SANDBOX_BIRD_ACCESS_KEY, SANDBOX_OMNICHANNEL_TOKEN)
    assert SANDBOX_BIRD_ACCESS_KEY == "sandbox-bird-access-key"
    assert SANDBOX_OMNICHANNEL_TOKEN == "sandbox-omnichannel-token"
    assert (sandbox.conversations_per_workspace, sandbox.seed, sandbox.faults) == (25, 0, Faults())


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"conversations_per_workspace": -1}, ValueError),
        ({"conversations_per_workspace": 2.5}, TypeError),
        ({"conversations_per_workspace": True}, TypeError),
        ({"workspaces": ()}, ValueError),
        ({"workspaces": SANDBOX_WORKSPACE_ID}, TypeError),  # a bare string, not a sequence of them
        ({"workspaces": ("not-a-uuid",)}, ValueError),
        ({"workspaces": (SANDBOX_WORKSPACE_ID, SANDBOX_WORKSPACE_ID.upper())}, ValueError),
        ({"channels": ()}, ValueError),
        ({"organization_id": "acme"}, ValueError),
        ({"bird_access_key": ""}, ValueError),
        ({"omnichannel_token": ""}, ValueError),
        ({"faults": {"failure_rate": 0.1}}, TypeError),
        ({"seed": "1"}, TypeError),
    ],
)
def test_bad_arguments_are_refused(options: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        Sandbox(**options)


def test_the_repr_shows_no_credential() -> None:
    text = repr(Sandbox(bird_access_key="secret-key-1", omnichannel_token="secret-token-2"))
    assert "secret" not in text and "Sandbox(" in text


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


def test_a_page_deep_in_200000_conversations_is_computed_without_materialising_the_rest() -> None:
    sandbox = Sandbox(conversations_per_workspace=200_000)
    with bird_http(sandbox) as http:
        tracemalloc.start()
        try:
            body = http.get(bird_path(), params={"reverse": "true", "limit": 100}).json()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert body["total"] == 200_000
    assert [item["id"] for item in body["results"][:2]] == [
        sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 199_999)["id"],
        sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 199_998)["id"],
    ]
    assert peak < 8_000_000  # one page, not 200,000 conversations (that would be hundreds of MB)


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
