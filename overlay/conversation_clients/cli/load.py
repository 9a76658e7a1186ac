"""``conversation-clients VENDOR load``: many targets into a warehouse with dlt, only what is new each run.

:func:`run_load` plans the load as an export is planned (its targets, each one's call, the
client's options, the rate limit: :func:`~conversation_clients.cli.export_plan.plan_export`),
opens the command's client, and runs the vendor's dlt source (named by its export declaration,
``Export.load``: ``conversation_clients.dlt:bird_source_of_calls``) through a pipeline into the
destination (:mod:`~conversation_clients.cli.load_options`: a DuckDB file by default). The dlt
state, kept with the data, holds each target's cursors, so a second run loads only what is new;
the summary says how many rows went to each table. A target that fails is reported after the
others have loaded, and the command exits with its error's code. Nothing here names a vendor.

dlt (and DuckDB) come with the ``dlt`` extra and are imported here only, when a load runs:
without them, :class:`MissingExtraError` says what to install (a usage error, exit 2).
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from conversation_clients.cli.command_clients import open_planned_client
from conversation_clients.cli.console import Console
from conversation_clients.cli.exit_codes import ExitCode, UsageError, exit_code_for
from conversation_clients.cli.export_plan import plan_export
from conversation_clients.cli.load_options import EXTRA_HINT, LoadDestination, load_destination
from conversation_clients.cli.parsed_arguments import LoadArguments
from conversation_clients.cli.wording import Target, error_message, usage_errors

if TYPE_CHECKING:
    from dlt.extract import DltSource

    from conversation_clients.dlt import LoadFailures

__all__ = [
    "DLT_DEFAULTS",
    "MissingExtraError",
    "destination_secrets",
    "dlt_settings",
    "load_error",
    "load_summary",
    "run_load",
    "source_of_calls",
]

#: dlt's settings the load gives unless the environment gives its own: no anonymous usage
#: telemetry sent to dlt's makers, and only errors in its log (its warnings, such as "a column
#: got only nulls", are about the vendor's data, not the load).
DLT_DEFAULTS: Final = {"RUNTIME__DLTHUB_TELEMETRY": "false", "RUNTIME__LOG_LEVEL": "ERROR"}
# dlt's messages can run to many lines of advice: the first few hundred characters say what happened
_MOST_OF_A_MESSAGE: Final = 600
#: What a source declared by name is called with: the client, each target's call, the failures.
SourceOfCalls = Callable[[Any, list[Mapping[str, Any]], "LoadFailures"], "DltSource"]


class MissingExtraError(UsageError):
    """The load needs a package that is not installed: the ``dlt`` extra (exit 2, saying what to install)."""


def _missing_extra(error: ImportError) -> MissingExtraError:
    return MissingExtraError(f"the load needs the dlt extra: {EXTRA_HINT} ({error})")


def source_of_calls(target: str, destination: str) -> SourceOfCalls:
    """The source factory ``target`` names (``"module:function"``), imported now with what ``destination`` needs.

    :class:`MissingExtraError` when dlt (or, for ``duckdb``, DuckDB) is not installed.
    """
    module, _, name = target.partition(":")
    try:
        for needed in ("dlt", *(("duckdb",) if destination == "duckdb" else ())):
            importlib.import_module(needed)
        factory: SourceOfCalls = getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as error:
        if error.name in ("dlt", "duckdb") or "conversation-clients[dlt]" in str(error):
            raise _missing_extra(error) from None
        raise
    return factory


@contextlib.contextmanager
def dlt_settings(environ: Mapping[str, str]) -> Generator[None]:
    """:data:`DLT_DEFAULTS` in the process environment (where dlt reads them) for the block, unless set."""
    given = {name: value for name, value in DLT_DEFAULTS.items() if name not in environ and name not in os.environ}
    os.environ.update(given)
    try:
        yield
    finally:
        for name in given:
            os.environ.pop(name, None)


def destination_secrets(environ: Mapping[str, str]) -> list[str]:
    # dlt reads a destination's credentials from variables such as DESTINATION__POSTGRES__CREDENTIALS:
    # their values never reach a message of ours
    return [value for name, value in environ.items() if name.startswith("DESTINATION__") and len(value) >= 4]


def load_error(error: Exception, where: LoadDestination, secrets: Iterable[str]) -> UsageError:
    """A load dlt could not do (the destination unreachable, its credentials missing, a file locked...)."""
    cause: BaseException = error
    while cause.__cause__ is not None and type(cause).__module__.startswith("dlt."):
        cause = cause.__cause__  # the first that is not dlt's wrapper says what happened
    text = " ".join(str(cause).split())[:_MOST_OF_A_MESSAGE] or type(cause).__name__
    for secret in secrets:
        text = text.replace(secret, "***")
    return UsageError(f"cannot load into {where.shown}: {type(cause).__name__}: {text}")


def load_summary(rows: Mapping[str, int], where: LoadDestination) -> list[str]:
    """What a load says it loaded: its total, then each table's rows (none: nothing new).

    >>> where = LoadDestination("duckdb", "x.duckdb", "bird", None)
    >>> load_summary({"conversations": 3, "messages": 12}, where)
    ['loaded 15 new rows into duckdb x.duckdb, dataset bird:', 'conversations: 3 rows', 'messages: 12 rows']
    >>> load_summary({}, where)
    ['nothing new to load into duckdb x.duckdb, dataset bird']
    """
    if not rows:
        return [f"nothing new to load into {where.shown}"]
    lines = [f"{table}: {count} row{'' if count == 1 else 's'}" for table, count in rows.items()]
    return [f"loaded {sum(rows.values())} new rows into {where.shown}:", *lines]


def run_load(arguments: LoadArguments, environ: Mapping[str, str], console: Console) -> int:
    """A load: check the arguments and the destination, then the extra, then the credentials, then load."""
    command = arguments.command
    export = arguments.as_export()
    assert export.export.load is not None, "parsed from a load declaration"
    plan = plan_export(export)
    where = load_destination(arguments.values, command.vendor)
    make_source = source_of_calls(export.export.load, where.destination)
    from dlt.pipeline.exceptions import PipelineStepFailed

    from conversation_clients.dlt import LoadFailures, rows_loaded, warehouse_pipeline

    failures = LoadFailures()
    with dlt_settings(environ), contextlib.ExitStack() as stack:
        client, credentials = open_planned_client(export, plan, environ, stack)
        with usage_errors(command.flags):
            source = make_source(client, list(plan.calls.values()), failures)
        try:
            try:
                pipeline = warehouse_pipeline(
                    f"conversation_clients_{command.vendor}",
                    dataset_name=where.dataset,
                    destination=where.destination,
                    duckdb_path=where.duckdb_path,
                    pipelines_dir=where.pipelines_dir,
                )
            except ValueError as error:
                raise UsageError(f"--duckdb: {error}") from None
            pipeline.run(source)
        except PipelineStepFailed as error:
            raise load_error(error, where, destination_secrets(environ)) from None
        except Exception as error:  # dlt's own: an unknown destination, a missing driver or credential
            if not type(error).__module__.startswith("dlt."):
                raise
            raise load_error(error, where, destination_secrets(environ)) from None
        rows = rows_loaded(pipeline)
    for line in load_summary(rows, where):
        console.line(line)
    target = Target(command.vendor_title, credentials.source, command.resume_option.flag)
    for failure in failures:
        console.line(f"error: {failure.target}: {error_message(failure.error, target)}")
    if failures.first_error is not None:
        kept = "1 target kept its" if len(failures) == 1 else f"{len(failures)} targets kept their"
        console.line(f"the others loaded; {kept} cursors: the next run loads what was missed")
        return exit_code_for(failures.first_error)
    return ExitCode.OK
