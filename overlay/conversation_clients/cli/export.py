"""``conversation-clients VENDOR export``: one listing across many targets into files, resumably.

:func:`run_export` is the one runner of every vendor's export: it reads the listing command
the export is declared on (``ListCommand.export``, an :class:`~conversation_clients.cli.commands.Export`),
plans it (:mod:`~conversation_clients.cli.export_plan`: the targets, their files, each one's
call), lists every target with :func:`~conversation_clients.fleet.fan_out_sync` and appends each
page to the target's JSON Lines file, then records it in the checkpoint
(:mod:`conversation_clients.cli.checkpoint`, which says why that order makes it exactly-once),
counting and drawing as it goes (:mod:`~conversation_clients.cli.export_progress`).
Nothing here names a vendor.

A write that fails (a full disk, a quota, a read-only or failing disk) ends the export with
:class:`~conversation_clients.cli.command_errors.ExportWriteError` (exit 9): the checkpoint still
vouches for what was written, so the same command resumes. A target the API does not know (a
404 before any of its pages) gets no file and leaves the checkpoint, so the export can be run
again without it.

Sync fan-out, not async: the clients a command opens are the sync ones its declaration names,
and every page's writes (append, fsync, checkpoint) are blocking file I/O done in order on one
thread; the listings run on the fan-out's threads, and the waits are the network's.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

import conversation_clients.cli.checkpoint as _checkpoint
from conversation_clients.cli.checkpoint import Checkpoint, CheckpointError, CheckpointMismatch, TargetProgress
from conversation_clients.cli.command_clients import open_planned_client
from conversation_clients.cli.command_errors import ExportWriteError, UnknownTargetError
from conversation_clients.cli.console import Console, writer_for
from conversation_clients.cli.exit_codes import ExitCode, UsageError, exit_code_for
from conversation_clients.cli.export_plan import ExportPlan, plan_export
from conversation_clients.cli.export_progress import ExportProgress, live_display, summary_lines
from conversation_clients.cli.parsed_arguments import ExportArguments
from conversation_clients.cli.tables import ItemTable
from conversation_clients.cli.wording import Target, target_name
from conversation_clients.errors import ConversationClientError, NotFoundError
from conversation_clients.fleet import TargetFailure, TargetPage, fan_out_sync
from conversation_clients.pagination import Page, SyncPager

__all__ = ["prepare_directory", "run_export"]


class _PageBytes:
    """A page's items as ``list`` prints them (its JSON Lines writer, to bytes)."""

    def __init__(self, table: ItemTable[Any]) -> None:
        self._buffer = io.BytesIO()
        stream = io.TextIOWrapper(self._buffer, encoding="utf-8", newline="\n", write_through=True)
        self._writer = writer_for("jsonl", stream, table)

    def __call__(self, page: Page[Any]) -> bytes:
        self._writer.write(self._writer.items_of(page))  # each item as the server sent it
        data = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return data


@contextlib.contextmanager
def _writing(path: Path) -> Generator[None]:
    """Turn an ``OSError`` of the block into :class:`ExportWriteError` naming ``path`` and the system's reason."""
    try:
        yield
    except OSError as error:
        raise ExportWriteError(str(path), error.strerror or str(error)) from error


def prepare_directory(directory: Path, plan: ExportPlan) -> Checkpoint:
    """Make ``directory`` ready: its checkpoint (this export's, or a new one), each unfinished file cut back to it.

    No file is cut back, or written, unless the checkpoint names it: a checkpoint that cannot be
    read, or is another export's, and a target's file the checkpoint does not hold, are
    :class:`UsageError` before anything is touched.
    """
    where = directory / _checkpoint.CHECKPOINT_NAME
    start_again = f"move {where} and the export's files aside to start again, or use another --out"
    try:
        loaded = _checkpoint.load(directory)
    except (CheckpointError, OSError) as error:
        raise UsageError(f"cannot read the checkpoint {where}: {error}; {start_again}") from None
    files = [target.file for target in plan.targets]
    try:
        checkpoint = _checkpoint.reconcile(loaded or Checkpoint.start(plan.fingerprint, ()), plan.fingerprint, files)
    except CheckpointMismatch as different:
        raise UsageError(f"{where} was written by a different export ({different}); {start_again}") from None
    held: set[str] = set() if loaded is None else set(loaded.targets)
    present = [file for file in files if file not in held and (directory / file).exists()]
    if present:
        vouching = "no checkpoint" if loaded is None else f"no entry in {where}"
        raise UsageError(
            f"{directory} holds {present[0]} but {vouching}: it is not this export's; move it aside or use another --out"
        )
    if checkpoint != loaded:
        with _writing(where):
            _checkpoint.save(directory, checkpoint)
    for file, recorded in checkpoint.targets.items():
        if not recorded.finished:
            with _writing(directory / file):
                try:
                    _checkpoint.truncate(directory / file, recorded.offset)  # drops what came after the checkpoint
                except CheckpointError as error:
                    raise UsageError(f"{directory}: {error}; {start_again}") from None
    return checkpoint


def _write_pages(
    results: Iterator[TargetPage[str, Any] | TargetFailure[str]],
    directory: Path,
    checkpoint: Checkpoint,
    progress: ExportProgress,
    page_bytes: Callable[[Page[Any]], bytes],
    names: Mapping[str, tuple[str, int]],
) -> ConversationClientError | None:
    """Each page: its lines appended and fsynced, then the checkpoint replaced. Returns the first failure.

    ``names``: each file's target in words and its number of ids, for a target the API does not
    know. A failed write raises :class:`ExportWriteError`.
    """
    where = directory / _checkpoint.CHECKPOINT_NAME
    first_failure: ConversationClientError | None = None
    for result in results:
        if isinstance(result, TargetFailure):
            file, error = result.target, result.error
            failure: BaseException = error
            if isinstance(error, NotFoundError) and checkpoint.targets[file] == TargetProgress():
                # an unknown id: no file, no entry (a rerun without it is the same export), no rerun advice
                with _writing(directory / file):
                    (directory / file).unlink(missing_ok=True)  # empty: a crash before its first checkpoint
                checkpoint = _checkpoint.without(checkpoint, file)
                with _writing(where):
                    _checkpoint.save(directory, checkpoint)
                failure = UnknownTargetError(*names[file], error)
            progress.failed(file, failure)
            first_failure = first_failure or error
            continue
        file, page = result.target, result.page
        with _writing(directory / file):
            offset = _checkpoint.append_durably(directory / file, page_bytes(page))
        checkpoint = _checkpoint.page_written(checkpoint, file, next_token=page.next_token, offset=offset)
        with _writing(where):
            _checkpoint.save(directory, checkpoint)
        progress.page_written(file, len(page.items), finished=page.next_token is None)
    return first_failure


def run_export(arguments: ExportArguments, environ: Mapping[str, str], console: Console, *, live: TextIO | None) -> int:
    """An export: check the arguments and the checkpoint, then the credentials, then list every target into its file.

    ``live``: the terminal to draw the progress on (None: only the summary, on ``console``). With
    ``--dask`` (or an ``--out`` URL), :func:`~conversation_clients.cli.dask_export.run_dask_export` runs it.
    """
    from conversation_clients.cli.dask_export import run_dask_export, wants_dask  # Dask itself only when wanted

    if wants_dask(arguments):
        return run_dask_export(arguments, environ, console, live=live)
    command = arguments.command
    plan = plan_export(arguments)
    directory = Path(arguments.out)
    with contextlib.ExitStack() as stack:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            stack.enter_context(_checkpoint.exclusive(directory))
        except (OSError, CheckpointError) as error:
            raise UsageError(f"cannot export to --out {directory}: {error}") from None
        checkpoint = prepare_directory(directory, plan)
        to_run = [target.file for target in plan.targets if not checkpoint.targets[target.file].finished]
        resume = {file: checkpoint.targets[file].token for file in to_run}

        client, credentials = open_planned_client(arguments, plan, environ, stack)
        method = getattr(client, command.method)
        resume_parameter = command.resume_option.parameter

        def listing(file: str, token: str | None) -> SyncPager[Any]:
            pager: SyncPager[Any] = method(**plan.calls[file], **{resume_parameter: token})
            return pager

        files = [target.file for target in plan.targets]
        progress = ExportProgress.of(files, finished_before={file for file in files if file not in resume})
        names = {
            target.file: (target_name(arguments.export.targets, target.ids), len(target.ids)) for target in plan.targets
        }
        first_failure: ConversationClientError | None = None
        interrupted = False
        write_failure: ExportWriteError | None = None
        with live_display(progress, live, command.noun):
            try:
                fanned = fan_out_sync(to_run, listing, concurrency=arguments.concurrency, resume=resume)
                results = stack.enter_context(contextlib.closing(fanned))
                page_bytes = _PageBytes(command.table)
                first_failure = _write_pages(results, directory, checkpoint, progress, page_bytes, names)
            except KeyboardInterrupt:
                interrupted = True
            except ExportWriteError as error:
                write_failure = error
        target_info = Target(command.vendor_title, credentials.source, command.resume_option.flag)
        stopped = interrupted or write_failure is not None
        for line in summary_lines(progress, str(directory), target_info, interrupted=stopped):
            console.line(line)
        if write_failure is not None:
            raise write_failure  # its own line and exit code, after the summary
        if interrupted:
            return ExitCode.INTERRUPTED
        if first_failure is not None:
            return exit_code_for(first_failure)
        return ExitCode.OK
    raise AssertionError("unreachable")  # pragma: no cover - ExitStack does not swallow exceptions
