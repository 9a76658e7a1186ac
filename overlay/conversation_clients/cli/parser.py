"""The command line, parsed: argparse built from the declared commands, and the parsed values.

The commands, and the environment and resume notes of ``--help``, come from the registered
vendors' profiles (:func:`~conversation_clients.cli.commands.command_groups`); nothing here
names a vendor.

Errors raise :class:`~conversation_clients.cli.exit_codes.UsageError` (exit 2) with argparse's
message and a pointer to ``--help``, instead of argparse's own print-and-exit.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any, Final, NoReturn, TypeAlias

import attrs

from conversation_clients._body import DEFAULT_MAX_RESPONSE_BYTES
from conversation_clients._commands import CommandGroup, ListCommand, Option
from conversation_clients._deadline import DEFAULT_PAGE_TIMEOUT
from conversation_clients._profile import VendorProfile
from conversation_clients._vendors import vendor_profiles
from conversation_clients._version import __version__
from conversation_clients.cli.arguments import non_negative_int, positive_int, positive_seconds
from conversation_clients.cli.commands import command_groups
from conversation_clients.cli.credentials import CredentialSource
from conversation_clients.cli.exit_codes import UsageError, exit_status_table
from conversation_clients.cli.messages import PROG

__all__ = [
    "EPILOG",
    "Command",
    "ListArguments",
    "SandboxServe",
    "build_parser",
    "epilog",
    "list_arguments",
    "parse_arguments",
]


def _environment_help(groups: Sequence[CommandGroup]) -> str:
    # one entry per credential source, naming every command that reads it
    readers: dict[CredentialSource, tuple[str, list[str]]] = {}
    for group in groups:
        for command in group.commands:
            readers.setdefault(command.credentials, (command.vendor_title, []))[1].append(
                f"{command.vendor} {command.name}"
            )
    lines = [source.environment_help(title, commands) for source, (title, commands) in readers.items()]
    return "\n".join(
        [
            "environment:",
            *lines,
            "  --sandbox needs none of these: it lists the embedded demo data over loopback HTTP.",
            "",
        ]
    )


def _resume_help(groups: Sequence[CommandGroup]) -> str:
    # the first vendor's flag in the example, each other vendor's flag beside it
    flags = [(group.commands[0].vendor_title, group.commands[0].resume_option.flag) for group in groups]
    (first_title, first_flag), others = flags[0], flags[1:]
    notes = "".join(f"; {flag} for {title}" for title, flag in others)
    return (
        "resuming: a listing cut short by an error prints a second line such as\n"
        f"  {PROG}: resume with: {first_flag} TOKEN   ({first_title}{notes})\n"
        "  Run the same command with that option to go on, with nothing lost or repeated.\n"
    )


def epilog(groups: Sequence[CommandGroup]) -> str:
    """The end of every ``--help``: the environment variables of ``groups``, how to resume, the exit codes.

    >>> print(epilog(command_groups()).splitlines()[0])
    environment:
    """
    resume = f"{_resume_help(groups)}\n" if groups else ""
    exits = "\n".join(f"  {line}" for line in exit_status_table().splitlines())
    return f"{_environment_help(groups)}\n{resume}exit status:\n{exits}"


def _description(profiles: Sequence[VendorProfile]) -> str:
    names = [profile.long_name for profile in profiles if profile.command_group is not None]
    listed = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return f"List conversations from {listed}."


#: ``--help``'s end for the registered vendors.
EPILOG: Final = epilog(command_groups())
_SELECTORS: Final = ("vendor", "action")  # the words that pick a command, not values of it


@attrs.frozen
class ListArguments:
    """A listing command, as parsed: which one, and every option's value by name (``dest``)."""

    command: ListCommand = attrs.field(repr=lambda command: f"<{command.vendor} {command.name}>")
    values: Mapping[str, Any]

    @property
    def max_items(self) -> int | None:
        """``--max-items``."""
        value: int | None = self.values["max_items"]
        return value

    @property
    def sandbox(self) -> bool:
        """``--sandbox``."""
        return bool(self.values["sandbox"])

    @property
    def output_format(self) -> str:
        """``--format``: ``jsonl`` or ``table``."""
        return str(self.values["output_format"])

    @property
    def max_retries(self) -> int:
        """``--max-retries``."""
        return int(self.values["max_retries"])

    @property
    def max_response_bytes(self) -> int:
        """``--max-response-bytes``."""
        return int(self.values["max_response_bytes"])

    @property
    def page_timeout(self) -> float:
        """``--page-timeout``."""
        return float(self.values["page_timeout"])

    def value(self, option: Option) -> Any:
        """The parsed value of one of the command's options."""
        return self.values[option.dest]


@attrs.frozen
class SandboxServe:
    """``sandbox serve``, as parsed."""

    host: str
    port: int


Command: TypeAlias = ListArguments | SandboxServe


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
    formatter = argparse.RawDescriptionHelpFormatter
    end = epilog(groups)
    parser = _Parser(prog=PROG, description=_description(vendor_profiles()), epilog=end, formatter_class=formatter)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    words = [group.name for group in groups] + ["sandbox"]
    vendors = parser.add_subparsers(dest="vendor", metavar=_choices(words), required=True)

    for group in groups:
        group_parser = vendors.add_parser(group.name, help=group.help, epilog=end, formatter_class=formatter)
        names = [command.name for command in group.commands]
        actions = group_parser.add_subparsers(dest="action", metavar=_choices(names), required=True)
        for command in group.commands:
            command_parser = actions.add_parser(
                command.name,
                help=command.help,
                description=command.description,
                epilog=end,
                formatter_class=formatter,
            )
            for option in command.all_options:
                _add_option(command_parser, option)
            _add_common_list_arguments(command_parser, command.noun)

    sandbox_parser = vendors.add_parser(
        "sandbox", help="a local demo server for both APIs", epilog=end, formatter_class=formatter
    )
    sandbox_actions = sandbox_parser.add_subparsers(dest="action", metavar="{serve}", required=True)
    serve = sandbox_actions.add_parser(
        "serve",
        help="serve the demo data until Ctrl-C",
        description=(
            "Serve the embedded demo data set (both APIs) over plain HTTP, print its base URL, its "
            "sandbox credentials and IDs on stderr, and block until Ctrl-C or SIGTERM."
        ),
        epilog=end,
        formatter_class=formatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=non_negative_int, default=0, help="port (default: 0, any free port)")
    return parser


def _add_option(parser: argparse.ArgumentParser, option: Option) -> None:
    if option.switch:
        parser.add_argument(option.flag, action="store_true", help=option.help)
        return
    settings: dict[str, Any] = {"metavar": option.metavar, "help": option.help}
    if option.parse is not None:
        settings["type"] = option.parse
    parser.add_argument(option.flag, **settings)


def _add_common_list_arguments(parser: argparse.ArgumentParser, noun: str) -> None:
    parser.add_argument(
        "--max-items",
        type=positive_int,
        metavar="N",
        help=f"stop after N {noun}s (pages are then fetched one at a time, none beyond the last needed)",
    )
    parser.add_argument(
        "--format", dest="output_format", choices=("jsonl", "table"), default="jsonl",
        help="jsonl (default): one JSON object a line, the vendor's field names; table: for people",
    )  # fmt: skip
    parser.add_argument(
        "--sandbox", action="store_true",
        help="list the embedded demo data over loopback HTTP, with the sandbox's credentials and IDs",
    )  # fmt: skip
    parser.add_argument(
        "--max-retries", type=non_negative_int, default=2, metavar="N",
        help="retries on connection errors, timeouts, 408, 429 and 5xx (default: 2; 0 disables)",
    )  # fmt: skip
    parser.add_argument(
        "--max-response-bytes", type=positive_int, default=DEFAULT_MAX_RESPONSE_BYTES, metavar="N",
        help=f"stop reading a response body past N bytes, compressed or not; exit code 8 (default: {DEFAULT_MAX_RESPONSE_BYTES})",
    )  # fmt: skip
    parser.add_argument(
        "--page-timeout", type=positive_seconds, default=DEFAULT_PAGE_TIMEOUT, metavar="S",
        help=f"give up a page after S seconds, retries and waits included; exit code 5 (default: {DEFAULT_PAGE_TIMEOUT:g})",
    )  # fmt: skip


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
    command = next(command for command in group.commands if command.name == namespace.action)
    return ListArguments(command, {name: value for name, value in vars(namespace).items() if name not in _SELECTORS})


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
