"""``main()`` in-process: arguments, credentials, progress and interruptions, over loopback HTTP."""

from __future__ import annotations

import io
import json
import sys
import types
from typing import Any

import httpx
import pytest

from conversation_clients.cli import credentials, main
from conversation_clients.cli.console import JsonLinesWriter
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.loopback import serve
from tests.cli.helpers import (
    ACCESS_KEY,
    BEARER_TOKEN,
    CHANNEL_ID,
    ERROR_PREFIX,
    ORGANIZATION_ID,
    WORKSPACE_ID,
    PagedServer,
)


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
    assert "exit status:" in out and "141" in out and "BIRD_ACCESS_KEY" in out


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


def test_unusable_key_is_a_credentials_error_that_hides_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIRD_ACCESS_KEY", "secret-part other-part")
    assert main(["bird", "list", "--workspace-id", WORKSPACE_ID]) == ExitCode.CREDENTIALS
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith("BIRD_ACCESS_KEY contains whitespace")
    assert "secret-part" not in line


def test_sandbox_refuses_a_base_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bird", "list", "--sandbox", "--base-url", "https://api.bird.com"]) == ExitCode.USAGE
    assert "cannot be combined with --sandbox" in one_error_line(capsys.readouterr().err)


def test_omnichannel_needs_a_token_source(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "load_azure_identity", lambda: None)
    argv = [
        "omnichannel",
        "list",
        "--base-url",
        "https://example.com",
        "--organization-id",
        ORGANIZATION_ID,
        "--channel-id",
        CHANNEL_ID,
    ]
    assert main(argv) == ExitCode.CREDENTIALS
    assert "OMNICHANNEL_TOKEN" in one_error_line(capsys.readouterr().err)


def test_omnichannel_token_with_scope_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNICHANNEL_TOKEN", BEARER_TOKEN)
    argv = [
        "omnichannel", "list", "--base-url", "https://example.com", "--organization-id", ORGANIZATION_ID,
        "--channel-id", CHANNEL_ID, "--scope", "https://org-c.crm.dynamics.com/.default",
    ]  # fmt: skip
    assert main(argv) == ExitCode.USAGE
    line = one_error_line(capsys.readouterr().err)
    assert "--scope" in line and BEARER_TOKEN not in line


class FakeAccessToken:
    def __init__(self, token: str) -> None:
        self.token = token
        self.expires_on = 4_000_000_000


def fake_azure_identity(behaviour: str) -> types.ModuleType:
    """A stand-in for ``azure.identity`` whose EnvironmentCredential succeeds or fails."""

    class EnvironmentCredential:
        scopes_asked: list[tuple[str, ...]] = []
        closed = False

        def get_token(self, *scopes: str) -> FakeAccessToken:
            EnvironmentCredential.scopes_asked.append(scopes)
            if behaviour == "fail":
                raise RuntimeError(
                    "EnvironmentCredential authentication unavailable. Environment variables are not fully configured.\nVisit https://aka.ms"
                )
            return FakeAccessToken(BEARER_TOKEN)

        def close(self) -> None:
            EnvironmentCredential.closed = True

    module = types.ModuleType("azure.identity")
    module.EnvironmentCredential = EnvironmentCredential  # type: ignore[attr-defined]
    return module


def omni_argv(base_url: str, *extra: str) -> list[str]:
    return [
        "omnichannel", "list", "--base-url", base_url, "--organization-id", ORGANIZATION_ID,
        "--channel-id", CHANNEL_ID, *extra,
    ]  # fmt: skip


def test_azure_identity_credential_is_used_with_the_scope(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = fake_azure_identity("succeed")
    monkeypatch.setitem(sys.modules, "azure.identity", identity)
    server = PagedServer("omnichannel", total=3, page_size=2, credential=f"Bearer {BEARER_TOKEN}")
    scope = "https://org-c.crm.dynamics.com/.default"
    with serve(server) as base_url:
        assert main(omni_argv(base_url, "--scope", scope)) == ExitCode.OK
    captured = capsys.readouterr()
    assert [json.loads(line)["conversationid"][-1] for line in captured.out.splitlines()] == ["1", "2", "3"]
    assert identity.EnvironmentCredential.scopes_asked[0] == (scope,)
    assert identity.EnvironmentCredential.closed
    assert captured.err == ""


def test_azure_identity_failure_is_a_credentials_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "azure.identity", fake_azure_identity("fail"))
    server = PagedServer("omnichannel", total=3, page_size=2)
    with serve(server) as base_url:
        code = main(omni_argv(base_url, "--scope", "https://org-c.crm.dynamics.com/.default"))
    assert code == ExitCode.CREDENTIALS
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (
        ERROR_PREFIX + "no token from EnvironmentCredential: RuntimeError: EnvironmentCredential authentication "
        "unavailable. Environment variables are not fully configured."
    )
    assert lines[1:] == [
        "conversation-clients: nothing to resume from: the listing stopped at its first page, so it can be restarted from the beginning"
    ]
    assert server.requests == []


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
