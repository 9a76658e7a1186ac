"""The demo's warehouse half (``nox -s demo``, issue 21): both vendors loaded from the sandbox by
the command line, as the session runs them, then ``scripts/demo_query.py``'s SQL over the file.

The query names the tables and columns the loads write, so a change to either that breaks the
demo fails here rather than on a user's first run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.warehouse import DLT_TEST_SETTINGS

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.subprocess


def _run(*arguments: str, cwd: Path) -> str:
    environment = {**os.environ, **DLT_TEST_SETTINGS}
    result = subprocess.run(
        [sys.executable, *arguments], cwd=cwd, env=environment, capture_output=True, text=True, timeout=240, check=False
    )
    assert result.returncode == 0, f"{arguments} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_demo_loads_both_vendors_and_its_query_reads_them(tmp_path: Path) -> None:
    where = ["--duckdb", str(tmp_path / "conversation_clients.duckdb"), "--pipelines-dir", str(tmp_path / "pipelines")]
    for vendor in ("bird", "omnichannel"):
        _run("-m", "conversation_clients", vendor, "load", "--sandbox", *where, cwd=tmp_path)
    shown = _run(str(ROOT / "scripts" / "demo_query.py"), str(tmp_path / "conversation_clients.duckdb"), cwd=tmp_path)
    rows = [line for line in shown.splitlines() if line.startswith("│")]
    vendors = {line.split("│")[1].strip() for line in rows}
    assert {"bird", "omnichannel"} <= vendors, shown
