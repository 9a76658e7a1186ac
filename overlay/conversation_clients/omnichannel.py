"""Dynamics 365 Contact Center Messaging API ("Omnichannel"): list active conversations.

Microsoft: "The conversations endpoint mustn't be used as a polling mechanism. Conversation
events are posted ... to your subscribed webhook." A client that starts listings more often than
``polling_warning_interval`` seconds apart gets a :class:`PollingWarning`. Its profile
(:data:`OMNICHANNEL`) holds the API's facts.

Example::

    with OmnichannelClient(base_url, organization_id=org, channel_id=chan, token=tok) as omni:
        for conversation in omni.list_conversations(start_timestamp=since, page_size=250):
            print(conversation.conversationid, conversation.timestamp)
"""

from __future__ import annotations

import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from typing import Final, Unpack

import attrs
import httpx

from conversation_clients._checks import require_polling_interval, require_uuid
from conversation_clients._operations.omnichannel_messaging import HELD_PARAMETERS, AsyncOperations, SyncOperations
from conversation_clients._profile import VendorProfile
from conversation_clients._settings import AsyncClientOptions, SyncClientOptions, client_settings
from conversation_clients.auth import BearerTokenAuth, BearerTokenSource
from conversation_clients.errors import ErrorReader

__all__ = ["OMNICHANNEL", "PROFILE", "AsyncOmnichannelClient", "OmnichannelClient", "PollingGuard", "PollingWarning"]

DEFAULT_POLLING_WARNING_INTERVAL = 60.0


class PollingWarning(UserWarning):
    """The conversations endpoint is being used as a polling mechanism, which Microsoft forbids."""


@attrs.define
class PollingGuard:
    """Warns when listings of one channel start closer together than ``min_interval`` seconds (None: never).

    Each target (organization and channel) counts apart: a client listing many channels once
    each is not polling any of them.

    >>> clock = iter([0.0, 5.0]).__next__
    >>> guard = PollingGuard(min_interval=60.0, clock=clock)
    >>> guard.listing_started()
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     guard.listing_started()
    >>> caught[0].category.__name__
    'PollingWarning'
    """

    min_interval: float | None
    clock: Callable[[], float] = time.monotonic
    _last_starts: dict[str, float] = attrs.field(init=False, factory=lambda: dict[str, float]())

    @property
    def targets_held(self) -> int:
        """How many targets' last starts are held: those that started within ``min_interval``."""
        return len(self._last_starts)

    def listing_started(self, target: str = "") -> None:
        """Record a new listing of ``target``; warn if its previous one started too recently."""
        if self.min_interval is None:
            return  # nothing to warn about, so nothing to remember
        now = self.clock()
        starts = self._last_starts
        previous = starts.pop(target, None)
        # Starts are kept oldest first, so the ones too old to warn about are dropped from the
        # front: a client listing ever more channels holds only those listed in the last interval.
        while starts and now - next(iter(starts.values())) >= self.min_interval:
            del starts[next(iter(starts))]
        starts[target] = now
        if previous is None:
            return
        if now - previous < self.min_interval:
            warnings.warn(
                f"a new conversation listing started {now - previous:.1f} s after the previous one of its channel: "
                "Microsoft says the conversations endpoint mustn't be used as a polling mechanism; "
                "subscribe to the channel's webhook for conversation events instead "
                f"(this warning fires below polling_warning_interval={self.min_interval} s)",
                PollingWarning,
                # listing_started, the shell's _requests and _paginate, the client's method, its caller
                stacklevel=5,
            )


def _held_uuid(value: str | uuid.UUID | None, argument: str) -> uuid.UUID | None:
    # None: given per call instead (one client, many channels); checked when the call is made
    return None if value is None else require_uuid(value, argument)


def _bearer_auth(token: BearerTokenSource, scope: str | Sequence[str] | None) -> httpx.Auth:
    return BearerTokenAuth(token, scopes=(scope,) if isinstance(scope, str) else tuple(scope or ()))


def _channel_of(request: httpx.Request) -> str:
    """The target a request counts against in a rate limiter: its organization and channel.

    >>> _channel_of(httpx.Request("GET", "https://m-o.x/api", headers={"organization-id": "o", "channel-id": "c"}))
    'o/c'
    """
    return f"{request.headers.get('organization-id', '')}/{request.headers.get('channel-id', '')}"


def _polling_guard(interval: float | None) -> Callable[[str], None] | None:
    checked = require_polling_interval(interval)
    # no warning, no guard: a new listing then costs nothing (not even its target's lookup)
    return None if checked is None else PollingGuard(checked).listing_started


OMNICHANNEL = VendorProfile(
    name="omnichannel",
    display_name="Omnichannel",
    base_url=None,  # every organization has its own host: https://m-{org}.{geo}.omnichannelengagementhub.com
    make_auth=_bearer_auth,
    # RFC 7807 problem; the numeric code's field name is undocumented, so the usual names are tried
    errors=ErrorReader(
        code_fields=("errorCode", "code", "error_code"),
        message_fields=("message", "detail", "title"),
        request_id_headers=("x-ms-correlation-id",),
    ),
    held_parameters=HELD_PARAMETERS,
    rate_limit_target=_channel_of,
    polling_guard=_polling_guard,
)
#: The profile the package registers (``_operations.VENDOR_MODULES`` names this module).
PROFILE: Final = OMNICHANNEL


class OmnichannelClient(SyncOperations):
    """Lists the active conversations of a Dynamics 365 Contact Center custom channel.

    ``base_url`` is ``https://m-{org}.{geo}.omnichannelengagementhub.com``. Every request sends
    ``Authorization: Bearer <token>``, ``channel-id`` and ``organization-id``. ``organization_id``
    and ``channel_id`` may be left out here and given per call instead (``list_conversations(...,
    channel_id=...)``, which also overrides the client's): one client then lists many channels. ``token`` is a
    string, a zero-argument callable returning one, or an azure-identity style credential
    (``get_token(*scopes)``; give ``scope``), cached, refreshed shortly before expiry and once
    on a 401. Not a polling mechanism: see :class:`PollingWarning`.

    ``polling_warning_interval`` (seconds, default 60; None: never) is the shortest time between
    two listings of a channel that does not warn. ``timeout``, ``max_retries``, ``retry_policy``,
    ``transport``, ``prefetch``, limits (``max_response_bytes``, ``attempt_timeout``,
    ``page_timeout``), ``http_client``, :meth:`with_options`, ``hooks`` and ``tracer_provider``:
    as for :class:`~conversation_clients.bird.BirdClient` (and the README), all keyword arguments.

    ``rate_limiter`` (a :class:`~conversation_clients.ratelimit.RateLimiter`, shareable between
    clients) spaces every attempt per organization and channel, and slows a channel down after a 429.
    """

    def __init__(
        self,
        base_url: str,
        *,
        organization_id: str | uuid.UUID | None = None,
        channel_id: str | uuid.UUID | None = None,
        token: BearerTokenSource,
        scope: str | Sequence[str] | None = None,
        polling_warning_interval: float | None = DEFAULT_POLLING_WARNING_INTERVAL,
        **options: Unpack[SyncClientOptions],
    ) -> None:
        settings = client_settings(
            type(self),
            OMNICHANNEL,
            options,
            credentials=(token, scope),
            base_url=base_url,
            polling_warning_interval=polling_warning_interval,
        )
        self._organization_id = _held_uuid(organization_id, "organization_id")
        self._channel_id = _held_uuid(channel_id, "channel_id")
        super().__init__(settings, **options)


class AsyncOmnichannelClient(AsyncOperations):
    """The async twin of :class:`OmnichannelClient`: same arguments, ``async with``, ``async for``.

    ``prefetch``: as for :class:`~conversation_clients.bird.AsyncBirdClient`.
    """

    def __init__(
        self,
        base_url: str,
        *,
        organization_id: str | uuid.UUID | None = None,
        channel_id: str | uuid.UUID | None = None,
        token: BearerTokenSource,
        scope: str | Sequence[str] | None = None,
        polling_warning_interval: float | None = DEFAULT_POLLING_WARNING_INTERVAL,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        settings = client_settings(
            type(self),
            OMNICHANNEL,
            options,
            credentials=(token, scope),
            base_url=base_url,
            polling_warning_interval=polling_warning_interval,
        )
        self._organization_id = _held_uuid(organization_id, "organization_id")
        self._channel_id = _held_uuid(channel_id, "channel_id")
        super().__init__(settings, **options)
