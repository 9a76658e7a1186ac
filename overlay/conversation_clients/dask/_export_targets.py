"""The export past one machine: :func:`export_targets` runs each target as a Dask task.

The driver (the process calling it) checks the folder is this export's (its manifest), reads
each target's checkpoint, and submits one task per target not yet finished
(:func:`~conversation_clients.dask._target_task.export_target`), then gathers how each ended
(:class:`ExportReport`).

**One task per target at a time.** A target's task has a key of its own, the same in every run
of the export into the same folder (:func:`task_key`): a Dask cluster runs a key once at a time,
so two clients exporting the same folder through one scheduler share the task rather than
running it twice, and a target's requests (its rate limit) stay with the one task listing it.
A retry that starts while the attempt before it still runs (a worker presumed dead that is not:
a zombie) takes the target's lease in its checkpoint, and the zombie stops at its next write.

**Retries.** A task whose worker dies is run again by the scheduler (up to
``distributed.scheduler.allowed-failures`` times, 3 by default); one that raises (the storage
failing, the listing function's own error) is run again up to ``retries`` times. Each run goes
on from the target's checkpoint. An API error is not retried by Dask (the client's own retries
were spent): it ends the target, as the one-machine export does, and the next run of the export
resumes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import distributed

from conversation_clients.dask._destination import Destination
from conversation_clients.dask._part_store import TargetCheckpoint, TargetStore, check_target_name, prepare_folder
from conversation_clients.dask._target_task import PageBytes, PagesOf, TargetOutcome, export_target, json_lines

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["ExportReport", "export_targets", "prepare_export", "task_key"]

TargetT = TypeVar("TargetT")
# distributed leaves much of its Client unannotated (and typed for its sync and async uses at once):
# used through Any, here only
_DISTRIBUTED: Any = distributed


@attrs.frozen
class ExportReport:
    """How an export run ended: each target's :class:`TargetOutcome`, by file, in the targets' order.

    >>> report = ExportReport(Destination("memory://x"), {"a": TargetOutcome("a", finished=True, written=3)})
    >>> report.complete, report.written, report.unfinished
    (True, 3, [])
    """

    destination: Destination
    outcomes: Mapping[str, TargetOutcome]

    @property
    def complete(self) -> bool:
        """Every target is finished (in this run or before)."""
        return all(outcome.finished for outcome in self.outcomes.values())

    @property
    def unfinished(self) -> list[str]:
        """The targets not finished."""
        return [file for file, outcome in self.outcomes.items() if not outcome.finished]

    @property
    def written(self) -> int:
        """Items written in this run, every target's."""
        return sum(outcome.written for outcome in self.outcomes.values())

    @property
    def failures(self) -> dict[str, BaseException]:
        """What stopped each target that failed."""
        return {file: outcome.error for file, outcome in self.outcomes.items() if outcome.error is not None}


def task_key(destination: Destination, file: str) -> str:
    """The Dask key of ``file``'s task: the same for every run into the same folder, and no secret in it.

    >>> task_key(Destination("s3://bucket/out"), "bird-w1.jsonl")
    'export-target-bird-w1.jsonl-f5952de122d35977'
    """
    digest = hashlib.sha256(f"{destination.url}\0{file}".encode()).hexdigest()[:16]
    return f"export-target-{file}-{digest}"


def _client(client: Client | None) -> Client:
    if client is not None:
        return client
    try:
        found: Client = _DISTRIBUTED.get_client()
        return found
    except ValueError:
        raise ValueError("no Dask client: pass client=, or create a distributed.Client first") from None


def prepare_export(
    out: str | Destination, files: Iterable[str], *, fingerprint: Mapping[str, Any] | None = None
) -> Destination:
    """Make ``out`` the folder of this export before anything runs (:func:`export_targets` does it first):
    its manifest written, or the one there checked. Returns the destination.

    :class:`~conversation_clients.dask.ExportMismatch` for a folder of a different export (another
    ``fingerprint``) or one holding a target's file but no manifest; ``ValueError`` for a file
    name that is not a plain one. Another scheduler's pipeline (an Airflow DAG) runs it as its
    first task, before one :func:`~conversation_clients.dask.export_target` task per target.

    >>> prepare_export("memory://docs/prepared", ["bird-w1.jsonl"], fingerprint={"limit": "7"})
    Destination('memory://docs/prepared')
    """
    names = [check_target_name(file) for file in files]
    destination = out if isinstance(out, Destination) else Destination(out)
    prepare_folder(destination.open(), fingerprint or {}, names)
    return destination


def export_targets(
    pages_of: PagesOf[TargetT],
    targets: Mapping[str, TargetT],
    out: str | Destination,
    *,
    client: Client | None = None,
    retries: int = 3,
    page_bytes: PageBytes = json_lines,
    fingerprint: Mapping[str, Any] | None = None,
    on_outcome: Callable[[TargetOutcome], None] | None = None,
) -> ExportReport:
    """Export each target (``targets``: its file name, then what ``pages_of`` lists it with) as a Dask task
    into ``out`` (an fsspec URL, or a :class:`Destination` with storage options); resumable.

    ``pages_of(target, token)`` lists one target page by page from ``token`` (None: from the
    start), on a worker; each page becomes JSON Lines (``page_bytes``; by default
    :func:`~conversation_clients.dask.json_lines`, as the command line writes them). Run again with the same arguments,
    it goes on where each target stopped, and every item ends up in its target's file once.
    ``fingerprint`` (JSON values) is what makes two runs the same export (a run into a folder
    with another one is refused: :class:`~conversation_clients.dask.ExportMismatch`); the targets
    may change from run to run.
    ``client``: the Dask client (default: the current one). ``retries``: how often a task that
    raises is run again. ``on_outcome`` is called in the driver as each target ends.

    Example (a local cluster of two worker processes; workers read the key from their environment)::

        import os
        from distributed import Client, LocalCluster
        from conversation_clients import BirdClient
        from conversation_clients.dask import export_targets

        def conversations(workspace_id: str, token: str | None):
            with BirdClient(access_key=os.environ["BIRD_ACCESS_KEY"]) as bird:
                yield from bird.list_conversations(workspace_id, page_token=token).pages()

        with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
            report = export_targets(conversations, {f"bird-{w}.jsonl": w for w in workspaces}, "s3://bucket/export")
        assert report.complete, report.failures
    """
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"retries must be a whole number >= 0, got {retries!r}")
    files = list(targets)
    destination = prepare_export(out, files, fingerprint=fingerprint)
    storage = destination.open()
    before = {file: TargetStore(storage, file).load() for file in files}
    outcomes: dict[str, TargetOutcome] = {}

    def ended(outcome: TargetOutcome) -> None:
        checkpoint = before[outcome.file]
        outcome = attrs.evolve(outcome, written=outcome.items - (0 if checkpoint is None else checkpoint.items))
        outcomes[outcome.file] = outcome
        if on_outcome is not None:
            on_outcome(outcome)

    to_run: list[str] = []
    for file, checkpoint in before.items():
        if checkpoint is not None and checkpoint.state == "finished":
            ended(attrs.evolve(TargetOutcome.of(checkpoint), ran=False, items=checkpoint.items))
        else:
            to_run.append(file)
    if to_run:

        def failed(file: str, error: BaseException) -> TargetOutcome:
            # what its checkpoint vouches for, though its task failed
            checkpoint = TargetStore(storage, file).load() or TargetCheckpoint(file)
            return TargetOutcome.of(checkpoint, error=error)

        _run(_client(client), to_run, targets, pages_of, destination, page_bytes, retries, ended, failed)
    return ExportReport(destination, {file: outcomes[file] for file in files})


def _run(
    client: Any,
    files: list[str],
    targets: Mapping[str, Any],
    pages_of: PagesOf[Any],
    destination: Destination,
    page_bytes: PageBytes,
    retries: int,
    ended: Callable[[TargetOutcome], None],
    failed: Callable[[str, BaseException], TargetOutcome],
) -> None:
    """Submit each target's task, then report each as it ends; interrupted, cancel them."""
    futures: dict[str, Any] = {}
    try:
        for file in files:
            futures[file] = client.submit(
                export_target,
                file,
                targets[file],
                pages_of,
                destination,
                page_bytes,
                key=task_key(destination, file),
                retries=retries,
                pure=False,
            )
        by_key = {future.key: file for file, future in futures.items()}
        for future in _DISTRIBUTED.as_completed(list(futures.values())):
            file = by_key[future.key]
            try:
                outcome: TargetOutcome = future.result()
            except Exception as error:  # noqa: BLE001 - the task failed past its retries: the target's failure
                outcome = failed(file, error)
            ended(outcome)
    except BaseException:
        # interrupted (Ctrl-C) or failing: the tasks are not to go on without anyone waiting for them
        client.cancel(list(futures.values()))
        raise
