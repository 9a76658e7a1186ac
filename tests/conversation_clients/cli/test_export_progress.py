"""An export's progress (:mod:`conversation_clients.cli.export_progress`): the live table of
targets and the total on a terminal, and rich loaded for it only.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

from conversation_clients.cli.console import Console
from conversation_clients.cli.export import run_export
from conversation_clients.cli.parser import ExportArguments, parse_arguments
from conversation_clients.sandbox import (
    Sandbox,
)
from tests.support.command_line import cli_command, cli_env
from tests.support.export_runs import WORKSPACES, bird_export, bird_file, served


def test_on_a_terminal_a_live_table_shows_each_target_and_the_total(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bird_key: None
) -> None:
    sandbox = Sandbox(workspaces=WORKSPACES[:2], conversations_per_workspace=10)
    with served(sandbox) as (base_url, _):
        arguments = parse_arguments(bird_export(base_url, tmp_path, workspaces=WORKSPACES[:2]))
        assert isinstance(arguments, ExportArguments)
        monkeypatch.setenv("COLUMNS", "160")  # the width rich draws for
        terminal, summary = io.StringIO(), io.StringIO()
        code = run_export(arguments, os.environ, Console(summary, secrets=[], show_progress=True), live=terminal)
    assert code == 0
    drawn = terminal.getvalue()
    assert "\x1b[" in drawn  # drawn for a terminal (rich, forced)
    for text in ("pages", "conversations/s", "errors", "total", bird_file(WORKSPACES[0]), bird_file(WORKSPACES[1])):
        assert text in drawn
    assert summary.getvalue().startswith("conversation-clients: export: 2 of 2 targets finished")


@pytest.mark.subprocess
def test_rich_is_loaded_by_an_export_on_a_terminal_only(tmp_path: Path) -> None:
    script = (
        "import sys; from conversation_clients.cli import main; "
        "codes = [main(['bird', 'list', '--sandbox', '--max-items', '1']), "
        f"main(['bird', 'export', '--sandbox', '--out', {str(tmp_path)!r}])]; "
        "print(codes, 'rich' in sys.modules)"
    )
    result = subprocess.run(
        [*cli_command()[:1], "-c", script], env=cli_env(), capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.splitlines()[-1] == "[0, 0] False", result.stderr  # stderr is a pipe here
