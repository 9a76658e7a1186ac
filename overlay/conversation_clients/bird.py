"""Bird Conversations API: its profile, and clients whose methods are generated from its documents.

Every paginated operation of ``bird_conversations`` (``list_conversations``, and any other that
follows Bird's ``pageToken`` / ``results`` / ``nextPageToken`` convention) is a method generated
into :mod:`conversation_clients._operations.bird_conversations`; this module only says what Bird's
API is (:data:`BIRD`: its facts) and how a client is built.

Example::

    with BirdClient(access_key="...") as bird:
        for conversation in bird.list_conversations(workspace_id, limit=100):
            print(conversation.id, conversation.status)
"""

from __future__ import annotations

from typing import Final, Unpack

import httpx

from conversation_clients._operations.bird_conversations import AsyncOperations, SyncOperations
from conversation_clients._profile import VendorProfile
from conversation_clients._settings import AsyncClientOptions, SyncClientOptions, client_settings
from conversation_clients.auth import AccessKeyAuth
from conversation_clients.errors import REQUEST_ID_HEADERS, ErrorReader
from conversation_clients.ratelimit import RateLimit

__all__ = ["BIRD", "BIRD_BASE_URL", "BIRD_RATE_LIMIT", "PROFILE", "AsyncBirdClient", "BirdClient"]

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


BIRD = VendorProfile(
    name="bird",
    display_name="Bird",
    base_url=BIRD_BASE_URL,
    make_auth=AccessKeyAuth,
    # Bird's error body is {code, message, details}; it documents no request-id header, so the
    # common names are tried.
    errors=ErrorReader(code_fields=("code",), message_fields=("message",), request_id_headers=REQUEST_ID_HEADERS),
    rate_limit_target=_workspace_of,
)
#: The profile the package registers (``_operations.VENDOR_MODULES`` names this module).
PROFILE: Final = BIRD


class BirdClient(SyncOperations):
    """Lists Bird conversations (and every other paginated operation); sends ``Authorization: AccessKey <key>``.

    Every option is a keyword argument, checked when the client is built. ``base_url`` defaults
    to :data:`BIRD_BASE_URL`. ``timeout`` (seconds, or an ``httpx.Timeout``; default 30 s, 5 s to
    connect) reaches each request. GETs are retried on connection errors, timeouts, 408, 429 and
    5xx (``max_retries``, default 2; 0 disables; or a ``retry_policy``, a
    :class:`~conversation_clients.retry.RetryPolicy`), honouring ``Retry-After``. ``transport``
    takes any httpx transport (tests, proxies). The key never appears in a repr, an error message
    or a log line.

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

    def __init__(self, access_key: str, *, base_url: str = BIRD_BASE_URL, **options: Unpack[SyncClientOptions]) -> None:
        settings = client_settings(type(self), BIRD, options, credentials=(access_key,), base_url=base_url)
        super().__init__(settings, **options)


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
        self, access_key: str, *, base_url: str = BIRD_BASE_URL, **options: Unpack[AsyncClientOptions]
    ) -> None:
        settings = client_settings(type(self), BIRD, options, credentials=(access_key,), base_url=base_url)
        super().__init__(settings, **options)
