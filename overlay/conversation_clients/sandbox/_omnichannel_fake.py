"""The sandbox's Omnichannel: ``GET /api/v1.0/consumer/conversations``, answered without I/O.

Checks run in this order, each answering with an RFC 7807 problem carrying the API's numeric
``errorCode`` where Microsoft documents one: the bearer token (401), the route (404), the method
(405 with ``Allow: GET, HEAD`` for anything but GET and HEAD), ``organization-id`` (400, 30001 when
missing, malformed or :data:`SANDBOX_MISSING_ID`), ``channel-id`` (400, 30002 when missing or
malformed; 404, 30004 for :data:`SANDBOX_MISSING_ID` and ``missing_channels``), ``PageSize`` (400,
30007), ``StartTimeStamp`` (400, 30006), ``ContinuationToken`` (400, 30009). Every other
well-formed organization and channel is served; a channel's conversations depend on the channel
id (and the seed) alone, its continuation tokens on the organization too. Every response carries
``x-ms-correlation-id``.

The headers are also read under the names an older revision of Microsoft's page gives them
(``x-ms-organization-id``, ``x-ms-channel-id``).
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Mapping
from typing import Any, Final

import attrs
import httpx

from conversation_clients.omnichannel import OMNICHANNEL
from conversation_clients.sandbox._constants import (
    SANDBOX_CHANNEL_ID,
    SANDBOX_MISSING_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
)
from conversation_clients.sandbox._fake import SandboxSetup, VendorFake
from conversation_clients.sandbox._faults import retry_after_header
from conversation_clients.sandbox._omnichannel_data import (
    first_omnichannel_index_after,
    omnichannel_conversation,
    ticks_from_timestamp,
)
from conversation_clients.sandbox._responses import (
    ALLOW_HEADER,
    ALLOWED_METHODS,
    cdn_error_page,
    json_response,
    method_for_message,
)
from conversation_clients.sandbox._seeds import canonical_id, canonical_id_set, canonical_ids
from conversation_clients.sandbox._tokens import PageTokens

__all__ = ["CONVERSATIONS_PATH", "FAKE", "OmnichannelApi", "omnichannel_api", "problem"]

CONVERSATIONS_PATH: Final = "/api/v1.0/consumer/conversations"
DEFAULT_PAGE_SIZE: Final = 50
MAX_PAGE_SIZE: Final = 250

# What ASP.NET Core puts in "type" and "title" for each status.
_PROBLEM_TYPES: Final = {
    400: ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad Request"),
    401: ("https://tools.ietf.org/html/rfc9110#section-15.5.2", "Unauthorized"),
    404: ("https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not Found"),
    405: ("https://tools.ietf.org/html/rfc9110#section-15.5.6", "Method Not Allowed"),
    429: ("https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests"),
    500: ("https://tools.ietf.org/html/rfc9110#section-15.6.1", "Internal Server Error"),
    503: ("https://tools.ietf.org/html/rfc9110#section-15.6.4", "Service Unavailable"),
}


def problem(
    status_code: int,
    detail: str,
    *,
    correlation_id: str,
    error_code: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """An RFC 7807 problem as the messaging API sends it, with its correlation id header.

    >>> response = problem(400, "The provided continuation token is invalid", correlation_id="c", error_code=30009)
    >>> response.json()["errorCode"], response.headers["x-ms-correlation-id"]
    (30009, 'c')
    """
    problem_type, title = _PROBLEM_TYPES.get(status_code, ("about:blank", httpx.codes.get_reason_phrase(status_code)))
    body: dict[str, Any] = {"type": problem_type, "title": title, "status": status_code, "detail": detail}
    if error_code is not None:
        body["errorCode"] = error_code
    return json_response(
        status_code,
        body,
        content_type="application/problem+json; charset=utf-8",
        headers={"x-ms-correlation-id": correlation_id, **(headers or {})},
    )


def _bearer_token(authorization: str | None) -> str | None:
    scheme, _, credential = (authorization or "").partition(" ")
    return credential if scheme.lower() == "bearer" else None


def _guid(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


@attrs.frozen
class OmnichannelApi:
    """Omnichannel's list endpoint over the sandbox's data; ``answer`` is a pure function of its arguments.

    >>> api = OmnichannelApi(seed=0, organization_id="0f6e2a4c-91d3-4b7e-8c05-3a9b7d1e5c02",
    ...                      channels=("c4b8e1f2-6a0d-4f3b-a7e9-52d1c0b8f603",), conversations_per_channel=25,
    ...                      token="t", tokens=PageTokens.for_seed(0))
    >>> request = httpx.Request("GET", "https://omni/api/v1.0/consumer/conversations", headers={
    ...     "Authorization": "Bearer t", "organization-id": "0f6e2a4c-91d3-4b7e-8c05-3a9b7d1e5c02",
    ...     "channel-id": "c4b8e1f2-6a0d-4f3b-a7e9-52d1c0b8f603"})
    >>> body = api.answer(request, correlation_id="c").json()
    >>> len(body["conversations"]), body["continuationtoken"]
    (25, None)
    """

    seed: int
    organization_id: str = attrs.field(converter=canonical_id)
    channels: tuple[str, ...] = attrs.field(converter=canonical_ids)
    conversations_per_channel: int
    token: str = attrs.field(repr=False)
    tokens: PageTokens = attrs.field(repr=False)
    missing_channels: frozenset[str] = attrs.field(default=frozenset[str](), converter=canonical_id_set)

    def serves(self, path: str) -> bool:
        """Whether ``path`` is Omnichannel's: everything under ``/api/``."""
        return path.startswith("/api/")

    def answer(self, request: httpx.Request, *, correlation_id: str | None = None) -> httpx.Response:
        """The API's answer to ``request``; ``correlation_id`` (drawn when not given) goes into its header."""
        correlation_id = correlation_id or _new_correlation_id()

        def fail(
            status_code: int, detail: str, error_code: int | None = None, *, headers: Mapping[str, str] | None = None
        ) -> httpx.Response:
            return problem(status_code, detail, correlation_id=correlation_id, error_code=error_code, headers=headers)

        token = _bearer_token(request.headers.get("Authorization"))
        if token is None or not hmac.compare_digest(token.encode(), self.token.encode()):
            return fail(401, "The access token is missing, invalid or expired.", headers={"WWW-Authenticate": "Bearer"})
        if request.url.path != CONVERSATIONS_PATH:
            return fail(404, "No operation matches the requested path.")
        if request.method not in ALLOWED_METHODS:
            detail = f"The method {method_for_message(request.method)} is not allowed on this resource."
            return fail(405, detail, headers={"Allow": ALLOW_HEADER})
        headers = request.headers
        organization = _guid(headers.get("organization-id") or headers.get("x-ms-organization-id"))
        if organization is None or organization == SANDBOX_MISSING_ID:
            return fail(400, "The organization id is invalid.", 30001)
        channel = _guid(headers.get("channel-id") or headers.get("x-ms-channel-id"))
        if channel is None:
            return fail(400, "The channel id is invalid.", 30002)
        if channel == SANDBOX_MISSING_ID or channel in self.missing_channels:
            return fail(404, "The channel configuration is missing.", 30004)

        query = request.url.params
        size_text = query.get("PageSize") or str(DEFAULT_PAGE_SIZE)  # empty is null: the default
        page_size = int(size_text) if size_text.isascii() and size_text.isdigit() and len(size_text) <= 9 else 0
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            return fail(400, "The page size for conversations must either be null or between 1 and 250.", 30007)
        start_text = query.get("StartTimeStamp")
        start = None
        if start_text:
            start = ticks_from_timestamp(start_text)
            if start is None:
                return fail(400, "The provided timestamp is invalid.", 30006)

        count = self.conversations_per_channel
        first = 0 if start is None else first_omnichannel_index_after(self.seed, channel, count, start)
        # Bound to what decides the listing: the token cannot move to another channel or start time.
        binding = f"{organization}|{channel}|start={start}"
        offset = 0
        continuation = query.get("ContinuationToken")
        if continuation:
            read = self.tokens.read_omnichannel_token(continuation, binding=binding)
            if read is None or read >= count - first:
                return fail(400, "The provided continuation token is invalid", 30009)
            offset = read

        begin = first + offset
        end = min(begin + page_size, count)
        conversations = [omnichannel_conversation(self.seed, channel, index) for index in range(begin, end)]
        # on the last page the sandbox sends null, one of the three conventions clients must accept
        next_token = self.tokens.omnichannel_token(offset + page_size, binding=binding) if end < count else None
        return json_response(
            200,
            {"conversations": conversations, "continuationtoken": next_token},
            content_type="application/json; charset=utf-8",
            headers={"x-ms-correlation-id": correlation_id},
        )

    def fault(self, kind: str, *, retry_after_seconds: float, correlation_id: str | None = None) -> httpx.Response:
        """The response that replaces a successful one for fault ``kind`` (not ``"drop"``)."""
        correlation_id = correlation_id or _new_correlation_id()
        if kind == "429":
            return problem(429, "Too many requests.", correlation_id=correlation_id)
        if kind == "429-retry-after":
            return self.rate_limited(retry_after_seconds, correlation_id=correlation_id)
        if kind == "500":
            return problem(500, "An unexpected error occurred.", correlation_id=correlation_id)
        if kind == "503":
            return problem(503, "The service is temporarily unavailable.", correlation_id=correlation_id)
        if kind == "520":
            return cdn_error_page({"x-ms-correlation-id": correlation_id})
        raise ValueError(f"no response for fault kind {kind!r}")

    def rate_limited(self, retry_after: float, *, correlation_id: str | None = None) -> httpx.Response:
        """429 telling the client to wait ``retry_after`` seconds."""
        correlation_id = correlation_id or _new_correlation_id()
        return problem(
            429,
            "Too many requests.",
            correlation_id=correlation_id,
            headers={"Retry-After": retry_after_header(retry_after)},
        )


def _new_correlation_id() -> str:
    # Microsoft: every failed response carries x-ms-correlation-id, a GUID of its own.
    return str(uuid.uuid4())


def omnichannel_api(setup: SandboxSetup) -> OmnichannelApi:
    """Omnichannel's fake API for a sandbox (the factory of :data:`FAKE`).

    Takes the options ``organization_id``, ``channels``, ``omnichannel_token`` and
    ``missing_channels`` (the sandbox's defaults when absent).

    >>> omnichannel_api(SandboxSetup(seed=0, tokens=PageTokens.for_seed(0), conversations=3)).channels == (SANDBOX_CHANNEL_ID,)
    True
    """
    options = setup.options
    return OmnichannelApi(
        seed=setup.seed,
        organization_id=str(options.get("organization_id", SANDBOX_ORGANIZATION_ID)),
        channels=tuple(options.get("channels", (SANDBOX_CHANNEL_ID,))),
        conversations_per_channel=setup.conversations,
        token=str(options.get("omnichannel_token", SANDBOX_OMNICHANNEL_TOKEN)),
        tokens=setup.tokens,
        missing_channels=frozenset(options.get("missing_channels", (SANDBOX_MISSING_ID,))),
    )


#: Omnichannel's fake, as the sandbox registers it (:mod:`conversation_clients.sandbox._fake_registry` names this module).
FAKE: Final = VendorFake(vendor=OMNICHANNEL.name, routes=(CONVERSATIONS_PATH,), api=omnichannel_api)
