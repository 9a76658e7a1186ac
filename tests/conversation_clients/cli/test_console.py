"""The command's console (:mod:`conversation_clients.cli.console`): progress shown in place on a
terminal only and cleared before an error line, and no secret in what it prints.
"""

from __future__ import annotations

import io

from conversation_clients import errors
from conversation_clients.cli.console import Console
from conversation_clients.cli.exit_codes import ExitCode


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
