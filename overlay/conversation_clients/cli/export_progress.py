"""An export's progress: the counts of a run (:class:`ExportProgress`), its summary, its live display.

:class:`ExportProgress` counts, with no I/O; :func:`summary_lines` says how the run ended; the
live display (rich, imported only when a terminal shows it: :func:`live_display`) draws the
counts while :mod:`~conversation_clients.cli.export` runs. Nothing here names a vendor.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Generator, Sequence
from typing import Any, Final, TextIO

import attrs

from conversation_clients.cli.wording import Target, error_message

__all__ = ["ExportProgress", "TargetCounts", "live_display", "summary_lines"]

_REFRESHES_PER_SECOND: Final = 4


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
