"""An APIError carries the response's headers: the vendor's and the rate-limit ones, never a
request header, a cookie or a credential."""

from __future__ import annotations

import pickle

import httpx
import pytest

from conversation_clients import errors
from tests.integration.harness import ACCESS_KEY, BEARER_TOKEN, Vendor, close, items, list_pager, scripted

pytestmark = pytest.mark.anyio


def _refusal(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        403,
        json={"code": "Forbidden", "message": "no"},
        headers=[
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Limit", "50"),
            ("x-ms-correlation-id", "corr-1"),
            ("Set-Cookie", "session=abc"),
            ("X-Echo", f"you sent {request.headers['authorization']}"),
            ("Warning", "one"),
            ("Warning", "two"),
        ],
    )


async def test_api_error_exposes_the_response_headers_and_nothing_secret(vendor: Vendor, kind: str) -> None:
    with scripted(_refusal) as (_script, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(errors.PermissionDeniedError) as caught:
            await items(list_pager(client, vendor))
        await close(client)

    headers = caught.value.headers
    assert headers["x-ratelimit-remaining"] == "0"
    assert headers["x-ratelimit-limit"] == "50"
    assert headers["x-ms-correlation-id"] == "corr-1"
    assert headers["content-type"] == "application/json"
    assert headers["warning"] == "one, two"
    assert headers["set-cookie"] == "***"
    assert headers["x-echo"].startswith("you sent ") and headers["x-echo"].endswith("***")
    assert "authorization" not in headers and "user-agent" not in headers
    shown = repr(headers) + repr(caught.value) + str(caught.value)
    assert ACCESS_KEY not in shown and BEARER_TOKEN not in shown
    assert pickle.loads(pickle.dumps(caught.value)).headers == headers


def test_an_error_built_by_hand_has_no_headers() -> None:
    assert errors.APIError(status_code=500, message="boom").headers == {}
