"""The body cap as an httpx response hook (:mod:`conversation_clients._body_cap`): any read decoded
and capped, httpx's own read of a bomb stopped, a body already read left alone.
"""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator, Iterable

import httpx
import pytest

from conversation_clients._body import (
    DEFAULT_MAX_RESPONSE_BYTES,
    BoundedBody,
    bound_response,
)
from conversation_clients._body_cap import bound_ours_async
from conversation_clients.errors import ResponseTooLargeError
from tests.support.hostile.bombs import gzip_twice

PAYLOAD = b'{"results": [' + b'{"id": "x"}, ' * 2000 + b'{"id": "y"}]}'


def chunks(data: bytes, size: int = 65536) -> list[bytes]:
    return [data[start : start + size] for start in range(0, len(data), size)]


def read(
    encoding: str | None, parts: Iterable[bytes], limit: int = DEFAULT_MAX_RESPONSE_BYTES, status: int = 200
) -> bytes:
    body = BoundedBody(content_encoding=encoding, limit=limit, status_code=status)
    for part in parts:
        body.feed(part)
    return body.finish()


def streamed(status: int, headers: dict[str, str], data: bytes) -> httpx.Response:
    return httpx.Response(status, headers=headers, stream=httpx.ByteStream(data))


def test_the_response_hook_makes_any_read_decoded_and_capped() -> None:
    response = streamed(200, {"Content-Encoding": "gzip", "Content-Length": "99"}, gzip.compress(PAYLOAD))
    bound_response(response, limit=1 << 20)
    assert "content-encoding" not in response.headers and "content-length" not in response.headers
    assert response.read() == PAYLOAD  # httpx's own read: nothing left for its decoders to do


def test_the_response_hook_stops_httpx_s_own_read_of_a_bomb() -> None:
    response = streamed(401, {"Content-Encoding": "gzip, gzip"}, gzip_twice(4 << 30))
    bound_response(response, limit=1 << 20)
    with pytest.raises(ResponseTooLargeError) as raised:
        response.read()  # what httpx does with a 401 before an auth flow's retry
    assert raised.value.status_code == 401


@pytest.mark.anyio
async def test_the_async_response_hook_stops_a_bomb() -> None:
    data = gzip_twice(4 << 30)

    class Stream(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            for part in chunks(data, 4096):
                yield part

    response = httpx.Response(200, headers={"Content-Encoding": "gzip, gzip"}, stream=Stream())
    response.request = httpx.Request("GET", "https://api.example/")
    await bound_ours_async(response, default=1 << 20)  # the hook the async clients install
    with pytest.raises(ResponseTooLargeError):
        await response.aread()


def test_the_response_hook_leaves_a_body_already_read_alone() -> None:
    response = httpx.Response(200, content=b"{}")
    bound_response(response, limit=1)
    assert response.content == b"{}"
