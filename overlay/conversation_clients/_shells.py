"""The sync and async shells every vendor client is built on.

A generated operations module (``conversation_clients._operations``) describes each paginated
operation as a :class:`~conversation_clients._listing.Listing`, with no I/O, and subclasses the
shells with a method per operation. The shells take a vendor's
:class:`~conversation_clients._profile.VendorProfile` through
:class:`~conversation_clients._settings.ClientSettings`, own the httpx client (or use the
caller's: :mod:`conversation_clients._http`), cap its bodies (:mod:`conversation_clients._body_cap`),
send with retries (:mod:`conversation_clients._flow`) and hand pages to the pagers. Everything
that differs between sync and async is in the two ``_paginate`` methods and the context-manager
plumbing.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar, Unpack, cast

import attrs
import httpx

from conversation_clients._body import ACCEPT_ENCODING, require_byte_limit
from conversation_clients._body_cap import MAX_BYTES_EXTENSION, add_response_hook, bound_ours, bound_ours_async
from conversation_clients._checks import (
    require_extra_headers,
    require_http_client,
    require_max_items,
    require_max_retries,
    require_prefetch,
    require_retry_policy,
    require_seconds,
    require_timeout,
    require_transport,
)
from conversation_clients._deadline import install_deadline_backend
from conversation_clients._flow import send_async, send_sync
from conversation_clients._http import OnOurTerms, OnOurTermsAsync, merged_url, report_sent, report_sent_async
from conversation_clients._listing import Listing
from conversation_clients._prefetch import PREFETCH_MIN_WAIT, sleep_unless_abandoned
from conversation_clients._settings import DEFAULT_PREFETCH, AsyncClientOptions, ClientSettings, SyncClientOptions
from conversation_clients.errors import with_error_reader
from conversation_clients.pagination import AsyncPager, FetchedPage, SyncPager
from conversation_clients.ratelimit import RateLimiter, TargetLimiter, require_rate_limiter
from conversation_clients.retry import RetryPolicy
from conversation_clients.signals import Hooks, await_all, require_hooks

__all__ = ["AsyncClientShell", "SyncClientShell"]

T = TypeVar("T")

#: How many listing paths (joined to the base URL) a client remembers; past it, it starts afresh.
_MAX_REMEMBERED_URLS = 256


def _first_page_key(path: str, params: object) -> tuple[object, ...] | None:
    """What a first page's URL is remembered by: its path and query, each value with its type
    (``True`` and ``1`` are sent differently); None for a query that cannot be (a list's values)."""
    if not isinstance(params, dict):
        return None
    key: list[object] = [path]
    for name, value in cast(dict[str, object], params).items():
        if not isinstance(value, (str, int, float)):
            return None
        key += (name, type(value), value)
    return tuple(key)


def _apart(headers: dict[str, Any], client_names: frozenset[str] | None) -> bool:
    # an operation's headers (Omnichannel's organization and channel), in ASCII, that the default ones
    # of an httpx client of ours do not name: appended, they end where httpx's merge would put them
    return client_names is not None and all(
        type(value) is str and value.isascii() and name.lower() not in client_names for name, value in headers.items()
    )


class _Shell:
    """What both shells hold besides their httpx client; its repr shows no credential."""

    def __init__(self, settings: ClientSettings) -> None:
        self._profile = settings.profile
        self._base_url: httpx.URL = settings.http_options["base_url"]
        self._policy = settings.policy
        self._limits = settings.limits
        self._on_new_listing = settings.on_new_listing
        self._rate_limiter = settings.rate_limiter
        self._signals = settings.signals
        self._absolute_urls: dict[object, httpx.URL] = {}  # by path, or by path and first page's query
        self._auth: httpx.Auth = settings.http_options["auth"]
        self._timeout: httpx.Timeout = settings.http_options["timeout"]
        # what each request carries besides what the httpx client adds: our own headers when the
        # httpx client is the caller's, and the extra headers of with_options
        self._request_headers: dict[str, str] = {}
        self._timeout_per_request = False  # the httpx client's own timeout is ours
        self._owns_http = True
        # the default headers of an httpx client of our own (lower case); None: the caller's, which may change
        self._client_header_names: frozenset[str] | None = None

    def _on_callers_client(self, settings: ClientSettings) -> None:
        # a caller's httpx client: nothing of ours is in it, so every request carries it all
        self._request_headers = {**settings.http_options["headers"], "Accept-Encoding": ACCEPT_ENCODING}
        self._timeout_per_request = True
        self._owns_http = False

    def _dress(self, request: httpx.Request) -> None:
        """Give ``request`` what this client sends besides the operation's own arguments."""
        request.extensions[MAX_BYTES_EXTENSION] = self._limits.max_response_bytes
        if self._timeout_per_request:  # read by the drivers, which cap it to the attempt's deadline
            request.extensions["timeout"] = self._timeout.as_dict()
        if self._request_headers:
            request.headers.update(self._request_headers)

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        attempt_timeout: float | None = None,
        page_timeout: float | None = None,
        max_response_bytes: int | None = None,
        rate_limiter: RateLimiter | None = None,
        hooks: Hooks | None = None,
    ) -> Self:
        """A client of the same class that shares this one's connection pool and differs only in the options given.

        Every option given is checked as the constructor checks it; None keeps this client's
        value. ``max_retries`` alone changes only the retry count of this client's policy.
        ``headers`` are sent with each request of the derived client, after (and besides) those
        of this one; a header the client sets itself (``Authorization``, ``Host``,
        ``Accept-Encoding``, ``Content-Length``, ``Transfer-Encoding``) or a vendor's held
        parameter (Omnichannel's ``organization-id`` and ``channel-id``: give those per call) is
        a ``ValueError`` naming it. ``timeout`` reaches each request of the derived client (cut,
        as always, to what is left of ``attempt_timeout`` and ``page_timeout``). ``hooks``
        replace this client's hooks (its spans stay).

        The pool (the ``httpx.Client`` / ``httpx.AsyncClient``) belongs to the client that made
        it: closing a derived client (``close()``, ``aclose()``, leaving its ``with``) does
        nothing, and closing the original closes the pool every client derived from it uses.

        >>> from conversation_clients import BirdClient
        >>> with BirdClient("key") as bird:
        ...     patient = bird.with_options(timeout=120, max_retries=5, headers={"X-Team": "exports"})
        ...     type(patient).__name__, patient._http is bird._http
        ('BirdClient', True)
        """
        derived = copy.copy(self)
        derived._owns_http = False
        if timeout is not None:
            derived._timeout = require_timeout(timeout)
            derived._timeout_per_request = True
        if retry_policy is not None or max_retries is not None:
            policy = require_retry_policy(retry_policy) or self._policy
            derived._policy = (
                policy if max_retries is None else attrs.evolve(policy, max_retries=require_max_retries(max_retries))
            )
        limits = self._limits
        derived._limits = attrs.evolve(
            limits,
            max_response_bytes=limits.max_response_bytes
            if max_response_bytes is None
            else require_byte_limit(max_response_bytes),
            attempt_timeout=limits.attempt_timeout
            if attempt_timeout is None
            else require_seconds(attempt_timeout, "attempt_timeout"),
            page_timeout=limits.page_timeout if page_timeout is None else require_seconds(page_timeout, "page_timeout"),
        )
        if rate_limiter is not None:
            derived._rate_limiter = require_rate_limiter(rate_limiter)
        if hooks is not None:
            derived._signals = attrs.evolve(self._signals, hooks=require_hooks(hooks))
        if headers is not None:
            extra = require_extra_headers(headers, held=self._profile.held_parameters)
            derived._request_headers = {**self._request_headers, **extra}
        return derived

    def _request_for(
        self, http: httpx.Client | httpx.AsyncClient, listing: Listing[Any], token: str | None
    ) -> httpx.Request:
        kwargs = listing.request_kwargs(token)
        path, params = kwargs.get("url"), kwargs.get("params")
        if isinstance(path, str):
            # A listing's first page asks for the same URL whenever its arguments are the same:
            # joined and encoded once (httpx parses the whole URL again to add a query). Not with a
            # caller's httpx client that adds query parameters of its own: it puts them first.
            key = _first_page_key(path, params) if params and token is None and not http.params else None
            if key is None:
                kwargs["url"] = self._remembered_url(path, path)
            else:
                kwargs["url"] = self._remembered_url(key, path, kwargs.pop("params"))
        if not kwargs.get("params", True):
            del kwargs["params"]  # none: httpx would parse the URL again to add none to it
        headers = kwargs.get("headers")
        if headers and _apart(headers, self._client_header_names):
            del kwargs["headers"]
            request = http.build_request(**kwargs)
            for name, value in headers.items():  # where httpx's merge puts them, without its two copies
                request.headers[name] = value
        else:
            request = http.build_request(**kwargs)
        self._dress(request)
        return with_error_reader(request, self._profile.errors)  # error bodies read the vendor's way

    def _remembered_url(self, key: object, path: str, params: dict[str, Any] | None = None) -> httpx.URL:
        # The pages of a listing share their path: joined to the base URL once, not once a page
        # (httpx parses the URL again for every join, a third of what building a request costs).
        url = self._absolute_urls.get(key)
        if url is None:
            if len(self._absolute_urls) >= _MAX_REMEMBERED_URLS:
                self._absolute_urls.clear()
            # joined to our base URL, not the httpx client's: a caller's http_client= may have its own
            url = merged_url(self._base_url, path)
            # encoded by httpx as a request's params= are (Request does this very call)
            self._absolute_urls[key] = url = url if params is None else url.copy_merge_params(params)
        return url

    def _limiter_for(self, request: httpx.Request) -> TargetLimiter | None:
        # the vendor says which target a request counts against (Bird: its workspace)
        limiter = self._rate_limiter
        return None if limiter is None else limiter.for_target(self._profile.rate_limit_target(request))

    def _read_page(self, listing: Listing[T], response: httpx.Response, token: str | None) -> FetchedPage[T]:
        fetched = listing.read_page(response, token)
        self._signals.paged(fetched.item_count, fetched.next_token is None, fetched.meta, asynchronous=False)
        return fetched

    def _requests(
        self, http: httpx.Client | httpx.AsyncClient, listing: Listing[Any]
    ) -> Callable[[str | None], httpx.Request]:
        """The request for each page of ``listing``; tells the vendor's guard, if any, of a new listing now.

        The guard takes the target of the listing's first request, built here for it: that request
        goes out as the first page's (once), so that no page costs two.
        """
        first: list[httpx.Request] = []
        if listing.start_token is None and self._on_new_listing is not None:  # resuming is not a new listing
            first.append(self._request_for(http, listing, None))
            # per target: one client may list many channels (given per call)
            self._on_new_listing(self._profile.rate_limit_target(first[0]))

        def request_for(token: str | None) -> httpx.Request:
            if first and token is None:
                return first.pop()
            return self._request_for(http, listing, token)

        return request_for

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._base_url)!r}, max_retries={self._policy.max_retries})"


class SyncClientShell(_Shell):
    """Owns an ``httpx.Client`` (or uses the caller's ``http_client``); sends pages of a :class:`Listing` with retries."""

    def __init__(self, settings: ClientSettings, **options: Unpack[SyncClientOptions]) -> None:
        transport, http_client = options.get("transport"), options.get("http_client")
        require_transport(transport, asynchronous=False)
        require_http_client(http_client, transport, asynchronous=False)
        prefetch = require_prefetch(options.get("prefetch", DEFAULT_PREFETCH))
        super().__init__(settings)
        self._http: httpx.Client
        self._sender: httpx.Client
        if http_client is None:
            # bodies are capped as soon as a response arrives: httpx reads some itself (a 401's)
            capped = functools.partial(bound_ours, default=settings.limits.max_response_bytes)
            self._http = httpx.Client(**settings.http_options, transport=transport, event_hooks={"response": [capped]})
            self._http.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what _body decodes
            self._client_header_names = frozenset(name.lower() for name in self._http.headers)
            if transport is None:
                # a blocking read cannot be cut short from outside: bound each read instead
                install_deadline_backend(self._http)
            self._sender = self._http
        else:
            self._http = http_client
            add_response_hook(http_client, bound_ours)
            self._on_callers_client(settings)
            # the drivers only call send(); this one adds our auth and refuses redirects
            self._sender = cast(httpx.Client, OnOurTerms(http_client, self._auth))
        self._prefetch = prefetch

    def _paginate(self, listing: Listing[T], *, max_items: int | None = None) -> SyncPager[T]:
        max_items = require_max_items(max_items)
        request_for = self._requests(self._http, listing)

        def fetch(token: str | None) -> Callable[[], FetchedPage[T]]:
            request = request_for(token)
            request.extensions["trace"] = report_sent
            response = send_sync(
                self._sender,
                request,
                self._policy,
                sleep=sleep_unless_abandoned,
                limits=self._limits,
                limiter=self._limiter_for(request),
                signals=self._signals,
                operation=listing.operation,
            )
            return functools.partial(self._read_page, listing, response, token)  # read on the iterating thread

        return SyncPager(
            fetch,
            start_token=listing.start_token,
            prefetch=bool(self._prefetch),
            prefetch_min_wait=0.0 if self._prefetch == "always" else PREFETCH_MIN_WAIT,
            reports_sent=True,
            fetch_timeout=None if self._limits.page_timeout is None else self._limits.page_timeout + 1.0,
            max_items=max_items,
        )

    def close(self) -> None:
        """Close the connection pool. The ``with`` statement does this for you.

        Only the client that made the pool closes it: on a client from :meth:`with_options`, or
        one given an ``http_client`` (the caller's to close), this does nothing.
        """
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.close()


class AsyncClientShell(_Shell):
    """Owns an ``httpx.AsyncClient`` (or uses the caller's); the async twin of :class:`SyncClientShell`."""

    def __init__(self, settings: ClientSettings, **options: Unpack[AsyncClientOptions]) -> None:
        transport, http_client = options.get("transport"), options.get("http_client")
        require_transport(transport, asynchronous=True)
        require_http_client(http_client, transport, asynchronous=True)
        prefetch = require_prefetch(options.get("prefetch", DEFAULT_PREFETCH))
        super().__init__(settings)
        self._http: httpx.AsyncClient
        self._sender: httpx.AsyncClient
        if http_client is None:
            capped = functools.partial(bound_ours_async, default=settings.limits.max_response_bytes)
            self._http = httpx.AsyncClient(
                **settings.http_options, transport=transport, event_hooks={"response": [capped]}
            )
            self._http.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what _body decodes
            self._client_header_names = frozenset(name.lower() for name in self._http.headers)
            self._sender = self._http
        else:
            self._http = http_client
            add_response_hook(http_client, bound_ours_async)
            self._on_callers_client(settings)
            self._sender = cast(httpx.AsyncClient, OnOurTermsAsync(http_client, self._auth))
        self._prefetch = prefetch

    def _paginate(self, listing: Listing[T], *, max_items: int | None = None) -> AsyncPager[T]:
        max_items = require_max_items(max_items)
        request_for = self._requests(self._http, listing)

        async def fetch(token: str | None) -> FetchedPage[T]:
            request = request_for(token)
            request.extensions["trace"] = report_sent_async
            response = await send_async(
                self._sender,
                request,
                self._policy,
                limits=self._limits,
                limiter=self._limiter_for(request),
                signals=self._signals,
                operation=listing.operation,
            )
            fetched = listing.read_page(response, token)
            await await_all(
                self._signals.paged(fetched.item_count, fetched.next_token is None, fetched.meta, asynchronous=True)
            )
            return fetched

        return AsyncPager(
            fetch,
            start_token=listing.start_token,
            prefetch=bool(self._prefetch),
            reports_sent=True,
            max_items=max_items,
        )

    async def aclose(self) -> None:
        """Close the connection pool. The ``async with`` statement does this for you.

        As :meth:`SyncClientShell.close`: a client from :meth:`with_options`, or one given an
        ``http_client``, closes nothing.
        """
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.aclose()
