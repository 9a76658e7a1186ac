"""Replies the signals and tracing tests script: pages with request-id and rate-limit headers, and 503s."""

from __future__ import annotations

import httpx

from tests.support.scripted import (
    Vendor,
)

TOKEN = "tok-Secret-Page-2"


REQUEST_ID_HEADER = {"bird": "x-request-id", "omnichannel": "x-ms-correlation-id"}


def with_headers(response: httpx.Response, vendor: Vendor, request_id: str) -> httpx.Response:
    response.headers[REQUEST_ID_HEADER[vendor.family]] = request_id
    response.headers["X-RateLimit-Remaining"] = "41"
    return response


def unavailable() -> httpx.Response:
    return httpx.Response(503, json={"message": "try again"})


def replies(vendor: Vendor) -> list[httpx.Response]:
    """Page 1 after one 503; page 2 at once (the last)."""
    return [
        unavailable(),
        with_headers(vendor.page(range(2), TOKEN), vendor, "rid-1"),
        with_headers(vendor.page(range(2, 3)), vendor, "rid-2"),
    ]
