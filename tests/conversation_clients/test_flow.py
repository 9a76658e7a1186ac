"""The sans-I/O request loop (:mod:`conversation_clients._flow`), driven directly and through the
sync and async drivers, and its page budget against hostile servers.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import attrs
import httpx
import pytest

from conversation_clients._deadline import install_deadline_backend
from conversation_clients._flow import Flow, Limits, Send, Sleep, request_flow, send_async, send_sync
from conversation_clients.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    NotFoundError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
)
from conversation_clients.retry import RetryPolicy
from tests.support.hostile.bombs import gzip_twice
from tests.support.hostile.harness import run_listing
from tests.support.hostile.pages import MODES, VENDOR_NAMES, item_id, page_body
from tests.support.hostile.server import (
    drip_headers,
    json_page,
    serve,
)

URL = "https://api.example/v1/conversations?limit=10&pageToken=SECRETTOKEN"
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
# No jitter, so the waits between attempts are exact: 0.5, 1.0, 2.0, ...
POLICY = RetryPolicy(max_retries=2, initial_delay=0.5, max_delay=8.0, jitter=0.0)
ATTEMPT_LINE = re.compile(r"^GET /v1/conversations\?limit=10&pageToken=\*\*\* -> \S+ \(attempt \d+, \d+ ms\)$")


def make_request() -> httpx.Request:
    return httpx.Request("GET", URL)


def make_flow(policy: RetryPolicy = POLICY, request: httpx.Request | None = None) -> Flow:
    return request_flow(
        request or make_request(),
        policy,
        now=lambda: NOW,
        random_fraction=lambda: 0.0,
        monotonic=iter(float(n) * 0.25 for n in range(1000)).__next__,
    )


@attrs.frozen
class Run:
    """What happened when a flow was driven to the end without any I/O."""

    steps: list[Send | Sleep]
    response: httpx.Response | None
    error: BaseException | None

    @property
    def attempts(self) -> int:
        return sum(isinstance(step, Send) for step in self.steps)

    @property
    def sleeps(self) -> list[float]:
        return [step.seconds for step in self.steps if isinstance(step, Sleep)]


def run_flow(flow: Flow, outcomes: Sequence[httpx.Response | Exception]) -> Run:
    """Answer each Send with the next outcome and each Sleep with None."""
    pending = iter(outcomes)
    steps: list[Send | Sleep] = []
    reply: httpx.Response | Exception | None = None
    try:
        while True:
            step = flow.send(reply)
            steps.append(step)
            reply = next(pending) if isinstance(step, Send) else None
    except StopIteration as finished:
        return Run(steps=steps, response=finished.value, error=None)
    except BaseException as error:  # noqa: BLE001 - the test inspects whatever was raised
        return Run(steps=steps, response=None, error=error)


def connect_error() -> httpx.ConnectError:
    return httpx.ConnectError("connection refused", request=make_request())


# --- request_flow, driven directly ------------------------------------------------------------


def test_first_step_sends_the_request_itself() -> None:
    request = make_request()

    assert make_flow(request=request).send(None) == Send(request)


def test_success_on_first_attempt_returns_the_response() -> None:
    ok = httpx.Response(200, json={"results": []})

    run = run_flow(make_flow(), [ok])

    assert run.response is ok
    assert run.attempts == 1
    assert run.sleeps == []


def test_503_503_200_takes_three_attempts_and_two_sleeps() -> None:
    run = run_flow(make_flow(), [httpx.Response(503), httpx.Response(503), httpx.Response(200)])

    assert run.error is None
    assert run.response is not None and run.response.status_code == 200
    assert [type(step) for step in run.steps] == [Send, Sleep, Send, Sleep, Send]
    assert run.sleeps == [0.5, 1.0]


def test_non_retryable_status_raises_at_once() -> None:
    body = b'{"code": "NotFound", "message": "conversation not found"}'

    run = run_flow(make_flow(), [httpx.Response(404, content=body)])

    assert isinstance(run.error, NotFoundError)
    assert run.error.code == "NotFound"
    assert run.attempts == 1


def test_redirect_reaching_the_flow_is_an_api_error() -> None:
    run = run_flow(make_flow(), [httpx.Response(302, headers={"Location": "/elsewhere"})])

    assert type(run.error) is APIError
    assert run.attempts == 1


def test_retries_exhausted_raises_the_last_error() -> None:
    responses = [httpx.Response(503), httpx.Response(502), httpx.Response(520)]

    run = run_flow(make_flow(), responses)

    assert isinstance(run.error, ServerError)
    assert run.error.status_code == 520
    assert run.attempts == 3
    assert run.sleeps == [0.5, 1.0]


def test_zero_max_retries_makes_one_attempt() -> None:
    run = run_flow(make_flow(RetryPolicy(max_retries=0)), [httpx.Response(503)])

    assert isinstance(run.error, ServerError)
    assert run.attempts == 1


def test_retry_after_within_the_cap_is_slept_exactly() -> None:
    responses = [httpx.Response(429, headers={"Retry-After": "1"}), httpx.Response(200)]

    run = run_flow(make_flow(), responses)

    assert run.sleeps == [1.0]
    assert run.response is not None


def test_http_date_retry_after_uses_the_injected_clock() -> None:
    later = format_datetime(NOW + timedelta(seconds=7), usegmt=True)
    responses = [httpx.Response(503, headers={"Retry-After": later}), httpx.Response(200)]

    assert run_flow(make_flow(), responses).sleeps == [7.0]


def test_retry_after_over_the_cap_raises_rate_limit_error_at_once() -> None:
    run = run_flow(make_flow(), [httpx.Response(429, headers={"Retry-After": "3600"})])

    assert isinstance(run.error, RateLimitError)
    assert run.error.retry_after == 3600.0
    assert run.attempts == 1


def test_final_error_carries_the_last_retry_after() -> None:
    responses = [httpx.Response(503, headers={"Retry-After": "2"})] * 3

    run = run_flow(make_flow(), responses)

    assert isinstance(run.error, ServerError)
    assert run.error.retry_after == 2.0
    assert run.sleeps == [2.0, 2.0]


def test_final_error_reads_request_id_from_the_response() -> None:
    response = httpx.Response(400, headers={"x-ms-correlation-id": "c0ffee"})

    run = run_flow(make_flow(), [response])

    assert isinstance(run.error, APIError)
    assert run.error.request_id == "c0ffee"


def test_connection_errors_are_retried_then_raised_chained() -> None:
    errors = [connect_error(), connect_error(), connect_error()]

    run = run_flow(make_flow(), errors)

    assert type(run.error) is APIConnectionError
    assert run.error.__cause__ is errors[-1]
    assert run.attempts == 3
    assert run.sleeps == [0.5, 1.0]


def test_connection_error_then_success_returns_the_response() -> None:
    run = run_flow(make_flow(), [connect_error(), httpx.Response(200)])

    assert run.response is not None
    assert run.attempts == 2


def test_timeouts_become_api_timeout_errors() -> None:
    timeout = httpx.ReadTimeout("timed out", request=make_request())

    run = run_flow(make_flow(RetryPolicy(max_retries=0)), [timeout])

    assert isinstance(run.error, APITimeoutError)
    assert run.error.__cause__ is timeout


def test_permanent_transport_error_is_wrapped_without_retrying() -> None:
    unsupported = httpx.UnsupportedProtocol("no scheme", request=make_request())

    run = run_flow(make_flow(), [unsupported])

    assert type(run.error) is APIConnectionError
    assert run.attempts == 1


def test_connection_error_message_hides_the_page_token() -> None:
    run = run_flow(make_flow(RetryPolicy(max_retries=0)), [connect_error()])

    assert str(run.error) == ("ConnectError while sending GET /v1/conversations?limit=10&pageToken=***")


@pytest.mark.parametrize("exc", [ValueError("bug"), RuntimeError("bug")])
def test_non_httpx_exceptions_propagate_untouched(exc: Exception) -> None:
    run = run_flow(make_flow(), [exc])

    assert run.error is exc
    assert run.attempts == 1


def test_a_body_that_fails_to_decode_is_a_connection_error_not_retried() -> None:
    decoding = httpx.DecodingError("incorrect header check")
    run = run_flow(make_flow(), [decoding])

    assert isinstance(run.error, APIConnectionError)
    assert run.error.__cause__ is decoding
    assert run.attempts == 1


def test_resuming_after_send_with_none_is_a_driver_bug() -> None:
    flow = make_flow()
    flow.send(None)

    with pytest.raises(TypeError, match="expects an httpx.Response or an exception"):
        flow.send(None)


def test_jitter_comes_from_the_injected_random_source() -> None:
    policy = RetryPolicy(initial_delay=1.0, jitter=0.5)
    flow = request_flow(make_request(), policy, now=lambda: NOW, random_fraction=lambda: 1.0)

    run = run_flow(flow, [httpx.Response(500), httpx.Response(500), httpx.Response(200)])

    assert run.sleeps == [0.5, 1.0]


# --- logging ------------------------------------------------------------------------------


def debug_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "conversation_clients" and record.levelno == logging.DEBUG
    ]


def test_one_log_line_per_attempt_and_one_per_sleep(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="conversation_clients")

    run_flow(make_flow(), [httpx.Response(503), connect_error(), httpx.Response(200)])

    lines = debug_lines(caplog)
    attempt_lines = [line for line in lines if ATTEMPT_LINE.match(line)]
    sleep_lines = [line for line in lines if "retrying in" in line]
    assert attempt_lines == [
        "GET /v1/conversations?limit=10&pageToken=*** -> 503 (attempt 1, 250 ms)",
        "GET /v1/conversations?limit=10&pageToken=*** -> ConnectError (attempt 2, 250 ms)",
        "GET /v1/conversations?limit=10&pageToken=*** -> 200 (attempt 3, 250 ms)",
    ]
    target = "GET /v1/conversations?limit=10&pageToken=***"
    assert sleep_lines == [
        f"{target}: retrying in 0.500 s (status 503, backing off)",
        f"{target}: retrying in 1.000 s (ConnectError, backing off)",
    ]
    assert len(lines) == 5
    assert "SECRETTOKEN" not in caplog.text


# --- drivers ------------------------------------------------------------------------------


class DroppedBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body whose connection drops after the headers arrived."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"partial'
        raise httpx.ReadError("connection reset while reading body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"partial'
        raise httpx.ReadError("connection reset while reading body")


Reply = Callable[[httpx.Request], httpx.Response]


def status(code: int, retry_after: str | None = None) -> Reply:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    return lambda request: httpx.Response(code, headers=headers, json={"code": str(code)})


def fail(exc_class: type[httpx.TransportError]) -> Reply:
    def raise_it(request: httpx.Request) -> httpx.Response:
        raise exc_class("simulated", request=request)

    return raise_it


def dropped_body(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, stream=DroppedBody())


@attrs.frozen
class Scenario:
    name: str
    replies: list[Reply]
    policy: RetryPolicy
    attempts: int
    sleeps: list[float]
    error: type[BaseException] | None = None
    retry_after: float | None = None


SCENARIOS = [
    Scenario("503-503-200", [status(503), status(503), status(200)], POLICY, 3, [0.5, 1.0]),
    Scenario("429 Retry-After 1", [status(429, retry_after="1"), status(200)], POLICY, 2, [1.0]),
    Scenario(
        "429 Retry-After 3600",
        [status(429, retry_after="3600")],
        POLICY,
        1,
        [],
        RateLimitError,
        3600.0,
    ),
    Scenario(
        "connect error x3",
        [fail(httpx.ConnectError)] * 3,
        POLICY,
        3,
        [0.5, 1.0],
        APIConnectionError,
    ),
    Scenario(
        "read timeout",
        [fail(httpx.ReadTimeout)] * 3,
        POLICY,
        3,
        [0.5, 1.0],
        APITimeoutError,
    ),
    Scenario("max_retries=0", [status(503)], RetryPolicy(max_retries=0), 1, [], ServerError),
    Scenario("520 x3", [status(520)] * 3, POLICY, 3, [0.5, 1.0], ServerError),
    Scenario("404", [status(404)], POLICY, 1, [], NotFoundError),
    Scenario("body dropped then 200", [dropped_body, status(200)], POLICY, 2, [0.5]),
]


class ScriptedTransport(httpx.MockTransport):
    """Answers each request with the next scripted reply and counts the attempts."""

    def __init__(self, replies: list[Reply]) -> None:
        self.seen: list[httpx.Request] = []
        pending = iter(replies)

        def handler(request: httpx.Request) -> httpx.Response:
            self.seen.append(request)
            reply = next(pending, None)
            if reply is None:
                raise AssertionError(f"unexpected attempt {len(self.seen)}")
            return reply(request)

        super().__init__(handler)


def check_outcome(
    scenario: Scenario,
    result: httpx.Response | BaseException,
    transport: ScriptedTransport,
    slept: list[float],
) -> None:
    assert len(transport.seen) == scenario.attempts
    assert slept == scenario.sleeps
    if scenario.error is None:
        assert isinstance(result, httpx.Response)
        assert result.status_code == 200
        assert result.json() == {"code": "200"}
    else:
        assert type(result) is scenario.error
        assert "SECRETTOKEN" not in str(result)
        if scenario.retry_after is not None:
            assert isinstance(result, APIError)
            assert result.retry_after == scenario.retry_after


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
def test_sync_driver(scenario: Scenario, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="conversation_clients")
    transport = ScriptedTransport(scenario.replies)
    slept: list[float] = []
    result: httpx.Response | BaseException

    with httpx.Client(transport=transport) as client:
        try:
            request = client.build_request("GET", URL)
            result = send_sync(client, request, scenario.policy, sleep=slept.append)
        except (APIError, APIConnectionError) as error:
            result = error

    check_outcome(scenario, result, transport, slept)
    assert sum(bool(ATTEMPT_LINE.match(line)) for line in debug_lines(caplog)) == scenario.attempts
    assert "SECRETTOKEN" not in caplog.text


@pytest.mark.anyio
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.name)
async def test_async_driver(scenario: Scenario, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="conversation_clients")
    transport = ScriptedTransport(scenario.replies)
    slept: list[float] = []
    result: httpx.Response | BaseException

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    async with httpx.AsyncClient(transport=transport) as client:
        try:
            result = await send_async(client, client.build_request("GET", URL), scenario.policy, sleep=fake_sleep)
        except (APIError, APIConnectionError) as error:
            result = error

    check_outcome(scenario, result, transport, slept)
    assert sum(bool(ATTEMPT_LINE.match(line)) for line in debug_lines(caplog)) == scenario.attempts
    assert "SECRETTOKEN" not in caplog.text


def test_sync_driver_lets_non_transport_errors_escape_untouched() -> None:
    def broken_handler(request: httpx.Request) -> httpx.Response:
        raise LookupError("bug in a transport")

    slept: list[float] = []
    with httpx.Client(transport=httpx.MockTransport(broken_handler)) as client:
        with pytest.raises(LookupError, match="bug in a transport"):
            send_sync(client, client.build_request("GET", URL), POLICY, sleep=slept.append)

    assert slept == []


@pytest.mark.anyio
async def test_async_driver_lets_non_transport_errors_escape_untouched() -> None:
    def broken_handler(request: httpx.Request) -> httpx.Response:
        raise LookupError("bug in a transport")

    async def fail_if_called(seconds: float) -> None:
        raise AssertionError("must not sleep")

    async with httpx.AsyncClient(transport=httpx.MockTransport(broken_handler)) as client:
        with pytest.raises(LookupError, match="bug in a transport"):
            await send_async(client, client.build_request("GET", URL), POLICY, sleep=fail_if_called)


def test_sync_driver_returns_a_read_and_closed_response() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b'{"results": []}'))

    with httpx.Client(transport=transport) as client:
        response = send_sync(client, client.build_request("GET", URL), POLICY)

    assert response.is_closed
    assert response.content == b'{"results": []}'


# --- limits: deadlines handed out by the flow, the body cap and deadlines kept by the drivers ---


def clock_flow(
    limits: Limits, clock: list[float], policy: RetryPolicy = POLICY, request: httpx.Request | None = None
) -> Flow:
    """A flow whose monotonic clock reads ``clock[0]``, which the test moves."""
    return request_flow(
        request or make_request(), policy, now=lambda: NOW, random_fraction=lambda: 0.0,
        monotonic=lambda: clock[0], limits=limits,
    )  # fmt: skip


def test_each_attempt_gets_the_attempt_timeout_cut_to_what_the_page_budget_leaves() -> None:
    clock, request = [100.0], make_request()
    flow = clock_flow(Limits(attempt_timeout=4.0, page_timeout=10.0), clock, request=request)
    assert flow.send(None) == Send(request, 4.0)
    clock[0] += 4.0
    assert flow.send(httpx.ReadTimeout("slow")) == Sleep(0.5)
    clock[0] += 0.5
    assert flow.send(None) == Send(request, 4.0)
    clock[0] += 4.0
    assert flow.send(httpx.ReadTimeout("slow")) == Sleep(1.0)
    clock[0] += 1.0
    last = flow.send(None)
    assert isinstance(last, Send) and last.timeout == pytest.approx(0.5)


def test_a_spent_page_budget_ends_the_fetch_with_the_last_failure_as_cause() -> None:
    clock = [0.0]
    flow = clock_flow(Limits(attempt_timeout=5.0, page_timeout=10.0), clock, RetryPolicy(max_retries=5, jitter=0.0))
    flow.send(None)
    clock[0] += 4.0
    assert flow.send(httpx.ReadTimeout("slow")) == Sleep(0.5)
    clock[0] += 6.5  # a sleep that overran (a loaded machine)
    with pytest.raises(APITimeoutError, match=r"page_timeout=10 s \(1 attempts\)") as raised:
        flow.send(None)
    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)


def test_a_retry_after_past_the_page_budget_is_not_waited_for() -> None:
    clock = [0.0]
    flow = clock_flow(
        Limits(page_timeout=60.0), clock, RetryPolicy(max_retries=3, max_delay=600.0, jitter=0.0, max_retry_after=600.0)
    )
    flow.send(None)
    with pytest.raises(APITimeoutError, match="would pass page_timeout=60 s") as raised:
        flow.send(httpx.Response(429, headers={"Retry-After": "120"}))
    assert isinstance(raised.value.__cause__, RateLimitError)


def test_a_retry_after_within_the_page_budget_is_waited_for() -> None:
    clock = [0.0]
    flow = clock_flow(
        Limits(page_timeout=60.0), clock, RetryPolicy(max_retries=3, max_delay=600.0, jitter=0.0, max_retry_after=600.0)
    )
    flow.send(None)
    assert flow.send(httpx.Response(503, headers={"Retry-After": "30"})) == Sleep(30.0)


def test_without_limits_the_flow_sets_no_deadline() -> None:
    step = make_flow().send(None)
    assert isinstance(step, Send) and step.timeout is None


class RawStreamTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers with a body streamed from ``parts`` (not read in advance), pausing ``pause`` s between parts."""

    def __init__(self, parts: list[bytes], headers: dict[str, str], pause: float = 0.0, status: int = 200) -> None:
        self.parts, self.headers, self.pause, self.status = parts, headers, pause, status

    def _sync_parts(self) -> Iterator[bytes]:
        for part in self.parts:
            time.sleep(self.pause)
            yield part

    async def _async_parts(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            await asyncio.sleep(self.pause)
            yield part

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, headers=self.headers, stream=IteratorStream(self._sync_parts()))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, headers=self.headers, stream=AsyncIteratorStream(self._async_parts()))


class IteratorStream(httpx.SyncByteStream):
    def __init__(self, parts: Iterator[bytes]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[bytes]:
        return self.parts


class AsyncIteratorStream(httpx.AsyncByteStream):
    def __init__(self, parts: AsyncIterator[bytes]) -> None:
        self.parts = parts

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.parts


def gzip_bomb_parts() -> list[bytes]:
    data = gzip_twice(1 << 30)
    return [data[start : start + 4096] for start in range(0, len(data), 4096)]


NO_RETRIES = RetryPolicy(max_retries=2, jitter=0.0)


def test_sync_driver_stops_a_bomb_at_the_cap_and_does_not_retry_it() -> None:
    transport = RawStreamTransport(gzip_bomb_parts(), {"Content-Encoding": "gzip, gzip"}, status=404)
    with httpx.Client(transport=transport) as client:
        with pytest.raises(ResponseTooLargeError) as raised:
            send_sync(client, client.build_request("GET", URL), NO_RETRIES, limits=Limits(max_response_bytes=1 << 20))
    assert (raised.value.limit, raised.value.status_code) == (1 << 20, 404)


@pytest.mark.anyio
async def test_async_driver_stops_a_bomb_at_the_cap() -> None:
    transport = RawStreamTransport(gzip_bomb_parts(), {"Content-Encoding": "gzip, gzip"})
    async with httpx.AsyncClient(transport=transport) as client:
        with pytest.raises(ResponseTooLargeError):
            await send_async(
                client, client.build_request("GET", URL), NO_RETRIES, limits=Limits(max_response_bytes=1 << 20)
            )


def test_drivers_hand_on_the_decoded_body_without_its_encoding_headers() -> None:
    transport = RawStreamTransport([gzip.compress(b'{"ok": true}')], {"Content-Encoding": "gzip", "X-Kept": "1"})
    with httpx.Client(transport=transport) as client:
        response = send_sync(client, client.build_request("GET", URL), NO_RETRIES)
    assert response.json() == {"ok": True}
    assert "content-encoding" not in response.headers
    assert response.headers["x-kept"] == "1"


def test_sync_driver_with_a_callers_transport_checks_the_deadline_between_chunks() -> None:
    transport = RawStreamTransport([b" "] * 100, {}, pause=0.05)
    limits = Limits(attempt_timeout=0.3, page_timeout=10.0)
    started = time.monotonic()
    with httpx.Client(transport=transport) as client:
        with pytest.raises(APITimeoutError, match="attempt deadline"):
            send_sync(client, client.build_request("GET", URL), RetryPolicy(max_retries=0), limits=limits)
    assert time.monotonic() - started < 1.5


@pytest.mark.anyio
async def test_async_driver_ends_an_attempt_at_its_deadline_whatever_the_transport() -> None:
    transport = RawStreamTransport([b" "] * 100, {}, pause=0.05)
    limits = Limits(attempt_timeout=0.3, page_timeout=10.0)
    started = time.monotonic()
    async with httpx.AsyncClient(transport=transport) as client:
        with pytest.raises(APITimeoutError, match="attempt deadline"):
            await send_async(client, client.build_request("GET", URL), RetryPolicy(max_retries=0), limits=limits)
    assert time.monotonic() - started < 1.5


def test_the_deadline_backend_goes_under_the_clients_own_transport_only() -> None:
    with httpx.Client() as client:
        assert install_deadline_backend(client)
        assert not install_deadline_backend(client)  # once is enough
    with httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200))) as client:
        assert not install_deadline_backend(client)


def test_sync_driver_caps_each_wait_of_an_attempt_at_the_attempt_timeout() -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))
        return httpx.Response(200, json={})

    limits = Limits(attempt_timeout=2.0, page_timeout=10.0)
    with httpx.Client(transport=httpx.MockTransport(handler), timeout=httpx.Timeout(30.0, connect=1.0)) as client:
        send_sync(client, client.build_request("GET", URL), NO_RETRIES, limits=limits)
    assert seen[0]["connect"] == 1.0
    assert seen[0]["read"] == seen[0]["write"] == seen[0]["pool"] == pytest.approx(2.0)


# -- Item 2 of issue 9: every attempt has a total deadline, every page fetch a budget --------------


#: What a loaded machine may add to a deadline (child start-up is not counted: the child times itself).
SLACK = 1.5


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_the_page_budget_bounds_retries(vendor: str, mode: str) -> None:
    options: dict[str, Any] = {
        "attempt_timeout": 0.6, "page_timeout": 1.5, "timeout": 5.0,
        "retry_policy": {"max_retries": 10, "initial_delay": 0.01, "max_delay": 0.02},
    }  # fmt: skip
    with serve(drip_headers(0.2)) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=options, timeout=30)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.elapsed < 1.5 + SLACK
    assert 2 <= len(server.requests) <= 3  # attempts of 0.6 s, the last one cut to what is left


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_retry_after_wait_past_the_page_budget_is_not_taken(vendor: str, mode: str) -> None:
    options: dict[str, Any] = {"page_timeout": 2.0, "retry_policy": {"max_retries": 3}}
    busy = json_page({"message": "busy"}, status=503, headers={"Retry-After": "30"})
    with serve(json_page(page_body(vendor, [1], "page-2")), busy) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=options, timeout=30)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.resume_token == "page-2"
    assert outcome.elapsed < 1.0
    assert len(server.requests) == 2


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_retry_after_wait_within_the_page_budget_is_taken(vendor: str, mode: str) -> None:
    options: dict[str, Any] = {"page_timeout": 5.0, "retry_policy": {"max_retries": 3}}
    busy = json_page({"message": "busy"}, status=503, headers={"Retry-After": "1"})
    with serve(busy, json_page(page_body(vendor, [1]))) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=options, timeout=30)
    assert (outcome.error_type, outcome.items) == (None, (item_id(1),))
    assert outcome.elapsed >= 1.0
