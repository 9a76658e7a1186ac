"""The command line, parsed: the whole command's argparse parser, built from the declared commands,
and :func:`parse_arguments`, which turns a command line into its parsed values.

The commands, and the environment and resume notes of ``--help``, come from the registered
vendors' declarations (:mod:`conversation_clients.cli.command_registry`); nothing here names a vendor.
Each command's own sub-parser is :mod:`conversation_clients.cli.command_parsers`'s, and the parsed
values (:class:`~conversation_clients.cli.parsed_arguments.ListArguments`, ...) are
:mod:`conversation_clients.cli.parsed_arguments`'.

Errors raise :class:`~conversation_clients.cli.exit_codes.UsageError` (exit 2) with argparse's
message and a pointer to ``--help``, instead of argparse's own print-and-exit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, Final, NoReturn

from conversation_clients.cli.command_parsers import action_names, add_command_parsers
from conversation_clients.cli.command_registry import command_groups, vendor_commands
from conversation_clients.cli.commands import CommandGroup, ListCommand
from conversation_clients.cli.exit_codes import UsageError
from conversation_clients.cli.help_text import covered, description, help_settings
from conversation_clients.cli.load_options import LOAD_NAME
from conversation_clients.cli.parsed_arguments import (
    Command,
    ExportArguments,
    ListArguments,
    LoadArguments,
    SandboxServe,
)
from conversation_clients.cli.values import non_negative_int
from conversation_clients.cli.wording import PROG

__all__ = ["build_parser", "list_arguments", "parse_arguments"]


_SELECTORS: Final = ("vendor", "action")  # the words that pick a command, not values of it


class _VersionAction(argparse.Action):
    """``--version``, as argparse's own prints it; the version is read only when asked for (reading
    the installed distribution's metadata imports ``importlib.metadata``, slow for every other run)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **settings: Any) -> None:
        settings.setdefault("help", "show program's version number and exit")
        super().__init__(option_strings, dest, default=argparse.SUPPRESS, nargs=0, **settings)

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: Any = None
    ) -> NoReturn:
        from conversation_clients._version import __version__

        sys.stdout.write(f"{parser.prog} {__version__}\n")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises :class:`UsageError` instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _choices(names: Sequence[str]) -> str:
    return "{" + ",".join(names) + "}"


def build_parser(groups: Sequence[CommandGroup] | None = None) -> argparse.ArgumentParser:
    """The argument parser of the whole command, from the declared commands (``groups``; default:
    every registered vendor's).

    >>> build_parser().format_usage().strip()
    'usage: conversation-clients [-h] [--version] {bird,omnichannel,sandbox} ...'
    """
    if groups is None:
        groups = command_groups()
    parser = _Parser(prog=PROG, description=description(vendor_commands()), **help_settings(covered(groups)))
    parser.add_argument("--version", action=_VersionAction)
    words = [group.name for group in groups] + ["sandbox"]
    vendors = parser.add_subparsers(dest="vendor", metavar=_choices(words), required=True)

    for group in groups:
        group_parser = vendors.add_parser(group.name, help=group.help, **help_settings(covered([group])))
        actions = group_parser.add_subparsers(dest="action", metavar=_choices(action_names(group)), required=True)
        for command in group.commands:
            add_command_parsers(actions, command)

    # the sandbox reads no credentials and resumes nothing: its help ends with the exit codes
    sandbox_parser = vendors.add_parser("sandbox", help="a local demo server for both APIs", **help_settings([]))
    sandbox_actions = sandbox_parser.add_subparsers(dest="action", metavar="{serve}", required=True)
    serve = sandbox_actions.add_parser(
        "serve",
        help="serve the demo data until Ctrl-C",
        description=(
            "Serve the embedded demo data set (both APIs) over plain HTTP, print its base URL, its "
            "sandbox credentials and IDs on stderr, and block until Ctrl-C or SIGTERM."
        ),
        **help_settings([]),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=non_negative_int, default=0, help="port (default: 0, any free port)")
    return parser


def _loads(group: CommandGroup) -> list[ListCommand]:
    """The commands of ``group`` whose export declares a load."""
    return [command for command in group.commands if command.export is not None and command.export.load is not None]


def parse_arguments(argv: Sequence[str], groups: Sequence[CommandGroup] | None = None) -> Command:
    """Parse the command line; raises :class:`UsageError` (or ``SystemExit`` for ``--help``).

    >>> parse_arguments(["sandbox", "serve", "--port", "8080"])
    SandboxServe(host='127.0.0.1', port=8080)
    >>> parse_arguments(["bird", "list", "--limit", "5"]).values["limit"]
    5
    """
    if groups is None:
        groups = command_groups()
    namespace = build_parser(groups).parse_args(argv)
    if namespace.vendor == "sandbox":
        return SandboxServe(host=namespace.host, port=namespace.port)
    group = next(group for group in groups if group.name == namespace.vendor)
    values = {name: value for name, value in vars(namespace).items() if name not in _SELECTORS}
    if namespace.action == LOAD_NAME:
        return LoadArguments(_loads(group)[0], values)
    for command in group.commands:
        if command.export is not None and command.export.name == namespace.action:
            return ExportArguments(command, values)
    command = next(command for command in group.commands if command.name == namespace.action)
    return ListArguments(command, values)


def list_arguments(command: ListCommand, **values: Any) -> ListArguments:
    """``command`` as parsed with ``values`` given and every other option at its default.

    >>> bird_list = command_groups()[0].commands[0]
    >>> list_arguments(bird_list, workspace_id="w") == parse_arguments(["bird", "list", "--workspace-id", "w"])
    True
    """
    defaults = parse_arguments([command.vendor, command.name], [CommandGroup(command.vendor, command.help, (command,))])
    assert isinstance(defaults, ListArguments)
    unknown = set(values) - set(defaults.values)
    if unknown:
        raise TypeError(f"{command.vendor} {command.name} has no option {', '.join(sorted(unknown))}")
    return ListArguments(command, {**defaults.values, **values})
