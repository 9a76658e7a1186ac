"""The command line's parsed values (:mod:`conversation_clients.cli.parsed_arguments`): a load planned
as its export, an export's target listed as its listing, and each value's place in a listing's call
(:func:`~conversation_clients.cli.parsed_arguments.arguments_by_role`): sandbox values filled in,
required ones present, switches sent only when given, the page size following ``--max-items``.
"""

from __future__ import annotations

import pytest

from conversation_clients.cli.bird_commands import COMMANDS as BIRD_COMMANDS
from conversation_clients.cli.command_errors import UsageError
from conversation_clients.cli.command_options import Role
from conversation_clients.cli.parsed_arguments import ExportArguments, ListArguments, LoadArguments, arguments_by_role
from conversation_clients.cli.parser import list_arguments, parse_arguments
from conversation_clients.cli.sandbox_settings import SandboxSettings

BIRD_LIST = BIRD_COMMANDS.command("list")


def test_a_load_is_parsed_with_its_exports_targets_and_planned_as_that_export() -> None:
    command = parse_arguments(
        ["bird", "load", "--workspace-id", "w1", "--workspace-id", "w2", "--limit", "50", "--duckdb", "x.duckdb"]
    )
    assert isinstance(command, LoadArguments) and command.command == BIRD_LIST
    assert command.values["workspace_id"] == ["w1", "w2"] and command.values["duckdb"] == "x.duckdb"
    export = command.as_export()
    assert isinstance(export, ExportArguments) and export.export is BIRD_LIST.export
    # the vendor's rate limit by default, and the listing's filters not given
    assert (export.rate_per_target, export.rate_overall, export.no_rate_limit) == (None, None, False)
    assert command.values["resource"] is None and command.values["reverse"] is None


def test_an_exports_target_is_listed_as_its_listing_whole_from_the_start() -> None:
    arguments = parse_arguments(
        ["bird", "export", "--workspace-id", "w1", "--workspace-id", "w2", "--limit", "7", "--out", "d", "--reverse"]
    )
    assert isinstance(arguments, ExportArguments)
    listing = arguments.for_target({"workspace_id": "w2"})
    assert isinstance(listing, ListArguments) and listing.command == BIRD_LIST
    assert listing.values["workspace_id"] == "w2"
    assert (listing.values["limit"], listing.values["reverse"]) == (7, True)  # the export's options
    # no item cap, JSON Lines, and no resume token (the checkpoint gives it, per call)
    assert (listing.max_items, listing.output_format, listing.values["page_token"]) == (None, "jsonl", None)


def test_each_value_goes_to_its_role_with_switches_sent_only_when_given() -> None:
    by_role = arguments_by_role(list_arguments(BIRD_LIST, workspace_id="w", base_url="http://127.0.0.1:1"), None)
    assert by_role[Role.LISTING] == {
        "workspace_id": "w", "limit": None, "reverse": None, "resource": None, "page_token": None
    }  # fmt: skip
    assert by_role[Role.BASE_URL] == {"base_url": "http://127.0.0.1:1"}
    given = arguments_by_role(list_arguments(BIRD_LIST, workspace_id="w", reverse=True), None)
    assert given[Role.LISTING]["reverse"] is True


@pytest.mark.parametrize(
    ("limit", "max_items", "sent"), [(None, 3, 3), (None, 500, 100), (20, 3, 20), (None, None, None)]
)
def test_the_page_size_follows_max_items_only_when_not_given(
    limit: int | None, max_items: int | None, sent: int | None
) -> None:
    arguments = list_arguments(BIRD_LIST, workspace_id="w", limit=limit, max_items=max_items)
    assert arguments_by_role(arguments, None)[Role.LISTING]["limit"] == sent


def test_a_required_value_missing_is_a_usage_error_unless_the_sandbox_gives_it() -> None:
    arguments = list_arguments(BIRD_LIST)
    with pytest.raises(UsageError, match=r"^--workspace-id is required \(or use --sandbox to try the embedded demo"):
        arguments_by_role(arguments, None)
    sandbox = SandboxSettings.load()
    assert arguments_by_role(arguments, sandbox)[Role.LISTING]["workspace_id"] == sandbox.workspace_id
    # a value given is kept, with the sandbox too
    given = list_arguments(BIRD_LIST, workspace_id="w")
    assert arguments_by_role(given, sandbox)[Role.LISTING]["workspace_id"] == "w"


def test_a_repr_names_the_command_by_its_words() -> None:
    assert repr(list_arguments(BIRD_LIST, workspace_id="w")).startswith("ListArguments(command=<bird list>, values=")
