"""The command's console (:mod:`conversation_clients.cli.console`): progress shown in place on a
terminal only and cleared before an error line, no secret in what it prints, and ``list``'s JSON
Lines holding each item exactly as the server sent it.
"""

from __future__ import annotations

import io

import pytest

from conversation_clients import errors
from conversation_clients.cli import main
from conversation_clients.cli.console import Console
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.loopback import serve
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_CHANNEL_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
)
from tests.support import as_sent

#: The listing command's target flags, by vendor.
TARGET_ARGS = {
    "bird": ["--workspace-id", SANDBOX_WORKSPACE_ID],
    "omnichannel": ["--organization-id", SANDBOX_ORGANIZATION_ID, "--channel-id", SANDBOX_CHANNEL_ID],
}


class TestConsoleSecrets:
    def test_console_scrubs_what_it_prints(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=["s3cr3t-value"], show_progress=False)
        code = console.fail(errors.AuthenticationError(status_code=401, message="key s3cr3t-value is invalid"))
        assert code == ExitCode.CREDENTIALS
        assert "s3cr3t-value" not in stream.getvalue()
        assert stream.getvalue().count("\n") == 1


class TestProgress:
    def test_shown_in_place_and_cleared_on_a_terminal(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=[], show_progress=True)
        console.progress(1, 10)
        console.progress(2, 20)
        console.clear_progress()
        text = stream.getvalue()
        assert "\n" not in text
        assert text.count("\r") == 3
        assert text.endswith("\r\x1b[K")
        assert "2 pages, 20 conversations" in text

    def test_not_shown_elsewhere(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=[], show_progress=False)
        console.progress(1, 10)
        console.clear_progress()
        assert stream.getvalue() == ""

    def test_an_error_line_clears_the_progress_first(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=[], show_progress=True)
        console.progress(1, 10)
        console.line("error: boom")
        assert stream.getvalue().endswith("\r\x1b[Kconversation-clients: error: boom\n")


class TestResumeHintAfterFailure:
    def test_a_listing_cut_short_says_how_to_resume(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=[], show_progress=False)
        console.fail(errors.ServerError(status_code=503, message="later"), resume=("--page-token", "t2"))
        assert stream.getvalue().splitlines()[1] == "conversation-clients: resume with: --page-token t2"

    def test_none_after_a_404_whose_id_is_unknown(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=[], show_progress=False)
        code = console.fail(errors.NotFoundError(status_code=404, message="not found"), resume=("--page-token", None))
        assert code == ExitCode.API_ERROR
        assert stream.getvalue().count("\n") == 1 and "resume" not in stream.getvalue()


# -- Issue 20: items leave as they came ----------------------------------------------------------


@pytest.mark.loopback
@pytest.mark.parametrize("vendor", ["bird", "omnichannel"])
def test_list_jsonl_writes_each_item_exactly_as_the_server_sent_it(
    vendor: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIRD_ACCESS_KEY", SANDBOX_BIRD_ACCESS_KEY)
    monkeypatch.setenv("OMNICHANNEL_TOKEN", SANDBOX_OMNICHANNEL_TOKEN)
    with serve(as_sent.handler(vendor)) as base_url:
        code = main([vendor, "list", *TARGET_ARGS[vendor], "--base-url", base_url, "--format", "jsonl"])
    out = capsys.readouterr().out
    assert code == 0
    # the date-time's text, not to_dict()'s "2025-06-02T09:26:41.906000+00:00"
    assert out.count(f'"{as_sent.SENT_AT}"') == as_sent.COUNT * (2 if vendor == "bird" else 1)
    # every key in its place (the unknown one in the middle, not first) and every value as sent
    assert [as_sent.pairs(line) for line in out.splitlines()] == list(map(as_sent.as_sent, as_sent.sent_items(vendor)))
