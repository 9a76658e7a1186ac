"""The console script and ``python -m conversation_clients`` both reach :func:`cli.main`."""

from __future__ import annotations

import importlib
import tomllib

from conversation_clients import cli
from tests.cli.helpers import ROOT, run_cli


def test_console_script_is_declared_and_resolves_to_main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    target = project["scripts"]["conversation-clients"]
    module_name, _, attribute = target.partition(":")
    assert getattr(importlib.import_module(module_name), attribute) is cli.main


def test_the_command_line_package_offers_main_alone() -> None:
    # its modules are imported by their own names (cli.parser, cli.bird, ...); nothing is re-exported
    assert cli.__all__ == ["main"]


def test_python_dash_m_runs_the_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: conversation-clients ")
    assert "exit status:" in result.stdout


def test_missing_subcommand_is_a_usage_error() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "conversation-clients: error: the following arguments are required: {bird,omnichannel,sandbox} "
        "(see 'conversation-clients --help')"
    ]
