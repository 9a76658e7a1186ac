"""Bounded body reading (:mod:`conversation_clients._body`): decoding, stacking, caps and bombs, in
memory and from hostile servers in bounded child processes.

The bombs are built by streaming (``tests.support.hostile.bombs``): a few KB in memory here,
gigabytes once inflated.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tracemalloc
import zlib
from collections.abc import Iterable

import httpx
import pytest

from conversation_clients._body import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_RESPONSE_BYTES,
    BoundedBody,
    require_byte_limit,
    whole_response,
)
from conversation_clients.errors import APIConnectionError, ResponseTooLargeError
from tests.support.hostile.bombs import deflate_zeros, gzip_twice, gzip_zeros
from tests.support.hostile.harness import run_listing
from tests.support.hostile.pages import MODES, VENDOR_NAMES, item_id, page_body
from tests.support.hostile.server import (
    Behaviour,
    big_plain,
    deflate_bomb,
    gzip_bomb,
    json_page,
    response,
    serve,
)
from tests.support.paths import REPOSITORY

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


def _gzip(data: bytes) -> bytes:
    # mtime=0: the same bytes at every collection, so parallel workers (pytest-xdist) collect the
    # same test ids
    return gzip.compress(data, mtime=0)


@pytest.mark.parametrize(
    ("encoding", "encoded"),
    [
        (None, PAYLOAD),
        ("identity", PAYLOAD),
        ("gzip", _gzip(PAYLOAD)),
        ("GZIP", _gzip(PAYLOAD)),
        ("deflate", zlib.compress(PAYLOAD)),
        ("deflate", raw_deflate(PAYLOAD)),  # what some servers send for deflate; httpx accepts it too
        ("gzip, gzip", _gzip(_gzip(PAYLOAD))),
        ("deflate, gzip", _gzip(zlib.compress(PAYLOAD))),
        ("identity, gzip", _gzip(PAYLOAD)),
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


# -- Item 1 of issue 9: every response body is bounded while it streams (compressed and decoded) ---


DEFAULT_CAP = 16 * 1024 * 1024
#: Far below every bomb (300 MB to 4 GB), comfortably above an interpreter holding a 16 MiB body.
PEAK_RSS_CEILING_MB = 200
BOMBS: dict[str, Behaviour] = {
    "gzip twice, 10 KB to 4 GB": gzip_bomb(4 << 30, layers=2),
    "gzip, 1 MB to 1 GB": gzip_bomb(1 << 30, layers=1),
    "deflate, 1 MB to 1 GB": deflate_bomb(1 << 30),
    "raw deflate, 1 MB to 1 GB": deflate_bomb(1 << 30, raw_deflate=True),
    "plain 300 MB": big_plain(300 << 20),
    "plain 300 MB, chunked": big_plain(300 << 20, chunked=True),
}


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@pytest.mark.parametrize("bomb", list(BOMBS))
def test_a_body_past_the_cap_stops_the_read_with_a_typed_error(bomb: str, vendor: str, mode: str) -> None:
    with serve(BOMBS[bomb]) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=60)
    assert outcome.error_type == "ResponseTooLargeError", outcome.error_message
    assert outcome.error_attributes == {"status_code": 200, "limit": DEFAULT_CAP}
    assert outcome.peak_rss_mb < PEAK_RSS_CEILING_MB
    assert len(server.requests) == 1  # not retried


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@pytest.mark.parametrize("bomb", [gzip_bomb(4 << 30, layers=2, status=404), big_plain(300 << 20, status=404)])
def test_an_error_body_past_the_cap_stops_the_read_too(bomb: Behaviour, vendor: str, mode: str) -> None:
    with serve(bomb) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=60)
    assert outcome.error_type == "ResponseTooLargeError", outcome.error_message
    assert outcome.error_attributes == {"status_code": 404, "limit": DEFAULT_CAP}
    assert outcome.peak_rss_mb < PEAK_RSS_CEILING_MB


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_bomb_mid_listing_carries_the_token_of_the_page_that_failed(vendor: str, mode: str) -> None:
    with serve(json_page(page_body(vendor, [1, 2], "page-2")), gzip_bomb(4 << 30, layers=2)) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=60)
    assert outcome.items == (item_id(1), item_id(2))
    assert outcome.error_type == "ResponseTooLargeError", outcome.error_message
    assert outcome.resume_token == "page-2"
    assert outcome.peak_rss_mb < PEAK_RSS_CEILING_MB


def _padded_page(vendor: str, size: int) -> bytes:
    body = json.dumps(page_body(vendor, [7])).encode()
    return body + b" " * (size - len(body))  # whitespace after JSON is still JSON


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_the_cap_is_a_client_option(vendor: str, mode: str) -> None:
    big_page = response(200, _padded_page(vendor, 20 << 20), {"Content-Type": "application/json"})
    with serve(big_page) as server:
        at_default = run_listing(vendor, mode, server.base_url, timeout=60)
        raised = run_listing(vendor, mode, server.base_url, client_options={"max_response_bytes": 24 << 20})
        lowered = run_listing(vendor, mode, server.base_url, client_options={"max_response_bytes": 1 << 20})
    assert at_default.error_type == "ResponseTooLargeError"
    assert (raised.error_type, raised.items) == (None, (item_id(7),))
    assert lowered.error_type == "ResponseTooLargeError"
    assert lowered.error_attributes["limit"] == 1 << 20


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_only_decoded_encodings_are_asked_for_and_others_are_a_typed_error(vendor: str, mode: str) -> None:
    # A body the client cannot decode is an error, not raw bytes read as if they were JSON.
    body = json.dumps(page_body(vendor, [1])).encode()
    with serve(response(200, body, {"Content-Type": "application/json", "Content-Encoding": "compress"})) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=60)
    assert server.requests[0].headers["accept-encoding"] == "gzip, deflate"
    assert outcome.error_type == "APIConnectionError", outcome
    assert "compress" in (outcome.error_message or "")


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
def test_a_401_bomb_before_a_token_refresh_is_bounded_too(mode: str) -> None:
    # httpx reads a 401's body itself before the auth flow's retry: that read must be bounded too
    with serve(gzip_bomb(4 << 30, layers=2, status=401), json_page(page_body("omnichannel", [1]))) as server:
        outcome = run_listing("omnichannel", mode, server.base_url, credential="new_token_each_call", timeout=60)
    assert outcome.error_type == "ResponseTooLargeError", outcome.error_message
    assert outcome.error_attributes == {"status_code": 401, "limit": DEFAULT_CAP}
    assert outcome.peak_rss_mb < PEAK_RSS_CEILING_MB


@pytest.mark.hostile
@pytest.mark.subprocess
def test_the_peak_memory_reported_is_the_childs_own_not_its_parents() -> None:
    # A parent that has grown to 300 MB starts a child: ru_maxrss would report the parent's
    # 300 MB in the child (Linux carries it through fork and exec), which hid the real peak
    # whenever the whole suite had grown the test process.
    script = (
        "import subprocess, sys\n"
        "ballast = bytearray(300 * 1024 * 1024)\n"
        "ballast[::4096] = b'x' * len(ballast[::4096])\n"
        "child = 'from tests.support.hostile.child import peak_rss_mb; print(peak_rss_mb())'\n"
        "print(subprocess.run([sys.executable, '-c', child], capture_output=True, text=True, check=True,"
        " timeout=60).stdout)\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120, cwd=REPOSITORY
    )
    assert float(finished.stdout.strip()) < 100


def test_a_body_read_whole_whose_headers_describe_it_is_handed_on_as_it_is() -> None:
    response = httpx.Response(200, content=b'{"results": []}', headers={"X-After": "1"})
    raw = list(response.headers.raw)
    assert whole_response(response, 1024) is response
    assert response.headers.raw == raw  # Content-Length first, as httpx put it: not rewritten


@pytest.mark.parametrize(
    "headers",
    [{"Content-Encoding": "gzip"}, {"Content-Length": "2"}, {"Transfer-Encoding": "chunked"}],
    ids=["encoded", "another-length", "chunked"],
)
def test_a_body_read_whole_is_described_as_its_decoded_bytes(headers: dict[str, str]) -> None:
    content = gzip.compress(b"{}") if "Content-Encoding" in headers else b'{"a": 1}'
    response = httpx.Response(200, content=content, headers=headers)
    described = whole_response(response, 1024)
    assert sorted(described.headers.items()) == [("content-length", str(len(described.content)))]


@pytest.mark.parametrize(("announced", "body"), [("4096", b"{}"), (None, b"x" * 2048)], ids=["announced", "read"])
def test_a_body_read_whole_past_the_cap_is_too_large(announced: str | None, body: bytes) -> None:
    response = httpx.Response(200, stream=httpx.ByteStream(body))
    response.read()
    if announced is not None:
        response.headers["Content-Length"] = announced
    with pytest.raises(ResponseTooLargeError):
        whole_response(response, 1024)
