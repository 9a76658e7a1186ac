"""The request loop without I/O: one generator drives both the sync and the async client.

Shaped like httpx's ``_auth.py``: :func:`request_flow` yields :class:`Send` when it wants
a request sent and :class:`Sleep` when it wants a pause, and is resumed with what came
back. All decisions (retry or not, how long to wait, which error to raise) live in the
generator and in :mod:`conversation_clients.retry`; the drivers :func:`send_sync` and
:func:`send_async` only perform the I/O, so one set of tests covers both.

Protocol, for anyone writing another driver::

    step = flow.send(None)                  # first step is always Send
    Send  -> send step.request, read the body, resume with the httpx.Response,
             or with the httpx.RequestError raised while sending or reading
    Sleep -> sleep step.seconds, resume with None
    StopIteration.value is the successful response; any other outcome is raised.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Generator
from datetime import datetime, timezone
from typing import TypeAlias

import attrs
import httpx

from conversation_clients._redact import redact_url
from conversation_clients.errors import APIConnectionError, APITimeoutError, error_from_response
from conversation_clients.retry import RetryPolicy, decide_after_exception, decide_after_response

__all__ = ["Flow", "Send", "Sleep", "request_flow", "send_async", "send_sync"]

logger = logging.getLogger("conversation_clients")


@attrs.frozen
class Send:
    """Ask the driver to send ``request`` and resume the flow with the outcome."""

    request: httpx.Request


@attrs.frozen
class Sleep:
    """Ask the driver to wait ``seconds`` before resuming the flow with None."""

    seconds: float


Outcome: TypeAlias = httpx.Response | Exception | None
Flow: TypeAlias = Generator[Send | Sleep, Outcome, httpx.Response]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def request_flow(
    request: httpx.Request,
    policy: RetryPolicy,
    *,
    now: Callable[[], datetime] = _utc_now,
    random_fraction: Callable[[], float] = random.random,
    monotonic: Callable[[], float] = time.monotonic,
) -> Flow:
    """Send ``request`` until it succeeds or ``policy`` says stop; return the 2xx response.

    Raises the typed error from :mod:`conversation_clients.errors` for a final non-2xx
    response (3xx included), :class:`~conversation_clients.errors.APITimeoutError` for
    an httpx timeout and :class:`~conversation_clients.errors.APIConnectionError` for any
    other httpx transport error. Any other exception handed in is re-raised untouched.
    ``now``, ``random_fraction`` and ``monotonic`` are the clock, the jitter source and
    the timer for the logged duration; tests replace them.

    >>> request = httpx.Request("GET", "https://api.example/v1/x")
    >>> flow = request_flow(request, RetryPolicy(jitter=0.0))
    >>> flow.send(None)
    Send(request=<Request('GET', 'https://api.example/v1/x')>)
    >>> flow.send(httpx.Response(503))
    Sleep(seconds=0.5)
    >>> flow.send(None)
    Send(request=<Request('GET', 'https://api.example/v1/x')>)
    >>> try:
    ...     flow.send(httpx.Response(200, json={"ok": True}))
    ... except StopIteration as finished:
    ...     finished.value.json()
    {'ok': True}
    """
    target = redact_url(request.url)
    attempt = 0
    while True:
        attempt += 1
        started = monotonic()
        outcome = yield Send(request)
        elapsed_ms = (monotonic() - started) * 1000

        if isinstance(outcome, httpx.Response):
            status = outcome.status_code
            logger.debug(
                "%s %s -> %d (attempt %d, %.0f ms)",
                request.method,
                target,
                status,
                attempt,
                elapsed_ms,
            )
            if 200 <= status < 300:
                return outcome
            decision = decide_after_response(
                policy,
                attempt - 1,
                status,
                outcome.headers,
                now=now(),
                random_fraction=random_fraction(),
            )
            if not decision.retry:
                raise error_from_response(
                    status, outcome.headers, outcome.content, retry_after=decision.retry_after
                )
        elif isinstance(outcome, Exception):
            logger.debug(
                "%s %s -> %s (attempt %d, %.0f ms)",
                request.method,
                target,
                type(outcome).__name__,
                attempt,
                elapsed_ms,
            )
            if not isinstance(outcome, httpx.RequestError):
                raise outcome  # a bug or an interruption, not ours to reinterpret
            decision = decide_after_exception(
                policy, attempt - 1, outcome, random_fraction=random_fraction()
            )
            if not decision.retry:
                raise _connection_error(outcome, request.method, target) from outcome
        else:
            raise TypeError(
                f"request_flow expects an httpx.Response or an exception after Send, "
                f"got {type(outcome).__name__}"
            )

        logger.debug(
            "%s %s: retrying in %.3f s (%s)",
            request.method,
            target,
            decision.delay,
            decision.reason,
        )
        yield Sleep(decision.delay)


def _connection_error(
    cause: httpx.RequestError, method: str, target: str
) -> APIConnectionError:
    # The cause's own text stays on __cause__; it is not copied into our message because
    # we cannot vouch for what a transport puts there.
    if isinstance(cause, httpx.TimeoutException):
        error_class: type[APIConnectionError] = APITimeoutError
    else:
        error_class = APIConnectionError
    return error_class(f"{type(cause).__name__} while sending {method} {target}")


def send_sync(
    client: httpx.Client,
    request: httpx.Request,
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], object] = time.sleep,
) -> httpx.Response:
    """Send ``request`` with ``client``, retrying per ``policy``; return the 2xx response.

    >>> transport = httpx.MockTransport(lambda request: httpx.Response(200, json=[]))
    >>> with httpx.Client(transport=transport) as client:
    ...     send_sync(client, client.build_request("GET", "https://api.example/"), RetryPolicy())
    <Response [200 OK]>
    """
    flow = request_flow(request, policy)
    outcome: Outcome = None
    while True:
        try:
            step = flow.send(outcome)
        except StopIteration as finished:
            response: httpx.Response = finished.value
            return response
        if isinstance(step, Sleep):
            sleep(step.seconds)
            outcome = None
            continue
        try:
            outcome = client.send(step.request)
            # send() has already read the body (stream=False); this read is a no-op kept
            # so the flow's "fully read response" contract does not hinge on that default.
            outcome.read()
        except httpx.RequestError as exc:  # transport errors, and bodies that fail to decode
            outcome = exc


async def send_async(
    client: httpx.AsyncClient,
    request: httpx.Request,
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> httpx.Response:
    """Async twin of :func:`send_sync`.

    >>> async def fetch(client: httpx.AsyncClient) -> httpx.Response:
    ...     request = client.build_request("GET", "https://api.example/")
    ...     return await send_async(client, request, RetryPolicy())
    """
    flow = request_flow(request, policy)
    outcome: Outcome = None
    while True:
        try:
            step = flow.send(outcome)
        except StopIteration as finished:
            response: httpx.Response = finished.value
            return response
        if isinstance(step, Sleep):
            await sleep(step.seconds)
            outcome = None
            continue
        try:
            outcome = await client.send(step.request)
            await outcome.aread()  # a no-op after send(stream=False); see send_sync
        except httpx.RequestError as exc:  # transport errors, and bodies that fail to decode
            outcome = exc
