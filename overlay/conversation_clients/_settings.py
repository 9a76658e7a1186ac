"""A client's options, declared once (:class:`ClientOptions`), and what they make: its :class:`ClientSettings`.

Every client class takes the options as ``**options: Unpack[SyncClientOptions]`` (or
``AsyncClientOptions``): keyword arguments whose names and types the type checkers hold each
call to. :func:`client_settings` gives each option missing from a call its default, checks
them all the same way for every vendor, and builds the settings the shells
(:mod:`conversation_clients._shells`) are made from; the shells take the transport, the caller's
``http_client`` and ``prefetch`` from the same options.
"""

from __future__ import annotations

from typing import Any, Final, Literal, TypedDict

import attrs
import httpx

from conversation_clients._body import DEFAULT_MAX_RESPONSE_BYTES, require_byte_limit
from conversation_clients._checks import require_max_retries, require_retry_policy, require_seconds
from conversation_clients._deadline import DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_PAGE_TIMEOUT
from conversation_clients._flow import Limits
from conversation_clients._http import http_client_options
from conversation_clients._profile import ListingGuard, VendorProfile
from conversation_clients._tracing import TracerProvider, tracer_for
from conversation_clients.ratelimit import RateLimiter, require_rate_limiter
from conversation_clients.retry import RetryPolicy
from conversation_clients.signals import QUIET, Hooks, Signals, require_hooks

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_PREFETCH",
    "DEFAULT_TIMEOUT",
    "AsyncClientOptions",
    "ClientOptions",
    "ClientSettings",
    "SyncClientOptions",
    "client_settings",
    "retry_policy_for",
    "transfer_limits",
]

# The default of each option a call leaves out; the body cap's and the deadlines' are their
# modules' (DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_PAGE_TIMEOUT).

#: Finite by default (the generated client waits forever): 5 s to connect, 30 s for the rest.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_PREFETCH: Final = True


class ClientOptions(TypedDict, total=False):
    """The options every client takes by keyword, besides its vendor's own; each may be left out.

    ``timeout`` (default :data:`DEFAULT_TIMEOUT`), ``max_retries`` (2), ``retry_policy`` (None:
    the default policy with ``max_retries``), ``prefetch`` (True), ``max_response_bytes`` (16 MiB),
    ``attempt_timeout`` (60 s), ``page_timeout`` (300 s), ``rate_limiter``, ``hooks`` and
    ``tracer_provider`` (None each). The clients' docstrings say what each does.
    """

    timeout: float | httpx.Timeout
    max_retries: int
    retry_policy: RetryPolicy | None
    prefetch: bool | Literal["always"]
    max_response_bytes: int
    attempt_timeout: float
    page_timeout: float
    rate_limiter: RateLimiter | None
    hooks: Hooks | None
    tracer_provider: TracerProvider | None


class SyncClientOptions(ClientOptions, total=False):
    """The options of a sync client: :class:`ClientOptions`, a sync ``transport`` or an ``httpx.Client`` (None each)."""

    transport: httpx.BaseTransport | None
    http_client: httpx.Client | None


class AsyncClientOptions(ClientOptions, total=False):
    """The options of an async client: :class:`ClientOptions`, an async ``transport`` or an ``httpx.AsyncClient``."""

    transport: httpx.AsyncBaseTransport | None
    http_client: httpx.AsyncClient | None


# The same names for either kind: the two differ in their types only.
_OPTION_NAMES: Final = SyncClientOptions.__optional_keys__


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
    """What a client is made of, checked once, the same way for every vendor (see :func:`client_settings`).

    ``http_options`` are the keyword arguments of its own httpx client (:func:`~conversation_clients._http.http_client_options`).
    """

    profile: VendorProfile
    http_options: dict[str, Any]
    policy: RetryPolicy
    limits: Limits
    on_new_listing: ListingGuard | None
    rate_limiter: RateLimiter | None = None
    signals: Signals = QUIET


def client_settings(
    client: type,
    profile: VendorProfile,
    options: ClientOptions,
    *,
    credentials: tuple[Any, ...],
    base_url: str,
    polling_warning_interval: float | None = None,
) -> ClientSettings:
    """Check a ``client`` class's options and build its settings; the vendor's facts come from ``profile``.

    An option no client takes is a ``TypeError``, as Python's own for an unexpected keyword
    argument (``client`` names the class). Then, in this order: ``credentials``, given to the
    profile's ``make_auth``, ``base_url`` and each option; an option missing from ``options``
    takes its default. ``polling_warning_interval`` is read only when the profile has a polling
    rule. ``hooks`` and ``tracer_provider`` (OpenTelemetry's; None: the global one, when
    ``opentelemetry-api`` is installed) make the client's
    :class:`~conversation_clients.signals.Signals`. The shells check ``transport``,
    ``http_client`` and ``prefetch``.

    >>> from conversation_clients.bird import BIRD, BirdClient
    >>> client_settings(BirdClient, BIRD, {"retries": 2}, credentials=("key",), base_url="https://api.bird.com")
    Traceback (most recent call last):
    ...
    TypeError: BirdClient.__init__() got an unexpected keyword argument 'retries'
    """
    for name in options:
        if name not in _OPTION_NAMES:
            raise TypeError(f"{client.__qualname__}.__init__() got an unexpected keyword argument {name!r}")
    auth = profile.make_auth(*credentials)
    http_options = http_client_options(base_url=base_url, auth=auth, timeout=options.get("timeout", DEFAULT_TIMEOUT))
    return ClientSettings(
        profile=profile,
        http_options=http_options,
        policy=retry_policy_for(options.get("max_retries", DEFAULT_MAX_RETRIES), options.get("retry_policy")),
        limits=transfer_limits(
            max_response_bytes=options.get("max_response_bytes", DEFAULT_MAX_RESPONSE_BYTES),
            attempt_timeout=options.get("attempt_timeout", DEFAULT_ATTEMPT_TIMEOUT),
            page_timeout=options.get("page_timeout", DEFAULT_PAGE_TIMEOUT),
        ),
        on_new_listing=None if profile.polling_guard is None else profile.polling_guard(polling_warning_interval),
        rate_limiter=require_rate_limiter(options.get("rate_limiter")),
        signals=Signals(
            vendor=profile.name,
            hooks=require_hooks(options.get("hooks")),
            tracer=tracer_for(options.get("tracer_provider")),
        ),
    )
