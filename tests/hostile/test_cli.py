"""The command line against a bomb and a drip (issue 9, items 1 and 2): one error line on stderr
(followed by the CLI's usual resume hint) and a distinct exit code (8: body past the cap;
5: timeout), within bounded time and memory."""

from __future__ import annotations

import pytest

from tests.hostile.child import ACCESS_KEY, BEARER_TOKEN, CHANNEL_ID, ORGANIZATION_ID, WORKSPACE_ID
from tests.hostile.harness import run_cli
from tests.hostile.pages import VENDORS
from tests.hostile.server import Behaviour, big_plain, drip_chunked_body, gzip_bomb, serve

RESPONSE_TOO_LARGE = 8
TIMEOUT = 5


def list_command(vendor: str, base_url: str, *options: str) -> tuple[list[str], dict[str, str]]:
    if vendor == "bird":
        arguments = ["bird", "list", "--base-url", base_url, "--workspace-id", WORKSPACE_ID]
        env = {"BIRD_ACCESS_KEY": ACCESS_KEY}
    else:
        arguments = ["omnichannel", "list", "--base-url", base_url,
                     "--organization-id", ORGANIZATION_ID, "--channel-id", CHANNEL_ID]  # fmt: skip
        env = {"OMNICHANNEL_TOKEN": BEARER_TOKEN}
    return [*arguments, "--max-retries", "0", *options], env


def error_lines(lines: tuple[str, ...]) -> list[str]:
    """The error lines; the CLI adds a resume hint (not an error) after the one error line."""
    return [line for line in lines if "error:" in line]


def run(vendor: str, behaviour: Behaviour, *options: str) -> tuple[int, tuple[str, ...], float]:
    with serve(behaviour) as server:
        arguments, env = list_command(vendor, server.base_url, *options)
        outcome = run_cli(arguments, env=env, timeout=40)
    return outcome.exit_code, outcome.stderr_lines, outcome.elapsed


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_bomb_is_one_line_and_exit_code_8(vendor: str) -> None:
    code, lines, _ = run(vendor, gzip_bomb(4 << 30, layers=2))
    assert code == RESPONSE_TOO_LARGE, lines
    assert len(error_lines(lines)) == 1
    assert "max_response_bytes=16777216" in lines[0]


@pytest.mark.parametrize("vendor", VENDORS)
def test_max_response_bytes_sets_the_cap(vendor: str) -> None:
    code, lines, _ = run(vendor, big_plain(2 << 20), "--max-response-bytes", "1048576")
    assert code == RESPONSE_TOO_LARGE, lines
    assert len(error_lines(lines)) == 1
    assert "max_response_bytes=1048576" in lines[0]


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_drip_is_one_line_and_exit_code_5_within_the_page_timeout(vendor: str) -> None:
    code, lines, elapsed = run(vendor, drip_chunked_body(0.2), "--page-timeout", "1")
    assert code == TIMEOUT, lines
    assert len(error_lines(lines)) == 1
    assert "timed out" in lines[0]
    assert elapsed < 1 + 5  # the child's start-up (imports) included
