"""The command line's parsed values: a listing's, an export's, a load's and ``sandbox serve``'s
arguments, and :func:`arguments_by_role`, which gives each value its place in a listing's call.

Plain values, built by :func:`~conversation_clients.cli.parser.parse_arguments` (or
:func:`~conversation_clients.cli.parser.list_arguments`) and read by the runners: each option's
value by its ``dest``, with properties for the options every such command takes. Nothing here
imports argparse or names a vendor.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias, TypeVar

import attrs

from conversation_clients.cli.command_options import Option, Role
from conversation_clients.cli.commands import Export, ListCommand
from conversation_clients.cli.exit_codes import UsageError
from conversation_clients.cli.sandbox_settings import SandboxSettings
from conversation_clients.cli.values import page_size_for

__all__ = [
    "Command",
    "ExportArguments",
    "ListArguments",
    "LoadArguments",
    "SandboxServe",
    "arguments_by_role",
]


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
    """A listing command, as parsed: which one, and every option's value by name (``dest``).

    >>> from conversation_clients.cli.parser import parse_arguments
    >>> arguments = parse_arguments(["bird", "list", "--workspace-id", "w", "--max-items", "3"])
    >>> arguments.max_items, arguments.output_format, arguments.values["workspace_id"]
    (3, 'jsonl', 'w')
    """

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

    >>> from conversation_clients.cli.parser import parse_arguments
    >>> arguments = parse_arguments(["bird", "export", "--workspace-id", "w1", "--workspace-id", "w2", "--out", "d"])
    >>> arguments.values["workspace_id"], arguments.out, arguments.export.repeated
    (['w1', 'w2'], 'd', '--workspace-id')
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
    def dask(self) -> str | None:
        """``--dask``: where each target runs as a Dask task (None: on this process's threads)."""
        value: str | None = self.values.get("dask")
        return value

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
class LoadArguments(_TransferValues):
    """A load (``bird load``), as parsed: the export it loads (its targets, its client's options), and where to.

    Planned as that export would be (:meth:`as_export`); where it goes is read by
    :func:`~conversation_clients.cli.load_options.load_destination`.

    >>> from conversation_clients.cli.parser import parse_arguments
    >>> parse_arguments(["bird", "load", "--workspace-id", "w"]).as_export().values["workspace_id"]
    ['w']
    """

    command: ListCommand = attrs.field(repr=lambda command: f"<{command.vendor} load of {command.name}>")
    values: Mapping[str, Any]

    def as_export(self) -> ExportArguments:
        """The same targets and options as the export's, for its plan."""
        return ExportArguments(self.command, self.values)


@attrs.frozen
class SandboxServe:
    """``sandbox serve``, as parsed.

    >>> SandboxServe(host="127.0.0.1", port=0)
    SandboxServe(host='127.0.0.1', port=0)
    """

    host: str
    port: int


Command: TypeAlias = ListArguments | ExportArguments | LoadArguments | SandboxServe

T = TypeVar("T")


def _require(value: T | None, option: Option, *, sandbox: bool) -> T:
    if value is None:
        supplied = option.sandbox_value is not None or option.refused_with_sandbox
        hint = " (or use --sandbox to try the embedded demo data)" if supplied and not sandbox else ""
        raise UsageError(f"{option.flag} is required{hint}")
    return value


def arguments_by_role(arguments: ListArguments, sandbox: SandboxSettings | None) -> dict[Role, dict[str, Any]]:
    """Each option's value, by role and parameter name: required ones present, sandbox values
    filled in, switches as True or None, the page size decided (an export's targets each use it).

    >>> from conversation_clients.cli.parser import parse_arguments
    >>> by_role = arguments_by_role(parse_arguments(["bird", "list", "--workspace-id", "w", "--max-items", "3"]), None)
    >>> by_role[Role.LISTING]["workspace_id"], by_role[Role.LISTING]["limit"], by_role[Role.LISTING]["reverse"]
    ('w', 3, None)
    """
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
