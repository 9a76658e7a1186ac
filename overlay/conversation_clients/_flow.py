"""The request loop without I/O: one generator drives both the sync and the async client.

Shaped like httpx's ``_auth.py``: :func:`request_flow` yields :class:`Send` when it wants
a request sent and :class:`Sleep` when it wants a pause, and is resumed with what came
back. All decisions (retry or not, how long to wait, which error to raise) live in the
generator and in :mod:`conversation_clients.retry`; the drivers :func:`send_sync` and
:func:`send_async` only perform the I/O, so one set of tests covers both.

Protocol, for anyone writing another driver::

    step = flow.send(None)                  # first step is always Send
    Send  -> send step.request, read the body within step.timeout seconds in total (None: no
             deadline), resume with the httpx.Response, or with the httpx.RequestError
             raised while sending or reading (an httpx.TimeoutException past the deadline)
    Sleep -> sleep step.seconds, resume with None
    StopIteration.value is the successful response; any other outcome is raised.

The drivers read every body as raw chunks through :class:`~conversation_clients._body.BoundedBody`
(size cap, ``Content-Encoding`` decoded a bounded step at a time; once only, where the clients'
response hook has put one in the stream already: :func:`~conversation_clients._body.body_reader`)
and enforce each attempt's deadline (:mod:`conversation_clients._deadline`); the flow hands out
those deadlines from ``attempt_timeout`` and what is left of ``page_timeout``, and never sleeps
past the latter. What a page fetch reports (:class:`~conversation_clients.signals.PageReport`)
costs nothing beyond counting when the client has no hooks and no tracer.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Generator
from datetime import UTC, datetime
from typing import TypeAlias

import attrs
import httpx

from conversation_clients._body import DEFAULT_MAX_RESPONSE_BYTES, body_reader, decoded_response, whole_response
from conversation_clients._deadline import (
    DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_PAGE_TIMEOUT,
    AttemptTimedOut,
    attempt_deadline,
    deadline_passed,
)
from conversation_clients._redact import RedactedURL, credentials_sent, credentials_sent_with
from conversation_clients.errors import (
    APIConnectionError,
    APITimeoutError,
    error_from_response,
    error_reader_of,
    without_credentials_in,
)
from conversation_clients.ratelimit import TargetLimiter
from conversation_clients.retry import RetryPolicy, decide_after_exception, decide_after_response
from conversation_clients.signals import QUIET, Signals, await_all

__all__ = ["Flow", "Limits", "Send", "Sleep", "request_flow", "send_async", "send_sync"]

logger = logging.getLogger("conversation_clients")


@attrs.frozen
class Limits:
    """What one page fetch may cost: body bytes, seconds per attempt, seconds in all.

    ``max_response_bytes`` caps every body (received and decoded); ``attempt_timeout`` bounds
    one attempt from sending to the body's last byte; ``page_timeout`` bounds the fetch, its
    retries and the waits between them. None disables a deadline (the clients never pass None).

    >>> Limits()
    Limits(max_response_bytes=16777216, attempt_timeout=60.0, page_timeout=300.0)
    """

    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    attempt_timeout: float | None = DEFAULT_ATTEMPT_TIMEOUT
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT


#: No deadline at all: what :func:`request_flow` assumes unless told otherwise.
UNBOUNDED_TIME = Limits(attempt_timeout=None, page_timeout=None)


@attrs.frozen
class Send:
    """Ask the driver to send ``request`` and resume the flow with the outcome within ``timeout`` s."""

    request: httpx.Request
    timeout: float | None = None


@attrs.frozen
class Sleep:
    """Ask the driver to wait ``seconds`` before resuming the flow with None.

    ``reason`` says why a retry waits (None: the wait is the rate limiter's, not a retry's).
    """

    seconds: float
    reason: str | None = attrs.field(default=None, eq=False, repr=False)


Outcome: TypeAlias = httpx.Response | Exception | None
Flow: TypeAlias = Generator[Send | Sleep, Outcome, httpx.Response]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def request_flow(
    request: httpx.Request,
    policy: RetryPolicy,
    *,
    now: Callable[[], datetime] = _utc_now,
    random_fraction: Callable[[], float] = random.random,
    monotonic: Callable[[], float] = time.monotonic,
    limits: Limits = UNBOUNDED_TIME,
    limiter: TargetLimiter | None = None,
) -> Flow:
    """Send ``request`` until it succeeds or ``policy`` says stop; return the 2xx response.

    Raises the typed error from :mod:`conversation_clients.errors` for a final non-2xx
    response (3xx included), :class:`~conversation_clients.errors.APITimeoutError` for
    an httpx timeout and :class:`~conversation_clients.errors.APIConnectionError` for any
    other httpx transport error. Any other exception handed in is re-raised untouched.
    ``now``, ``random_fraction`` and ``monotonic`` are the clock, the jitter source and
    the timer for the logged duration and the deadlines; tests replace them.

    ``limits.attempt_timeout`` becomes each :class:`Send`'s ``timeout``, cut to what is left of
    ``limits.page_timeout``; once that budget is spent, or a wait before a retry would pass it
    (a long ``Retry-After``), the flow raises ``APITimeoutError`` instead of trying again, with
    the last failure as ``__cause__``.

    With a ``limiter`` (a :class:`~conversation_clients.ratelimit.RateLimiter` bound to the
    request's target), every attempt, retries included, first books its slot and sleeps until it
    (a :class:`Sleep`); a slot past the page deadline is not booked (``APITimeoutError``). Each
    response's status is reported to it: a 429 slows the target down, a 2xx lets it recover.

    >>> request = httpx.Request("GET", "https://api.example/v1/x")
    >>> flow = request_flow(request, RetryPolicy(jitter=0.0))
    >>> flow.send(None)
    Send(request=<Request('GET', 'https://api.example/v1/x')>, timeout=None)
    >>> flow.send(httpx.Response(503))
    Sleep(seconds=0.5)
    >>> flow.send(None)
    Send(request=<Request('GET', 'https://api.example/v1/x')>, timeout=None)
    >>> try:
    ...     flow.send(httpx.Response(200, json={"ok": True}))
    ... except StopIteration as finished:
    ...     finished.value.json()
    {'ok': True}
    """
    target = RedactedURL(request.url)  # for log lines and messages: redacted when one is written
    attempt = 0
    page_deadline = None if limits.page_timeout is None else monotonic() + limits.page_timeout
    last_failure: Exception | None = None
    while True:
        attempt += 1
        if limiter is not None:
            within = None if page_deadline is None else page_deadline - monotonic()
            wait = limiter.reserve(within=within)
            if wait is None:
                raise APITimeoutError(
                    f"{request.method} {target}: waiting for the rate limiter would pass "
                    f"page_timeout={limits.page_timeout:g} s"
                ) from last_failure
            if wait > 0:
                yield Sleep(wait)
        started = monotonic()
        timeout = limits.attempt_timeout
        if page_deadline is not None:
            left = page_deadline - started
            if left <= 0:
                raise APITimeoutError(
                    f"{request.method} {target}: no response within page_timeout={limits.page_timeout:g} s "
                    f"({attempt - 1} attempts)"
                ) from last_failure
            timeout = left if timeout is None else min(timeout, left)
        outcome = yield Send(request, timeout)
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
                if limiter is not None:
                    limiter.record(status)
                return outcome
            decision = decide_after_response(
                policy,
                attempt - 1,
                status,
                outcome.headers,
                now=now(),
                random_fraction=random_fraction(),
            )
            if limiter is not None:
                limiter.record(status, retry_after=decision.retry_after)
            if not decision.retry or page_deadline is not None:
                failure: Exception = error_from_response(
                    status,
                    outcome.headers,
                    outcome.content,
                    retry_after=decision.retry_after,
                    credentials=credentials_sent_with(outcome),
                    reader=error_reader_of(request),  # the vendor's, attached by its client
                )
                if not decision.retry:
                    raise failure
                last_failure = failure
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
            decision = decide_after_exception(policy, attempt - 1, outcome, random_fraction=random_fraction())
            # chained below: a transport's message may quote what the server sent (h11's
            # "illegal header line: ..."), an echoed credential included
            cause = without_credentials_in(outcome, credentials_sent(request.headers))
            if not decision.retry:
                raise _connection_error(outcome, request.method, target) from cause
            last_failure = cause
        else:
            raise TypeError(
                f"request_flow expects an httpx.Response or an exception after Send, got {type(outcome).__name__}"
            )

        if page_deadline is not None and monotonic() + decision.delay >= page_deadline:
            raise APITimeoutError(
                f"{request.method} {target}: retrying ({decision.reason}) in {decision.delay:g} s "
                f"would pass page_timeout={limits.page_timeout:g} s"
            ) from last_failure
        logger.debug(
            "%s %s: retrying in %.3f s (%s)",
            request.method,
            target,
            decision.delay,
            decision.reason,
        )
        yield Sleep(decision.delay, reason=decision.reason)


def _connection_error(cause: httpx.RequestError, method: str, target: object) -> APIConnectionError:
    # The cause's own text stays on __cause__; it is not copied into our message because
    # we cannot vouch for what a transport puts there (ours, AttemptTimedOut, excepted).
    if isinstance(cause, AttemptTimedOut):
        return APITimeoutError(f"{method} {target}: {cause}")
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
    limits: Limits = Limits(),
    limiter: TargetLimiter | None = None,
    signals: Signals = QUIET,
    operation: str = "",
) -> httpx.Response:
    """Send ``request`` with ``client``, retrying per ``policy`` within ``limits``; return the 2xx response.

    ``signals`` gets the page fetch's span, one child span per attempt, and the request,
    response and retry hooks; the response notes its attempts and elapsed time (``operation``
    names the fetch).

    Each attempt's deadline binds every read and write where the client's transport has a
    :class:`~conversation_clients._deadline.DeadlineBackend`; elsewhere it is checked between
    body chunks only.

    >>> transport = httpx.MockTransport(lambda request: httpx.Response(200, json=[]))
    >>> with httpx.Client(transport=transport) as client:
    ...     send_sync(client, client.build_request("GET", "https://api.example/"), RetryPolicy())
    <Response [200 OK]>
    """
    flow = request_flow(request, policy, limits=limits, limiter=limiter)
    outcome: Outcome = None
    timeouts: dict[str, float | None] = request.extensions.get("timeout", {})  # httpx's, as built: never changed
    report = signals.page_report(operation, request, request_id_headers=error_reader_of(request).request_id_headers)
    with report.page_span():
        while True:
            try:
                step = flow.send(outcome)
            except StopIteration as finished:
                return report.finished(finished.value)
            if isinstance(step, Sleep):
                report.sleeping(step.seconds, step.reason)
                sleep(step.seconds)
                outcome = None
                continue
            if step.timeout is not None:
                # no single wait (pool, connect, read, write) may outlast the attempt, whatever the transport
                request.extensions["timeout"] = _capped(timeouts, step.timeout)
            report.requesting()
            with report.attempt_span() as span:
                try:
                    outcome = _attempt_sync(client, step, limits.max_response_bytes)
                except httpx.RequestError as exc:  # transport errors, and bodies that fail to decode
                    outcome = exc
                report.answered(outcome, span)


def _attempt_sync(client: httpx.Client, step: Send, max_bytes: int) -> httpx.Response:
    deadline = None if step.timeout is None else time.monotonic() + step.timeout
    with attempt_deadline(deadline):
        try:
            streamed = client.send(step.request, stream=True)
            try:
                if (
                    streamed.is_stream_consumed
                ):  # an in-process transport (httpx.MockTransport, the sandbox) read it whole
                    whole = whole_response(streamed, max_bytes)
                    if deadline_passed():
                        raise _timed_out(step)
                    return whole
                body = body_reader(streamed, max_bytes)
                for chunk in streamed.iter_raw():
                    body.feed(chunk)
                    if deadline_passed():  # all a transport of the caller's lets us check
                        raise _timed_out(step)
                content = body.finish()
            finally:
                streamed.close()
        except httpx.TimeoutException as error:
            if deadline is not None and time.monotonic() >= deadline and not isinstance(error, AttemptTimedOut):
                raise _timed_out(step) from error
            raise
    return decoded_response(streamed, content)


async def send_async(
    client: httpx.AsyncClient,
    request: httpx.Request,
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    limits: Limits = Limits(),
    limiter: TargetLimiter | None = None,
    signals: Signals = QUIET,
    operation: str = "",
) -> httpx.Response:
    """Async twin of :func:`send_sync`; each attempt runs under ``asyncio.timeout``; async hooks are awaited.

    >>> async def fetch(client: httpx.AsyncClient) -> httpx.Response:
    ...     request = client.build_request("GET", "https://api.example/")
    ...     return await send_async(client, request, RetryPolicy())
    """
    flow = request_flow(request, policy, limits=limits, limiter=limiter)
    outcome: Outcome = None
    report = signals.page_report(
        operation, request, request_id_headers=error_reader_of(request).request_id_headers, asynchronous=True
    )
    with report.page_span():
        while True:
            try:
                step = flow.send(outcome)
            except StopIteration as finished:
                return report.finished(finished.value)
            if isinstance(step, Sleep):
                await await_all(report.sleeping(step.seconds, step.reason))
                await sleep(step.seconds)
                outcome = None
                continue
            await await_all(report.requesting())
            with report.attempt_span() as span:
                try:
                    outcome = await _attempt_async(client, step, limits.max_response_bytes)
                except httpx.RequestError as exc:  # transport errors, and bodies that fail to decode
                    outcome = exc
                await await_all(report.answered(outcome, span))


async def _attempt_async(client: httpx.AsyncClient, step: Send, max_bytes: int) -> httpx.Response:
    try:
        # the deadline covers the credential too: an awaited get_token is cancelled with the rest
        async with asyncio.timeout(step.timeout):
            streamed = await client.send(step.request, stream=True)
            try:
                if streamed.is_stream_consumed:
                    return whole_response(streamed, max_bytes)  # an in-process transport's, read whole
                body = body_reader(streamed, max_bytes)
                async for chunk in streamed.aiter_raw():
                    body.feed(chunk)
                content = body.finish()
            finally:
                await streamed.aclose()
    except TimeoutError as error:
        raise _timed_out(step) from error
    return decoded_response(streamed, content)


def _capped(timeouts: dict[str, float | None], ceiling: float) -> dict[str, float | None]:
    for value in timeouts.values():
        if value is None or value > ceiling:
            return {name: ceiling if value is None else min(value, ceiling) for name, value in timeouts.items()}
    return timeouts  # within the attempt already (the usual case): no copy


def _timed_out(step: Send) -> AttemptTimedOut:
    return AttemptTimedOut(f"no complete response within {step.timeout:g} s (attempt deadline)", request=step.request)
