"""Dynamics 365 Contact Center Messaging API ("Omnichannel"): list active conversations.

Microsoft: "The conversations endpoint mustn't be used as a polling mechanism. Conversation
events are posted ... to your subscribed webhook." A client that starts listings more often than
``polling_warning_interval`` seconds apart gets a :class:`PollingWarning`. Its profile
(:data:`OMNICHANNEL`) also declares its sandbox's fake API and its command ``omnichannel list``.

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
from typing import Final, Literal

import attrs
import httpx

from conversation_clients._arguments import require_uuid
from conversation_clients._body import DEFAULT_MAX_RESPONSE_BYTES
from conversation_clients._client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientSettings, client_settings
from conversation_clients._command_arguments import guid, integer, since
from conversation_clients._command_credentials import BearerTokenFromEnvironment
from conversation_clients._commands import ClientSettings as CommandSettings
from conversation_clients._commands import Export, ListCommand, Option, Role
from conversation_clients._deadline import DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_PAGE_TIMEOUT
from conversation_clients._operations.omnichannel_messaging import (
    HELD_PARAMETERS,
    LIST_CONVERSATIONS_MAX_PAGE_SIZE,
    LIST_CONVERSATIONS_SCHEMA,
    AsyncOperations,
    SyncOperations,
    list_conversations_listing,
    read_list_conversations_page,
)
from conversation_clients._options import require_polling_interval
from conversation_clients._profile import VendorProfile
from conversation_clients._tables import Field, ItemTable, format_when, item_table
from conversation_clients.auth import BearerTokenAuth, BearerTokenSource
from conversation_clients.errors import ErrorReader
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.retry import RetryPolicy
from conversation_clients.signals import Hooks, TracerProvider
from omnichannel_messaging.models import ActiveConversation

__all__ = [
    "OMNICHANNEL",
    "OMNICHANNEL_CONVERSATIONS",
    "OMNICHANNEL_EXPORT_RATE_LIMIT",
    "OMNICHANNEL_TOKEN_ENV",
    "PROFILE",
    "AsyncOmnichannelClient",
    "OmnichannelClient",
    "PollingGuard",
    "PollingWarning",
    "conversations_listing",
    "open_omnichannel_client",
]

OMNICHANNEL_TOKEN_ENV: Final = "OMNICHANNEL_TOKEN"

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

    def listing_started(self, target: str = "") -> None:
        """Record a new listing of ``target``; warn if its previous one started too recently."""
        now = self.clock()
        previous = self._last_starts.get(target)
        self._last_starts[target] = now
        if self.min_interval is None or previous is None:
            return
        if now - previous < self.min_interval:
            warnings.warn(
                f"a new conversation listing started {now - previous:.1f} s after the previous one of its channel: "
                "Microsoft says the conversations endpoint mustn't be used as a polling mechanism; "
                "subscribe to the channel's webhook for conversation events instead "
                f"(this warning fires below polling_warning_interval={self.min_interval} s)",
                PollingWarning,
                # listing_started, the shell's _listing_starts and _paginate, the client's method, its caller
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


#: What ``omnichannel export`` keeps to unless told otherwise: 20 requests a second in all (its
#: channels share one token). Microsoft documents no rate for the Messaging API; 20/s is the Power
#: Platform service-protection limit for one identity (6,000 requests in a sliding 5 minutes), the
#: closest documented ceiling for one token of the tenant.
OMNICHANNEL_EXPORT_RATE_LIMIT: Final = RateLimit(overall=20.0)


def _polling_guard(interval: float | None) -> Callable[[str], None]:
    return PollingGuard(require_polling_interval(interval)).listing_started


# -- the command line: `omnichannel list` ----------------------------------------------------

OMNICHANNEL_CONVERSATIONS: Final[ItemTable[ActiveConversation]] = item_table(
    Field("CONVERSATION ID", 36, lambda conversation: str(conversation.conversationid)),
    Field("CREATED (UTC)", 19, lambda conversation: format_when(conversation.timestamp)),
)


def open_omnichannel_client(settings: CommandSettings) -> OmnichannelClient:
    """An :class:`OmnichannelClient` for a command (it holds the organization and channel)."""
    return OmnichannelClient(
        settings.base_url,
        token=settings.credentials.secret,
        scope=settings.credentials.scope,
        **settings.held,
        **settings.transfer_options(),
    )


_LIST = ListCommand(
    name="list",
    help="list a custom channel's active conversations",
    description=(
        "List the active conversations of a Dynamics 365 Contact Center custom channel. "
        f"Credentials: {OMNICHANNEL_TOKEN_ENV}, or azure-identity's EnvironmentCredential with --scope. "
        "Not for polling: Microsoft asks for webhooks instead."
    ),
    options=(
        Option(
            "--base-url",
            "https://m-<org>.<geo>.omnichannelengagementhub.com; optional with --sandbox",
            metavar="URL",
            role=Role.BASE_URL,
            required=True,
            refused_with_sandbox=True,
        ),
        Option(
            "--organization-id",
            "organization GUID; optional with --sandbox",
            metavar="ID",
            parse=guid,
            role=Role.CLIENT,
            required=True,
            sandbox_value=lambda sandbox: uuid.UUID(sandbox.organization_id),
        ),
        Option(
            "--channel-id",
            "custom channel GUID; optional with --sandbox",
            metavar="ID",
            parse=guid,
            role=Role.CLIENT,
            required=True,
            sandbox_value=lambda sandbox: uuid.UUID(sandbox.channel_id),
        ),
        Option(
            "--since",
            "only conversations created after this (timezone required)",
            metavar="ISO8601",
            parse=since,
            parameter="start_timestamp",
        ),
        Option(
            "--page-size",
            "page size, 1 to 250 (default: 50)",
            metavar="N",
            parse=integer,
            page_size_up_to=LIST_CONVERSATIONS_MAX_PAGE_SIZE,
        ),
        Option("--continuation-token", "resume a listing from this token", metavar="T", resumes=True),
        Option(
            "--scope",
            "token scope for azure-identity, e.g. https://<org>-c.<zone>.dynamics.com/.default",
            metavar="S",
            role=Role.CREDENTIAL,
            refused_with_sandbox=True,
            also_named=("scopes",),
        ),
    ),
    check=list_conversations_listing,
    method="list_conversations",
    open_client=open_omnichannel_client,
    credentials=BearerTokenFromEnvironment(
        OMNICHANNEL_TOKEN_ENV, sandbox_secret=lambda sandbox: sandbox.omnichannel_token
    ),
    table=OMNICHANNEL_CONVERSATIONS,
    # `omnichannel export`: many channels of one organization, one JSON Lines file each, resumably
    export=Export(
        help="export many channels' active conversations to JSON Lines files, resumably",
        targets=("--organization-id", "--channel-id"),
        rate_limit=OMNICHANNEL_EXPORT_RATE_LIMIT,
        rate_limit_note=(
            "Microsoft documents no limit for this API; 20 requests a second in all is the Power Platform "
            "service-protection rate for one identity (6,000 requests in 5 minutes)"
        ),
    ),
)

OMNICHANNEL = VendorProfile(
    name="omnichannel",
    display_name="Omnichannel",
    long_name="Dynamics 365 Contact Center (Omnichannel)",
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
    sandbox_routes=("/api/v1.0/consumer/conversations",),
    sandbox_api="conversation_clients.sandbox._omnichannel:omnichannel_api",
    command_title="Dynamics 365 Contact Center Messaging API",
    commands=(_LIST,),
)
#: The profile the package registers (``_operations.VENDOR_MODULES`` names this module).
PROFILE: Final = OMNICHANNEL

# The names the command line, the tests and the benchmarks know, kept.
conversations_listing = list_conversations_listing
read_conversation_page = read_list_conversations_page
PAGE_SCHEMA = LIST_CONVERSATIONS_SCHEMA
MAX_PAGE_SIZE = LIST_CONVERSATIONS_MAX_PAGE_SIZE


def _settings(
    base_url: str,
    token: BearerTokenSource,
    scope: str | Sequence[str] | None,
    timeout: float | httpx.Timeout,
    max_retries: int,
    retry_policy: RetryPolicy | None,
    polling_warning_interval: float | None,
    max_response_bytes: int,
    attempt_timeout: float,
    page_timeout: float,
    rate_limiter: RateLimiter | None,
    hooks: Hooks | None,
    tracer_provider: TracerProvider | None,
) -> ClientSettings:
    return client_settings(
        OMNICHANNEL, auth=OMNICHANNEL.make_auth(token, scope), base_url=base_url, timeout=timeout,
        max_retries=max_retries, retry_policy=retry_policy, max_response_bytes=max_response_bytes,
        attempt_timeout=attempt_timeout, page_timeout=page_timeout, polling_warning_interval=polling_warning_interval,
        rate_limiter=rate_limiter, hooks=hooks, tracer_provider=tracer_provider,
    )  # fmt: skip


class OmnichannelClient(SyncOperations):
    """Lists the active conversations of a Dynamics 365 Contact Center custom channel.

    ``base_url`` is ``https://m-{org}.{geo}.omnichannelengagementhub.com``. Every request sends
    ``Authorization: Bearer <token>``, ``channel-id`` and ``organization-id``. ``organization_id``
    and ``channel_id`` may be left out here and given per call instead (``list_conversations(...,
    channel_id=...)``, which also overrides the client's): one client then lists many channels. ``token`` is a
    string, a zero-argument callable returning one, or an azure-identity style credential
    (``get_token(*scopes)``; give ``scope``), cached, refreshed shortly before expiry and once
    on a 401. Not a polling mechanism: see :class:`PollingWarning`.

    ``prefetch``, limits (``max_response_bytes``, ``attempt_timeout``, ``page_timeout``), ``http_client``,
    :meth:`with_options`, ``hooks`` and ``tracer_provider``: as for
    :class:`~conversation_clients.bird.BirdClient` (and the README).

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
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        prefetch: bool | Literal["always"] = True,
        polling_warning_interval: float | None = DEFAULT_POLLING_WARNING_INTERVAL,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        page_timeout: float = DEFAULT_PAGE_TIMEOUT,
        rate_limiter: RateLimiter | None = None,
        hooks: Hooks | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        settings = _settings(
            base_url, token, scope, timeout, max_retries, retry_policy, polling_warning_interval,
            max_response_bytes, attempt_timeout, page_timeout, rate_limiter, hooks, tracer_provider,
        )  # fmt: skip
        self._organization_id = _held_uuid(organization_id, "organization_id")
        self._channel_id = _held_uuid(channel_id, "channel_id")
        super().__init__(settings, transport=transport, prefetch=prefetch, http_client=http_client)


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
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        prefetch: bool | Literal["always"] = True,
        polling_warning_interval: float | None = DEFAULT_POLLING_WARNING_INTERVAL,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        page_timeout: float = DEFAULT_PAGE_TIMEOUT,
        rate_limiter: RateLimiter | None = None,
        hooks: Hooks | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        settings = _settings(
            base_url, token, scope, timeout, max_retries, retry_policy, polling_warning_interval,
            max_response_bytes, attempt_timeout, page_timeout, rate_limiter, hooks, tracer_provider,
        )  # fmt: skip
        self._organization_id = _held_uuid(organization_id, "organization_id")
        self._channel_id = _held_uuid(channel_id, "channel_id")
        super().__init__(settings, transport=transport, prefetch=prefetch, http_client=http_client)
