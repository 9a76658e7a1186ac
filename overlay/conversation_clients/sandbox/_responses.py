"""Response builders both vendors' answers share."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

__all__ = ["cdn_error_page", "json_response"]


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
