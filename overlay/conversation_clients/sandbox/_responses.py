"""Response builders both vendors' answers share."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import httpx

__all__ = ["ALLOWED_METHODS", "ALLOW_HEADER", "cdn_error_page", "head_response", "json_response", "method_for_message"]

#: What both list endpoints answer; any other method gets 405 with ``Allow: GET, HEAD``.
ALLOWED_METHODS: Final = frozenset({"GET", "HEAD"})
ALLOW_HEADER: Final = "GET, HEAD"
# A method is any token a client likes (http.server reads request lines up to 64 KiB).
_METHOD_IN_MESSAGE: Final = 32


def json_response(
    status_code: int, body: Any, *, content_type: str = "application/json", headers: Mapping[str, str] | None = None
) -> httpx.Response:
    """A response with ``body`` encoded as compact UTF-8 JSON.

    >>> json_response(200, {"ok": True}).content
    b'{"ok":true}'
    """
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    return httpx.Response(status_code, content=content, headers={"Content-Type": content_type, **(headers or {})})


def cdn_error_page(headers: Mapping[str, str] | None = None) -> httpx.Response:
    """520 as a CDN sends it when the origin answered something it could not use: an HTML page.

    Clients must cope with an error body that is not the vendor's JSON.

    >>> cdn_error_page().headers["content-type"]
    'text/html; charset=UTF-8'
    """
    page = (
        "<!DOCTYPE html>\n<html><head><title>520: Web server is returning an unknown error</title></head>"
        "<body><h1>Web server is returning an unknown error</h1>"
        "<p>Error code 520. The origin web server returned an empty, unknown or unexpected response.</p>"
        "</body></html>\n"
    )
    return httpx.Response(
        520, content=page.encode(), headers={"Content-Type": "text/html; charset=UTF-8", **(headers or {})}
    )


def head_response(response: httpx.Response) -> httpx.Response:
    """``response`` as the answer to HEAD: same status and headers, no body, the body's Content-Length.

    >>> head = head_response(json_response(200, {"ok": True}))
    >>> head.status_code, head.headers["content-length"], head.content
    (200, '11', b'')
    """
    headers = [(name, value) for name, value in response.headers.multi_items() if name.lower() != "content-length"]
    headers.append(("Content-Length", str(len(response.content))))
    return httpx.Response(response.status_code, headers=headers, content=b"")


def method_for_message(method: str) -> str:
    """The request's method as an error message quotes it: cut short, since it can be any token.

    >>> method_for_message("PROPFIND"), len(method_for_message("X" * 5000))
    ('PROPFIND', 33)
    """
    return method if len(method) <= _METHOD_IN_MESSAGE else method[:_METHOD_IN_MESSAGE] + "…"
