"""Bird Conversations API: its profile, and clients whose methods are generated from its documents.

Every paginated operation of ``bird_conversations`` (``list_conversations``, and any other that
follows Bird's ``pageToken`` / ``results`` / ``nextPageToken`` convention) is a method generated
into :mod:`conversation_clients._operations.bird_conversations`; this module only says what Bird
is (:data:`BIRD`: its facts, its sandbox's fake API and its command-line commands, ``bird list``
and ``bird messages``) and how a client is built.

Example::

    with BirdClient(access_key="...") as bird:
        for conversation in bird.list_conversations(workspace_id, limit=100):
            print(conversation.id, conversation.status)
"""

from __future__ import annotations

from typing import Final, Literal

import httpx

from bird_conversations.models import Conversation, Message, MessageBodyType
from bird_conversations.types import Unset
from conversation_clients._body import DEFAULT_MAX_RESPONSE_BYTES
from conversation_clients._client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientSettings, client_settings
from conversation_clients._command_arguments import integer
from conversation_clients._command_credentials import AccessKeyFromEnvironment
from conversation_clients._commands import ClientSettings as CommandSettings
from conversation_clients._commands import Export, ListCommand, Option, Role
from conversation_clients._deadline import DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_PAGE_TIMEOUT
from conversation_clients._operations.bird_conversations import (
    LIST_CONVERSATIONS_MAX_PAGE_SIZE,
    LIST_CONVERSATIONS_SCHEMA,
    LIST_MESSAGES_MAX_PAGE_SIZE,
    AsyncOperations,
    SyncOperations,
    list_conversations_listing,
    list_messages_listing,
    read_list_conversations_page,
)
from conversation_clients._profile import VendorProfile
from conversation_clients._tables import Field, ItemTable, format_when, item_table
from conversation_clients.auth import AccessKeyAuth
from conversation_clients.errors import REQUEST_ID_HEADERS, ErrorReader
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.retry import RetryPolicy
from conversation_clients.signals import Hooks, TracerProvider

__all__ = [
    "BIRD",
    "BIRD_BASE_URL",
    "BIRD_CONVERSATIONS",
    "BIRD_KEY_ENV",
    "BIRD_MESSAGE_ROWS",
    "BIRD_RATE_LIMIT",
    "PROFILE",
    "AsyncBirdClient",
    "BirdClient",
    "conversations_listing",
    "messages_listing",
    "open_bird_client",
]

BIRD_BASE_URL = "https://api.bird.com"

#: Bird's documented rate limit: 50 GET requests a second per workspace. A preset for
#: ``RateLimiter(BIRD_RATE_LIMIT)``, given to one client or several as ``rate_limiter=``.
BIRD_RATE_LIMIT = RateLimit(per_target=50.0)


def _workspace_of(request: httpx.Request) -> str:
    """The workspace a request counts against in Bird's rate limit: ``/workspaces/{id}/...``.

    Found wherever the path puts it: a ``base_url`` with a path (a proxy's or a gateway's
    prefix) comes before it. Every Bird operation's path starts ``/workspaces/{workspaceId}``
    and names ``workspaces`` nowhere else (its other segments are literals and UUIDs), so the
    operation's is the last ``workspaces`` segment; an earlier one belongs to the base URL's path.
    A path without one counts as itself.

    >>> _workspace_of(httpx.Request("GET", "https://api.bird.com/workspaces/w1/conversations"))
    'w1'
    >>> _workspace_of(httpx.Request("GET", "https://gw.example/bird/workspaces/w1/conversations/c1/messages"))
    'w1'
    >>> _workspace_of(httpx.Request("GET", "https://gw.example/workspaces/team/workspaces/w1/conversations"))
    'w1'
    """
    path = request.url.path
    segments = path.split("/")
    # the last "workspaces" with a segment after it; never the final segment itself
    for index in range(len(segments) - 2, 0, -1):
        if segments[index] == "workspaces" and segments[index + 1]:
            return segments[index + 1]
    return path


BIRD_KEY_ENV: Final = "BIRD_ACCESS_KEY"

# -- the command line: `bird list` and `bird messages` --------------------------------------

BIRD_CONVERSATIONS: Final[ItemTable[Conversation]] = item_table(
    Field("ID", 36, lambda conversation: str(conversation.id)),
    Field("CREATED (UTC)", 19, lambda conversation: format_when(conversation.created_at)),
    # .value: an unknown status or platform style is shown as the vendor sent it
    Field("STATUS", 8, lambda conversation: str(conversation.status.value)),
    Field("PLATFORM", 15, lambda conversation: str(conversation.platform_style.value)),
    Field("NAME", 60, lambda conversation: conversation.name),
)


def _sender(message: Message) -> str:
    sender = message.sender
    return sender.type_.value if isinstance(sender.display_name, Unset) else sender.display_name


def _body(message: Message) -> str:
    """A text body as it is; any other kind (image, template, ...) by its kind."""
    body = message.body
    if isinstance(body, Unset):
        return "[template]" if not isinstance(message.template, Unset) and message.template is not None else ""
    if body.type_ is MessageBodyType.TEXT and not isinstance(body.text, Unset):
        return body.text.text
    return f"[{body.type_.value}]"


BIRD_MESSAGE_ROWS: Final[ItemTable[Message]] = item_table(
    Field("ID", 36, lambda message: message.id),
    Field("CREATED (UTC)", 19, lambda message: format_when(message.created_at)),
    Field("STATUS", 15, lambda message: str(message.status.value)),
    Field("SENDER", 24, _sender),
    Field("BODY", 60, _body),
)


def open_bird_client(settings: CommandSettings) -> BirdClient:
    """A :class:`BirdClient` for a command."""
    return BirdClient(settings.credentials.secret, base_url=settings.base_url, **settings.transfer_options())


# Options both Bird listings take, declared once.
_WORKSPACE = Option(
    "--workspace-id",
    "the workspace (a UUID); optional with --sandbox",
    metavar="ID",
    required=True,
    sandbox_value=lambda sandbox: sandbox.workspace_id,
)
_REVERSE = Option("--reverse", "send reverse=true (Bird does not document its effect)", switch=True)
_PAGE_TOKEN = Option("--page-token", "resume a listing from this page token", metavar="T", resumes=True)
_BASE_URL = Option(
    "--base-url",
    f"API base URL (default: {BIRD_BASE_URL})",
    metavar="URL",
    role=Role.BASE_URL,
    refused_with_sandbox=True,
)
_CREDENTIALS = AccessKeyFromEnvironment(
    BIRD_KEY_ENV, "a Bird access key", sandbox_secret=lambda sandbox: sandbox.bird_access_key
)

BIRD = VendorProfile(
    name="bird",
    display_name="Bird",
    base_url=BIRD_BASE_URL,
    make_auth=AccessKeyAuth,
    # Bird's error body is {code, message, details}; it documents no request-id header, so the
    # common names are tried.
    errors=ErrorReader(code_fields=("code",), message_fields=("message",), request_id_headers=REQUEST_ID_HEADERS),
    rate_limit_target=_workspace_of,
    sandbox_routes=(
        "/workspaces/{workspaceId}/conversations",
        "/workspaces/{workspaceId}/conversations/{conversationId}/messages",
    ),
    sandbox_api="conversation_clients.sandbox._bird:bird_api",
    command_title="Bird Conversations API",
    commands=(
        ListCommand(
            name="list",
            help="list a workspace's conversations",
            description=f"List a Bird workspace's conversations. Credentials: {BIRD_KEY_ENV}.",
            options=(
                _WORKSPACE,
                Option(
                    "--limit",
                    "page size, 1 to 100 (Bird's default: 10)",
                    metavar="N",
                    parse=integer,
                    page_size_up_to=LIST_CONVERSATIONS_MAX_PAGE_SIZE,
                ),
                _REVERSE,
                Option("--resource", "only conversations of this resource, e.g. task:<uuid>", metavar="R"),
                _PAGE_TOKEN,
                _BASE_URL,
            ),
            check=list_conversations_listing,
            method="list_conversations",
            open_client=open_bird_client,
            credentials=_CREDENTIALS,
            table=BIRD_CONVERSATIONS,
            # `bird export`: many workspaces into one JSON Lines file each, resumably
            export=Export(
                help="export many workspaces' conversations to JSON Lines files, resumably",
                targets=("--workspace-id",),
                rate_limit=BIRD_RATE_LIMIT,
                rate_limit_note="Bird's documented 50 GET requests a second per workspace",
            ),
        ),
        ListCommand(
            name="messages",
            help="list a conversation's messages",
            description=f"List the messages of a Bird conversation. Credentials: {BIRD_KEY_ENV}.",
            # --conversation-id and --date-from come from the operation's parameters
            options=(
                _WORKSPACE,
                Option(
                    "--limit",
                    f"page size, 1 to {LIST_MESSAGES_MAX_PAGE_SIZE} (Bird's default: 10)",
                    metavar="N",
                    parse=integer,
                    page_size_up_to=LIST_MESSAGES_MAX_PAGE_SIZE,
                ),
                _REVERSE,
                _PAGE_TOKEN,
                _BASE_URL,
            ),
            check=list_messages_listing,
            method="list_messages",
            open_client=open_bird_client,
            credentials=_CREDENTIALS,
            table=BIRD_MESSAGE_ROWS,
            noun="message",
        ),
    ),
)
#: The profile the package registers (``_operations.VENDOR_MODULES`` names this module).
PROFILE: Final = BIRD

# The names the command line, the tests and the benchmarks know, kept.
conversations_listing = list_conversations_listing
messages_listing = list_messages_listing
read_conversation_page = read_list_conversations_page
PAGE_SCHEMA = LIST_CONVERSATIONS_SCHEMA
MAX_LIMIT = LIST_CONVERSATIONS_MAX_PAGE_SIZE


def _settings(
    access_key: str,
    base_url: str,
    timeout: float | httpx.Timeout,
    max_retries: int,
    retry_policy: RetryPolicy | None,
    max_response_bytes: int,
    attempt_timeout: float,
    page_timeout: float,
    rate_limiter: RateLimiter | None,
    hooks: Hooks | None,
    tracer_provider: TracerProvider | None,
) -> ClientSettings:
    return client_settings(
        BIRD, auth=BIRD.make_auth(access_key), base_url=base_url, timeout=timeout, max_retries=max_retries,
        retry_policy=retry_policy, max_response_bytes=max_response_bytes, attempt_timeout=attempt_timeout,
        page_timeout=page_timeout, rate_limiter=rate_limiter, hooks=hooks, tracer_provider=tracer_provider,
    )  # fmt: skip


class BirdClient(SyncOperations):
    """Lists Bird conversations (and every other paginated operation); sends ``Authorization: AccessKey <key>``.

    GETs are retried on connection errors, timeouts, 408, 429 and 5xx (``max_retries``, default
    2; 0 disables), honouring ``Retry-After``. ``transport`` takes any httpx transport (tests,
    proxies). The key never appears in a repr, an error message or a log line.

    ``prefetch`` (default True) requests page n+1, on a background thread, while page n is
    built and worked through, once the listing's fetches keep it waiting 2 ms or more (a server
    across a network does; one on loopback answers sooner, and the hand-off between threads
    would cost more CPU than it hides); ``"always"`` from the first page; ``False`` keeps every
    request on the calling thread.

    Limits (see the README): ``max_response_bytes`` (default 16 MiB) caps every response body,
    counted as it streams, compressed and decoded: past it, ``ResponseTooLargeError``.
    ``attempt_timeout`` (default 60 s) bounds one attempt from sending to the body's last byte;
    ``page_timeout`` (default 300 s) bounds a page fetch, its retries and ``Retry-After`` waits
    included. Past either, ``APITimeoutError``. With a ``transport=`` or ``http_client=`` of your
    own, the sync client checks the attempt deadline between body chunks only (it cannot bound a
    single read).

    ``http_client`` (not with ``transport``) takes your own ``httpx.Client`` for proxies, TLS
    settings, pool limits and event hooks. The client's rules still hold on it: each request
    carries this client's base URL, auth, ``Accept``/``User-Agent``/``Accept-Encoding`` headers
    and ``timeout`` (yours are overridden), follows no redirect (your ``follow_redirects`` is
    overridden) and has its body capped (a response hook added to yours, acting only on this
    package's requests). Your event hooks see each request as sent, credential included. Closing
    this client leaves yours open: it is yours to close. :meth:`with_options` derives a client
    that shares the connection pool and differs in the options given.

    ``hooks`` (:class:`~conversation_clients.signals.Hooks`) are called on each request,
    response, retry and page; ``tracer_provider`` (OpenTelemetry's; default: the global one, when
    the ``otel`` extra is installed) gets a span per page fetch and one per attempt.

    ``rate_limiter`` (a :class:`~conversation_clients.ratelimit.RateLimiter`, shareable between
    clients; ``RateLimiter(BIRD_RATE_LIMIT)`` keeps to Bird's 50 GET/s per workspace) spaces every
    attempt, retries included, within ``page_timeout``, and slows a workspace down after a 429.

    Example::

        with BirdClient(access_key="...") as bird:
            for page in bird.list_conversations(workspace_id).pages():
                save(page.items, checkpoint=page.next_token)
    """

    def __init__(
        self,
        access_key: str,
        *,
        base_url: str = BIRD_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        prefetch: bool | Literal["always"] = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        page_timeout: float = DEFAULT_PAGE_TIMEOUT,
        rate_limiter: RateLimiter | None = None,
        hooks: Hooks | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        settings = _settings(
            access_key, base_url, timeout, max_retries, retry_policy, max_response_bytes, attempt_timeout, page_timeout,
            rate_limiter, hooks, tracer_provider,
        )  # fmt: skip
        super().__init__(settings, transport=transport, prefetch=prefetch, http_client=http_client)


class AsyncBirdClient(AsyncOperations):
    """The async twin of :class:`BirdClient`: same arguments, ``async with``, ``async for``.

    ``prefetch`` (default True) requests page n+1 while you work through page n, from the first
    page (a task costs no hand-off between threads: ``True`` and ``"always"`` are the same);
    leaving a listing early cancels that request.

    Example::

        async with AsyncBirdClient(access_key="...") as bird:
            async for conversation in bird.list_conversations(workspace_id):
                print(conversation.id)
    """

    def __init__(
        self,
        access_key: str,
        *,
        base_url: str = BIRD_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_policy: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        prefetch: bool | Literal["always"] = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        page_timeout: float = DEFAULT_PAGE_TIMEOUT,
        rate_limiter: RateLimiter | None = None,
        hooks: Hooks | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        settings = _settings(
            access_key, base_url, timeout, max_retries, retry_policy, max_response_bytes, attempt_timeout, page_timeout,
            rate_limiter, hooks, tracer_provider,
        )  # fmt: skip
        super().__init__(settings, transport=transport, prefetch=prefetch, http_client=http_client)
