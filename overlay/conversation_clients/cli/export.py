"""``conversation-clients VENDOR export``: one listing across many targets into files, resumably.

:func:`run_export` is the one runner of every vendor's export: it reads the listing command
the export is declared on (``ListCommand.export``, an :class:`~conversation_clients.cli.commands.Export`),
lists every target with :func:`~conversation_clients.fleet.fan_out_sync` and appends each page
to the target's JSON Lines file, then records it in the checkpoint
(:mod:`conversation_clients.cli.checkpoint`, which says why that order makes it exactly-once).
Nothing here names a vendor.

Sync fan-out, not async: the clients a command opens are the sync ones its declaration names,
and every page's writes (append, fsync, checkpoint) are blocking file I/O done in order on one
thread; the listings run on the fan-out's threads, and the waits are the network's.

The decisions are plain functions (:func:`target_file_name`, :func:`export_targets`,
:func:`fingerprint`, :func:`rate_limit_for`, :func:`summary_lines`); :class:`ExportProgress`
counts; the live display (rich, imported only when a terminal shows it) draws the counts.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, TextIO

import attrs

import conversation_clients.cli.checkpoint as _checkpoint
from conversation_clients.cli.checkpoint import Checkpoint, CheckpointError
from conversation_clients.cli.commands import ClientSettings, Export, ListCommand, Option, Role
from conversation_clients.cli.console import Console, writer_for
from conversation_clients.cli.exit_codes import ExitCode, UsageError, exit_code_for
from conversation_clients.cli.messages import Target, error_message, usage_errors
from conversation_clients.cli.parser import ExportArguments, arguments_by_role
from conversation_clients.cli.sandbox_settings import SandboxSettings
from conversation_clients.cli.serving import serve_sandbox
from conversation_clients.cli.tables import ItemTable
from conversation_clients.errors import ConversationClientError
from conversation_clients.fleet import TargetFailure, TargetPage, fan_out_sync
from conversation_clients.pagination import SyncPager
from conversation_clients.ratelimit import RateLimit, RateLimiter

__all__ = [
    "ExportPlan",
    "ExportProgress",
    "ExportTarget",
    "export_targets",
    "fingerprint",
    "plan_export",
    "prepare_directory",
    "rate_limit_for",
    "run_export",
    "summary_lines",
    "target_file_name",
]

# What a target's id may hold to become part of a file name: no separator, no "..", no surprise.
_SAFE_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_REFRESHES_PER_SECOND: Final = 4


@attrs.frozen
class ExportTarget:
    """One target of an export: its ids (in the order of ``Export.targets``), its file, its parsed values.

    ``values`` holds each target option's parsed value by ``dest``, as the listing takes them.
    """

    ids: tuple[str, ...]
    file: str
    values: Mapping[str, Any] = attrs.field(eq=False, repr=False)


def target_file_name(vendor: str, ids: Sequence[str]) -> str:
    """The JSON Lines file of the target named by ``ids``; :class:`UsageError` for an id unfit for a file name.

    >>> target_file_name("omnichannel", ["11111111-2222-3333-4444-555555555555", "c1"])
    'omnichannel-11111111-2222-3333-4444-555555555555-c1.jsonl'
    >>> target_file_name("bird", ["../etc"])
    Traceback (most recent call last):
    ...
    conversation_clients.cli.errors.UsageError: '../etc' cannot name an export file: use letters, digits, '.', '_' and '-'
    """
    for value in ids:
        if not _SAFE_ID.fullmatch(value):
            raise UsageError(f"{value[:64]!r} cannot name an export file: use letters, digits, '.', '_' and '-'")
    return "-".join([vendor, *ids]) + ".jsonl"


def _parsed(option: Option, text: str) -> Any:
    if option.parse is None:
        return text
    try:
        return option.parse(text)
    except (ValueError, TypeError, argparse.ArgumentTypeError) as error:
        raise UsageError(f"{option.flag}: {error}") from None


def ids_from_file(text: str) -> list[str]:
    """The ids of a ``--...-ids-file``: one a line, blank lines and ``#`` comments skipped.

    >>> ids_from_file("w1\\n\\n# old ones\\n  w2  # the second\\n")
    ['w1', 'w2']
    """
    ids = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [value for value in ids if value]


def export_targets(
    command: ListCommand, arguments: ExportArguments, sandbox: SandboxSettings | None, file_ids: Sequence[str] = ()
) -> list[ExportTarget]:
    """The targets of an export: the repeated option's values (then ``file_ids``), each with the others' values.

    Duplicates are dropped, first one kept; with ``--sandbox`` a target option not given takes
    the sandbox's value. A required one missing otherwise is a :class:`UsageError`.
    """
    export = arguments.export
    options = {option.flag: option for option in command.all_options}
    fixed: dict[str, Any] = {}
    for flag in export.targets[:-1]:
        option = options[flag]
        value = arguments.value(option)
        if value is None and sandbox is not None and option.sandbox_value is not None:
            value = option.sandbox_value(sandbox)
        if value is None:
            raise UsageError(f"{flag} is required")
        fixed[option.dest] = value
    repeated = options[export.repeated]
    given: list[Any] = [*(arguments.value(repeated) or ()), *(_parsed(repeated, text) for text in file_ids)]
    if not given and sandbox is not None and repeated.sandbox_value is not None:
        given = [repeated.sandbox_value(sandbox)]
    if not given:
        hint = "" if sandbox is not None else " (or use --sandbox to try the embedded demo data)"
        raise UsageError(f"{repeated.flag} (or {repeated.flag}s-file) is required{hint}")
    targets: dict[str, ExportTarget] = {}
    for value in given:
        values = {**fixed, repeated.dest: value}
        ids = tuple(str(values[options[flag].dest]) for flag in export.targets)
        file = target_file_name(command.vendor, ids)
        targets.setdefault(file, ExportTarget(ids, file, values))
    return list(targets.values())


def fingerprint(
    command: ListCommand, export: Export, targets: Sequence[ExportTarget], data_options: Mapping[str, Any], origin: str
) -> dict[str, Any]:
    """What makes two exports the same: vendor, command, where from, the targets, the options that change the data.

    ``origin`` is the base URL (``"sandbox"`` for ``--sandbox``, whose port changes each run).

    >>> from conversation_clients.cli.bird import COMMANDS
    >>> bird_list = COMMANDS.command("list")
    >>> fingerprint(bird_list, bird_list.export, [], {"limit": 5, "reverse": None}, "sandbox")["options"]
    {'limit': '5'}
    """
    return {
        "vendor": command.vendor,
        "command": export.name,
        "origin": origin,
        "targets": sorted(target.file for target in targets),
        "options": {name: str(value) for name, value in sorted(data_options.items()) if value is not None},
    }


def rate_limit_for(
    export: Export, *, per_target: float | None, overall: float | None, disabled: bool
) -> RateLimit | None:
    """The export's limit: its vendor's preset, with ``--rate-per-target`` / ``--rate-overall`` in its place.

    >>> from conversation_clients.bird import BIRD_RATE_LIMIT
    >>> export = Export(help="h", targets=("--workspace-id",), rate_limit=BIRD_RATE_LIMIT)
    >>> rate_limit_for(export, per_target=None, overall=100.0, disabled=False)
    RateLimit(per_target=50.0, overall=100.0, burst=1, decrease=0.5, recovery=0.05, min_fraction=0.05)
    >>> rate_limit_for(export, per_target=None, overall=None, disabled=True) is None
    True
    >>> rate_limit_for(attrs.evolve(export, rate_limit=None), per_target=None, overall=None, disabled=False) is None
    True
    """
    preset = export.rate_limit
    per_target = per_target if per_target is not None or preset is None else preset.per_target
    overall = overall if overall is not None or preset is None else preset.overall
    if disabled or (per_target is None and overall is None):
        return None
    if preset is None:
        return RateLimit(per_target=per_target, overall=overall)
    return attrs.evolve(preset, per_target=per_target, overall=overall)


# -- progress --------------------------------------------------------------------------------


@attrs.define
class TargetCounts:
    """One target's counts in this run."""

    pages: int = 0
    items: int = 0
    errors: int = 0
    finished: bool = False
    failure: BaseException | None = None


@attrs.define
class ExportProgress:
    """The counts of an export run, per target (by file) and in total; no I/O.

    >>> progress = ExportProgress.of(["a.jsonl", "b.jsonl"], finished_before={"b.jsonl"}, clock=lambda: 10.0)
    >>> progress.page_written("a.jsonl", 25, finished=True)
    >>> progress.total.items, progress.finished_files, progress.unfinished_files
    (25, ['a.jsonl', 'b.jsonl'], [])
    """

    targets: dict[str, TargetCounts]
    started: float
    clock: Any = time.monotonic

    @classmethod
    def of(cls, files: Sequence[str], *, finished_before: set[str], clock: Any = time.monotonic) -> ExportProgress:
        """The progress of a run over ``files``, those in ``finished_before`` already done."""
        targets = {file: TargetCounts(finished=file in finished_before) for file in files}
        return cls(targets, clock(), clock)

    def page_written(self, file: str, items: int, *, finished: bool) -> None:
        """A page of ``items`` was written to ``file``."""
        counts = self.targets[file]
        counts.pages += 1
        counts.items += items
        counts.finished = finished

    def failed(self, file: str, error: BaseException) -> None:
        """``file``'s target failed with ``error``."""
        counts = self.targets[file]
        counts.errors += 1
        counts.failure = error

    @property
    def total(self) -> TargetCounts:
        """Every target's counts added up (``finished``: all are)."""
        every = self.targets.values()
        return TargetCounts(
            pages=sum(counts.pages for counts in every),
            items=sum(counts.items for counts in every),
            errors=sum(counts.errors for counts in every),
            finished=all(counts.finished for counts in every),
        )

    def rate(self, counts: TargetCounts) -> float:
        """Items a second over this run."""
        elapsed = self.clock() - self.started
        return counts.items / elapsed if elapsed > 0 else 0.0

    @property
    def finished_files(self) -> list[str]:
        """The targets done (in this run or before)."""
        return [file for file, counts in self.targets.items() if counts.finished]

    @property
    def unfinished_files(self) -> list[str]:
        """The targets not done."""
        return [file for file, counts in self.targets.items() if not counts.finished]


def summary_lines(progress: ExportProgress, out: str, target: Target, *, interrupted: bool) -> list[str]:
    """What the export prints when it ends: one line for the whole, one per target not finished.

    >>> progress = ExportProgress.of(["a.jsonl", "b.jsonl"], finished_before=set(), clock=lambda: 0.0)
    >>> progress.page_written("a.jsonl", 3, finished=True)
    >>> for line in summary_lines(progress, "out", Target("Bird", "KEY", "--page-token"), interrupted=True):
    ...     print(line)
    export: 1 of 2 targets finished (3 items written in this run, to out)
    not finished: b.jsonl (interrupted)
    run the same command again to go on where each target stopped
    """
    total = progress.total
    lines = [
        f"export: {len(progress.finished_files)} of {len(progress.targets)} targets finished "
        f"({total.items} items written in this run, to {out})"
    ]
    for file in progress.unfinished_files:
        failure = progress.targets[file].failure
        why = error_message(failure, target) if failure is not None else "interrupted" if interrupted else "not run"
        lines.append(f"not finished: {file} ({why})")
    if progress.unfinished_files:
        lines.append("run the same command again to go on where each target stopped")
    return lines


def _table(progress: ExportProgress, noun: str) -> Any:
    from rich.table import Table

    table = Table(title=f"export: {noun}s", title_justify="left", expand=False)
    table.add_column("target (file)", no_wrap=True)  # the ids whole, or cut at the end: never on two lines
    for heading in ("pages", f"{noun}s", f"{noun}s/s", "errors"):
        table.add_column(heading, justify="right")
    table.add_column("state")

    def row(name: str, counts: TargetCounts) -> list[str]:
        state = "done" if counts.finished else "failed" if counts.failure is not None else "listing"
        rate = f"{progress.rate(counts):.0f}"
        return [name, str(counts.pages), str(counts.items), rate, str(counts.errors), state]

    for file, counts in progress.targets.items():
        table.add_row(*row(file, counts))
    table.add_section()
    table.add_row(*row("total", progress.total))
    return table


@contextlib.contextmanager
def live_display(progress: ExportProgress, stream: TextIO | None, noun: str) -> Generator[None]:
    """Draw ``progress`` on ``stream`` (a terminal) while the block runs; None: draw nothing.

    rich is imported here, and only here: no other command pays for it.
    """
    if stream is None:
        yield
        return
    from rich.console import Console as RichConsole
    from rich.live import Live

    console = RichConsole(file=stream, force_terminal=True)
    with Live(get_renderable=lambda: _table(progress, noun), console=console, refresh_per_second=_REFRESHES_PER_SECOND):
        yield


# -- the runner ------------------------------------------------------------------------------


class _PageBytes:
    """A page's items as ``list`` prints them (its JSON Lines writer, to bytes)."""

    def __init__(self, table: ItemTable[Any]) -> None:
        self._buffer = io.BytesIO()
        stream = io.TextIOWrapper(self._buffer, encoding="utf-8", newline="\n", write_through=True)
        self._writer = writer_for("jsonl", stream, table)

    def __call__(self, items: Sequence[Any]) -> bytes:
        self._writer.write(items)
        data = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return data


@attrs.frozen
class ExportPlan:
    """An export, decided before any I/O but reading the ids file: its targets and each one's call.

    ``calls`` are each target's listing arguments (its target options included, given per call
    whatever their role), by file; ``held`` what the one client holds; ``credential`` the
    credential source's options; ``base_url`` the one given (or the vendor's; None with
    ``--sandbox``, which serves its own).
    """

    targets: tuple[ExportTarget, ...]
    calls: Mapping[str, Mapping[str, Any]]
    held: Mapping[str, Any]
    credential: Mapping[str, Any]
    base_url: str | None
    fingerprint: Mapping[str, Any]
    rate_limit: RateLimit | None
    sandbox: SandboxSettings | None


def plan_export(arguments: ExportArguments) -> ExportPlan:
    """Check an export's arguments (each target's as its listing would) and decide what it does."""
    command, export = arguments.command, arguments.export
    if arguments.sandbox:
        for option in command.all_options:
            if option.refused_with_sandbox and arguments.value(option) is not None:
                raise UsageError(f"{option.flag} cannot be combined with --sandbox, which serves its own")
    sandbox = SandboxSettings.load() if arguments.sandbox else None
    file_ids: list[str] = []
    if arguments.ids_file is not None:
        try:
            file_ids = ids_from_file(Path(arguments.ids_file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read {arguments.ids_file}: {error}") from None
    targets = export_targets(command, arguments, sandbox, file_ids)

    resume_parameter = command.resume_option.parameter  # the checkpoint's token goes there
    target_parameters = {option.parameter for option in command.all_options if option.flag in export.targets}
    calls: dict[str, dict[str, Any]] = {}
    by_role: dict[Role, dict[str, Any]] = {}
    for target in targets:
        by_role = arguments_by_role(arguments.for_target(target.values), sandbox)
        with usage_errors(command.flags):
            command.check(**by_role[Role.CLIENT], **by_role[Role.LISTING])
        per_call = {name: value for name, value in by_role[Role.CLIENT].items() if name in target_parameters}
        listing = {name: value for name, value in by_role[Role.LISTING].items() if name != resume_parameter}
        calls[target.file] = {**listing, **per_call}
    # the options that are not a target's are the same for every target: the last one's will do
    held = {name: value for name, value in by_role[Role.CLIENT].items() if name not in target_parameters}
    data_options = {
        name: value
        for role in (Role.LISTING, Role.CLIENT)
        for name, value in by_role[role].items()
        if name not in target_parameters and name != resume_parameter
    }
    (given_base_url,) = by_role[Role.BASE_URL].values()
    base_url = None if sandbox is not None else (given_base_url or command.default_base_url)
    origin = "sandbox" if sandbox is not None else str(base_url)
    return ExportPlan(
        targets=tuple(targets),
        calls=calls,
        held=held,
        credential=by_role[Role.CREDENTIAL],
        base_url=base_url,
        fingerprint=fingerprint(command, export, targets, data_options, origin),
        rate_limit=rate_limit_for(
            export,
            per_target=arguments.rate_per_target,
            overall=arguments.rate_overall,
            disabled=arguments.no_rate_limit,
        ),
        sandbox=sandbox,
    )


def prepare_directory(directory: Path, plan: ExportPlan) -> Checkpoint:
    """Make ``directory`` ready: its checkpoint (this export's, or a new one), each unfinished file cut back to it."""
    where = directory / _checkpoint.CHECKPOINT_NAME
    try:
        checkpoint = _checkpoint.load(directory)
    except (CheckpointError, OSError) as error:
        raise UsageError(f"cannot read the checkpoint {where}: {error}") from None
    if checkpoint is None:
        present = [target.file for target in plan.targets if (directory / target.file).exists()]
        if present:
            raise UsageError(
                f"{directory} holds {present[0]} but no checkpoint: it is not this export's; choose another --out"
            )
        checkpoint = Checkpoint.start(plan.fingerprint, [target.file for target in plan.targets])
        _checkpoint.save(directory, checkpoint)
    different = _checkpoint.mismatch(checkpoint, plan.fingerprint)
    if different is not None:
        raise UsageError(
            f"{where} was written by a different export ({different}); run that command to finish it, "
            "or choose another --out"
        )
    for file, recorded in checkpoint.targets.items():
        if not recorded.finished:
            try:
                _checkpoint.truncate(directory / file, recorded.offset)  # drops what came after the checkpoint
            except (CheckpointError, OSError) as error:
                raise UsageError(f"{directory}: {error}") from None
    return checkpoint


def _write_pages(
    results: Iterator[TargetPage[str, Any] | TargetFailure[str]],
    directory: Path,
    checkpoint: Checkpoint,
    progress: ExportProgress,
    page_bytes: Callable[[Sequence[Any]], bytes],
) -> ConversationClientError | None:
    """Each page: its lines appended and fsynced, then the checkpoint replaced. Returns the first failure."""
    first_failure: ConversationClientError | None = None
    for result in results:
        if isinstance(result, TargetFailure):
            progress.failed(result.target, result.error)
            first_failure = first_failure or result.error
            continue
        file, page = result.target, result.page
        offset = _checkpoint.append_durably(directory / file, page_bytes(page.items))
        checkpoint = _checkpoint.page_written(checkpoint, file, next_token=page.next_token, offset=offset)
        _checkpoint.save(directory, checkpoint)
        progress.page_written(file, len(page.items), finished=page.next_token is None)
    return first_failure


def run_export(arguments: ExportArguments, environ: Mapping[str, str], console: Console, *, live: TextIO | None) -> int:
    """An export: check the arguments and the checkpoint, then the credentials, then list every target into its file.

    ``live``: the terminal to draw the progress on (None: only the summary, on ``console``).
    """
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

        if plan.sandbox is not None:
            credentials = command.credentials.for_sandbox(plan.sandbox)
            base_url = stack.enter_context(serve_sandbox())
        else:
            credentials = command.credentials.from_environment(environ, stack, plan.credential)
            base_url = str(plan.base_url)
        settings = ClientSettings(
            base_url=base_url,
            credentials=credentials,
            held=plan.held,
            max_retries=arguments.max_retries,
            max_response_bytes=arguments.max_response_bytes,
            page_timeout=arguments.page_timeout,
            prefetch=True,
            rate_limiter=None if plan.rate_limit is None else RateLimiter(plan.rate_limit),
        )
        with usage_errors(command.flags):
            client = stack.enter_context(command.open_client(settings))
        method = getattr(client, command.method)
        resume_parameter = command.resume_option.parameter

        def listing(file: str, token: str | None) -> SyncPager[Any]:
            pager: SyncPager[Any] = method(**plan.calls[file], **{resume_parameter: token})
            return pager

        files = [target.file for target in plan.targets]
        progress = ExportProgress.of(files, finished_before={file for file in files if file not in resume})
        first_failure: ConversationClientError | None = None
        interrupted = False
        with live_display(progress, live, command.noun):
            try:
                fanned = fan_out_sync(to_run, listing, concurrency=arguments.concurrency, resume=resume)
                results = stack.enter_context(contextlib.closing(fanned))
                first_failure = _write_pages(results, directory, checkpoint, progress, _PageBytes(command.table))
            except KeyboardInterrupt:
                interrupted = True
        target_info = Target(command.vendor_title, credentials.source, command.resume_option.flag)
        for line in summary_lines(progress, str(directory), target_info, interrupted=interrupted):
            console.line(line)
        if interrupted:
            return ExitCode.INTERRUPTED
        if first_failure is not None:
            return exit_code_for(first_failure)
        return ExitCode.OK
    raise AssertionError("unreachable")  # pragma: no cover - ExitStack does not swallow exceptions
