"""The words of ``--help`` (:mod:`conversation_clients.cli.help_text`): every command's help is
plain text that fits 80 columns, names its own vendor's environment variables and resume option
only, and ends with the exit codes in one summary, not their table.
"""

from __future__ import annotations

import re

import pytest

from conversation_clients.cli import main
from conversation_clients.cli.command_registry import command_groups
from conversation_clients.cli.commands import CommandGroup
from conversation_clients.cli.exit_codes import EXIT_CODE_MEANINGS, exit_code_summary
from conversation_clients.cli.help_text import covered

GROUPS = command_groups()
#: Every command line that ends in --help: the whole command, each vendor, each of its commands, the sandbox.
EVERY_HELP = [
    [],
    *([group.name] for group in GROUPS),
    *([command.vendor, name] for command, name in covered(GROUPS)),
    ["sandbox"],
    ["sandbox", "serve"],
]
#: reST and Markdown markup: literals and code, roles, emphasis, links, directives.
MARKUP = re.compile(r"`|:(?:class|mod|func|meth|attr|data|exc|obj):|\*\*|\]\(|^\s*\.\. ", re.MULTILINE)


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main([*argv, "--help"]) == 0
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def terminal_of_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # the width argparse lays the help out for


@pytest.mark.parametrize("argv", EVERY_HELP, ids=lambda argv: " ".join(argv) or "(top)")
def test_every_help_is_plain_text_within_80_columns(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(argv, capsys)
    assert MARKUP.findall(text) == []
    assert [line for line in text.splitlines() if len(line) > 80] == []


@pytest.mark.parametrize("argv", EVERY_HELP, ids=lambda argv: " ".join(argv) or "(top)")
def test_every_help_ends_with_the_exit_codes_summarized_not_tabled(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_of(argv, capsys)
    assert exit_code_summary() in " ".join(text.split())  # wrapped, word for word
    assert [meaning for meaning in EXIT_CODE_MEANINGS.values() if meaning in text] == []


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.name)
def test_a_vendors_help_names_its_own_variables_and_resume_option_only(
    group: CommandGroup, capsys: pytest.CaptureFixture[str]
) -> None:
    others = [other for other in GROUPS if other is not group]
    theirs = {name for other in others for command in other.commands for name in command.credentials.secret_variables}
    their_flags = {command.resume_option.flag for other in others for command in other.commands}
    their_flags -= {command.resume_option.flag for command in group.commands}
    for argv in [[group.name], *([command.vendor, name] for command, name in covered([group]))]:
        text = help_of(argv, capsys)
        assert group.commands[0].credentials.secret_variables[0] in text
        assert [name for name in theirs if name in text] == []
        assert [flag for flag in their_flags if flag in text] == []


def test_an_exports_help_says_it_resumes_from_its_checkpoint_not_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    for command, name in covered(GROUPS):
        text = help_of([command.vendor, name], capsys)
        is_export = command.export is not None and name == command.export.name
        assert ("resume with:" in text) is not is_export
        assert ("the same command run again goes on where each target stopped" in " ".join(text.split())) is is_export


def test_the_top_level_help_names_every_vendors_variables(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of([], capsys)
    for group in GROUPS:
        assert group.commands[0].credentials.secret_variables[0] in text
        assert group.commands[0].resume_option.flag in text
