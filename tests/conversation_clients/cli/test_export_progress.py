"""An export's progress (:mod:`conversation_clients.cli.export_progress`): the live table of
targets and the total on a terminal, each row on one line of 80 columns with its target's id whole,
and rich loaded for it only.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import uuid
from pathlib import Path

import pytest

from conversation_clients import errors
from conversation_clients.cli.command_errors import UnknownTargetError
from conversation_clients.cli.console import Console
from conversation_clients.cli.export import run_export
from conversation_clients.cli.export_progress import ExportProgress, live_display, summary_lines
from conversation_clients.cli.parsed_arguments import ExportArguments
from conversation_clients.cli.parser import parse_arguments
from conversation_clients.cli.wording import Target
from conversation_clients.sandbox import (
    Sandbox,
)
from tests.support.command_line import cli_command, cli_env
from tests.support.export_runs import WORKSPACES, bird_export, served

#: A control sequence rich writes to a terminal (colours, the cursor).
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: A row of the live table: the target, its pages, items, items a second and errors, its state.
ROW = r"{target}  +\d+  +\d+  +\d+  +\d+  (done|listing|failed) *"


def drawn_lines(drawn: str) -> list[str]:
    """What a terminal shows of ``drawn``, line by line (the control sequences taken out)."""
    return [line for line in re.split(r"[\r\n]", CONTROL.sub("", drawn)) if line.strip()]


def test_on_a_terminal_of_80_columns_a_live_table_shows_each_target_and_the_total_on_a_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bird_key: None
) -> None:
    out = tmp_path / ("a-long-directory-name-for-the-exports-of-this-quarter" * 3) / "bird"
    sandbox = Sandbox(workspaces=WORKSPACES[:2], conversations_per_workspace=10)
    with served(sandbox) as (base_url, _):
        arguments = parse_arguments(bird_export(base_url, out, workspaces=WORKSPACES[:2]))
        assert isinstance(arguments, ExportArguments)
        monkeypatch.setenv("COLUMNS", "80")  # the width rich draws for
        terminal, summary = io.StringIO(), io.StringIO()
        code = run_export(arguments, os.environ, Console(summary, secrets=[], show_progress=True), live=terminal)
    assert code == 0
    drawn = terminal.getvalue()
    assert "\x1b[" in drawn  # drawn for a terminal (rich, forced)
    lines = drawn_lines(drawn)
    assert [line for line in lines if len(line) > 80] == []
    assert any(line.split() == ["target", "pages", "items", "items/s", "errors", "state"] for line in lines)
    for target in (*WORKSPACES[:2], "total"):  # each workspace's id whole, its counts and state on its line
        assert any(re.fullmatch(ROW.format(target=target), line) for line in lines), target
    assert summary.getvalue().startswith("conversation-clients: export: 2 of 2 targets finished")


def test_channels_of_one_organization_are_shown_by_their_ids_within_80_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    organization = "3f2c9a1e-8b7d-4c6e-a5f4-0d1e2c3b4a59"
    channels = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"channel/{n}")) for n in range(5)]  # random-looking, fixed
    files = [f"omnichannel-{organization}-{channel}.jsonl" for channel in channels]  # 91 characters each
    clock = iter([0.0, *[12.5] * 100])
    progress = ExportProgress.of(files, finished_before={files[0]}, clock=lambda: next(clock))
    for index, file in enumerate(files[1:]):
        for _ in range(1000 + index):
            progress.page_written(file, 250, finished=False)
    progress.failed(files[-1], errors.ServerError(status_code=503, message="later"))
    monkeypatch.setenv("COLUMNS", "80")
    terminal = io.StringIO()
    with live_display(progress, terminal, "conversation"):
        pass
    lines = drawn_lines(terminal.getvalue())
    assert [line for line in lines if len(line) > 80] == []
    for channel in channels:
        assert any(re.fullmatch(ROW.format(target=channel), line) for line in lines), channel
    assert any(organization in line for line in lines)  # said once, above the rows
    assert any(re.fullmatch(ROW.format(target="total"), line) for line in lines)


@pytest.mark.subprocess
def test_rich_is_loaded_by_an_export_on_a_terminal_only(tmp_path: Path) -> None:
    # httpx imports its own command line (httpx._main, which imports rich) when click is installed,
    # as it is wherever dlt is (the test sessions install the dlt extra), though not in a plain
    # install of this package: a stand-in for httpx._main keeps that rich out of the count.
    script = (
        "import sys, types; stand_in = types.ModuleType('httpx._main'); stand_in.main = lambda: None; "
        "sys.modules['httpx._main'] = stand_in; "
        "from conversation_clients.cli import main; "
        "codes = [main(['bird', 'list', '--sandbox', '--max-items', '1']), "
        f"main(['bird', 'export', '--sandbox', '--out', {str(tmp_path)!r}])]; "
        "print(codes, 'rich' in sys.modules)"
    )
    result = subprocess.run(
        [*cli_command()[:1], "-c", script], env=cli_env(), capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.splitlines()[-1] == "[0, 0] False", result.stderr  # stderr is a pipe here


def test_the_summary_advises_a_rerun_only_when_one_can_help() -> None:
    progress = ExportProgress.of(["a.jsonl", "b.jsonl", "c.jsonl"], finished_before={"a.jsonl"}, clock=lambda: 0.0)
    not_found = errors.NotFoundError(status_code=404, message="workspace not found")
    progress.failed("b.jsonl", UnknownTargetError("workspace b", 1, not_found))
    progress.failed("c.jsonl", UnknownTargetError("workspace c", 1, not_found))
    bird = Target("Bird", "BIRD_ACCESS_KEY", "--page-token")
    lines = summary_lines(progress, "out", bird, interrupted=False)
    assert lines[1] == (
        "not finished: b.jsonl (workspace b not found (404): check the id (Bird said: 404 Not Found: workspace not found))"
    )
    assert not any(line.startswith("run the same command") for line in lines)
    progress.failed("c.jsonl", errors.ServerError(status_code=503, message="later"))
    lines = summary_lines(progress, "out", bird, interrupted=False)
    assert lines[-1] == "run the same command again to go on where each target stopped"
