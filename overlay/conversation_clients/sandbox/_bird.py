"""The sandbox's Bird: ``GET /workspaces/{workspaceId}/conversations``, answered without I/O.

Checks run in this order, each answering with Bird's error body
(``{"code", "message", "details"}``): the access key (401), the route (404 for any other path
under ``/workspaces``), the method (405 with ``Allow: GET, HEAD`` for anything but GET and HEAD),
the workspace (404 for a malformed id, :data:`SANDBOX_MISSING_ID` and ``missing_workspaces``;
every other id is served), then the query (400, naming the parameter in ``details``).
"""

from __future__ import annotations

import functools
import hmac
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import httpx

from conversation_clients.sandbox._constants import SANDBOX_MISSING_ID
from conversation_clients.sandbox._data import (
    bird_conversation,
    bird_resource_indices,
    canonical_id_set,
    canonical_ids,
)
from conversation_clients.sandbox._faults import retry_after_header
from conversation_clients.sandbox._responses import (
    ALLOW_HEADER,
    ALLOWED_METHODS,
    cdn_error_page,
    json_response,
    method_for_message,
)
from conversation_clients.sandbox._tokens import PageTokens

__all__ = ["BirdApi", "bird_error", "is_bird_path"]

DEFAULT_LIMIT: Final = 10
MAX_LIMIT: Final = 100
MAX_RESOURCE_LENGTH: Final = 60
_CONVERSATIONS_PATH: Final = re.compile(r"/workspaces/([^/]+)/conversations")
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


def _access_key(authorization: str | None) -> str | None:
    scheme, _, credential = (authorization or "").partition(" ")
    return credential if scheme.lower() == "accesskey" else None


@attrs.frozen
class BirdApi:
    """Bird's list endpoint over the sandbox's data; ``answer`` is a pure function of the request.

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

    def answer(self, request: httpx.Request) -> httpx.Response:
        """Bird's answer to ``request`` (a path for which :func:`is_bird_path` holds)."""
        key = _access_key(request.headers.get("Authorization"))
        if key is None or not hmac.compare_digest(key.encode(), self.access_key.encode()):
            return bird_error(401, "Unauthorized", "missing or invalid access key")
        route = _CONVERSATIONS_PATH.fullmatch(request.url.path)
        if route is None:
            return bird_error(404, "NotFound", "no such route", details={})
        if request.method not in ALLOWED_METHODS:
            message = f"method {method_for_message(request.method)} is not allowed here"
            return bird_error(405, "MethodNotAllowed", message, details={}, headers={"Allow": ALLOW_HEADER})
        workspace = self._workspace(route.group(1))
        if workspace is None:
            return bird_error(404, "NotFound", "workspace not found", details={})
        return self._list(workspace, request.url.params)

    def _workspace(self, text: str) -> str | None:
        try:
            workspace = str(uuid.UUID(text))
        except ValueError:
            return None
        return None if workspace == SANDBOX_MISSING_ID or workspace in self.missing_workspaces else workspace

    def _list(self, workspace: str, query: httpx.QueryParams) -> httpx.Response:
        limit_text = query.get("limit") or str(DEFAULT_LIMIT)
        # a length cap first: int() refuses strings of thousands of digits with its own error
        limit = int(limit_text) if limit_text.isascii() and limit_text.isdigit() and len(limit_text) <= 9 else 0
        if not 1 <= limit <= MAX_LIMIT:
            return _invalid("limit", f"limit must be an integer between 1 and {MAX_LIMIT}")
        reverse = _GO_BOOLEANS.get(query.get("reverse") or "false")
        if reverse is None:
            return _invalid("reverse", "reverse must be a boolean")
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
        offset = 0
        page_token = query.get("pageToken")
        if page_token:
            read = self.tokens.read_bird_token(page_token, binding=binding)
            if read is None or read >= len(view):
                return _invalid("pageToken", "invalid page token")
            offset = read

        page = view[offset : offset + limit]
        tail: dict[str, Any] = {}
        if offset + limit < len(view):  # on the last page Bird omits the token
            tail["nextPageToken"] = self.tokens.bird_token(offset + limit, binding=binding)
        tail["total"] = len(view)
        tail["totalType"] = "equal"
        results = b",".join([_bird_conversation_json(self.seed, workspace, index) for index in page])
        content = b'{"results":[' + results + b"]," + _compact_json(tail)[1:].encode()
        return httpx.Response(200, content=content, headers={"Content-Type": "application/json"})

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
