"""The body cap as an httpx response hook, acting only on the requests this package built.

Bodies are capped as soon as a response arrives (httpx reads some itself: a 401's, before a
token refresh). Each request a client builds carries its cap (:data:`MAX_BYTES_EXTENSION`); the
reading itself is :func:`conversation_clients._body.bound_response`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from conversation_clients._body import bound_response

__all__ = ["MAX_BYTES_EXTENSION", "add_response_hook", "bound_ours", "bound_ours_async"]

#: The request extension that carries the body cap of the client that built the request: the
#: response hook reads it, so that clients sharing one httpx client (``with_options``, a
#: caller's ``http_client=``) each keep their own cap, and the caller's other requests none.
MAX_BYTES_EXTENSION = "conversation_clients.max_response_bytes"


def bound_ours(response: httpx.Response, *, default: int | None = None) -> None:
    """The body cap as an httpx response hook, for the requests this package built (see :data:`MAX_BYTES_EXTENSION`).

    >>> bound_ours(httpx.Response(200, content=b"{}", request=httpx.Request("GET", "https://x/")))
    """
    limit = response.request.extensions.get(MAX_BYTES_EXTENSION, default)
    if limit is not None:
        bound_response(response, limit=limit)


async def bound_ours_async(response: httpx.Response, *, default: int | None = None) -> None:
    """:func:`bound_ours` for ``httpx.AsyncClient``, whose hooks are awaited."""
    bound_ours(response, default=default)


def add_response_hook(http: httpx.Client | httpx.AsyncClient, hook: Callable[..., Any]) -> None:
    """Add ``hook`` to a caller's httpx client, once however many of our clients use it.

    It leaves the caller's own requests alone (they carry no :data:`MAX_BYTES_EXTENSION`).
    """
    hooks = http.event_hooks["response"]
    if hook not in hooks:
        hooks.append(hook)
