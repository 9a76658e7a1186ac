"""The command as a user runs it (``python -m conversation_clients``), against loopback servers."""

from __future__ import annotations

import json
import shlex
import subprocess
import threading

import httpx
import pytest

from conversation_clients.loopback import serve
from tests.cli.helpers import (
    ACCESS_KEY,
    BEARER_TOKEN,
    CHANNEL_ID,
    ERROR_PREFIX,
    ORGANIZATION_ID,
    RESUME_PREFIX,
    WORKSPACE_ID,
    PagedServer,
    cli_command,
    cli_env,
    closed_port,
    error_lines,
    run_cli,
)

BIRD_ENV = {"BIRD_ACCESS_KEY": ACCESS_KEY}


def bird_list(base_url: str, *extra: str) -> list[str]:
    return ["bird", "list", "--workspace-id", WORKSPACE_ID, "--base-url", base_url, *extra]


def test_limit_out_of_range_is_exit_2_with_one_line() -> None:
    result = run_cli("bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", "500", env=BIRD_ENV)
    assert result.returncode == 2
    assert error_lines(result.stderr) == [
        ERROR_PREFIX + "--limit must be between 1 and 100 (the API's maximum page size), got 500"
    ]
    assert result.stdout == ""


def test_missing_access_key_is_exit_3() -> None:
    result = run_cli("bird", "list", "--workspace-id", WORKSPACE_ID)
    assert result.returncode == 3
    [line] = error_lines(result.stderr)
    assert "BIRD_ACCESS_KEY" in line


def test_rejected_key_is_exit_3_and_the_key_is_never_printed() -> None:
    seen: list[str | None] = []

    def reject(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        # A careless server echoing the key back: the command must still not print it.
        return httpx.Response(
            401,
            json={"code": "Unauthorized", "message": f"access key {ACCESS_KEY} is not valid"},
            headers={"x-request-id": "req-9"},
        )

    with serve(reject) as base_url:
        result = run_cli(*bird_list(base_url), env=BIRD_ENV)
    assert seen == [f"AccessKey {ACCESS_KEY}"]  # the key was sent, once (a 401 is not retried)
    assert result.returncode == 3
    lines = error_lines(result.stderr)
    assert lines[0].startswith(ERROR_PREFIX + "credentials rejected by Bird: 401 Unauthorized")
    assert "request_id=req-9" in lines[0] and "check BIRD_ACCESS_KEY" in lines[0]
    assert ACCESS_KEY not in result.stderr + result.stdout


def test_rate_limited_is_exit_4_and_says_when_to_retry() -> None:
    answer = httpx.Response(
        429, json={"code": "TooManyRequests", "message": "slow down"}, headers={"Retry-After": "120"}
    )
    with serve(lambda request: answer) as base_url:
        result = run_cli(*bird_list(base_url), env=BIRD_ENV)
    assert result.returncode == 4
    lines = error_lines(result.stderr)
    assert lines[0].startswith(ERROR_PREFIX + "rate limited by Bird: 429")
    assert "retry in 120 s" in lines[0]


def test_connection_refused_is_exit_5() -> None:
    result = run_cli(*bird_list(f"http://127.0.0.1:{closed_port()}", "--max-retries", "0"), env=BIRD_ENV)
    assert result.returncode == 5
    lines = error_lines(result.stderr)
    assert lines[0].startswith(ERROR_PREFIX + "cannot reach Bird: ConnectError")


def test_max_items_prints_that_many_and_stops_fetching() -> None:
    server = PagedServer("bird", total=100, page_size=2)
    with serve(server) as base_url:
        result = run_cli(*bird_list(base_url, "--limit", "2", "--max-items", "5"), env=BIRD_ENV)
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == [f"00000000-0000-0000-0000-00000000000{n}" for n in range(1, 6)]
    assert len(server.requests) == 3


VENDOR_CASES = {
    "bird": (
        ["bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", "2"],
        {"BIRD_ACCESS_KEY": ACCESS_KEY},
        "--page-token",
        "id",
    ),
    "omnichannel": (
        ["omnichannel", "list", "--organization-id", ORGANIZATION_ID, "--channel-id", CHANNEL_ID, "--page-size", "2"],
        {"OMNICHANNEL_TOKEN": BEARER_TOKEN},
        "--continuation-token",
        "conversationid",
    ),
}


@pytest.mark.parametrize("vendor", sorted(VENDOR_CASES))
def test_listing_cut_off_mid_way_resumes_with_nothing_lost_or_repeated(vendor: str) -> None:
    argv, env, flag, id_field = VENDOR_CASES[vendor]
    server = PagedServer(vendor, total=7, page_size=2, fail_page=2, fail_status=503)
    with serve(server) as base_url:
        first = run_cli(*argv, "--base-url", base_url, env=env)
        assert first.returncode == 6
        lines = error_lines(first.stderr)
        assert len(lines) == 2
        assert lines[0].startswith(ERROR_PREFIX + f"{'Bird' if vendor == 'bird' else 'Omnichannel'} API error: 503")
        assert lines[1].startswith(RESUME_PREFIX + flag + " ")
        resume_args = shlex.split(lines[1].removeprefix(RESUME_PREFIX))
        assert resume_args == [flag, PagedServer.token_for(2)]
        # the failed page was tried three times (the default two retries) before giving up
        assert len(server.requests) == 2 + 3

        server.failing = False
        second = run_cli(*argv, "--base-url", base_url, *resume_args, env=env)
    assert second.returncode == 0, second.stderr
    assert second.stderr == ""
    ids = [json.loads(line)[id_field] for line in (first.stdout + second.stdout).splitlines()]
    assert ids == [f"00000000-0000-0000-0000-00000000000{n}" for n in range(1, 8)]


def test_closed_pipe_exits_quietly() -> None:
    server = PagedServer("bird", total=100_000, page_size=100)
    with serve(server) as base_url:
        with subprocess.Popen(
            cli_command(*bird_list(base_url, "--limit", "100")),
            env=cli_env(BIRD_ENV),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            first_line = process.stdout.readline()
            process.stdout.close()  # like `| head -1`
            stderr = process.stderr.read()
            returncode = process.wait(timeout=30)
    assert json.loads(first_line)["id"] == "00000000-0000-0000-0000-000000000001"
    assert stderr == b""
    assert returncode == 141
    assert len(server.requests) < 100  # it stopped, rather than listing everything into the void


def test_each_page_reaches_a_pipe_before_the_next_is_fetched() -> None:
    pages = PagedServer("bird", total=4, page_size=2)
    first_page_read = threading.Event()
    waited_in_vain: list[bool] = []

    def hold_second_page(request: httpx.Request) -> httpx.Response:
        if "pageToken" in request.url.params:
            # Until the test has read page 1 from the pipe; without a flush it never could.
            waited_in_vain.append(not first_page_read.wait(timeout=10))
        return pages(request)

    with serve(hold_second_page) as base_url:
        with subprocess.Popen(
            cli_command(*bird_list(base_url, "--limit", "2")),
            env=cli_env(BIRD_ENV),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        ) as process:
            assert process.stdout is not None
            early = [process.stdout.readline(), process.stdout.readline()]
            first_page_read.set()
            rest = process.stdout.read()
            assert process.wait(timeout=30) == 0
    assert waited_in_vain == [False]
    assert [json.loads(line)["id"][-1] for line in early + rest.splitlines()] == ["1", "2", "3", "4"]
