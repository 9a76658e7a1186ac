"""Each declared command's own argparse sub-parser: a listing's, and its export's and load's when declared.

A listing takes its declared (and derived) options, ``--max-items`` and ``--format``; its export
takes the same options with the repeated target given many times (and from a file), ``--out``,
``--dask``, the concurrency and the rate limit; its load takes the export's targets and its
client's options, and where to load. Each takes ``--sandbox`` and the transfer's limits. The
whole command's parser, around these, is :func:`~conversation_clients.cli.parser.build_parser`'s.
Nothing here names a vendor.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import attrs

from conversation_clients._defaults import DEFAULT_CONCURRENCY, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_PAGE_TIMEOUT
from conversation_clients.cli.command_options import Option, Role
from conversation_clients.cli.commands import CommandGroup, Export, ListCommand
from conversation_clients.cli.help_text import covered, help_settings
from conversation_clients.cli.load_options import LOAD_NAME, add_load_options, load_description, load_help
from conversation_clients.cli.values import non_negative_int, positive_int, positive_seconds

__all__ = ["action_names", "add_command_parsers"]


def action_names(group: CommandGroup) -> list[str]:
    """The words that pick a command of ``group``, as its ``--help`` lists them: each listing, its
    export right after it, then its load.

    >>> from conversation_clients.cli.command_registry import command_groups
    >>> action_names(command_groups()[0])
    ['list', 'export', 'load', 'messages']
    """
    return [word for command, name in covered([group]) for word in (name, *_load_after(command, name))]


def add_command_parsers(actions: Any, command: ListCommand) -> None:
    """Add ``command``'s sub-parser to ``actions`` (what ``add_subparsers`` returned), then its
    export's and its load's when its declaration has them.

    >>> import argparse
    >>> from conversation_clients.cli.command_registry import command_groups
    >>> actions = argparse.ArgumentParser().add_subparsers()
    >>> add_command_parsers(actions, command_groups()[0].commands[0])
    >>> list(actions.choices)
    ['list', 'export', 'load']
    """
    parser = actions.add_parser(
        command.name,
        help=command.help,
        description=command.description,
        **help_settings([(command, command.name)]),
    )
    for option in command.all_options:
        _add_option(parser, option)
    _add_common_list_arguments(parser, command.noun)
    if command.export is not None:
        _add_export_parser(actions, command, command.export)
        if command.export.load is not None:
            _add_load_parser(actions, command, command.export)


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


def _add_export_parser(actions: Any, command: ListCommand, export: Export) -> None:
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
        **help_settings([(command, export.name)]),
    )
    for option in command.all_options:
        if option.resumes:
            continue  # the checkpoint resumes each target
        _add_target_option(parser, option, export)
    parser.add_argument(
        "--out", required=True, metavar="DIR",
        help="directory of the files and the checkpoint (with --dask, or an fsspec URL: s3://bucket/path)",
    )  # fmt: skip
    parser.add_argument(
        "--dask", metavar="CLUSTER",
        help="each target a Dask task: local[:N] (N worker processes here) or tcp://HOST:PORT (a running"
        " scheduler); needs conversation-clients[dask]",
    )  # fmt: skip
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


def _add_target_option(parser: argparse.ArgumentParser, option: Option, export: Export) -> None:
    """One of the listing's options, on a command over many targets: the repeated one many times, and from a file."""
    if option.flag == export.repeated:
        settings: dict[str, Any] = {"metavar": option.metavar, "help": f"{option.help}; repeat for more targets"}
        if option.parse is not None:
            settings["type"] = option.parse
        parser.add_argument(option.flag, action="append", **settings)
        parser.add_argument(
            _ids_file_flag(export), dest="ids_file", metavar="FILE",
            help=f"more {option.flag} values, one a line (blank lines and # comments skipped)",
        )  # fmt: skip
    else:
        _add_option(parser, option)


def _load_after(command: ListCommand, name: str) -> tuple[str, ...]:
    """The load's name right after its export's, as ``--help`` lists them."""
    export = command.export
    return (LOAD_NAME,) if export is not None and export.load is not None and name == export.name else ()


def _add_load_parser(actions: Any, command: ListCommand, export: Export) -> None:
    """``VENDOR load``: the export's targets and its client's options, where to load, the transfer's limits.

    A listing's filters and resume token are left out (the load's cursors decide what is listed),
    and the vendor's rate limit applies, as by default to its export.
    """
    # its credentials are said in its description; its epilog is the exit codes
    parser = actions.add_parser(
        LOAD_NAME, help=load_help(command), description=load_description(command), **help_settings([])
    )
    left_out: dict[str, None] = {}
    for option in command.all_options:
        if option.role is Role.LISTING and option.page_size_up_to is None and option.flag not in export.targets:
            left_out[option.dest] = None
        elif option.page_size_up_to is not None:
            more = f"{option.help}; a load asks for {option.page_size_up_to} unless told"
            _add_target_option(parser, attrs.evolve(option, help=more), export)
        else:
            _add_target_option(parser, option, export)
    add_load_options(parser)
    parser.set_defaults(**left_out, rate_per_target=None, rate_overall=None, no_rate_limit=False)
    _add_transfer_arguments(
        parser, "load the embedded demo data over loopback HTTP, with the sandbox's credentials and IDs"
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
