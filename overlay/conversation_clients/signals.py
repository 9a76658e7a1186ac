"""What a client tells the application as it works: page metadata, hooks, and OpenTelemetry spans
(made by :mod:`conversation_clients._tracing`).

Nothing here does I/O or decides anything: the request drivers and the pagers report to a
:class:`Signals` value their client holds. No event, metadata or span attribute carries a
credential, a page token or a request header: URLs are redacted (:func:`~conversation_clients._redact.redact_url`)
and only response headers that say something about the response (its request id, its rate
limits) are kept, with the credential the request carried masked wherever the server echoed it
(as :func:`~conversation_clients.errors.error_from_response` masks it in an error).

Hooks are plain callables, one tuple per event, called in order on the thread (or task) that
does the work; in an async client a hook may be a coroutine function and is awaited. A hook
that raises stops the listing with that exception: hooks are part of the program, not
observers that may fail quietly.

Example::

    hooks = Hooks(on_retry=(lambda event: print("retrying", event.reason, "in", event.delay),))
    with BirdClient(access_key="...", hooks=hooks) as bird:
        for page in bird.list_conversations(workspace_id).pages():
            print(page.meta.request_id, page.meta.attempts, page.meta.rate_limit)
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Generator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Final, TypeAlias, TypeVar

import attrs
import httpx

from conversation_clients import _tracing
from conversation_clients._redact import credentials_sent_with, redact_url, scrub_secrets
from conversation_clients._tracing import NO_SPAN, NO_SPAN_CONTEXT, TracerProvider, tracer_for

__all__ = [
    "Hooks",
    "PageReport",
    "PageEvent",
    "PageMeta",
    "RequestEvent",
    "ResponseEvent",
    "RetryEvent",
    "Signals",
    "page_meta_from",
    "require_hooks",
    "tracer_for",
    "TracerProvider",
    "await_all",
]

E = TypeVar("E")

#: Response headers about rate limits, kept on :class:`PageMeta` (matched by prefix, lower case).
RATE_LIMIT_HEADER_PREFIXES: Final = ("x-ratelimit", "x-rate-limit", "ratelimit", "retry-after")

_RATE_LIMIT_PREFIXES_RAW: Final = tuple(prefix.encode("ascii") for prefix in RATE_LIMIT_HEADER_PREFIXES)

#: Where a driver leaves, on the final response, how many attempts and how long it took.
ATTEMPTS_EXTENSION: Final = "conversation_clients.attempts"
ELAPSED_EXTENSION: Final = "conversation_clients.elapsed"


@attrs.frozen
class PageMeta:
    """What the response a page came from says about it.

    ``status_code``; ``request_id``, the vendor's request or correlation id (None when absent);
    ``rate_limit``, the response's rate-limit headers (``x-ratelimit-*``, ``ratelimit-*``,
    ``retry-after``; names lower-cased); ``elapsed``, seconds from the first attempt's start to
    the last response's body; ``attempts``, how many attempts the page took (1: no retry).

    >>> PageMeta(status_code=200, request_id="r-1", rate_limit={}, elapsed=0.05, attempts=1).attempts
    1
    """

    status_code: int
    request_id: str | None
    rate_limit: Mapping[str, str]
    elapsed: float
    attempts: int


#: The metadata of a page that did not come from a response (built by hand, in tests).
NO_RESPONSE: Final = PageMeta(status_code=0, request_id=None, rate_limit={}, elapsed=0.0, attempts=0)


def page_meta_from(response: httpx.Response, request_id_headers: Sequence[str]) -> PageMeta:
    """The :class:`PageMeta` of ``response``; ``request_id_headers`` are the vendor's names, in order.

    >>> response = httpx.Response(200, headers={"X-RateLimit-Remaining": "49", "x-request-id": "r-7"})
    >>> page_meta_from(response, ("x-request-id",))
    PageMeta(status_code=200, request_id='r-7', rate_limit={'x-ratelimit-remaining': '49'}, elapsed=0.0, attempts=1)
    """
    headers = response.headers
    # the raw names, read once: most responses of a listing carry no rate-limit header at all
    names = [name.lower() for name, _value in headers.raw]
    rate_limit: dict[str, str] = {}
    if any(name.startswith(_RATE_LIMIT_PREFIXES_RAW) for name in names):
        credentials = credentials_sent_with(response)
        rate_limit = {
            name.lower(): scrub_secrets(value, credentials)
            for name, value in headers.items()
            if name.lower().startswith(RATE_LIMIT_HEADER_PREFIXES)
        }
    extensions = response.extensions
    return PageMeta(
        status_code=response.status_code,
        request_id=_request_id(response, request_id_headers, names),
        rate_limit=rate_limit,
        elapsed=float(extensions.get(ELAPSED_EXTENSION, 0.0)),
        attempts=int(extensions.get(ATTEMPTS_EXTENSION, 1)),
    )


@attrs.frozen
class RequestEvent:
    """An attempt is about to be sent. ``target`` is the method and the redacted path and query.

    >>> RequestEvent(vendor="bird", target="GET /workspaces/w/conversations?limit=10", attempt=1).attempt
    1
    """

    vendor: str
    target: str
    attempt: int


@attrs.frozen
class ResponseEvent:
    """An attempt got a response (any status); ``elapsed`` in seconds, the body read.

    >>> ResponseEvent(vendor="bird", target="GET /w", attempt=1, status_code=200, request_id=None, elapsed=0.1).status_code
    200
    """

    vendor: str
    target: str
    attempt: int
    status_code: int
    request_id: str | None
    elapsed: float


@attrs.frozen
class RetryEvent:
    """An attempt failed and another follows after ``delay`` seconds; ``reason`` says why.

    >>> RetryEvent(vendor="bird", target="GET /w", attempt=1, delay=0.5, reason="status 503, backing off").delay
    0.5
    """

    vendor: str
    target: str
    attempt: int
    delay: float
    reason: str


@attrs.frozen
class PageEvent:
    """A page was built and is about to be handed over (its token is not part of the event).

    >>> meta = PageMeta(status_code=200, request_id=None, rate_limit={}, elapsed=0.1, attempts=1)
    >>> PageEvent(vendor="bird", item_count=10, is_last=False, meta=meta).item_count
    10
    """

    vendor: str
    item_count: int
    is_last: bool
    meta: PageMeta


Hook: TypeAlias = Callable[[E], object]
#: What a :class:`Hooks` field takes: one hook, or a sequence of them.
HookArgument: TypeAlias = Sequence[Hook[E]] | Hook[E]


def _hooks(value: HookArgument[E]) -> tuple[Hook[E], ...]:
    hooks = (value,) if callable(value) else tuple(value)
    for hook in hooks:
        if not callable(hook):
            raise TypeError(f"a hook must be callable, got {type(hook).__name__}")
    return hooks


# One converter per event type, so that type checkers hold each field to its event.
def _request_hooks(value: HookArgument[RequestEvent]) -> tuple[Hook[RequestEvent], ...]:
    return _hooks(value)


def _response_hooks(value: HookArgument[ResponseEvent]) -> tuple[Hook[ResponseEvent], ...]:
    return _hooks(value)


def _retry_hooks(value: HookArgument[RetryEvent]) -> tuple[Hook[RetryEvent], ...]:
    return _hooks(value)


def _page_hooks(value: HookArgument[PageEvent]) -> tuple[Hook[PageEvent], ...]:
    return _hooks(value)


@attrs.frozen
class Hooks:
    """The application's callbacks, one tuple (or a single callable) per event.

    >>> seen = []
    >>> hooks = Hooks(on_page=seen.append)
    >>> hooks.on_page
    (<built-in method append of list object at ...>,)
    >>> Hooks(on_retry=(1,))
    Traceback (most recent call last):
    ...
    TypeError: a hook must be callable, got int
    """

    on_request: tuple[Hook[RequestEvent], ...] = attrs.field(default=(), converter=_request_hooks)
    on_response: tuple[Hook[ResponseEvent], ...] = attrs.field(default=(), converter=_response_hooks)
    on_retry: tuple[Hook[RetryEvent], ...] = attrs.field(default=(), converter=_retry_hooks)
    on_page: tuple[Hook[PageEvent], ...] = attrs.field(default=(), converter=_page_hooks)


NO_HOOKS: Final = Hooks()


def require_hooks(hooks: object) -> Hooks:
    """A client's ``hooks=`` option: None (no hooks) or a :class:`Hooks`.

    >>> require_hooks(None) is NO_HOOKS
    True
    >>> require_hooks([print])
    Traceback (most recent call last):
    ...
    TypeError: hooks must be a conversation_clients.signals.Hooks (or None), got list
    """
    if hooks is None:
        return NO_HOOKS
    if not isinstance(hooks, Hooks):
        raise TypeError(f"hooks must be a conversation_clients.signals.Hooks (or None), got {type(hooks).__name__}")
    return hooks


def call_hooks(hooks: Sequence[Hook[E]], event: E, *, asynchronous: bool) -> list[Awaitable[object]]:
    """Call each hook with ``event``; return the awaitables an async caller must await, in order.

    >>> call_hooks((print,), "page 1", asynchronous=False)
    page 1
    []
    """
    pending: list[Awaitable[object]] = []
    for hook in hooks:
        result = hook(event)
        if inspect.isawaitable(result):
            if not asynchronous:
                close = getattr(result, "close", None)
                if close is not None:
                    close()  # a coroutine never awaited would warn
                raise TypeError(
                    f"hook {getattr(hook, '__qualname__', hook)!r} returned an awaitable; "
                    "async hooks need an async client"
                )
            pending.append(result)
    return pending


async def await_all(awaitables: list[Awaitable[object]]) -> None:
    """Await what :func:`call_hooks` returned, in order (a hook may depend on the one before).

    >>> import asyncio
    >>> asyncio.run(await_all([]))
    """
    for awaitable in awaitables:
        await awaitable


@attrs.frozen
class Signals:
    """What one client reports to: its vendor's name, the hooks, and the tracer (None: no spans).

    ``tracer`` is an OpenTelemetry ``Tracer`` (see :func:`tracer_for`). The drivers call
    :meth:`page_span` around a page fetch and :meth:`attempt_span` around each attempt.

    >>> signals = Signals(vendor="bird")
    >>> with signals.page_span("list_conversations") as span:
    ...     span.set_attribute("http.response.status_code", 200)
    """

    vendor: str
    hooks: Hooks = NO_HOOKS
    tracer: Any = None

    def page_report(
        self,
        operation: str,
        request: httpx.Request,
        *,
        request_id_headers: Sequence[str] = (),
        asynchronous: bool = False,
    ) -> PageReport:
        """A :class:`PageReport` for one page fetch of ``operation``, starting with ``request``."""
        return PageReport(self, operation, request, request_id_headers=request_id_headers, asynchronous=asynchronous)

    def paged(self, item_count: int, is_last: bool, meta: PageMeta, *, asynchronous: bool) -> list[Awaitable[object]]:
        """A page was fetched and read: call ``on_page``."""
        if not self.hooks.on_page:
            return []
        event = PageEvent(vendor=self.vendor, item_count=item_count, is_last=is_last, meta=meta)
        return call_hooks(self.hooks.on_page, event, asynchronous=asynchronous)

    def page_span(self, operation: str) -> AbstractContextManager[Any]:
        """A span for one page fetch (the current span while it runs), or a stand-in without a tracer."""
        return _tracing.page_span(self.tracer, self.vendor, operation)

    def attempt_span(self, operation: str, attempt: int) -> AbstractContextManager[Any]:
        """A child span of the page's for one attempt, or a stand-in without a tracer."""
        return _tracing.attempt_span(self.tracer, self.vendor, operation, attempt)


class PageReport:
    """One page fetch as the drivers report it: spans, hook calls, and the final response's note.

    Each ``*ing``/``*ed`` method calls the hooks and returns the awaitables an async driver must
    await (a sync driver gets none: an async hook there is a ``TypeError``). What no hook and no
    span would receive is not made: a client without hooks or a tracer pays for none of it.

    >>> report = Signals(vendor="bird").page_report("list_conversations", httpx.Request("GET", "https://a/w?pageToken=t"))
    >>> with report.page_span():
    ...     _ = report.requesting()
    ...     with report.attempt_span() as span:
    ...         _ = report.answered(httpx.Response(200), span)
    ...     response = report.finished(httpx.Response(200))
    >>> response.extensions[ATTEMPTS_EXTENSION], report.target
    (1, 'GET /w?pageToken=***')
    """

    def __init__(
        self,
        signals: Signals,
        operation: str,
        request: httpx.Request,
        *,
        request_id_headers: Sequence[str] = (),
        asynchronous: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._signals = signals
        self._hooks = signals.hooks
        self._operation = operation
        self._request = request
        self._target: str | None = None
        self._request_id_headers = tuple(request_id_headers)
        self._asynchronous = asynchronous
        self._monotonic = monotonic
        self._started = monotonic()
        self._attempt_started = self._started
        self.attempt = 0
        self._page_span: Any = NO_SPAN
        self._traced = True  # until page_span finds the tracer records nothing

    @property
    def target(self) -> str:
        """The method and the redacted path and query, as the events name the request."""
        if self._target is None:
            self._target = f"{self._request.method} {redact_url(self._request.url)}"
        return self._target

    def page_span(self) -> AbstractContextManager[Any]:
        """The span of the whole page fetch (current while it runs)."""
        if not _tracing.records(self._signals.tracer):
            self._traced = False  # nor its attempts': asked once a page fetch
            return NO_SPAN_CONTEXT
        return self._traced_page_span()

    @contextmanager
    def _traced_page_span(self) -> Generator[Any, None, None]:
        with self._signals.page_span(self._operation) as span:
            self._page_span = span
            yield span

    def attempt_span(self) -> AbstractContextManager[Any]:
        """The span of the attempt :meth:`requesting` just counted."""
        if not self._traced:
            return NO_SPAN_CONTEXT
        return self._signals.attempt_span(self._operation, self.attempt)

    def requesting(self) -> list[Awaitable[object]]:
        """An attempt starts: count it, call ``on_request``."""
        self.attempt += 1
        self._attempt_started = self._monotonic()
        if not self._hooks.on_request:
            return []
        event = RequestEvent(vendor=self._signals.vendor, target=self.target, attempt=self.attempt)
        return call_hooks(self._hooks.on_request, event, asynchronous=self._asynchronous)

    def answered(self, outcome: object, span: Any) -> list[Awaitable[object]]:
        """The attempt ended with ``outcome`` (a response, or the exception): note it, call ``on_response``."""
        if not isinstance(outcome, httpx.Response):
            span.set_attribute("error.type", type(outcome).__name__)
            return []
        if span is NO_SPAN and self._page_span is NO_SPAN and not self._hooks.on_response:
            return []  # no one to tell
        request_id = _request_id(outcome, self._request_id_headers)
        for each in (span, self._page_span):
            each.set_attribute("http.response.status_code", outcome.status_code)
            if request_id is not None:
                each.set_attribute("conversation_clients.request_id", request_id)
        event = ResponseEvent(
            vendor=self._signals.vendor,
            target=self.target,
            attempt=self.attempt,
            status_code=outcome.status_code,
            request_id=request_id,
            elapsed=self._monotonic() - self._attempt_started,
        )
        return call_hooks(self._hooks.on_response, event, asynchronous=self._asynchronous)

    def sleeping(self, seconds: float, reason: str | None) -> list[Awaitable[object]]:
        """A wait before the next attempt: a retry's (``reason`` given) calls ``on_retry``."""
        if reason is None:  # the rate limiter's wait for a slot, not a retry
            return []
        event = RetryEvent(
            vendor=self._signals.vendor, target=self.target, attempt=self.attempt, delay=seconds, reason=reason
        )
        return call_hooks(self._hooks.on_retry, event, asynchronous=self._asynchronous)

    def finished(self, response: httpx.Response) -> httpx.Response:
        """The page's response: note its attempts and elapsed time on it (for :class:`PageMeta`)."""
        response.extensions[ATTEMPTS_EXTENSION] = self.attempt
        response.extensions[ELAPSED_EXTENSION] = self._monotonic() - self._started
        self._page_span.set_attribute("conversation_clients.attempts", self.attempt)
        return response


def _request_id(response: httpx.Response, names: Sequence[str], raw_names: Sequence[bytes] | None = None) -> str | None:
    # a server may echo the request's credential here too: masked, as in an error's request_id;
    # looked up among the raw names, read once (httpx's own lookup reads every header per name)
    headers = response.headers
    present = [name.lower() for name, _value in headers.raw] if raw_names is None else raw_names
    request_id = next((headers[name] for name in names if name.lower().encode("latin-1") in present), None)
    return None if request_id is None else scrub_secrets(request_id, credentials_sent_with(response))


#: No hooks and no spans: what the drivers report to unless given a client's signals.
QUIET: Final = Signals(vendor="")
