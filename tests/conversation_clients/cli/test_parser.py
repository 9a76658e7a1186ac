"""The command line, parsed (:mod:`conversation_clients.cli.parser`): a listing's arguments, and a
bad argument as a usage error that names the problem.
"""

from __future__ import annotations

import pytest

from conversation_clients.cli.bird_commands import COMMANDS as BIRD_COMMANDS
from conversation_clients.cli.command_errors import UsageError
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
