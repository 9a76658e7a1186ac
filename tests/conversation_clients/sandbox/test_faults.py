"""Fault injection (:mod:`conversation_clients.sandbox._faults`): configuration, rates by seed,
latency, rate limiting and dropped connections.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest

from conversation_clients import errors
from conversation_clients.retry import RetryPolicy
from conversation_clients.sandbox import (
    FAULT_KINDS,
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_CHANNEL_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
    Faults,
    Sandbox,
)
from tests.support.sandbox_wire import OMNICHANNEL_PATH, bird_http, bird_path

pytestmark = pytest.mark.anyio
FAST_RETRIES = RetryPolicy(max_retries=20, initial_delay=0.001, max_delay=0.002)


def bird_request(access_key: str = SANDBOX_BIRD_ACCESS_KEY) -> httpx.Request:
    return httpx.Request("GET", f"https://bird{bird_path()}", headers={"Authorization": f"AccessKey {access_key}"})


def omnichannel_request() -> httpx.Request:
    return httpx.Request(
        "GET",
        f"https://omni{OMNICHANNEL_PATH}",
        headers={
            "Authorization": f"Bearer {SANDBOX_OMNICHANNEL_TOKEN}",
            "organization-id": SANDBOX_ORGANIZATION_ID,
            "channel-id": SANDBOX_CHANNEL_ID,
        },
    )


def outcome(sandbox: Sandbox, request: httpx.Request) -> str:
    """Which fault kind (or "ok") the sandbox answered ``request`` with."""
    reply = sandbox.reply(request)
    if reply.response is None:
        return "drop"
    status = reply.response.status_code
    if status == 429:
        return "429-retry-after" if "retry-after" in reply.response.headers else "429"
    return "ok" if status == 200 else str(status)


# -- configuration ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"failure_rate": -0.1}, ValueError),
        ({"failure_rate": 1.01}, ValueError),
        ({"failure_rate": float("nan")}, ValueError),
        ({"failure_rate": "0.5"}, TypeError),
        ({"kinds": ("404",)}, ValueError),
        ({"failure_rate": 0.5, "kinds": ()}, ValueError),
        ({"latency": -1.0}, ValueError),
        ({"latency": float("inf")}, ValueError),
        ({"retry_after_seconds": -1.0}, ValueError),
        ({"requests_per_second": 0}, ValueError),
        ({"requests_per_second": True}, TypeError),
        ({"seed": 1.5}, TypeError),
    ],
)
def test_faults_refuse_values_out_of_range(options: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        Faults(**options)


def test_faults_default_to_none_and_list_every_kind() -> None:
    faults = Faults()
    assert (faults.failure_rate, faults.latency, faults.requests_per_second) == (0.0, 0.0, None)
    assert faults.kinds == FAULT_KINDS == ("429", "429-retry-after", "500", "503", "520", "drop")


# -- rates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("make_request", [bird_request, omnichannel_request], ids=["bird", "omnichannel"])
def test_every_fault_kind_comes_at_the_configured_rate(make_request: Any) -> None:
    sandbox = Sandbox(conversations_per_workspace=0, faults=Faults(failure_rate=0.3, seed=11))
    outcomes = Counter(outcome(sandbox, make_request()) for _ in range(3000))

    assert outcomes["ok"] / 3000 == pytest.approx(0.7, abs=0.04)
    for kind in FAULT_KINDS:  # each kind gets a sixth of the 30 %
        assert outcomes[kind] / 3000 == pytest.approx(0.05, abs=0.02), kind
    assert sandbox.request_count == 3000


def test_only_the_configured_kinds_are_drawn() -> None:
    sandbox = Sandbox(conversations_per_workspace=0, faults=Faults(failure_rate=0.5, kinds=("503", "520")))
    outcomes = Counter(outcome(sandbox, bird_request()) for _ in range(400))

    assert set(outcomes) == {"ok", "503", "520"}


def test_the_same_seed_gives_the_same_faults_and_another_seed_other_ones() -> None:
    def run(seed: int) -> list[str]:
        sandbox = Sandbox(conversations_per_workspace=0, faults=Faults(failure_rate=0.5, seed=seed))
        return [outcome(sandbox, bird_request()) for _ in range(200)]

    assert run(1) == run(1)
    assert run(1) != run(2)


def test_faults_never_touch_a_request_that_fails_on_its_own() -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0))
    statuses = {sandbox.handle(bird_request(access_key="wrong")).status_code for _ in range(50)}

    assert statuses == {401}


# -- fault bodies -------------------------------------------------------------------------------


def test_fault_responses_look_like_each_vendors() -> None:
    def answer(kind: str, request: httpx.Request) -> httpx.Response:
        sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=(kind,), retry_after_seconds=0.25))
        response = sandbox.reply(request).response
        assert response is not None
        return response

    assert answer("500", bird_request()).json()["code"] == "InternalError"
    assert answer("503", bird_request()).json()["code"] == "ServiceUnavailable"
    assert "retry-after" not in answer("429", bird_request()).headers
    assert answer("429-retry-after", bird_request()).headers["retry-after"] == "0.25"
    assert answer("520", bird_request()).headers["content-type"].startswith("text/html")
    for kind in ("429", "429-retry-after", "500", "503"):
        problem = answer(kind, omnichannel_request())
        assert problem.json()["status"] == int(kind[:3])
        assert "x-ms-correlation-id" in problem.headers
    assert "x-ms-correlation-id" in answer("520", omnichannel_request()).headers


# -- rate limit ---------------------------------------------------------------------------------


def test_the_rate_limit_answers_429_with_retry_after_until_a_slot_frees() -> None:
    sandbox = Sandbox(conversations_per_workspace=0, faults=Faults(requests_per_second=5))
    admitted = [sandbox.reply(bird_request(), now=100.0 + i * 0.1).response for i in range(5)]
    limited = sandbox.reply(bird_request(), now=100.6).response
    omnichannel_limited = sandbox.reply(omnichannel_request(), now=100.7).response
    freed = sandbox.reply(bird_request(), now=101.01).response

    assert [response.status_code for response in admitted if response] == [200] * 5
    assert limited is not None and limited.status_code == 429
    assert limited.json()["code"] == "TooManyRequests"
    assert limited.headers["retry-after"] == "0.4"  # the first of the five leaves the window at 101.0
    assert omnichannel_limited is not None and omnichannel_limited.status_code == 429
    assert omnichannel_limited.headers["retry-after"] == "0.3"
    assert omnichannel_limited.json()["status"] == 429
    assert freed is not None and freed.status_code == 200


def test_a_client_listing_faster_than_the_rate_limit_waits_as_told_and_gets_everything() -> None:
    # 20 requests a second: the 21st page is refused with Retry-After of about a second. A client
    # ignoring the header would spend its 20 quick retries in milliseconds and fail.
    sandbox = Sandbox(conversations_per_workspace=24, faults=Faults(requests_per_second=20))
    with sandbox.bird_client(retry_policy=FAST_RETRIES) as bird:
        listed = list(bird.list_conversations(SANDBOX_WORKSPACE_ID, limit=1))

    assert [conversation.id for conversation in listed] == [
        uuid.UUID(sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, index)["id"]) for index in range(24)
    ]
    assert sandbox.request_count > 24  # some were refused


# -- latency ------------------------------------------------------------------------------------


def test_latency_delays_every_answer_in_process_and_on_loopback() -> None:
    sandbox = Sandbox(faults=Faults(latency=0.05))
    started = time.monotonic()
    with bird_http(sandbox) as http:
        for _ in range(3):
            http.get(bird_path())
    in_process = time.monotonic() - started
    with sandbox.serve() as base_url, httpx.Client(base_url=base_url) as http:
        started = time.monotonic()
        for _ in range(3):
            http.get(bird_path())  # a 401 is delayed too
        served = time.monotonic() - started

    assert in_process >= 3 * 0.05 * 0.9
    assert served >= 3 * 0.05 * 0.9


async def test_async_latency_does_not_block_the_event_loop() -> None:
    sandbox = Sandbox(faults=Faults(latency=0.1))
    ticks_while_waiting = 0
    done = asyncio.Event()

    async def tick() -> None:
        nonlocal ticks_while_waiting
        while not done.is_set():
            await asyncio.sleep(0.005)
            ticks_while_waiting += 0 if done.is_set() else 1

    ticker = asyncio.create_task(tick())
    started = time.monotonic()
    async with httpx.AsyncClient(transport=sandbox.async_transport(), base_url="https://bird") as http:
        response = await http.get(bird_path(), headers={"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"})
    done.set()
    await ticker

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.09
    assert ticks_while_waiting >= 3  # with time.sleep the loop could not have ticked at all


# -- dropped connections ------------------------------------------------------------------------

DROP_EVERYTHING = Faults(failure_rate=1.0, kinds=("drop",))


def test_a_drop_in_process_is_a_remote_protocol_error() -> None:
    with bird_http(Sandbox(faults=DROP_EVERYTHING)) as http, pytest.raises(httpx.RemoteProtocolError):
        http.get(bird_path())


async def test_a_drop_in_process_async_is_a_remote_protocol_error() -> None:
    sandbox = Sandbox(faults=DROP_EVERYTHING)
    async with httpx.AsyncClient(transport=sandbox.async_transport(), base_url="https://bird") as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get(bird_path(), headers={"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"})


def test_a_drop_over_loopback_is_a_remote_protocol_error() -> None:
    sandbox = Sandbox(faults=DROP_EVERYTHING)
    with sandbox.serve() as base_url, httpx.Client(base_url=base_url) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(bird_path(), headers={"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"})
        # the server is still there for the next connection
        assert http.get(bird_path()).status_code == 401


def test_the_clients_report_a_drop_as_a_connection_error_after_retrying() -> None:
    sandbox = Sandbox(faults=DROP_EVERYTHING)
    with sandbox.bird_client(retry_policy=RetryPolicy(max_retries=2, initial_delay=0.001, max_delay=0.001)) as bird:
        with pytest.raises(errors.APIConnectionError) as caught:
            list(bird.list_conversations(SANDBOX_WORKSPACE_ID))

    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert sandbox.request_count == 3
