"""No log line, ours or httpx's or httpcore's, at any level, carries a page token or a credential;
and one environment variable switches the package's logging on."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator

import httpx
import pytest

from conversation_clients import LOG_ENV
from conversation_clients._logging import GUARDED_LOGGERS, scrub_log_text
from tests.integration.harness import ACCESS_KEY, BEARER_TOKEN, Vendor, close, items, list_pager, scripted

pytestmark = pytest.mark.anyio

# Distinctive tokens, so that a leak cannot hide behind a common word.
TOKENS = ("tok-Alpha-7f3e9c1d", "tok-Bravo-2b8a4e6f", "tok/Charlie+1==")


class _Everything(logging.Handler):
    """Keeps every record's final text, as a handler would write it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def every_log_line() -> Iterator[_Everything]:
    handler = _Everything()
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", *GUARDED_LOGGERS)}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _echoing(response: httpx.Response, request_seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    """A reply that echoes the request's credential back in a response header (httpcore logs
    response headers at DEBUG)."""

    def reply(request: httpx.Request) -> httpx.Response:
        request_seen.append(request)
        response.headers["x-echo"] = request.headers.get("authorization", "")
        return response

    return reply


async def test_no_line_of_a_listing_shows_a_token_or_a_credential(
    vendor: Vendor, kind: str, every_log_line: _Everything
) -> None:
    seen: list[httpx.Request] = []
    replies = [
        _echoing(vendor.page(range(2), TOKENS[0]), seen),
        _echoing(vendor.page(range(2, 4), TOKENS[1]), seen),
        _echoing(vendor.page(range(4, 6), TOKENS[2]), seen),
        _echoing(vendor.page(range(6, 7)), seen),
    ]
    with scripted(*replies) as (_script, base_url):
        client = vendor.client(kind, base_url)
        listed = await items(list_pager(client, vendor, size=2))
        await close(client)

    assert len(listed) == 7
    # the tokens did travel in the URLs, and the lines that would show them were written
    assert [request.url.params.get(vendor.token_param) for request in seen] == [None, *TOKENS]
    text = "\n".join(every_log_line.lines)
    assert "httpx INFO HTTP Request: GET" in text
    assert "httpcore.http11 DEBUG receive_response_headers.complete" in text
    assert "x-echo" in text
    for secret in (*TOKENS, ACCESS_KEY, BEARER_TOKEN):
        for form in (secret, httpx.QueryParams({"t": secret}).get("t"), str(httpx.QueryParams({"t": secret}))[2:]):
            assert form is not None and form not in text, f"{form!r} leaked into the log"


def test_query_values_are_masked_by_name_and_other_values_kept() -> None:
    line = scrub_log_text("GET /w?limit=5&pageToken=a%2Fb&page%54oken=x&reverse=true&ContinuationToken=y")
    assert line == "GET /w?limit=5&pageToken=***&page%54oken=***&reverse=true&ContinuationToken=***"


def test_a_log_switch_in_the_environment_turns_logging_on() -> None:
    code = (
        "import logging, conversation_clients; "
        "logging.getLogger('conversation_clients').debug('hello %s', 'https://x/y?pageToken=zzz-secret')"
    )
    environment = {key: value for key, value in os.environ.items() if key != LOG_ENV}
    quiet = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)
    loud = subprocess.run(
        [sys.executable, "-c", code], env={**environment, LOG_ENV: "debug"}, capture_output=True, text=True, timeout=60
    )
    assert quiet.returncode == loud.returncode == 0
    assert quiet.stderr == ""
    assert "DEBUG conversation_clients: hello https://x/y?pageToken=***" in loud.stderr
    assert "zzz-secret" not in loud.stderr
