"""Dynamics 365 Contact Center Messaging API ("Omnichannel"): list active conversations.

Microsoft: "The conversations endpoint mustn't be used as a polling mechanism. Conversation
events are posted ... to your subscribed webhook." A client that starts listings more often than
``polling_warning_interval`` seconds apart gets a :class:`PollingWarning`.

Example::

    with OmnichannelClient(base_url, organization_id=org, channel_id=chan, token=tok) as omni:
        for conversation in omni.list_conversations(start_timestamp=since, page_size=250):
            print(conversation.conversationid, conversation.timestamp)
"""

from __future__ import annotations

import datetime
import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import httpx
from omnichannel_messaging.api.conversations.list_conversations import build_request_kwargs
from omnichannel_messaging.models import ActiveConversation, ActiveConversationPage
from omnichannel_messaging.types import UNSET, parse_datetime

from conversation_clients._arguments import require_aware_datetime, require_page_size, require_page_token, require_uuid
from conversation_clients._client import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncClientShell,
    Listing,
    SyncClientShell,
    http_client_options,
    read_json_page,
    retry_policy_for,
    transfer_limits,
)
from conversation_clients._options import require_polling_interval
from conversation_clients._body import DEFAULT_MAX_RESPONSE_BYTES
from conversation_clients._deadline import DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_PAGE_TIMEOUT
from conversation_clients._validation import SchemaRef
from conversation_clients.auth import BearerTokenAuth, BearerTokenSource
from conversation_clients.pagination import AsyncPager, FetchedPage, SyncPager
from conversation_clients.retry import RetryPolicy

__all__ = [
    "AsyncOmnichannelClient",
    "OmnichannelClient",
    "PollingGuard",
    "PollingWarning",
    "conversations_listing",
]

MAX_PAGE_SIZE = 250
DEFAULT_POLLING_WARNING_INTERVAL = 60.0
PAGE_SCHEMA = SchemaRef("omnichannel_messaging", "/components/schemas/ActiveConversationPage")


class PollingWarning(UserWarning):
    """The conversations endpoint is being used as a polling mechanism, which Microsoft forbids."""


@attrs.define
class PollingGuard:
    """Warns when listings start closer together than ``min_interval`` seconds (None: never).

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
    _last_start: float | None = attrs.field(default=None, init=False)

    def listing_started(self) -> None:
        """Record a new listing; warn if the previous one started too recently."""
        now = self.clock()
        previous, self._last_start = self._last_start, now
        if self.min_interval is None or previous is None:
            return
        if now - previous < self.min_interval:
            warnings.warn(
                f"a new conversation listing started {now - previous:.1f} s after the previous one: "
                "Microsoft says the conversations endpoint mustn't be used as a polling mechanism; "
                "subscribe to the channel's webhook for conversation events instead "
                f"(this warning fires below polling_warning_interval={self.min_interval} s)",
                PollingWarning,
                stacklevel=4,
            )


def read_conversation_page(response: httpx.Response, token: str | None) -> FetchedPage[ActiveConversation]:
    """Read a 2xx list response: its next token now, its conversations when the page is built."""
    return read_json_page(
        response,
        token,
        model=ActiveConversationPage,
        schema=PAGE_SCHEMA,
        items_field="conversations",
        token_field="continuationtoken",
        items_of=lambda page: page.conversations,
    )


def conversations_listing(
    *,
    organization_id: uuid.UUID,
    channel_id: uuid.UUID,
    start_timestamp: datetime.datetime | str | None = None,
    page_size: int | None = None,
    continuation_token: str | None = None,
) -> Listing[ActiveConversation]:
    """Describe ``GET /api/v1.0/consumer/conversations``; checks every argument first.

    >>> org, chan = uuid.UUID(int=1), uuid.UUID(int=2)
    >>> listing = conversations_listing(organization_id=org, channel_id=chan, page_size=250)
    >>> listing.request_kwargs(None)["params"]
    {'PageSize': 250}
    """
    since = (
        None
        if start_timestamp is None
        # parse_datetime keeps text past microseconds: the instant goes out with every digit given
        else require_aware_datetime(start_timestamp, "start_timestamp", parse=parse_datetime)
    )
    require_page_size(page_size, "page_size", maximum=MAX_PAGE_SIZE)
    require_page_token(continuation_token, "continuation_token")

    def request_kwargs(token: str | None) -> dict[str, Any]:
        return build_request_kwargs(
            start_time_stamp=UNSET if since is None else since,
            page_size=UNSET if page_size is None else page_size,
            continuation_token=UNSET if token is None else token,
            channel_id=channel_id,
            organization_id=organization_id,
        )

    return Listing(
        request_kwargs=request_kwargs, read_page=read_conversation_page, start_token=continuation_token or None
    )


@attrs.frozen
class _OmnichannelSettings:
    """What both Omnichannel clients are made of, checked once."""

    options: dict[str, Any]
    organization_id: uuid.UUID
    channel_id: uuid.UUID
    polling_guard: PollingGuard

    @classmethod
    def build(
        cls,
        *,
        base_url: str,
        organization_id: str | uuid.UUID,
        channel_id: str | uuid.UUID,
        token: BearerTokenSource,
        scope: str | Sequence[str] | None,
        timeout: float | httpx.Timeout,
        polling_warning_interval: float | None,
    ) -> _OmnichannelSettings:
        scopes = (scope,) if isinstance(scope, str) else tuple(scope or ())
        return cls(
            options=http_client_options(
                base_url=base_url, auth=BearerTokenAuth(token, scopes=scopes), timeout=timeout
            ),
            organization_id=require_uuid(organization_id, "organization_id"),
            channel_id=require_uuid(channel_id, "channel_id"),
            polling_guard=PollingGuard(require_polling_interval(polling_warning_interval)),
        )

    def listing(
        self,
        start_timestamp: datetime.datetime | str | None,
        page_size: int | None,
        continuation_token: str | None,
    ) -> Listing[ActiveConversation]:
        listing = conversations_listing(
            organization_id=self.organization_id,
            channel_id=self.channel_id,
            start_timestamp=start_timestamp,
            page_size=page_size,
            continuation_token=continuation_token,
        )
        if listing.start_token is None:  # resuming a listing is not polling
            self.polling_guard.listing_started()
        return listing


class OmnichannelClient(SyncClientShell):
    """Lists the active conversations of a Dynamics 365 Contact Center custom channel.

    ``base_url`` is ``https://m-{org}.{geo}.omnichannelengagementhub.com``. Every request sends
    ``Authorization: Bearer <token>``, ``channel-id`` and ``organization-id``. ``token`` is a
    string, a zero-argument callable returning one, or an azure-identity style credential
    (``get_token(*scopes)``; give ``scope``), cached, refreshed shortly before expiry and once
    on a 401. Not a polling mechanism: see :class:`PollingWarning`.

    ``prefetch`` (default True) requests page n+1, on a background thread, while page n is
    built and worked through; ``prefetch=False`` keeps every request on the calling thread.

    Limits (see the README): ``max_response_bytes`` (default 16 MiB) caps every response body,
    counted as it streams, compressed and decoded: past it, ``ResponseTooLargeError``.
    ``attempt_timeout`` (default 60 s) bounds one attempt from sending to the body's last byte;
    ``page_timeout`` (default 300 s) bounds a page fetch, its retries and ``Retry-After`` waits
    included. Past either, ``APITimeoutError``. With a ``transport=`` of your own, the sync
    client checks the attempt deadline between body chunks only (it cannot bound a single read).
    """

    def __init__(
        self,
        base_url: str,
        *,
        organization_id: str | uuid.UUID,
        channel_id: str | uuid.UUID,
        token: BearerTokenSource,
        scope: str | Sequence[str] | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        prefetch: bool = True,
        polling_warning_interval: float | None = DEFAULT_POLLING_WARNING_INTERVAL,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        page_timeout: float = DEFAULT_PAGE_TIMEOUT,
    ) -> None:
        self._settings = _OmnichannelSettings.build(
            base_url=base_url, organization_id=organization_id, channel_id=channel_id, token=token,
            scope=scope, timeout=timeout, polling_warning_interval=polling_warning_interval,
        )  # fmt: skip
        super().__init__(
            self._settings.options,
            transport=transport,
            policy=retry_policy_for(max_retries, retry_policy),
            prefetch=prefetch,
            limits=transfer_limits(
                max_response_bytes=max_response_bytes, attempt_timeout=attempt_timeout, page_timeout=page_timeout
            ),
        )

    def list_conversations(
        self,
        *,
        start_timestamp: datetime.datetime | str | None = None,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> SyncPager[ActiveConversation]:
        """List active conversations (not Wrap-Up or Closed), fetching pages as you iterate.

        ``start_timestamp`` (timezone-aware) keeps conversations created after it;
        ``page_size`` is 1 to 250 (default 50); ``continuation_token`` resumes a listing.
        Must not be used for polling: a new listing within ``polling_warning_interval``
        seconds of the previous one warns with :class:`PollingWarning`.
        """
        return self._paginate(self._settings.listing(start_timestamp, page_size, continuation_token))


class AsyncOmnichannelClient(AsyncClientShell):
    """The async twin of :class:`OmnichannelClient`: same arguments, ``async with``, ``async for``.

    ``prefetch`` (default True) requests page n+1 while you work through page n; leaving a
    listing early cancels that request.
    """

    def __init__(
        self,
        base_url: str,
        *,
        organization_id: str | uuid.UUID,
        channel_id: str | uuid.UUID,
        token: BearerTokenSource,
        scope: str | Sequence[str] | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        prefetch: bool = True,
        polling_warning_interval: float | None = DEFAULT_POLLING_WARNING_INTERVAL,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        page_timeout: float = DEFAULT_PAGE_TIMEOUT,
    ) -> None:
        self._settings = _OmnichannelSettings.build(
            base_url=base_url, organization_id=organization_id, channel_id=channel_id, token=token,
            scope=scope, timeout=timeout, polling_warning_interval=polling_warning_interval,
        )  # fmt: skip
        super().__init__(
            self._settings.options,
            transport=transport,
            policy=retry_policy_for(max_retries, retry_policy),
            prefetch=prefetch,
            limits=transfer_limits(
                max_response_bytes=max_response_bytes, attempt_timeout=attempt_timeout, page_timeout=page_timeout
            ),
        )

    def list_conversations(
        self,
        *,
        start_timestamp: datetime.datetime | str | None = None,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> AsyncPager[ActiveConversation]:
        """List active conversations (not Wrap-Up or Closed), fetching pages as you iterate.

        Same arguments as :meth:`OmnichannelClient.list_conversations`. Must not be used for
        polling: a new listing within ``polling_warning_interval`` seconds of the previous one
        warns with :class:`PollingWarning`.
        """
        return self._paginate(self._settings.listing(start_timestamp, page_size, continuation_token))
