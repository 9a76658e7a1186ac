"""The sandbox's Bird: ``GET /workspaces/{workspaceId}/conversations`` and
``GET /workspaces/{workspaceId}/conversations/{conversationId}/messages``, answered without I/O.

Checks run in this order, each answering with Bird's error body
(``{"code", "message", "details"}``): the access key (401), the route (404 for any other path
under ``/workspaces``), the method (405 with ``Allow: GET, HEAD`` for anything but GET and HEAD),
the workspace (404 for a malformed id, :data:`SANDBOX_MISSING_ID` and ``missing_workspaces``;
every other id is served), for messages the conversation (404 unless the workspace's listing
returns it), then the query (400, naming the parameter in ``details``).
"""

from __future__ import annotations

import datetime
import functools
import hmac
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import httpx

from conversation_clients.bird import BIRD
from conversation_clients.sandbox._bird_data import bird_conversation, bird_conversation_index, bird_resource_indices
from conversation_clients.sandbox._bird_message_data import bird_message_models, bird_message_times
from conversation_clients.sandbox._constants import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_MISSING_ID, SANDBOX_WORKSPACE_ID
from conversation_clients.sandbox._fake import SandboxSetup, VendorFake
from conversation_clients.sandbox._faults import retry_after_header
from conversation_clients.sandbox._responses import (
    ALLOW_HEADER,
    ALLOWED_METHODS,
    cdn_error_page,
    json_response,
    method_for_message,
)
from conversation_clients.sandbox._seeds import canonical_id_set, canonical_ids
from conversation_clients.sandbox._tokens import PageTokens

__all__ = ["FAKE", "BirdApi", "bird_api", "bird_error", "is_bird_path", "rfc3339_nanoseconds"]

DEFAULT_LIMIT: Final = 10
MAX_LIMIT: Final = 100
MAX_RESOURCE_LENGTH: Final = 60
_CONVERSATIONS_PATH: Final = re.compile(r"/workspaces/([^/]+)/conversations")
_MESSAGES_PATH: Final = re.compile(r"/workspaces/([^/]+)/conversations/([^/]+)/messages")
# RFC 3339 as Go's time.RFC3339 layout reads it (fractional seconds optional, an offset required).
_RFC3339: Final = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)")
_UNIX_EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_NANOSECONDS_PER_MS: Final = 1_000_000
# Bird is written in Go; its booleans parse like strconv.ParseBool.
_GO_BOOLEANS: Final = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


# Building a conversation through the generated models takes ~75 us; a page of 100 would cost the
# sandbox more than a benchmark's whole simulated latency. Kept as UTF-8 bytes, so that a page is
# one bytes join (a str join of non-ASCII text, then encoding it, cost a millisecond a page).
# Bounded, so a listing of 200,000 stays within tens of megabytes.
@functools.lru_cache(maxsize=32_768)
def _bird_conversation_json(seed: int, workspace: str, index: int) -> bytes:
    return _compact_json(bird_conversation(seed, workspace, index)).encode()


@attrs.frozen
class _RenderedMessages:
    times_ms: tuple[int, ...]  # creation times, newest first
    bodies: tuple[bytes, ...]  # each message as UTF-8 JSON, in the same order


# A conversation's messages are built together (they share its participants); a page slices them.
@functools.lru_cache(maxsize=1024)
def _bird_messages_json(seed: int, workspace: str, index: int) -> _RenderedMessages:
    messages = bird_message_models(seed, workspace, index)
    bodies = tuple(_compact_json(message.to_dict()).encode() for message in messages)
    return _RenderedMessages(times_ms=tuple(bird_message_times(messages)), bodies=bodies)


def rfc3339_nanoseconds(text: str) -> int | None:
    """The instant an RFC 3339 date-time names, in ns since the epoch; None if it is not one.

    Digits past the ninth are dropped, as Go's parser does.

    >>> rfc3339_nanoseconds("2025-06-02T11:30:00.0000005+02:00")
    1748856600000000500
    >>> rfc3339_nanoseconds("2025-06-02 09:30:00Z") is None, rfc3339_nanoseconds("2025-13-02T09:30:00Z") is None
    (True, True)
    """
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    seconds, fraction, offset = match.groups()
    try:
        moment = datetime.datetime.fromisoformat(seconds + ("+00:00" if offset == "Z" else offset))
    except ValueError:  # a month 13, a 25th hour, an offset beyond a day...
        return None
    whole = (moment - _UNIX_EPOCH) // datetime.timedelta(seconds=1)
    return whole * 1_000_000_000 + int((fraction or "0")[:9].ljust(9, "0"))


def is_bird_path(path: str) -> bool:
    """Whether ``path`` belongs to Bird (everything under ``/workspaces``).

    >>> is_bird_path("/workspaces/x/conversations"), is_bird_path("/api/v1.0/consumer/conversations")
    (True, False)
    """
    return path == "/workspaces" or path.startswith("/workspaces/")


def bird_error(
    status_code: int,
    code: str,
    message: str,
    *,
    details: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """An error as Bird sends it: ``{"code", "message"}`` plus ``details`` when given.

    >>> bird_error(404, "NotFound", "workspace not found", details={}).json()
    {'code': 'NotFound', 'message': 'workspace not found', 'details': {}}
    """
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = dict(details)
    return json_response(status_code, body, headers=headers)


def _invalid(parameter: str, message: str) -> httpx.Response:
    return bird_error(400, "InvalidParameter", message, details={"parameter": parameter})


def _paging(query: httpx.QueryParams) -> tuple[int, bool] | httpx.Response:
    """The ``limit`` and ``reverse`` both listings take, or the 400 for a bad one."""
    limit_text = query.get("limit") or str(DEFAULT_LIMIT)
    # a length cap first: int() refuses strings of thousands of digits with its own error
    limit = int(limit_text) if limit_text.isascii() and limit_text.isdigit() and len(limit_text) <= 9 else 0
    if not 1 <= limit <= MAX_LIMIT:
        return _invalid("limit", f"limit must be an integer between 1 and {MAX_LIMIT}")
    reverse = _GO_BOOLEANS.get(query.get("reverse") or "false")
    if reverse is None:
        return _invalid("reverse", "reverse must be a boolean")
    return limit, reverse


def _page_response(results: list[bytes], tail: Mapping[str, Any]) -> httpx.Response:
    # the items are already JSON: the page is one bytes join
    content = b'{"results":[' + b",".join(results) + b"]"
    if tail:
        content += b"," + _compact_json(tail)[1:].encode()
    else:
        content += b"}"
    return httpx.Response(200, content=content, headers={"Content-Type": "application/json"})


def _access_key(authorization: str | None) -> str | None:
    scheme, _, credential = (authorization or "").partition(" ")
    return credential if scheme.lower() == "accesskey" else None


@attrs.frozen
class BirdApi:
    """Bird's two list endpoints over the sandbox's data; ``answer`` is a pure function of the request.

    Every well-formed workspace id is served (``workspaces`` only names the ones the sandbox
    offers first), except :data:`SANDBOX_MISSING_ID` and ``missing_workspaces``, which are not found.

    >>> api = BirdApi(seed=0, workspaces=("5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01",),
    ...               conversations_per_workspace=25, access_key="k", tokens=PageTokens.for_seed(0))
    >>> request = httpx.Request("GET", "https://bird/workspaces/5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01/conversations",
    ...                         headers={"Authorization": "AccessKey k"})
    >>> body = api.answer(request).json()
    >>> len(body["results"]), body["total"], "nextPageToken" in body
    (10, 25, True)
    """

    seed: int
    workspaces: tuple[str, ...] = attrs.field(converter=canonical_ids)
    conversations_per_workspace: int
    access_key: str = attrs.field(repr=False)
    tokens: PageTokens = attrs.field(repr=False)
    missing_workspaces: frozenset[str] = attrs.field(default=frozenset[str](), converter=canonical_id_set)

    def serves(self, path: str) -> bool:
        """Whether ``path`` is Bird's (:func:`is_bird_path`)."""
        return is_bird_path(path)

    def answer(self, request: httpx.Request) -> httpx.Response:
        """Bird's answer to ``request`` (a path for which :func:`is_bird_path` holds)."""
        key = _access_key(request.headers.get("Authorization"))
        if key is None or not hmac.compare_digest(key.encode(), self.access_key.encode()):
            return bird_error(401, "Unauthorized", "missing or invalid access key")
        route = _CONVERSATIONS_PATH.fullmatch(request.url.path) or _MESSAGES_PATH.fullmatch(request.url.path)
        if route is None:
            return bird_error(404, "NotFound", "no such route", details={})
        if request.method not in ALLOWED_METHODS:
            message = f"method {method_for_message(request.method)} is not allowed here"
            return bird_error(405, "MethodNotAllowed", message, details={}, headers={"Allow": ALLOW_HEADER})
        workspace = self._workspace(route.group(1))
        if workspace is None:
            return bird_error(404, "NotFound", "workspace not found", details={})
        if route.re is _CONVERSATIONS_PATH:
            return self._list(workspace, request.url.params)
        index = bird_conversation_index(self.seed, workspace, self.conversations_per_workspace, route.group(2))
        if index is None:
            return bird_error(404, "NotFound", "conversation not found", details={})
        return self._list_messages(workspace, index, request.url.params)

    def _workspace(self, text: str) -> str | None:
        try:
            workspace = str(uuid.UUID(text))
        except ValueError:
            return None
        return None if workspace == SANDBOX_MISSING_ID or workspace in self.missing_workspaces else workspace

    def _list(self, workspace: str, query: httpx.QueryParams) -> httpx.Response:
        paging = _paging(query)
        if isinstance(paging, httpx.Response):
            return paging
        limit, reverse = paging
        resource = query.get("resource") or None
        if resource is not None and len(resource) > MAX_RESOURCE_LENGTH:
            return _invalid("resource", f"resource must be at most {MAX_RESOURCE_LENGTH} characters")

        # The conversations listed, in order: newest first, oldest first when reversed.
        count = self.conversations_per_workspace
        view: Sequence[int] = range(count)
        if resource is not None:
            view = bird_resource_indices(self.seed, workspace, count, resource)
        if reverse:
            view = view[::-1]
        # Bound to what decides the listing, so a token cannot move to another workspace or filter.
        binding = f"{workspace}|reverse={reverse}|resource={resource}"
        offset = self._offset(query, binding, len(view))
        if offset is None:
            return _invalid("pageToken", "invalid page token")
        page = view[offset : offset + limit]
        results = [_bird_conversation_json(self.seed, workspace, index) for index in page]
        tail = self._next_token(offset + limit, len(view), binding)
        return _page_response(results, {**tail, "total": len(view), "totalType": "equal"})

    def _list_messages(self, workspace: str, conversation: int, query: httpx.QueryParams) -> httpx.Response:
        paging = _paging(query)
        if isinstance(paging, httpx.Response):
            return paging
        limit, reverse = paging
        date_from_text = query.get("dateFrom") or None
        date_from = None if date_from_text is None else rfc3339_nanoseconds(date_from_text)
        if date_from_text is not None and date_from is None:
            return _invalid("dateFrom", "dateFrom must be an RFC 3339 date-time")

        rendered = _bird_messages_json(self.seed, workspace, conversation)
        # Newest first; only those created after dateFrom, which (times never increasing) are a prefix.
        view: Sequence[int] = range(len(rendered.bodies))
        if date_from is not None:
            view = range(sum(1 for ms in rendered.times_ms if ms * _NANOSECONDS_PER_MS > date_from))
        if reverse:
            view = view[::-1]
        binding = f"messages|{workspace}|{conversation}|reverse={reverse}|dateFrom={date_from}"
        offset = self._offset(query, binding, len(view))
        if offset is None:
            return _invalid("pageToken", "invalid page token")
        results = [rendered.bodies[index] for index in view[offset : offset + limit]]
        # Bird's example page carries no total: only the token, and none on the last page
        return _page_response(results, self._next_token(offset + limit, len(view), binding))

    def _offset(self, query: httpx.QueryParams, binding: str, length: int) -> int | None:
        """Where the page starts: 0, or the offset of a valid ``pageToken`` (None for an invalid one)."""
        page_token = query.get("pageToken")
        if not page_token:
            return 0
        read = self.tokens.read_bird_token(page_token, binding=binding)
        return None if read is None or read >= length else read

    def _next_token(self, next_offset: int, length: int, binding: str) -> dict[str, Any]:
        if next_offset >= length:  # on the last page Bird omits the token
            return {}
        return {"nextPageToken": self.tokens.bird_token(next_offset, binding=binding)}

    def fault(self, kind: str, *, retry_after_seconds: float) -> httpx.Response:
        """The response that replaces a successful one for fault ``kind`` (not ``"drop"``)."""
        if kind == "429":
            return bird_error(429, "TooManyRequests", "too many requests")
        if kind == "429-retry-after":
            return self.rate_limited(retry_after_seconds)
        if kind == "500":
            return bird_error(500, "InternalError", "an internal error occurred")
        if kind == "503":
            return bird_error(503, "ServiceUnavailable", "the service is temporarily unavailable")
        if kind == "520":
            return cdn_error_page()
        raise ValueError(f"no response for fault kind {kind!r}")

    def rate_limited(self, retry_after: float) -> httpx.Response:
        """429 telling the client to wait ``retry_after`` seconds."""
        return bird_error(
            429, "TooManyRequests", "too many requests", headers={"Retry-After": retry_after_header(retry_after)}
        )


def bird_api(setup: SandboxSetup) -> BirdApi:
    """Bird's fake API for a sandbox (the factory of :data:`FAKE`).

    Takes the options ``workspaces``, ``bird_access_key`` and ``missing_workspaces`` (the
    sandbox's defaults when absent).

    >>> bird_api(SandboxSetup(seed=0, tokens=PageTokens.for_seed(0), conversations=3)).workspaces == (SANDBOX_WORKSPACE_ID,)
    True
    """
    options = setup.options
    return BirdApi(
        seed=setup.seed,
        workspaces=tuple(options.get("workspaces", (SANDBOX_WORKSPACE_ID,))),
        conversations_per_workspace=setup.conversations,
        access_key=str(options.get("bird_access_key", SANDBOX_BIRD_ACCESS_KEY)),
        tokens=setup.tokens,
        missing_workspaces=frozenset(options.get("missing_workspaces", (SANDBOX_MISSING_ID,))),
    )


#: Bird's fake, as the sandbox registers it (:mod:`conversation_clients.sandbox._fake_registry` names this module).
FAKE: Final = VendorFake(
    vendor=BIRD.name,
    routes=(
        "/workspaces/{workspaceId}/conversations",
        "/workspaces/{workspaceId}/conversations/{conversationId}/messages",
    ),
    api=bird_api,
)
