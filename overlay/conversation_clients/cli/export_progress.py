"""An export's progress: the counts of a run (:class:`ExportProgress`), its summary, its live display.

:class:`ExportProgress` counts, with no I/O; :func:`summary_lines` says how the run ended; the
live display (rich, imported only when a terminal shows it: :func:`live_display`) draws the
counts while :mod:`~conversation_clients.cli.export` runs. Nothing here names a vendor.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Generator, Sequence
from typing import Any, Final, Literal, TextIO

import attrs

from conversation_clients.cli.wording import Target, error_message, resumable

__all__ = [
    "ExportProgress",
    "TargetCounts",
    "live_display",
    "progress_table",
    "shortened",
    "summary_lines",
    "target_labels",
]

_REFRESHES_PER_SECOND: Final = 4
#: The live table's count columns: each heading, and the width kept for it (its heading's at
#: least; wider numbers widen it).
_COUNT_COLUMNS: Final = (("pages", 5), ("items", 7), ("items/s", 7), ("errors", 6))
_STATE_WIDTH: Final = len("listing")
#: The columns between two columns (their padding, collapsed, and the separator).
_GAP: Final = 2
#: The narrowest the target column gets, however narrow the terminal.
_NARROWEST_TARGET: Final = 12


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
    if any(resumable(progress.targets[file].failure) for file in progress.unfinished_files):  # not after a 404
        lines.append("run the same command again to go on where each target stopped")
    return lines


def target_labels(files: Sequence[str], width: int) -> tuple[str, dict[str, str]]:
    """How the live table names each target in ``width`` characters: its file's name without the
    extension and, when that is too long, without as much of the start all the names share (up to
    a ``-``: the vendor's name, the organization's id) as it takes, so that what tells the targets
    apart is what shows. Returns the start taken off, and each file's name for the table.

    >>> target_labels(["omnichannel-o1-c1.jsonl", "omnichannel-o1-c2.jsonl"], 12)
    ('omnichannel-', {'omnichannel-o1-c1.jsonl': 'o1-c1', 'omnichannel-o1-c2.jsonl': 'o1-c2'})
    >>> target_labels(["bird-w1.jsonl"], 12)
    ('', {'bird-w1.jsonl': 'bird-w1'})
    """
    stems = [os.path.splitext(file)[0] for file in files]
    shared = os.path.commonprefix(stems) if len(stems) > 1 else ""
    cuts = [0, *(index + 1 for index, char in enumerate(shared) if char == "-")]
    longest = max((len(stem) for stem in stems), default=0)
    cut = next((cut for cut in cuts if longest - cut <= width), cuts[-1])
    return shared[:cut], {file: stem[cut:] for file, stem in zip(files, stems, strict=True)}


def shortened(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: its start and its end kept, an ellipsis between
    (the ends of an id tell it apart; its middle seldom does).

    >>> shortened("e58899bf-1e8d-4ff7-b9db-a60befaf90d2", 20)
    'e58899bf-1…befaf90d2'
    """
    if len(text) <= width:
        return text
    start = width // 2
    return f"{text[:start]}…{text[len(text) - (width - start - 1) :]}"


def progress_table(progress: ExportProgress, noun: str, width: int) -> Any:
    """The live table for a terminal ``width`` columns wide: a row per target and their total, each
    on one line within the width (the numbers whole, each target's name shortened in the middle if
    it must be). A rich ``Table``.
    """
    from rich import box
    from rich.table import Table

    files = list(progress.targets)

    def cells(counts: TargetCounts) -> list[str]:
        state = "done" if counts.finished else "failed" if counts.failure is not None else "listing"
        rate = f"{progress.rate(counts):.0f}"
        return [str(counts.pages), str(counts.items), rate, str(counts.errors), state]

    counts = [cells(counts) for counts in progress.targets.values()]
    total = cells(progress.total)
    columns = [*_COUNT_COLUMNS, ("state", _STATE_WIDTH)]
    widths = [max(kept, *(len(row[index]) for row in [total, *counts])) for index, (_, kept) in enumerate(columns)]
    # the target column takes the rest of the line, no more than its longest name needs
    rest = max(_NARROWEST_TARGET, width - sum(widths) - _GAP * len(widths))
    shared, labels = target_labels(files, rest)  # what all share is said once, in the title
    target_width = min(rest, max(len("total"), *(len(label) for label in labels.values())))
    title = f"export: {noun}s" + (f" of {shared}…" if shared else "")

    table = Table(
        title=shortened(title, target_width + sum(widths) + _GAP * len(widths)),  # as wide as the table
        title_justify="left",
        expand=False,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("target", width=target_width, no_wrap=True)
    for (heading, _), column_width in zip(columns, widths, strict=True):
        justify: Literal["left", "right"] = "left" if heading == "state" else "right"
        table.add_column(heading, justify=justify, width=column_width, no_wrap=True)
    for file, row in zip(files, counts, strict=True):
        table.add_row(shortened(labels[file], target_width), *row)
    table.add_section()
    table.add_row("total", *total)
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

    def table() -> Any:
        return progress_table(progress, noun, console.width)  # the terminal's width at each refresh

    with Live(get_renderable=table, console=console, refresh_per_second=_REFRESHES_PER_SECOND):
        yield
