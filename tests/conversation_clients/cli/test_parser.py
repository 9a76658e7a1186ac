"""The command line, parsed (:mod:`conversation_clients.cli.parser`): a listing's arguments, and a
bad argument as a usage error that names the problem.

The parsed values themselves are ``test_parsed_arguments.py``'s; each command's sub-parser
(an export's, a load's) ``test_command_parsers.py``'s.
"""

from __future__ import annotations

from typing import cast

import pytest

from conversation_clients.cli.bird_commands import COMMANDS as BIRD_COMMANDS
from conversation_clients.cli.command_errors import UsageError
from conversation_clients.cli.command_registry import command_groups
from conversation_clients.cli.parsed_arguments import ExportArguments, ListArguments, LoadArguments, SandboxServe
from conversation_clients.cli.parser import list_arguments, parse_arguments

BIRD_LIST = BIRD_COMMANDS.command("list")


class TestArguments:
    def test_bird_list_parsed(self) -> None:
        command = parse_arguments(
            [
                "bird",
                "list",
                "--workspace-id",
                "w",
                "--limit",
                "5",
                "--reverse",
                "--format",
                "table",
                "--max-items",
                "9",
            ]
        )
        assert command == list_arguments(
            BIRD_LIST,
            workspace_id="w", limit=5, max_items=9, reverse=True, resource=None, page_token=None,
            base_url=None, sandbox=False, output_format="table", max_retries=2,
        )  # fmt: skip

    @pytest.mark.parametrize(
        ("argv", "needle"),
        [
            (["bird", "list", "--limit", "ten"], "--limit"),
            (["bird", "list", "--max-items", "0"], "--max-items"),
            (["bird", "list", "--format", "xml"], "--format"),
            (["bird"], "required"),
            (["omnichannel", "list", "--organization-id", "not-a-guid"], "--organization-id"),
            (["omnichannel", "list", "--since", "2025-04-15T12:00:00"], "timezone"),
            (["sandbox", "serve", "--port", "-1"], "--port"),
            (["bird", "list", "--unknown"], "unrecognized"),
        ],
    )
    def test_bad_arguments_are_usage_errors_naming_the_problem(self, argv: list[str], needle: str) -> None:
        with pytest.raises(UsageError, match=needle) as caught:
            parse_arguments(argv)
        assert "--help" in str(caught.value)

    @pytest.mark.parametrize(
        ("argv", "kind", "listing"),
        [
            (["bird", "list"], ListArguments, "list"),
            (["bird", "messages"], ListArguments, "messages"),
            (["bird", "export", "--out", "d"], ExportArguments, "list"),
            (["bird", "load"], LoadArguments, "list"),
            (["omnichannel", "export", "--out", "d"], ExportArguments, "list"),
        ],
    )
    def test_the_words_pick_the_command_and_its_kind_of_values(self, argv: list[str], kind: type, listing: str) -> None:
        command = parse_arguments(argv)
        assert isinstance(command, kind) and not isinstance(command, SandboxServe)
        # an export or a load is of its listing's declaration
        assert (command.command.vendor, command.command.name) == (argv[0], listing)

    def test_sandbox_serve_is_its_host_and_port(self) -> None:
        assert parse_arguments(["sandbox", "serve", "--host", "::1"]) == SandboxServe(host="::1", port=0)


def _id_options() -> list[tuple[list[str], str]]:
    """Each id option of each registered command, as its words before the option and the option's dest:
    in each listing, and in its export and load when the option is one of their targets."""
    found: list[tuple[list[str], str]] = []
    for group in command_groups():
        for command in group.commands:
            for option in command.all_options:
                if not option.parameter.endswith("_id"):
                    continue
                found.append(([group.name, command.name, option.flag], option.dest))
                export = command.export
                if export is not None and option.flag in export.targets:
                    found.append(([group.name, export.name, "--out", "d", option.flag], option.dest))
                    if export.load is not None:
                        found.append(([group.name, "load", option.flag], option.dest))
    return found


ID_OPTIONS = _id_options()


@pytest.mark.parametrize(("words", "dest"), ID_OPTIONS, ids=[" ".join(words) for words, _ in ID_OPTIONS])
def test_every_id_option_is_parsed_into_one_spelling(words: list[str], dest: str) -> None:
    # blanks around it dropped, a UUID in lower case: what the listing sends and the export names its files by
    command = parse_arguments([*words, " {5A3D1B0E-7C2F-4E8A-9B61-0D4C2E8F1A01}\t"])
    assert not isinstance(command, SandboxServe)
    value: object = command.values[dest]
    # a list for an export's or a load's repeated target
    spelled = [str(one) for one in cast("list[object]", value)] if isinstance(value, list) else [str(value)]
    assert spelled == ["5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"]
