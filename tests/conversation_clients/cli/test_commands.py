"""Listing commands declared as data (:mod:`conversation_clients.cli.commands`): the parser and the
one runner read the declarations (a new listing is one more), the options declared and derived
reach the operation, and a declaration holds its operation's parameters and one resume option.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import typing
import uuid
from typing import Any

import pytest

from conversation_clients._operations.bird_conversations import (
    LIST_CONVERSATIONS_MAX_PAGE_SIZE,
    list_conversations_listing,
)
from conversation_clients.bird import BIRD_BASE_URL, BirdClient
from conversation_clients.cli import main
from conversation_clients.cli.bird_commands import BIRD_CONVERSATIONS, open_bird_client
from conversation_clients.cli.bird_commands import COMMANDS as BIRD_COMMANDS
from conversation_clients.cli.command_options import Option, Role
from conversation_clients.cli.command_registry import command_groups
from conversation_clients.cli.commands import CommandGroup, ListCommand
from conversation_clients.cli.credential_sources import AccessKeyFromEnvironment
from conversation_clients.cli.omnichannel_commands import COMMANDS as OMNICHANNEL_COMMANDS
from conversation_clients.cli.parser import build_parser, list_arguments
from conversation_clients.cli.tables import Field, item_table
from conversation_clients.cli.values import integer
from conversation_clients.loopback import serve
from conversation_clients.omnichannel import OmnichannelClient
from tests.support.command_line import ACCESS_KEY, ERROR_PREFIX, WORKSPACE_ID, PagedServer

COMMAND_GROUPS = command_groups()
CLIENT_CLASSES = {"BirdClient": BirdClient, "OmnichannelClient": OmnichannelClient}
LIST_COMMANDS = tuple(command for group in COMMAND_GROUPS for command in group.commands)
BIRD_LIST = BIRD_COMMANDS.command("list")
OMNICHANNEL_LIST = OMNICHANNEL_COMMANDS.command("list")
# A listing the package does not have: Bird's conversations under another name, with two columns
# of its own, to show that a new command is a declaration and nothing else. --reverse, --resource
# and --page-token are not declared: they come from the operation's parameters.
THINGS = ListCommand(
    vendor="bird",
    name="things",
    vendor_title="Bird",
    help="list a workspace's things",
    description="List things.",
    options=(
        Option("--workspace-id", "the workspace", metavar="ID", required=True),
        Option("--limit", "page size", metavar="N", parse=integer, page_size_up_to=LIST_CONVERSATIONS_MAX_PAGE_SIZE),
        Option("--base-url", "API base URL", metavar="URL", role=Role.BASE_URL, refused_with_sandbox=True),
    ),
    check=list_conversations_listing,
    method="list_conversations",
    open_client=open_bird_client,
    credentials=AccessKeyFromEnvironment("BIRD_ACCESS_KEY", "a Bird access key"),
    table=item_table(
        Field("THING", 40, lambda thing: thing.name),
        Field("ID", 36, lambda thing: str(thing.id)),
    ),
    noun="thing",
    default_base_url=BIRD_BASE_URL,
)
GROUPS = (CommandGroup("bird", "Bird Conversations API", (*COMMAND_GROUPS[0].commands, THINGS)), *COMMAND_GROUPS[1:])


@pytest.fixture
def bird_key(monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("BIRD_ACCESS_KEY", "OMNICHANNEL_TOKEN", "AZURE_CLIENT_SECRET", "AZURE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BIRD_ACCESS_KEY", ACCESS_KEY)
    return ACCESS_KEY


def test_a_declared_command_is_parsed_listed_and_tabled_by_the_generic_runner(
    capsys: pytest.CaptureFixture[str], bird_key: str
) -> None:
    server = PagedServer("bird", total=5, page_size=2)
    with serve(server) as base_url:
        argv = [
            "bird",
            "things",
            "--workspace-id",
            WORKSPACE_ID,
            "--max-items",
            "3",
            "--format",
            "table",
            "--base-url",
            base_url,
        ]
        assert main(argv, groups=GROUPS) == 0
    heading, *rows = capsys.readouterr().out.splitlines()
    assert heading.split() == ["THING", "ID"]
    assert rows == [f"Conversation {n}".ljust(40) + "  " + str(uuid.UUID(int=n)) for n in (1, 2, 3)]
    # the page size rule (from page_size_up_to); the server's pages hold 2, so 2 requests for 3 items
    assert [request.url.params["limit"] for request in server.requests] == ["3", "3"]


def test_a_declared_command_reports_failures_with_its_own_resume_flag(
    capsys: pytest.CaptureFixture[str], bird_key: str
) -> None:
    # a 409, not a 404: after a 404 no resume hint is given (the id is unknown: resuming cannot help)
    server = PagedServer("bird", total=5, page_size=2, fail_page=1, fail_status=409)
    with serve(server) as base_url:
        code = main(
            ["bird", "things", "--workspace-id", WORKSPACE_ID, "--limit", "2", "--base-url", base_url], groups=GROUPS
        )
    assert code == 6
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(ERROR_PREFIX + "Bird API error: 409")
    assert err[1:] == ["conversation-clients: resume with: --page-token tok/1+="]


def test_a_declared_command_has_its_options_and_the_derived_ones_in_order_and_its_noun_in_help() -> None:
    parser = build_parser(GROUPS)
    group_help = _help(parser, ["bird", "--help"])
    assert ",things}" in group_help
    assert any(line.split() == ["things", "list", "a", "workspace's", "things"] for line in group_help.splitlines())
    text = _help(parser, ["bird", "things", "--help"])
    # derived options follow the option of the parameter before them in the operation's signature
    order = [
        "--workspace-id ID",
        "--limit N",
        "--reverse",
        "--resource TEXT",
        "--page-token T",
        "--base-url URL",
        "--max-items N",
    ]
    assert [text.index(option) for option in order] == sorted(text.index(option) for option in order)
    assert "stop after N things" in text


def test_derived_options_reach_the_operation(capsys: pytest.CaptureFixture[str], bird_key: str) -> None:
    server = PagedServer("bird", total=1, page_size=2)
    with serve(server) as base_url:
        argv = [
            "bird",
            "things",
            "--workspace-id",
            WORKSPACE_ID,
            "--reverse",
            "--resource",
            "task:1",
            "--base-url",
            base_url,
        ]
        assert main(argv, groups=GROUPS) == 0
    assert dict(server.requests[0].url.params) == {"reverse": "true", "resource": "task:1"}
    assert main(["bird", "things", "--workspace-id", WORKSPACE_ID, "--resource", "r" * 61], groups=GROUPS) == 2
    assert capsys.readouterr().err.endswith(ERROR_PREFIX + "--resource must be 1 to 60 characters, got 61\n")


def test_a_declared_command_checks_its_arguments_naming_its_flags(
    capsys: pytest.CaptureFixture[str], bird_key: str
) -> None:
    assert main(["bird", "things", "--workspace-id", "nope"], groups=GROUPS) == 2
    assert capsys.readouterr().err == ERROR_PREFIX + "--workspace-id must be a UUID, got 'nope'\n"
    assert main(["bird", "things"], groups=GROUPS) == 2
    assert "--workspace-id is required" in capsys.readouterr().err


def _help(parser: Any, argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        parser.parse_args(argv)
    return out.getvalue()


@pytest.mark.parametrize("command", LIST_COMMANDS, ids=lambda command: f"{command.vendor} {command.name}")
def test_every_declared_option_is_a_parameter_of_the_operation_and_back(command: ListCommand) -> None:
    """A declared option renamed in the operation shows up here, not as a TypeError at run time."""
    declared = {option.parameter for option in command.options if option.role in (Role.LISTING, Role.CLIENT)}
    operation = {role: {o.parameter for o in command.all_options if o.role is role} for role in Role}
    check = set(inspect.signature(command.check).parameters)
    assert declared <= check
    assert check == operation[Role.LISTING] | operation[Role.CLIENT]
    # a declaration imports its client when a command runs (never for --help): named here to read the annotation
    client_class = typing.get_type_hints(command.open_client, localns=CLIENT_CLASSES)["return"]
    method = set(inspect.signature(getattr(client_class, command.method)).parameters) - {"self"}
    # the ids a client holds (Omnichannel's organization and channel) may also be given per call;
    # max_items is every listing method's, fed by --max-items
    assert method - operation[Role.CLIENT] - {"max_items"} == operation[Role.LISTING]
    held = set(inspect.signature(client_class).parameters)
    assert operation[Role.CLIENT] <= held


@pytest.mark.parametrize(
    "command", [BIRD_LIST, OMNICHANNEL_LIST], ids=lambda command: f"{command.vendor} {command.name}"
)
def test_the_conversation_listings_declare_every_option_their_help_describes(command: ListCommand) -> None:
    assert command.all_options == command.options


def test_a_command_resumes_from_exactly_one_option() -> None:
    with pytest.raises(ValueError, match="exactly one option resumes"):
        ListCommand(
            vendor="x", name="list", vendor_title="X", help="", description="",
            options=(
                Option("--base-url", "", role=Role.BASE_URL),
                Option("--page-token", "", resumes=True),
                Option("--from-token", "", resumes=True),
            ),
            check=list_conversations_listing, method="list", open_client=open_bird_client,
            credentials=AccessKeyFromEnvironment("X_KEY", "a key"), table=BIRD_CONVERSATIONS,
        )  # fmt: skip


def test_list_arguments_fills_defaults_and_refuses_unknown_options() -> None:
    arguments = list_arguments(BIRD_LIST, workspace_id="w")
    assert (arguments.max_items, arguments.output_format, arguments.max_retries) == (None, "jsonl", 2)
    with pytest.raises(TypeError, match="no option channel_id"):
        list_arguments(BIRD_LIST, channel_id="c")
