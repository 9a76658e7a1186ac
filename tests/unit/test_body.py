"""Bounded body reading (``_body.BoundedBody``): decoding, stacking, caps, and bombs.

The bombs are built by streaming (``tests.hostile.bombs``): a few KB in memory here, gigabytes
once inflated. ``tracemalloc`` shows reading them costs about the cap, not the bomb.
"""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterable

import httpx
import pytest

from conversation_clients._body import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_RESPONSE_BYTES,
    BoundedBody,
    bound_response,
    require_byte_limit,
)
from conversation_clients._body_cap import bound_ours_async
from conversation_clients.errors import APIConnectionError, ResponseTooLargeError
from tests.hostile.bombs import deflate_zeros, gzip_twice, gzip_zeros

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


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "encoded"),
    [
        (None, PAYLOAD),
        ("identity", PAYLOAD),
        ("gzip", gzip.compress(PAYLOAD)),
        ("GZIP", gzip.compress(PAYLOAD)),
        ("deflate", zlib.compress(PAYLOAD)),
        ("deflate", raw_deflate(PAYLOAD)),  # what some servers send for deflate; httpx accepts it too
        ("gzip, gzip", gzip.compress(gzip.compress(PAYLOAD))),
        ("deflate, gzip", gzip.compress(zlib.compress(PAYLOAD))),
        ("identity, gzip", gzip.compress(PAYLOAD)),
    ],
)
@pytest.mark.parametrize("chunk_size", [1, 7, 65536])
def test_bodies_decode_as_httpx_would(encoding: str | None, encoded: bytes, chunk_size: int) -> None:
    assert read(encoding, chunks(encoded, chunk_size)) == PAYLOAD


def test_the_default_cap_fits_a_hundred_legitimate_pages() -> None:
    assert DEFAULT_MAX_RESPONSE_BYTES == 16 * 1024 * 1024 >= 100 * 150_000


def test_only_the_decoded_encodings_are_asked_for() -> None:
    assert ACCEPT_ENCODING == "gzip, deflate"


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, br"])
def test_an_encoding_not_decoded_is_a_typed_error_before_any_byte(encoding: str) -> None:
    with pytest.raises(APIConnectionError, match="does not decode"):
        BoundedBody(content_encoding=encoding, limit=1024, status_code=200)


def test_a_corrupt_stream_is_a_decoding_error() -> None:
    with pytest.raises(httpx.DecodingError):
        read("gzip", [b"\x1f\x8b\x08\x00" + b"garbage" * 10])


@pytest.mark.parametrize(
    ("encoding", "bomb"),
    [
        ("gzip, gzip", lambda: gzip_twice(4 << 30)),
        ("gzip", lambda: gzip_zeros(1 << 30)),
        ("deflate", lambda: b"".join(deflate_zeros(1 << 30, container="zlib"))),
        ("deflate", lambda: b"".join(deflate_zeros(1 << 30, container="raw"))),
    ],
    ids=["gzip twice 4 GB", "gzip 1 GB", "deflate 1 GB", "raw deflate 1 GB"],
)
def test_a_bomb_stops_at_the_cap_costing_about_the_cap(encoding: str, bomb: object) -> None:
    data = bomb()  # type: ignore[operator]  # a zero-argument builder
    assert isinstance(data, bytes) and len(data) < 2 << 20
    limit = 4 << 20
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError) as raised:
            read(encoding, chunks(data), limit=limit, status=404)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (raised.value.limit, raised.value.status_code) == (limit, 404)
    assert peak < 2 * limit  # the decoded body so far, plus a step or two


def test_the_received_bytes_count_too() -> None:
    with pytest.raises(ResponseTooLargeError):
        read("gzip", chunks(gzip.compress(PAYLOAD)), limit=100)


def test_a_content_length_past_the_cap_fails_before_reading() -> None:
    body = BoundedBody(content_encoding=None, limit=100, status_code=200)
    body.expect_length("100")
    with pytest.raises(ResponseTooLargeError):
        body.expect_length("101")


def test_a_body_exactly_at_the_cap_is_read() -> None:
    assert read(None, [b"x" * 50, b"y" * 50], limit=100) == b"x" * 50 + b"y" * 50


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "16"])
def test_the_cap_must_be_a_positive_int(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        require_byte_limit(value)


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
