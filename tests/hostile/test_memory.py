"""Item 1 of issue 9: every response body is bounded while it streams (compressed and decoded).

Each case lists against a loopback server in a child process limited to 768 MB of address
space: without the cap, the bombs below end in MemoryError or a killed child.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.harness import run_listing
from tests.hostile.pages import MODES, VENDORS, item_id, page_body
from tests.hostile.server import (
    Behaviour,
    big_plain,
    deflate_bomb,
    gzip_bomb,
    json_page,
    response,
    serve,
)

REPOSITORY = Path(__file__).resolve().parents[2]

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


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("bomb", list(BOMBS))
def test_a_body_past_the_cap_stops_the_read_with_a_typed_error(bomb: str, vendor: str, mode: str) -> None:
    with serve(BOMBS[bomb]) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=60)
    assert outcome.error_type == "ResponseTooLargeError", outcome.error_message
    assert outcome.error_attributes == {"status_code": 200, "limit": DEFAULT_CAP}
    assert outcome.peak_rss_mb < PEAK_RSS_CEILING_MB
    assert len(server.requests) == 1  # not retried


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("bomb", [gzip_bomb(4 << 30, layers=2, status=404), big_plain(300 << 20, status=404)])
def test_an_error_body_past_the_cap_stops_the_read_too(bomb: Behaviour, vendor: str, mode: str) -> None:
    with serve(bomb) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=60)
    assert outcome.error_type == "ResponseTooLargeError", outcome.error_message
    assert outcome.error_attributes == {"status_code": 404, "limit": DEFAULT_CAP}
    assert outcome.peak_rss_mb < PEAK_RSS_CEILING_MB


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
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


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
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


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
def test_only_decoded_encodings_are_asked_for_and_others_are_a_typed_error(vendor: str, mode: str) -> None:
    # A body the client cannot decode is an error, not raw bytes read as if they were JSON.
    body = json.dumps(page_body(vendor, [1])).encode()
    with serve(response(200, body, {"Content-Type": "application/json", "Content-Encoding": "compress"})) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=60)
    assert server.requests[0].headers["accept-encoding"] == "gzip, deflate"
    assert outcome.error_type == "APIConnectionError", outcome
    assert "compress" in (outcome.error_message or "")


@pytest.mark.parametrize("mode", MODES)
def test_a_401_bomb_before_a_token_refresh_is_bounded_too(mode: str) -> None:
    # httpx reads a 401's body itself before the auth flow's retry: that read must be bounded too
    with serve(gzip_bomb(4 << 30, layers=2, status=401), json_page(page_body("omnichannel", [1]))) as server:
        outcome = run_listing("omnichannel", mode, server.base_url, credential="new_token_each_call", timeout=60)
    assert outcome.error_type == "ResponseTooLargeError", outcome.error_message
    assert outcome.error_attributes == {"status_code": 401, "limit": DEFAULT_CAP}
    assert outcome.peak_rss_mb < PEAK_RSS_CEILING_MB


def test_the_peak_memory_reported_is_the_childs_own_not_its_parents() -> None:
    # A parent that has grown to 300 MB starts a child: ru_maxrss would report the parent's
    # 300 MB in the child (Linux carries it through fork and exec), which hid the real peak
    # whenever the whole suite had grown the test process.
    script = (
        "import subprocess, sys\n"
        "ballast = bytearray(300 * 1024 * 1024)\n"
        "ballast[::4096] = b'x' * len(ballast[::4096])\n"
        "child = 'from tests.hostile.child import peak_rss_mb; print(peak_rss_mb())'\n"
        "print(subprocess.run([sys.executable, '-c', child], capture_output=True, text=True, check=True,"
        " timeout=60).stdout)\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120, cwd=REPOSITORY
    )
    assert float(finished.stdout.strip()) < 100
