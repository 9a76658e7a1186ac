"""The command line, parsed: argparse built from the declared commands, and the parsed values.

The commands, and the environment and resume notes of ``--help``, come from the registered
vendors' declarations (:mod:`conversation_clients.cli.command_registry`); nothing here names a vendor.
:func:`arguments_by_role` gives each parsed value its place in a listing's call (the one runner
and the export's both use it).

Errors raise :class:`~conversation_clients.cli.exit_codes.UsageError` (exit 2) with argparse's
message and a pointer to ``--help``, instead of argparse's own print-and-exit.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Mapping, Sequence
from typing import Any, Final, NoReturn, TypeAlias, TypeVar

import attrs

from conversation_clients._defaults import DEFAULT_CONCURRENCY, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_PAGE_TIMEOUT
from conversation_clients.cli.command_registry import command_groups, vendor_commands
from conversation_clients.cli.commands import CommandGroup, Export, ListCommand, Option, Role, VendorCommands
from conversation_clients.cli.credential_sources import CredentialSource
from conversation_clients.cli.exit_codes import UsageError, exit_status_table
from conversation_clients.cli.sandbox_settings import SandboxSettings
from conversation_clients.cli.values import non_negative_int, page_size_for, positive_int, positive_seconds
from conversation_clients.cli.wording import PROG

__all__ = [
    "EPILOG",
    "Command",
    "ExportArguments",
    "ListArguments",
    "SandboxServe",
    "arguments_by_role",
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
            names = [command.name] + ([command.export.name] if command.export is not None else [])
            readers.setdefault(command.credentials, (command.vendor_title, []))[1].extend(
                f"{command.vendor} {name}" for name in names
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


def _description(vendors: Sequence[VendorCommands]) -> str:
    names = [commands.long_name for commands in vendors]
    listed = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return f"List conversations from {listed}."


#: ``--help``'s end for the registered vendors.
EPILOG: Final = epilog(command_groups())
_SELECTORS: Final = ("vendor", "action")  # the words that pick a command, not values of it


class _TransferValues:
    """The options a listing and an export take alike: ``--sandbox``, retries and limits."""

    values: Mapping[str, Any]

    @property
    def sandbox(self) -> bool:
        """``--sandbox``."""
        return bool(self.values["sandbox"])

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


@attrs.frozen
class ListArguments(_TransferValues):
    """A listing command, as parsed: which one, and every option's value by name (``dest``)."""

    command: ListCommand = attrs.field(repr=lambda command: f"<{command.vendor} {command.name}>")
    values: Mapping[str, Any]

    @property
    def max_items(self) -> int | None:
        """``--max-items``."""
        value: int | None = self.values["max_items"]
        return value

    @property
    def output_format(self) -> str:
        """``--format``: ``jsonl`` or ``table``."""
        return str(self.values["output_format"])

    def value(self, option: Option) -> Any:
        """The parsed value of one of the command's options."""
        return self.values[option.dest]


@attrs.frozen
class ExportArguments(_TransferValues):
    """An export command (``bird export``), as parsed: the listing it exports, and every option's value by name.

    The repeated target option's value is a list (None when not given); the ids file is read by the runner.
    """

    command: ListCommand = attrs.field(repr=lambda command: f"<{command.vendor} export of {command.name}>")
    values: Mapping[str, Any]

    @property
    def export(self) -> Export:
        """The command's export declaration."""
        assert self.command.export is not None, "parsed from an export declaration"
        return self.command.export

    @property
    def out(self) -> str:
        """``--out``: the directory of the files and the checkpoint."""
        return str(self.values["out"])

    @property
    def ids_file(self) -> str | None:
        """The file of more ids for the repeated target option (``--workspace-ids-file``)."""
        value: str | None = self.values["ids_file"]
        return value

    @property
    def concurrency(self) -> int:
        """``--concurrency``."""
        return int(self.values["concurrency"])

    @property
    def rate_per_target(self) -> float | None:
        """``--rate-per-target``."""
        value: float | None = self.values["rate_per_target"]
        return value

    @property
    def rate_overall(self) -> float | None:
        """``--rate-overall``."""
        value: float | None = self.values["rate_overall"]
        return value

    @property
    def no_rate_limit(self) -> bool:
        """``--no-rate-limit``."""
        return bool(self.values["no_rate_limit"])

    def value(self, option: Option) -> Any:
        """The parsed value of one of the listing's options (a list for the repeated target option)."""
        return self.values.get(option.dest)

    def for_target(self, values: Mapping[str, Any]) -> ListArguments:
        """The listing of one target, as if parsed: ``values`` (by ``dest``) for the target options, no item cap."""
        # the resume option is the checkpoint's to give, per call
        fixed = {"max_items": None, "output_format": "jsonl", self.command.resume_option.dest: None}
        return ListArguments(self.command, {**self.values, **fixed, **values})


@attrs.frozen
class SandboxServe:
    """``sandbox serve``, as parsed."""

    host: str
    port: int


Command: TypeAlias = ListArguments | ExportArguments | SandboxServe

T = TypeVar("T")


def _require(value: T | None, option: Option, *, sandbox: bool) -> T:
    if value is None:
        supplied = option.sandbox_value is not None or option.refused_with_sandbox
        hint = " (or use --sandbox to try the embedded demo data)" if supplied and not sandbox else ""
        raise UsageError(f"{option.flag} is required{hint}")
    return value


def arguments_by_role(arguments: ListArguments, sandbox: SandboxSettings | None) -> dict[Role, dict[str, Any]]:
    """Each option's value, by role and parameter name: required ones present, sandbox values
    filled in, switches as True or None, the page size decided (an export's targets each use it)."""
    by_role: dict[Role, dict[str, Any]] = {role: {} for role in Role}
    for option in arguments.command.all_options:
        value: Any = arguments.value(option)
        if option.switch:
            value = True if value else None  # an unset switch is not sent at all
        elif sandbox is not None and option.sandbox_value is not None:
            value = value or option.sandbox_value(sandbox)
        elif option.required and not (sandbox is not None and option.refused_with_sandbox):
            value = _require(value, option, sandbox=sandbox is not None)
        if option.page_size_up_to is not None:
            value = page_size_for(value, arguments.max_items, option.page_size_up_to)
        by_role[option.role][option.parameter] = value
    return by_role


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
    formatter = argparse.RawDescriptionHelpFormatter
    end = epilog(groups)
    parser = _Parser(prog=PROG, description=_description(vendor_commands()), epilog=end, formatter_class=formatter)
    parser.add_argument("--version", action=_VersionAction)
    words = [group.name for group in groups] + ["sandbox"]
    vendors = parser.add_subparsers(dest="vendor", metavar=_choices(words), required=True)

    for group in groups:
        group_parser = vendors.add_parser(group.name, help=group.help, epilog=end, formatter_class=formatter)
        # each listing's export right after it
        names = [
            name for command in group.commands
            for name in (command.name, *(() if command.export is None else (command.export.name,)))
        ]  # fmt: skip
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
            if command.export is not None:
                _add_export_parser(actions, command, command.export, end)

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


def _ids_file_flag(export: Export) -> str:
    # --workspace-id gives --workspace-ids-file
    return f"{export.repeated}s-file"


def _requests_per_second(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"not a number of requests a second > 0: {text[:64]!r}")
    return value


def _rate_default(export: Export, per: str) -> str:
    limit = export.rate_limit
    rate = None if limit is None else (limit.per_target if per == "target" else limit.overall)
    return "none" if rate is None else f"{rate:g}"


def _add_export_parser(actions: Any, command: ListCommand, export: Export, end: str) -> None:
    """``VENDOR export``: the listing's options (a target's given once or many times), the output, the limiter."""
    parser = actions.add_parser(
        export.name,
        help=export.help,
        description=(
            f"{export.help[0].upper()}{export.help[1:]}: one JSON Lines file per target in --out "
            f"(items as '{command.vendor} {command.name}' prints them), and a checkpoint there. Stopped at "
            "any point (Ctrl-C, a crash, kill -9, retries running out), the same command run again "
            "goes on where each target stopped; every item ends up in its file once."
        ),
        epilog=end,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for option in command.all_options:
        if option.resumes:
            continue  # the checkpoint resumes each target
        if option.flag == export.repeated:
            parser.add_argument(
                option.flag, action="append", type=option.parse, metavar=option.metavar,
                help=f"{option.help}; repeat for more targets",
            )  # fmt: skip
            parser.add_argument(
                _ids_file_flag(export), dest="ids_file", metavar="FILE",
                help=f"more {option.flag} values, one a line (blank lines and # comments skipped)",
            )  # fmt: skip
        else:
            _add_option(parser, option)
    parser.add_argument("--out", required=True, metavar="DIR", help="directory of the files and the checkpoint")
    parser.add_argument(
        "--concurrency", type=positive_int, default=DEFAULT_CONCURRENCY, metavar="N",
        help=f"targets listed at once (default: {DEFAULT_CONCURRENCY})",
    )  # fmt: skip
    note = f" ({export.rate_limit_note})" if export.rate_limit_note else ""
    parser.add_argument(
        "--rate-per-target", type=_requests_per_second, metavar="R",
        help=f"at most R requests a second per target (default: {_rate_default(export, 'target')}){note}",
    )  # fmt: skip
    parser.add_argument(
        "--rate-overall", type=_requests_per_second, metavar="R",
        help=f"at most R requests a second in all (default: {_rate_default(export, 'overall')})",
    )  # fmt: skip
    parser.add_argument(
        "--no-rate-limit", action="store_true", help="no client-side rate limit (a 429 is still retried)"
    )
    _add_transfer_arguments(
        parser, "export the embedded demo data over loopback HTTP, with the sandbox's credentials and IDs"
    )


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
    _add_transfer_arguments(
        parser, "list the embedded demo data over loopback HTTP, with the sandbox's credentials and IDs"
    )


def _add_transfer_arguments(parser: argparse.ArgumentParser, sandbox_help: str) -> None:
    parser.add_argument("--sandbox", action="store_true", help=sandbox_help)
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
    values = {name: value for name, value in vars(namespace).items() if name not in _SELECTORS}
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
