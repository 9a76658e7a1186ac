"""The one listing runner and ``main`` (:mod:`conversation_clients.cli.runners`): in-process over
loopback HTTP (arguments, credentials, progress, interruptions, ``--max-items`` with prefetch,
tables), and as a user runs it, in a child process (``python -m conversation_clients`` and the
console script: exit codes, pipes, a listing cut off and resumed).
"""

from __future__ import annotations

import importlib
import io
import json
import shlex
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from conversation_clients import _shells, cli
from conversation_clients import bird as bird_vendor
from conversation_clients import omnichannel as omnichannel_vendor
from conversation_clients.bird import BirdClient
from conversation_clients.cli import main
from conversation_clients.cli.console import JsonLinesWriter
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.loopback import serve
from conversation_clients.omnichannel import OmnichannelClient
from tests.support.command_line import (
    ACCESS_KEY,
    BEARER_TOKEN,
    CHANNEL_ID,
    ERROR_PREFIX,
    ORGANIZATION_ID,
    RESUME_PREFIX,
    ROOT,
    WORKSPACE_ID,
    PagedServer,
    cli_command,
    cli_env,
    closed_port,
    error_lines,
    run_cli,
)


def test_console_script_is_declared_and_resolves_to_main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    target = project["scripts"]["conversation-clients"]
    module_name, _, attribute = target.partition(":")
    assert getattr(importlib.import_module(module_name), attribute) is cli.main


def test_the_command_line_package_offers_main_alone() -> None:
    # its modules are imported by their own names (cli.parser, cli.bird_commands, ...); nothing is re-exported
    assert cli.__all__ == ["main"]


@pytest.mark.subprocess
def test_python_dash_m_runs_the_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: conversation-clients ")
    assert "exit codes: 0 OK" in result.stdout


@pytest.mark.subprocess
def test_missing_subcommand_is_a_usage_error() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "conversation-clients: error: the following arguments are required: {bird,omnichannel,sandbox} "
        "(see 'conversation-clients --help')"
    ]


# -- ``main()`` in-process: arguments, credentials, progress and interruptions, over loopback HTTP ---


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BIRD_ACCESS_KEY", "OMNICHANNEL_TOKEN", "AZURE_CLIENT_SECRET", "AZURE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def bird_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BIRD_ACCESS_KEY", ACCESS_KEY)
    return ACCESS_KEY


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(ERROR_PREFIX)
    return lines[0].removeprefix(ERROR_PREFIX)


def test_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bird", "list", "--help"]) == 0
    out = capsys.readouterr().out
    assert "exit codes: 0 OK" in out and "141 broken pipe" in out and "BIRD_ACCESS_KEY" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("conversation-clients ")


def test_workspace_id_is_required_without_sandbox(capsys: pytest.CaptureFixture[str], bird_key: str) -> None:
    assert main(["bird", "list"]) == ExitCode.USAGE
    assert "--workspace-id is required" in one_error_line(capsys.readouterr().err)


def test_arguments_are_checked_before_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    # No BIRD_ACCESS_KEY: the bad --limit is still what gets reported.
    assert main(["bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", "0"]) == ExitCode.USAGE
    assert one_error_line(capsys.readouterr().err).startswith("--limit must be between 1 and 100")


def test_bad_workspace_id_names_the_flag(capsys: pytest.CaptureFixture[str], bird_key: str) -> None:
    assert main(["bird", "list", "--workspace-id", "not-a-uuid"]) == ExitCode.USAGE
    assert one_error_line(capsys.readouterr().err).startswith("--workspace-id must be a UUID")


def test_plain_http_to_a_real_host_is_refused(capsys: pytest.CaptureFixture[str], bird_key: str) -> None:
    code = main(["bird", "list", "--workspace-id", WORKSPACE_ID, "--base-url", "http://api.bird.com"])
    assert code == ExitCode.USAGE
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith("--base-url: refusing") and ACCESS_KEY not in line


def test_sandbox_refuses_a_base_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bird", "list", "--sandbox", "--base-url", "https://api.bird.com"]) == ExitCode.USAGE
    assert "cannot be combined with --sandbox" in one_error_line(capsys.readouterr().err)


class TerminalStream(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_stays_off_stdout_and_is_cleared(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bird_key: str
) -> None:
    terminal = TerminalStream()
    monkeypatch.setattr(sys, "stderr", terminal)
    server = PagedServer("bird", total=5, page_size=2)
    with serve(server) as base_url:
        assert main(["bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", "2", "--base-url", base_url]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 5 and "\r" not in out
    progress = terminal.getvalue()
    assert "2 pages, 4 conversations" in progress
    assert progress.endswith("\r\x1b[K")  # cleared at the end
    assert "\n" not in progress


def test_no_progress_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str], bird_key: str) -> None:
    server = PagedServer("bird", total=5, page_size=2)
    with serve(server) as base_url:
        assert main(["bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", "2", "--base-url", base_url]) == 0
    assert capsys.readouterr().err == ""


def test_interrupt_mid_listing_exits_130_with_the_token_of_the_unwritten_page(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bird_key: str
) -> None:
    real_write = JsonLinesWriter.write
    calls: list[int] = []

    def write_then_interrupt(self: JsonLinesWriter, items: Any) -> None:
        calls.append(len(items))
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_write(self, items)

    monkeypatch.setattr(JsonLinesWriter, "write", write_then_interrupt)
    server = PagedServer("bird", total=9, page_size=2)
    with serve(server) as base_url:
        code = main(["bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", "2", "--base-url", base_url])
    assert code == 130
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 4
    assert captured.err.splitlines() == [
        ERROR_PREFIX + "interrupted",
        "conversation-clients: resume with: --page-token tok/2+=",
    ]


def test_max_items_stops_fetching(capsys: pytest.CaptureFixture[str], bird_key: str) -> None:
    server = PagedServer("bird", total=50, page_size=2)
    with serve(server) as base_url:
        code = main(
            ["bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", "2", "--max-items", "3", "--base-url", base_url]
        )
    assert code == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert len(server.requests) == 2


def test_max_items_shrinks_the_page_size_when_none_is_given(capsys: pytest.CaptureFixture[str], bird_key: str) -> None:
    server = PagedServer("bird", total=50, page_size=10)
    with serve(server) as base_url:
        assert main(["bird", "list", "--workspace-id", WORKSPACE_ID, "--max-items", "3", "--base-url", base_url]) == 0
    assert server.requests[0].url.params["limit"] == "3"


def test_table_output_has_a_heading_and_aligned_rows(capsys: pytest.CaptureFixture[str], bird_key: str) -> None:
    server = PagedServer("bird", total=3, page_size=2)
    with serve(server) as base_url:
        code = main(
            [
                "bird",
                "list",
                "--workspace-id",
                WORKSPACE_ID,
                "--limit",
                "2",
                "--format",
                "table",
                "--base-url",
                base_url,
            ]
        )
    assert code == 0
    heading, *rows = capsys.readouterr().out.splitlines()
    assert heading.split() == ["ID", "CREATED", "(UTC)", "STATUS", "PLATFORM", "NAME"]
    assert len(rows) == 3
    assert all(row.index("active") == heading.index("STATUS") for row in rows)
    assert rows[0].endswith("Conversation 1")


def test_unexpected_response_body_is_exit_7(capsys: pytest.CaptureFixture[str], bird_key: str) -> None:
    with serve(lambda request: httpx.Response(200, json={"results": 5})) as base_url:
        code = main(["bird", "list", "--workspace-id", WORKSPACE_ID, "--base-url", base_url])
    assert code == ExitCode.INVALID_RESPONSE
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(ERROR_PREFIX + "invalid response from Bird") and "results" in lines[0]
    assert "beginning" in lines[1]


# -- ``--max-items`` keeps prefetch on and still requests no page it will not write ----------------


#: Long enough for a prefetch that should not happen to reach the server if it did.
SETTLE = 0.3


@pytest.fixture
def prefetch_seen(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The ``prefetch`` each client the command builds is given."""
    seen: list[bool] = []

    def recording(original: Callable[..., Any]) -> Callable[..., Any]:
        def build(*args: Any, **kwargs: Any) -> Any:
            seen.append(kwargs["prefetch"])
            return original(*args, **kwargs)

        return build

    # prefetch from the first page, as against a distant server: a loopback one answers too soon
    # for the clients to start it (pagination.PREFETCH_MIN_WAIT), which would make these tests vacuous
    monkeypatch.setattr(_shells, "PREFETCH_MIN_WAIT", 0.0)
    # the clients the commands open (each vendor's command-line declarations import its client
    # from the vendor module when a command runs)
    monkeypatch.setattr(bird_vendor, "BirdClient", recording(BirdClient))
    monkeypatch.setattr(omnichannel_vendor, "OmnichannelClient", recording(OmnichannelClient))
    return seen


@pytest.mark.parametrize(("page_size", "max_items", "requests"), [(2, 4, 2), (2, 5, 3), (3, 1, 1)])
def test_bird_max_items_prefetches_only_the_pages_it_writes(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    prefetch_seen: list[bool],
    page_size: int,
    max_items: int,
    requests: int,
) -> None:
    monkeypatch.setenv("BIRD_ACCESS_KEY", ACCESS_KEY)
    server = PagedServer("bird", total=50, page_size=page_size)
    with serve(server) as base_url:
        argv = ["bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", str(page_size)]
        code = main([*argv, "--max-items", str(max_items), "--base-url", base_url])
        time.sleep(SETTLE)
    assert code == 0
    assert len(capsys.readouterr().out.splitlines()) == max_items
    assert len(server.requests) == requests
    assert prefetch_seen == [True]


def test_omnichannel_max_items_prefetches_only_the_pages_it_writes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, prefetch_seen: list[bool]
) -> None:
    monkeypatch.setenv("OMNICHANNEL_TOKEN", BEARER_TOKEN)
    server = PagedServer("omnichannel", total=50, page_size=4)
    with serve(server) as base_url:
        targets = ["--organization-id", ORGANIZATION_ID, "--channel-id", CHANNEL_ID]
        code = main(["omnichannel", "list", "--base-url", base_url, *targets, "--page-size", "4", "--max-items", "6"])
        time.sleep(SETTLE)
    assert code == 0, capsys.readouterr().err
    assert len(capsys.readouterr().out.splitlines()) == 6
    assert len(server.requests) == 2
    assert prefetch_seen == [True]


# -- The command as a user runs it (``python -m conversation_clients``), against loopback servers ---


BIRD_ENV = {"BIRD_ACCESS_KEY": ACCESS_KEY}


def bird_list(base_url: str, *extra: str) -> list[str]:
    return ["bird", "list", "--workspace-id", WORKSPACE_ID, "--base-url", base_url, *extra]


@pytest.mark.subprocess
def test_limit_out_of_range_is_exit_2_with_one_line() -> None:
    result = run_cli("bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", "500", env=BIRD_ENV)
    assert result.returncode == 2
    assert error_lines(result.stderr) == [
        ERROR_PREFIX + "--limit must be between 1 and 100 (the API's maximum page size), got 500"
    ]
    assert result.stdout == ""


@pytest.mark.subprocess
def test_missing_access_key_is_exit_3() -> None:
    result = run_cli("bird", "list", "--workspace-id", WORKSPACE_ID)
    assert result.returncode == 3
    [line] = error_lines(result.stderr)
    assert "BIRD_ACCESS_KEY" in line


@pytest.mark.subprocess
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


@pytest.mark.subprocess
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


@pytest.mark.subprocess
def test_connection_refused_is_exit_5() -> None:
    result = run_cli(*bird_list(f"http://127.0.0.1:{closed_port()}", "--max-retries", "0"), env=BIRD_ENV)
    assert result.returncode == 5
    lines = error_lines(result.stderr)
    assert lines[0].startswith(ERROR_PREFIX + "cannot reach Bird: ConnectError")


@pytest.mark.subprocess
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


@pytest.mark.subprocess
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


@pytest.mark.subprocess
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


@pytest.mark.subprocess
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
