"""What ``conversation-clients VENDOR load`` is asked: where to load (a dlt destination), in words and values.

The load takes its export's targets and client options (the parser adds those, as for the
export); this module adds what is the load's own (``--duckdb``, ``--destination``, ``--dataset``,
``--pipelines-dir``) and reads them back as a :class:`LoadDestination`, checked before any I/O.
It imports no dlt: ``--help`` and the other commands never load it. Nothing here names a vendor.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from conversation_clients.cli.exit_codes import UsageError

if TYPE_CHECKING:
    from conversation_clients.cli.commands import ListCommand

__all__ = [
    "DEFAULT_DESTINATION",
    "DEFAULT_DUCKDB_FILE",
    "EXTRA_HINT",
    "LOAD_NAME",
    "LoadDestination",
    "add_load_options",
    "load_description",
    "load_destination",
    "load_help",
]

#: The command's name under each vendor that declares a load (``Export.load``).
LOAD_NAME: Final = "load"
#: What to install for it.
EXTRA_HINT: Final = "pip install 'conversation-clients[dlt]'"
#: Where a load goes when not told: a DuckDB file in the current directory (the same values as
#: ``conversation_clients.dlt``'s, repeated so that parsing imports no dlt; a test holds them equal).
DEFAULT_DESTINATION: Final = "duckdb"
DEFAULT_DUCKDB_FILE: Final = "conversation_clients.duckdb"
# dlt's destination names (duckdb, postgres, motherduck, bigquery...) and dataset names are plain
# identifiers; anything else is a typo, said before the extra is even looked for.
_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def load_help(command: ListCommand) -> str:
    """The load's line in its vendor's ``--help``.

    >>> from conversation_clients.cli.bird_commands import COMMANDS
    >>> load_help(COMMANDS.command("list"))
    'load many workspaces into a warehouse (a DuckDB file by default) with dlt, only what is new'
    """
    assert command.export is not None, "a load is declared on an export"
    flag = command.export.repeated.removeprefix("--").removesuffix("-id").replace("-", " ")
    return f"load many {flag}s into a warehouse (a DuckDB file by default) with dlt, only what is new"


def load_description(command: ListCommand) -> str:
    """What the load's ``--help`` says it does."""
    return (
        f"Load {command.vendor_title}'s data for many targets into a warehouse with dlt: a DuckDB file "
        f"({DEFAULT_DUCKDB_FILE} here, or --duckdb PATH), or any dlt destination (--destination). The "
        f"first run loads everything; each later run only what is new since, and says how many rows that "
        f"was per table. A target that fails keeps its cursors and the others load. Credentials as for "
        f"'{command.vendor} {command.name}'; --sandbox needs none. Needs the dlt extra: {EXTRA_HINT}."
    )


def add_load_options(parser: argparse.ArgumentParser) -> None:
    """The load's own options: where it goes."""
    parser.add_argument(
        "--duckdb", metavar="PATH",
        help=f"the DuckDB file to load into (default: {DEFAULT_DUCKDB_FILE} in the current directory)",
    )  # fmt: skip
    parser.add_argument(
        "--destination", metavar="NAME",
        help="any dlt destination by name (postgres, motherduck, bigquery, snowflake...), its credentials "
        f"from dlt's configuration (default: {DEFAULT_DESTINATION})",
    )  # fmt: skip
    parser.add_argument(
        "--dataset", metavar="NAME", help="the dataset (schema) to load into (default: the vendor's name)"
    )
    parser.add_argument(
        "--pipelines-dir", metavar="DIR",
        help="dlt's working folder for this pipeline (default: dlt's, under ~/.dlt); the cursors also "
        "travel with the data, so a fresh folder takes them back from the destination",
    )  # fmt: skip


@attrs.frozen
class LoadDestination:
    """Where a load goes: a dlt destination by name, the DuckDB file (duckdb only), the dataset, dlt's folder.

    >>> load_destination({"duckdb": None, "destination": None, "dataset": None, "pipelines_dir": None}, "bird")
    LoadDestination(destination='duckdb', duckdb_path='conversation_clients.duckdb', dataset='bird', pipelines_dir=None)
    """

    destination: str
    duckdb_path: str | None
    dataset: str
    pipelines_dir: str | None

    @property
    def shown(self) -> str:
        """The destination as the summary names it.

        >>> load_destination({"duckdb": "x.duckdb"}, "bird").shown
        'duckdb x.duckdb, dataset bird'
        """
        where = self.destination if self.duckdb_path is None else f"{self.destination} {self.duckdb_path}"
        return f"{where}, dataset {self.dataset}"


def _name(value: str | None, flag: str, default: str) -> str:
    if value is None:
        return default
    if not _NAME.fullmatch(value):
        raise UsageError(f"{flag}: {value[:64]!r} is not a name (letters, digits and '_', not starting with a digit)")
    return value


def load_destination(values: Mapping[str, Any], vendor: str) -> LoadDestination:
    """The load's destination from the parsed values; :class:`UsageError` for a contradiction or a bad name.

    >>> load_destination({"duckdb": "x.duckdb", "destination": "postgres"}, "bird")
    Traceback (most recent call last):
    ...
    conversation_clients.cli.command_errors.UsageError: --duckdb is for the duckdb destination, not --destination postgres
    """
    destination = _name(values.get("destination"), "--destination", DEFAULT_DESTINATION)
    duckdb_path: str | None = values.get("duckdb")
    if duckdb_path is not None and destination != DEFAULT_DESTINATION:
        raise UsageError(f"--duckdb is for the {DEFAULT_DESTINATION} destination, not --destination {destination}")
    if duckdb_path == "":
        raise UsageError("--duckdb: give a file path")
    if destination == DEFAULT_DESTINATION and duckdb_path is None:
        duckdb_path = DEFAULT_DUCKDB_FILE
    return LoadDestination(
        destination=destination,
        duckdb_path=duckdb_path,
        dataset=_name(values.get("dataset"), "--dataset", vendor),
        pipelines_dir=values.get("pipelines_dir"),
    )
