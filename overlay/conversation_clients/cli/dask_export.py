"""``VENDOR export --dask CLUSTER``: the same export, each target a Dask task, into shared storage.

:func:`run_dask_export` plans the export as the one-machine runner does
(:mod:`~conversation_clients.cli.export_plan`), connects to the cluster (:func:`cluster_spec`:
``local[:N]``, a ``distributed.LocalCluster`` of N worker processes on this machine, or the
address of a running scheduler), and hands each target to
:func:`conversation_clients.dask.export_targets` with a
:class:`~conversation_clients.cli.command_pages.CommandPages` that lists it on a worker. The
files, each target's parts and checkpoint, go to ``--out``: a directory, or an fsspec URL
(``s3://bucket/export``). It counts, draws and sums up as the one-machine export does
(:mod:`~conversation_clients.cli.export_progress`), target by target. Nothing here names a vendor.

Dask and fsspec come with the ``dask`` extra and are imported here only, when ``--dask`` (or an
``--out`` URL, or a folder a ``--dask`` export wrote) asks for them.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

import attrs

from conversation_clients.cli.checkpoint import CHECKPOINT_NAME
from conversation_clients.cli.command_clients import planned_connection
from conversation_clients.cli.command_errors import ExportWriteError, UnknownTargetError
from conversation_clients.cli.command_pages import CommandPages
from conversation_clients.cli.console import Console
from conversation_clients.cli.exit_codes import ExitCode, UsageError, exit_code_for
from conversation_clients.cli.export_plan import plan_export
from conversation_clients.cli.export_progress import ExportProgress, live_display, summary_lines
from conversation_clients.cli.parsed_arguments import ExportArguments
from conversation_clients.cli.wording import Target, target_name
from conversation_clients.errors import NotFoundError

if TYPE_CHECKING:
    from distributed import Client

    from conversation_clients.dask import Destination, TargetOutcome

__all__ = ["DASK_MANIFEST_NAME", "ClusterSpec", "cluster_spec", "run_dask_export", "wants_dask"]

#: The manifest a ``--dask`` export writes in its folder (``conversation_clients.dask.MANIFEST_NAME``;
#: named here too, so that a plain export can tell such a folder without the extra installed).
DASK_MANIFEST_NAME: Final = "export-manifest.json"
EXTRA_HINT: Final = "pip install 'conversation-clients[dask]'"
#: How long to wait for a scheduler given by address.
CONNECT_TIMEOUT_SECONDS: Final = 30


@attrs.frozen
class ClusterSpec:
    """Where ``--dask`` runs the tasks: a local cluster of ``workers`` processes (None: one per core), or ``address``."""

    workers: int | None = None
    address: str | None = None


def cluster_spec(text: str) -> ClusterSpec:
    """``--dask``'s value: ``local``, ``local:N`` or a scheduler's address (``tcp://HOST:PORT``, ``tls://...``).

    >>> cluster_spec("local:2"), cluster_spec("tcp://10.0.0.5:8786").address
    (ClusterSpec(workers=2, address=None), 'tcp://10.0.0.5:8786')
    >>> cluster_spec("local:0")
    Traceback (most recent call last):
    ...
    conversation_clients.cli.command_errors.UsageError: --dask: 'local:0' is not local, local:N (N >= 1) or a scheduler address such as tcp://HOST:8786
    """
    name, colon, count = text.partition(":")
    if name == "local" and not colon:
        return ClusterSpec()
    if name == "local" and count.isdigit() and int(count) >= 1:
        return ClusterSpec(workers=int(count))
    scheme, separator, rest = text.partition("://")
    if separator and scheme.isalnum() and rest and not rest.startswith("/"):
        return ClusterSpec(address=text)
    raise UsageError(
        f"--dask: {text[:64]!r} is not local, local:N (N >= 1) or a scheduler address such as tcp://HOST:8786"
    )


def wants_dask(arguments: ExportArguments) -> bool:
    """Whether the export is :func:`run_dask_export`'s: ``--dask``, an ``--out`` URL, or a folder a ``--dask`` export wrote."""
    out = arguments.out
    return arguments.dask is not None or "://" in out or (Path(out) / DASK_MANIFEST_NAME).exists()


def _require_extra() -> None:
    try:
        importlib.import_module("conversation_clients.dask")  # it says which package of the extra is missing
    except ImportError as error:
        raise UsageError(
            f"--dask needs the dask extra ({error.name or 'distributed'} is not installed): {EXTRA_HINT}"
        ) from None


@contextlib.contextmanager
def _connected(spec: ClusterSpec) -> Generator[Client]:
    """A Dask client: of a new local cluster (closed after the block), or of the scheduler at ``spec.address``."""
    from distributed import Client, LocalCluster

    if spec.address is None:
        # one thread a worker: a worker process lists one target at a time. No dashboard, and the
        # scheduler's HTTP server (health checks) on a free loopback port: 8787 may be taken.
        cluster: Any = LocalCluster(
            n_workers=spec.workers,
            threads_per_worker=1,
            processes=True,
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.ERROR,
        )
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(spec.address, timeout=CONNECT_TIMEOUT_SECONDS)
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"--dask {spec.address}: cannot reach the scheduler: {error}") from None
    with client:
        yield client


def _destination(arguments: ExportArguments) -> Destination:
    """``--out`` as a destination (a plain directory as its absolute path), checked to be no plain export's."""
    from conversation_clients.dask import Destination, DestinationError

    out = arguments.out
    destination = Destination(out if "://" in out else str(Path(out).expanduser().resolve()))
    try:
        plain = destination.open().exists(CHECKPOINT_NAME)
    except DestinationError as error:
        raise UsageError(f"--out {error}") from None
    except OSError as error:
        raise UsageError(f"cannot export to --out {destination.shown}: {error}") from None
    if plain:
        raise UsageError(
            f"{destination.shown} holds {CHECKPOINT_NAME}, an export's without --dask: "
            "finish it without --dask, or use another --out"
        )
    return destination


def run_dask_export(
    arguments: ExportArguments, environ: Mapping[str, str], console: Console, *, live: TextIO | None
) -> int:
    """An export on Dask: check the arguments, the folder and the credentials, then run each target as a task.

    ``live``: the terminal to draw the progress on (None: only the summary, on ``console``).
    """
    if arguments.dask is None:
        where = "an fsspec URL" if "://" in arguments.out else f"a folder a --dask export wrote ({DASK_MANIFEST_NAME})"
        raise UsageError(f"--out {arguments.out} is {where}: give --dask (local:N, or a scheduler's address)")
    spec = cluster_spec(arguments.dask)
    _require_extra()
    from conversation_clients.dask import ExportMismatch, LayoutError, export_targets, prepare_export

    command = arguments.command
    plan = plan_export(arguments)
    destination = _destination(arguments)
    files = [target.file for target in plan.targets]
    names = {
        target.file: (target_name(arguments.export.targets, target.ids), len(target.ids)) for target in plan.targets
    }
    # the targets may change from run to run: each has its own checkpoint
    fingerprint = {key: value for key, value in plan.fingerprint.items() if key != "targets"}
    try:  # before any cluster starts: a folder of another export is refused at once
        prepare_export(destination, files, fingerprint=fingerprint)
    except ExportMismatch as error:
        raise UsageError(f"{error}; move it aside to start again, or use another --out") from None
    except (LayoutError, OSError) as error:
        raise UsageError(f"cannot export to --out {destination.shown}: {error}") from None
    with contextlib.ExitStack() as stack:
        # the credentials are checked here, before a cluster starts (each worker reads its own
        # environment); a sandbox is served on loopback, which the local cluster's workers reach
        credentials, base_url = planned_connection(command, plan, environ, stack)
        pages = CommandPages(
            command,
            base_url=base_url,
            held=plan.held,
            credential=plan.credential,
            sandbox=plan.sandbox is not None,
            max_retries=arguments.max_retries,
            max_response_bytes=arguments.max_response_bytes,
            page_timeout=arguments.page_timeout,
            rate_limit=plan.rate_limit,
        )
        progress = ExportProgress.of(files, finished_before=set())

        def ended(outcome: TargetOutcome) -> None:
            counts = progress.targets[outcome.file]
            counts.pages, counts.items, counts.finished = outcome.pages, outcome.written, outcome.finished
            if outcome.error is not None:
                progress.failed(outcome.file, _failure(outcome, names[outcome.file], destination))

        interrupted = False
        report = None
        with live_display(progress, live, command.noun):
            try:
                client = stack.enter_context(_connected(spec))
                report = export_targets(
                    pages,
                    {file: plan.calls[file] for file in files},
                    destination,
                    client=client,
                    fingerprint=fingerprint,
                    on_outcome=ended,
                )
            except KeyboardInterrupt:
                interrupted = True
            except ExportMismatch as error:
                raise UsageError(f"{error}; move it aside to start again, or use another --out") from None
            except LayoutError as error:
                raise UsageError(f"cannot read {error}; move it aside to start again, or use another --out") from None
            except OSError as error:  # the driver's own reads and writes: the manifest, the checkpoints
                raise UsageError(f"cannot export to --out {destination.shown}: {error}") from None
        target_info = Target(command.vendor_title, credentials.source, command.resume_option.flag)
        for line in summary_lines(progress, destination.shown, target_info, interrupted=interrupted):
            console.line(line)
        if interrupted or report is None:
            return ExitCode.INTERRUPTED
        for outcome in report.outcomes.values():
            if outcome.error is not None:  # the first failure's code; a failed write is its own line and code
                failure = _failure(outcome, names[outcome.file], destination)
                if isinstance(failure, ExportWriteError):
                    raise failure
                return exit_code_for(outcome.error)  # a 404's is the API error's, as without --dask
        return ExitCode.OK
    raise AssertionError("unreachable")  # pragma: no cover - ExitStack does not swallow exceptions


def _failure(outcome: TargetOutcome, name: tuple[str, int], destination: Destination) -> BaseException:
    """What stopped a target, as the one-machine export words it: a storage error (after the tasks' retries)
    is a failed write, a 404 before any page an unknown target."""
    error = outcome.error
    assert error is not None
    if isinstance(error, OSError):
        return ExportWriteError(error.filename or destination.shown + "/" + outcome.file, error.strerror or str(error))
    if isinstance(error, NotFoundError) and outcome.pages == 0:
        return UnknownTargetError(*name, error)
    return error
