"""The sync and async shells every vendor client is built on.

A generated operations module (``conversation_clients._operations``) describes each paginated
operation as a :class:`Listing` (how to build the request for a page token, how to turn the
response into a :class:`Page`), with no I/O. The shells take a vendor's
:class:`~conversation_clients._profile.VendorProfile` through :class:`ClientSettings`, own the
httpx client, send with retries (:mod:`conversation_clients._flow`) and hand pages to the pagers. Everything that differs between sync and async is in the two
``_paginate`` methods and the context-manager plumbing.
"""

from __future__ import annotations

import copy
import functools
import os
import ssl
import sys
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, Generic, Literal, Self, TypeVar, cast

import attrs
import httpx

from conversation_clients._body import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_RESPONSE_BYTES,
    bound_response,
    require_byte_limit,
)
from conversation_clients._deadline import (
    DEFAULT_ATTEMPT_TIMEOUT,
    DEFAULT_PAGE_TIMEOUT,
    install_deadline_backend,
)
from conversation_clients._flow import Limits, send_async, send_sync
from conversation_clients._options import (
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
from conversation_clients._profile import ListingGuard, VendorProfile
from conversation_clients._redact import credentials_sent_with
from conversation_clients._security import require_secure_base_url
from conversation_clients._validation import SchemaRef, SupportsFromDict, build_model, parse_json_object
from conversation_clients._version import __version__
from conversation_clients.errors import (
    ResponseValidationError,
    error_reader_of,
    with_error_reader,
    without_credentials,
)
from conversation_clients.pagination import (
    PREFETCH_MIN_WAIT,
    AsyncPager,
    FetchedPage,
    SyncPager,
    next_token_from,
    request_sent,
    sleep_unless_abandoned,
)
from conversation_clients.ratelimit import RateLimiter, TargetLimiter, require_rate_limiter
from conversation_clients.retry import RetryPolicy
from conversation_clients.signals import (
    QUIET,
    Hooks,
    Signals,
    TracerProvider,
    await_all,
    page_meta_from,
    require_hooks,
    tracer_for,
)

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
    ``ResponseValidationError`` when it does not fit. ``operation`` names it in spans.
    """

    request_kwargs: Callable[[str | None], dict[str, Any]]
    read_page: Callable[[httpx.Response, str | None], FetchedPage[T]]
    start_token: str | None = None
    operation: str = ""


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
        meta=page_meta_from(response, _request_id_headers(response)),
    )


def _request_id_headers(response: httpx.Response) -> tuple[str, ...]:
    # the vendor's, attached to the request by its client; a response built by hand has no request
    try:
        request = response.request
    except RuntimeError:
        return ()
    return error_reader_of(request).request_id_headers


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
    signals: Signals = QUIET


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
    hooks: Hooks | None = None,
    tracer_provider: TracerProvider | None = None,
) -> ClientSettings:
    """Check a client's options and build its settings; the vendor's facts come from ``profile``.

    ``polling_warning_interval`` is read only when the profile has a polling rule. ``hooks`` and
    ``tracer_provider`` (OpenTelemetry's; None: the global one, when ``opentelemetry-api`` is
    installed) make the client's :class:`~conversation_clients.signals.Signals`.
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
        signals=Signals(vendor=profile.name, hooks=require_hooks(hooks), tracer=tracer_for(tracer_provider)),
    )


#: The request extension that carries the body cap of the client that built the request: the
#: response hook reads it, so that clients sharing one httpx client (``with_options``, a
#: caller's ``http_client=``) each keep their own cap, and the caller's other requests none.
_MAX_BYTES_EXTENSION = "conversation_clients.max_response_bytes"


def _bound_ours(response: httpx.Response, *, default: int | None = None) -> None:
    """The body cap as an httpx response hook, for the requests this package built (see :data:`_MAX_BYTES_EXTENSION`).

    >>> _bound_ours(httpx.Response(200, content=b"{}", request=httpx.Request("GET", "https://x/")))
    """
    limit = response.request.extensions.get(_MAX_BYTES_EXTENSION, default)
    if limit is not None:
        bound_response(response, limit=limit)


async def _bound_ours_async(response: httpx.Response, *, default: int | None = None) -> None:
    """:func:`_bound_ours` for ``httpx.AsyncClient``, whose hooks are awaited."""
    _bound_ours(response, default=default)


def _merged_url(base_url: httpx.URL, path: str) -> httpx.URL:
    """``path`` under ``base_url``, joined as ``httpx.Client(base_url=...)`` joins them (whatever base URL the
    httpx client doing the sending has).

    >>> _merged_url(httpx.URL("https://api.example/v1"), "/workspaces/w/conversations")
    URL('https://api.example/v1/workspaces/w/conversations')
    """
    url = httpx.URL(path)
    if not url.is_relative_url:
        return url
    base_path = base_url.raw_path if base_url.raw_path.endswith(b"/") else base_url.raw_path + b"/"
    return base_url.copy_with(raw_path=base_path + url.raw_path.lstrip(b"/"))


class _OnOurTerms:
    """A caller's ``httpx.Client`` as the drivers use it: every request sent with the package's
    auth and never following a redirect, whatever the caller's client was built with."""

    def __init__(self, http: httpx.Client, auth: httpx.Auth) -> None:
        self._http, self._auth = http, auth

    def send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        return self._http.send(request, stream=stream, auth=self._auth, follow_redirects=False)


class _OnOurTermsAsync:
    """:class:`_OnOurTerms` for a caller's ``httpx.AsyncClient``."""

    def __init__(self, http: httpx.AsyncClient, auth: httpx.Auth) -> None:
        self._http, self._auth = http, auth

    async def send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        return await self._http.send(request, stream=stream, auth=self._auth, follow_redirects=False)


def _add_hook(http: httpx.Client | httpx.AsyncClient, hook: Callable[..., Any]) -> None:
    # once per caller's client, however many of our clients use it; it leaves their requests alone
    hooks = http.event_hooks["response"]
    if hook not in hooks:
        hooks.append(hook)


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
        self._signals = settings.signals
        self._absolute_urls: dict[str, httpx.URL] = {}
        self._auth: httpx.Auth = settings.options["auth"]
        self._timeout: httpx.Timeout = settings.options["timeout"]
        # what each request carries besides what the httpx client adds: our own headers when the
        # httpx client is the caller's, and the extra headers of with_options
        self._request_headers: dict[str, str] = {}
        self._timeout_per_request = False  # the httpx client's own timeout is ours
        self._owns_http = True

    def _on_callers_client(self, settings: ClientSettings) -> None:
        # a caller's httpx client: nothing of ours is in it, so every request carries it all
        self._request_headers = {**settings.options["headers"], "Accept-Encoding": ACCEPT_ENCODING}
        self._timeout_per_request = True
        self._owns_http = False

    def _dress(self, request: httpx.Request) -> None:
        """Give ``request`` what this client sends besides the operation's own arguments."""
        request.extensions[_MAX_BYTES_EXTENSION] = self._limits.max_response_bytes
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
        path = kwargs.get("url")
        if isinstance(path, str):
            kwargs["url"] = self._absolute_url(http, path)
        request = http.build_request(**kwargs)
        self._dress(request)
        return with_error_reader(request, self._profile.errors)  # error bodies read the vendor's way

    def _absolute_url(self, http: httpx.Client | httpx.AsyncClient, path: str) -> httpx.URL:
        # The pages of a listing share their path: joined to the base URL once, not once a page
        # (httpx parses the URL again for every join, a third of what building a request costs).
        url = self._absolute_urls.get(path)
        if url is None:
            if len(self._absolute_urls) >= _MAX_REMEMBERED_URLS:
                self._absolute_urls.clear()
            # joined to our base URL, not the httpx client's: a caller's http_client= may have its own
            url = self._absolute_urls[path] = _merged_url(self._base_url, path)
        return url

    def _limiter_for(self, request: httpx.Request) -> TargetLimiter | None:
        # the vendor says which target a request counts against (Bird: its workspace)
        limiter = self._rate_limiter
        return None if limiter is None else limiter.for_target(self._profile.rate_limit_target(request))

    def _read_page(self, listing: Listing[T], response: httpx.Response, token: str | None) -> FetchedPage[T]:
        fetched = listing.read_page(response, token)
        self._signals.paged(fetched.item_count, fetched.next_token is None, fetched.meta, asynchronous=False)
        return fetched

    def _listing_starts(self, http: httpx.Client | httpx.AsyncClient, listing: Listing[Any]) -> None:
        if listing.start_token is None and self._on_new_listing is not None:  # resuming is not a new listing
            # per target: one client may list many channels (given per call)
            self._on_new_listing(self._profile.rate_limit_target(self._request_for(http, listing, None)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._base_url)!r}, max_retries={self._policy.max_retries})"


class SyncClientShell(_Shell):
    """Owns an ``httpx.Client`` (or uses the caller's ``http_client``); sends pages of a :class:`Listing` with retries."""

    def __init__(
        self,
        settings: ClientSettings,
        *,
        transport: httpx.BaseTransport | None,
        prefetch: bool | Literal["always"] = True,
        http_client: httpx.Client | None = None,
    ) -> None:
        require_transport(transport, asynchronous=False)
        require_http_client(http_client, transport, asynchronous=False)
        prefetch = require_prefetch(prefetch)
        super().__init__(settings)
        self._http: httpx.Client
        self._sender: httpx.Client
        if http_client is None:
            # bodies are capped as soon as a response arrives: httpx reads some itself (a 401's)
            capped = functools.partial(_bound_ours, default=settings.limits.max_response_bytes)
            self._http = httpx.Client(**settings.options, transport=transport, event_hooks={"response": [capped]})
            self._http.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what _body decodes
            if transport is None:
                # a blocking read cannot be cut short from outside: bound each read instead
                install_deadline_backend(self._http)
            self._sender = self._http
        else:
            self._http = http_client
            _add_hook(http_client, _bound_ours)
            self._on_callers_client(settings)
            # the drivers only call send(); this one adds our auth and refuses redirects
            self._sender = cast(httpx.Client, _OnOurTerms(http_client, self._auth))
        self._prefetch = prefetch

    def _paginate(self, listing: Listing[T], *, max_items: int | None = None) -> SyncPager[T]:
        max_items = require_max_items(max_items)
        self._listing_starts(self._http, listing)

        def fetch(token: str | None) -> Callable[[], FetchedPage[T]]:
            request = self._request_for(self._http, listing, token)
            request.extensions["trace"] = _report_sent
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

    def __init__(
        self,
        settings: ClientSettings,
        *,
        transport: httpx.AsyncBaseTransport | None,
        prefetch: bool | Literal["always"] = True,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        require_transport(transport, asynchronous=True)
        require_http_client(http_client, transport, asynchronous=True)
        prefetch = require_prefetch(prefetch)
        super().__init__(settings)
        self._http: httpx.AsyncClient
        self._sender: httpx.AsyncClient
        if http_client is None:
            capped = functools.partial(_bound_ours_async, default=settings.limits.max_response_bytes)
            self._http = httpx.AsyncClient(**settings.options, transport=transport, event_hooks={"response": [capped]})
            self._http.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what _body decodes
            self._sender = self._http
        else:
            self._http = http_client
            _add_hook(http_client, _bound_ours_async)
            self._on_callers_client(settings)
            self._sender = cast(httpx.AsyncClient, _OnOurTermsAsync(http_client, self._auth))
        self._prefetch = prefetch

    def _paginate(self, listing: Listing[T], *, max_items: int | None = None) -> AsyncPager[T]:
        max_items = require_max_items(max_items)
        self._listing_starts(self._http, listing)

        async def fetch(token: str | None) -> FetchedPage[T]:
            request = self._request_for(self._http, listing, token)
            request.extensions["trace"] = _report_sent_async
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
