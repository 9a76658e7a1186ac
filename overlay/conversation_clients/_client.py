"""The sync and async shells every vendor client is built on.

A generated operations module (``conversation_clients._operations``) describes each paginated
operation as a :class:`Listing` (how to build the request for a page token, how to turn the
response into a :class:`Page`), with no I/O. The shells take a vendor's
:class:`~conversation_clients._profile.VendorProfile` through :class:`ClientSettings`, own the
httpx client, send with retries (:mod:`conversation_clients._flow`) and hand pages to the pagers. Everything that differs between sync and async is in the two
``_paginate`` methods and the context-manager plumbing.
"""

from __future__ import annotations

import functools
import os
import ssl
import sys
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, cast

import attrs
import httpx

from conversation_clients._body import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_RESPONSE_BYTES,
    bound_response,
    bound_response_async,
    require_byte_limit,
)
from conversation_clients._deadline import (
    DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_PAGE_TIMEOUT,
    install_deadline_backend,
)
from conversation_clients._flow import Limits, send_async, send_sync
from conversation_clients._options import (
    require_max_items,
    require_max_retries,
    require_prefetch,
    require_retry_policy,
    require_seconds,
    require_timeout,
    require_transport,
)
from conversation_clients._profile import ListingGuard, VendorProfile
from conversation_clients._redact import credentials_sent_with
from conversation_clients._security import require_secure_base_url
from conversation_clients._validation import SchemaRef, SupportsFromDict, build_model, parse_json_object
from conversation_clients._version import __version__
from conversation_clients.errors import ResponseValidationError, with_error_reader, without_credentials
from conversation_clients.pagination import (
    AsyncPager,
    FetchedPage,
    SyncPager,
    next_token_from,
    request_sent,
    sleep_unless_abandoned,
)
from conversation_clients.ratelimit import RateLimiter, TargetLimiter, require_rate_limiter
from conversation_clients.retry import RetryPolicy

T = TypeVar("T")
M = TypeVar("M", bound=SupportsFromDict)

#: Finite by default (the generated client waits forever): 5 s to connect, 30 s for the rest.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
USER_AGENT = (
    f"conversation-clients/{__version__} httpx/{httpx.__version__} "
    f"python/{sys.version_info.major}.{sys.version_info.minor}"
)


@attrs.frozen
class Listing(Generic[T]):
    """One paginated operation, described without I/O.

    ``request_kwargs(token)`` gives the arguments of ``httpx.Client.build_request`` for the page
    that ``token`` fetches (None: the first page); ``read_page(response, token)`` reads a 2xx
    response as a :class:`FetchedPage` (see :func:`read_json_page`), raising
    ``ResponseValidationError`` when it does not fit.
    """

    request_kwargs: Callable[[str | None], dict[str, Any]]
    read_page: Callable[[httpx.Response, str | None], FetchedPage[T]]
    start_token: str | None = None


def read_json_page(
    response: httpx.Response,
    token: str | None,
    *,
    model: type[M],
    schema: SchemaRef,
    items_field: str,
    token_field: str,
    items_of: Callable[[M], Iterable[T]],
) -> FetchedPage[T]:
    """Read a page's JSON body now; build ``model`` from it (and take its items) when the page is built.

    The next token is read from the JSON itself, so that the next request can go out before the
    models are built; a token that is not a string is a ``ResponseValidationError`` naming
    ``token_field``. ``items_field`` names the array counted for ``item_count``.
    """
    content, status_code = response.content, response.status_code
    credentials = credentials_sent_with(response)  # a body quoting them must not show them
    try:
        payload = parse_json_object(content, status_code=status_code)
    except ResponseValidationError as error:
        without_credentials(error, credentials)  # in place: re-raised with its own traceback
        raise
    try:
        next_token = next_token_from(payload.get(token_field))
    except (TypeError, ValueError) as error:  # not a string, or one that cannot be sent back
        raise without_credentials(
            ResponseValidationError(status_code=status_code, body=content, field=token_field, reason=str(error)),
            credentials,
        ) from None
    raw_items = payload.get(items_field)

    def build_items() -> Iterable[T]:
        try:
            return items_of(build_model(model, payload, content, status_code=status_code, schema=schema))
        except ResponseValidationError as error:
            without_credentials(error, credentials)  # in place: re-raised with its own traceback
            raise

    return FetchedPage(
        token=token,
        next_token=next_token,
        item_count=len(cast(list[object], raw_items)) if isinstance(raw_items, list) else 0,
        build_items=build_items,
    )


# httpcore's trace hook: a request is on the wire once its body has been sent (GETs have an
# empty one). The pagers wait for that before building the page they hold (request_sent).
_SENT_EVENT_SUFFIX = ".send_request_body.complete"


def _report_sent(event: str, info: Mapping[str, Any]) -> None:
    if event.endswith(_SENT_EVENT_SUFFIX):
        request_sent()


async def _report_sent_async(event: str, info: Mapping[str, Any]) -> None:
    _report_sent(event, info)


def http_client_options(
    *,
    base_url: str,
    auth: httpx.Auth,
    timeout: float | httpx.Timeout | None,
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The options both shells give their httpx client; checks that ``base_url`` is safe.

    Redirects are not followed: neither API documents one, and a followed redirect could carry
    the request to another origin. A 3xx surfaces as an ``APIError``.
    """
    checked_timeout = require_timeout(timeout)  # every component finite and above 0
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **(extra_headers or {})}
    return {
        "base_url": require_secure_base_url(base_url),
        "auth": auth,
        "headers": headers,
        "timeout": checked_timeout,
        "follow_redirects": False,
        "verify": shared_tls_context(),
    }


def shared_tls_context() -> ssl.SSLContext:
    """The TLS context httpx would build for a client, built once per process and shared by every client.

    httpx builds one per client (certifi's roots, or those ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``
    name), and loading the roots costs about 16 ms of CPU each time: more than a page of a
    listing. Sharing is what httpx does for one client's connections already; a change of
    either variable gets a context of its own.

    >>> shared_tls_context() is shared_tls_context()
    True
    """
    return _tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=4)
def _tls_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # the arguments are the cache key: httpx reads the same variables itself
    return httpx.create_ssl_context(trust_env=True)


def transfer_limits(
    *,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
    page_timeout: float = DEFAULT_PAGE_TIMEOUT,
) -> Limits:
    """The clients' body cap and deadlines, checked (positive; finite seconds).

    >>> transfer_limits(max_response_bytes=1024, attempt_timeout=5, page_timeout=30)
    Limits(max_response_bytes=1024, attempt_timeout=5.0, page_timeout=30.0)
    """
    return Limits(
        max_response_bytes=require_byte_limit(max_response_bytes),
        attempt_timeout=require_seconds(attempt_timeout, "attempt_timeout"),
        page_timeout=require_seconds(page_timeout, "page_timeout"),
    )


def retry_policy_for(max_retries: int, retry_policy: RetryPolicy | None) -> RetryPolicy:
    """``retry_policy`` if given, else the default policy with ``max_retries``; both are checked."""
    max_retries = require_max_retries(max_retries)
    checked = require_retry_policy(retry_policy)
    return checked if checked is not None else RetryPolicy(max_retries=max_retries)


@attrs.frozen
class ClientSettings:
    """What a client is made of, checked once, the same way for every vendor (see :func:`client_settings`)."""

    profile: VendorProfile
    options: dict[str, Any]
    policy: RetryPolicy
    limits: Limits
    on_new_listing: ListingGuard | None
    rate_limiter: RateLimiter | None = None


def client_settings(
    profile: VendorProfile,
    *,
    auth: httpx.Auth,
    base_url: str,
    timeout: float | httpx.Timeout,
    max_retries: int,
    retry_policy: RetryPolicy | None,
    max_response_bytes: int,
    attempt_timeout: float,
    page_timeout: float,
    polling_warning_interval: float | None = None,
    rate_limiter: RateLimiter | None = None,
) -> ClientSettings:
    """Check a client's options and build its settings; the vendor's facts come from ``profile``.

    ``polling_warning_interval`` is read only when the profile has a polling rule.
    """
    options = http_client_options(base_url=base_url, auth=auth, timeout=timeout)
    return ClientSettings(
        profile=profile,
        options=options,
        policy=retry_policy_for(max_retries, retry_policy),
        limits=transfer_limits(
            max_response_bytes=max_response_bytes, attempt_timeout=attempt_timeout, page_timeout=page_timeout
        ),
        on_new_listing=None if profile.polling_guard is None else profile.polling_guard(polling_warning_interval),
        rate_limiter=require_rate_limiter(rate_limiter),
    )


#: How many listing paths (joined to the base URL) a client remembers; past it, it starts afresh.
_MAX_REMEMBERED_URLS = 256


class _Shell:
    """What both shells hold besides their httpx client; its repr shows no credential."""

    def __init__(self, settings: ClientSettings) -> None:
        self._profile = settings.profile
        self._base_url: httpx.URL = settings.options["base_url"]
        self._policy = settings.policy
        self._limits = settings.limits
        self._on_new_listing = settings.on_new_listing
        self._rate_limiter = settings.rate_limiter
        self._absolute_urls: dict[str, httpx.URL] = {}

    def _request_for(
        self, http: httpx.Client | httpx.AsyncClient, listing: Listing[Any], token: str | None
    ) -> httpx.Request:
        kwargs = listing.request_kwargs(token)
        path = kwargs.get("url")
        if isinstance(path, str):
            kwargs["url"] = self._absolute_url(http, path)
        request = http.build_request(**kwargs)
        return with_error_reader(request, self._profile.errors)  # error bodies read the vendor's way

    def _absolute_url(self, http: httpx.Client | httpx.AsyncClient, path: str) -> httpx.URL:
        # The pages of a listing share their path: joined to the base URL once, not once a page
        # (httpx parses the URL again for every join, a third of what building a request costs).
        url = self._absolute_urls.get(path)
        if url is None:
            if len(self._absolute_urls) >= _MAX_REMEMBERED_URLS:
                self._absolute_urls.clear()
            url = self._absolute_urls[path] = http.build_request("GET", path).url
        return url

    def _limiter_for(self, request: httpx.Request) -> TargetLimiter | None:
        # the vendor says which target a request counts against (Bird: its workspace)
        limiter = self._rate_limiter
        return None if limiter is None else limiter.for_target(self._profile.rate_limit_target(request))

    def _listing_starts(self, http: httpx.Client | httpx.AsyncClient, listing: Listing[Any]) -> None:
        if listing.start_token is None and self._on_new_listing is not None:  # resuming is not a new listing
            # per target: one client may list many channels (given per call)
            self._on_new_listing(self._profile.rate_limit_target(self._request_for(http, listing, None)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._base_url)!r}, max_retries={self._policy.max_retries})"


class SyncClientShell(_Shell):
    """Owns an ``httpx.Client``; sends pages of a :class:`Listing` with retries."""

    def __init__(
        self, settings: ClientSettings, *, transport: httpx.BaseTransport | None, prefetch: bool = True
    ) -> None:
        require_transport(transport, asynchronous=False)
        prefetch = require_prefetch(prefetch)
        super().__init__(settings)
        # bodies are capped as soon as a response arrives: httpx reads some itself (a 401's)
        capped = functools.partial(bound_response, limit=settings.limits.max_response_bytes)
        self._http = httpx.Client(**settings.options, transport=transport, event_hooks={"response": [capped]})
        self._http.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what _body decodes
        if transport is None:
            # a blocking read cannot be cut short from outside: bound each read instead
            install_deadline_backend(self._http)
        self._prefetch = prefetch

    def _paginate(self, listing: Listing[T], *, max_items: int | None = None) -> SyncPager[T]:
        max_items = require_max_items(max_items)
        self._listing_starts(self._http, listing)

        def fetch(token: str | None) -> Callable[[], FetchedPage[T]]:
            request = self._request_for(self._http, listing, token)
            request.extensions["trace"] = _report_sent
            response = send_sync(
                self._http,
                request,
                self._policy,
                sleep=sleep_unless_abandoned,
                limits=self._limits,
                limiter=self._limiter_for(request),
            )
            return functools.partial(listing.read_page, response, token)  # read on the iterating thread

        return SyncPager(
            fetch,
            start_token=listing.start_token,
            prefetch=self._prefetch,
            reports_sent=True,
            fetch_timeout=None if self._limits.page_timeout is None else self._limits.page_timeout + 1.0,
            max_items=max_items,
        )

    def close(self) -> None:
        """Close the connection pool. The ``with`` statement does this for you."""
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
    """Owns an ``httpx.AsyncClient``; the async twin of :class:`SyncClientShell`."""

    def __init__(
        self, settings: ClientSettings, *, transport: httpx.AsyncBaseTransport | None, prefetch: bool = True
    ) -> None:
        require_transport(transport, asynchronous=True)
        prefetch = require_prefetch(prefetch)
        super().__init__(settings)
        capped = functools.partial(bound_response_async, limit=settings.limits.max_response_bytes)
        self._http = httpx.AsyncClient(**settings.options, transport=transport, event_hooks={"response": [capped]})
        self._http.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what _body decodes
        self._prefetch = prefetch

    def _paginate(self, listing: Listing[T], *, max_items: int | None = None) -> AsyncPager[T]:
        max_items = require_max_items(max_items)
        self._listing_starts(self._http, listing)

        async def fetch(token: str | None) -> FetchedPage[T]:
            request = self._request_for(self._http, listing, token)
            request.extensions["trace"] = _report_sent_async
            response = await send_async(
                self._http, request, self._policy, limits=self._limits, limiter=self._limiter_for(request)
            )
            return listing.read_page(response, token)

        return AsyncPager(
            fetch, start_token=listing.start_token, prefetch=self._prefetch, reports_sent=True, max_items=max_items
        )

    async def aclose(self) -> None:
        """Close the connection pool. The ``async with`` statement does this for you."""
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
