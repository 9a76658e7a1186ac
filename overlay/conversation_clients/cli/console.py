"""The command's I/O: the console on stderr (errors, hints, progress) and the writers on stdout."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias, TypeVar, cast

from conversation_clients.cli.exit_codes import ExitCode, exit_code_for
from conversation_clients.cli.tables import Column, ItemTable, format_row, json_line
from conversation_clients.cli.wording import (
    PROG,
    Target,
    error_message,
    one_line,
    progress_text,
    resumable,
    resume_hint,
    scrub,
)

if TYPE_CHECKING:
    from conversation_clients.pagination import Page

__all__ = [
    "Console",
    "JsonLinesWriter",
    "TableWriter",
    "Writer",
    "is_terminal",
    "json_record",
    "quiet_stdout",
    "write_listing",
    "writer_for",
]

T = TypeVar("T")


class Console:
    """Everything written to stderr: error lines, hints and the progress line.

    Every line goes through :func:`scrub`, so the secrets found in the environment are never
    printed, whatever the error says. Progress is shown only on a terminal.

    >>> Console(sys.stdout, secrets=["s3cr3t"], show_progress=False).line("key s3cr3t refused")
    conversation-clients: key *** refused
    """

    def __init__(self, stream: TextIO, *, secrets: Sequence[str], show_progress: bool) -> None:
        self._stream = stream
        self._secrets = tuple(secrets)
        self._show_progress = show_progress
        self._progress_shown = False

    def line(self, text: str) -> None:
        """Print one line prefixed with the program name."""
        self.clear_progress()
        self._stream.write(f"{PROG}: {one_line(scrub(text, self._secrets))}\n")
        self._stream.flush()

    def fail(
        self, error: BaseException, *, target: Target | None = None, resume: tuple[str, str | None] | None = None
    ) -> int:
        """Report ``error`` (and how to resume a listing cut short, if resuming can help); return the exit status."""
        code = exit_code_for(error)
        if code is ExitCode.BROKEN_PIPE:
            return code
        self.line(f"error: {error_message(error, target)}")
        if resume is not None and resumable(error):  # after a 404, resuming would ask for the unknown id again
            self.line(resume_hint(*resume))
        return code

    def progress(self, pages: int, items: int, noun: str = "conversation") -> None:
        """Show (or overwrite) the progress line."""
        if not self._show_progress:
            return
        self._stream.write(f"\r{progress_text(pages, items, noun)}\x1b[K")
        self._stream.flush()
        self._progress_shown = True

    def clear_progress(self) -> None:
        """Erase the progress line, if one is shown."""
        if self._progress_shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._progress_shown = False


class JsonLinesWriter:
    """Writes items as JSON Lines: each as the server sent it, when the page has it (:meth:`items_of`)."""

    def __init__(self, stream: TextIO, to_record: Callable[[Any], Mapping[str, Any]]) -> None:
        self._stream = stream
        self._to_record = to_record

    @staticmethod
    def items_of(page: Page[Any]) -> Sequence[Any]:
        """What to write of ``page``: its items as the server sent them (``Page.raw_items``: every
        value's text and every key in its place), or its models for a page that has not those.

        >>> from conversation_clients.pagination import Page
        >>> raw = {"id": "c1", "createdAt": "2025-06-02T09:26:41.906Z"}
        >>> JsonLinesWriter.items_of(Page(items=("model",), next_token=None, token=None, raw_items=(raw,)))
        ({'id': 'c1', 'createdAt': '2025-06-02T09:26:41.906Z'},)
        >>> JsonLinesWriter.items_of(Page(items=("model",), next_token=None, token=None))
        ('model',)
        """
        return page.as_sent

    def write(self, items: Sequence[Any]) -> None:
        """Write one page's items and flush, so that a pipe sees them now."""
        self._stream.write("".join(json_line(self._to_record(item)) + "\n" for item in items))
        self._stream.flush()


class TableWriter:
    """Writes items as an aligned table; the heading comes with the first page.

    >>> writer = TableWriter(sys.stdout, (Column("N", 3), Column("TWICE", 5)), lambda n: [str(n), str(2 * n)])
    >>> writer.write([1, 50])
    N    TWICE
    1    2
    50   100
    """

    def __init__(self, stream: TextIO, columns: Sequence[Column], to_cells: Callable[[Any], Sequence[str]]) -> None:
        self._stream = stream
        self._columns = columns
        self._to_cells = to_cells
        self._heading_written = False

    @classmethod
    def for_table(cls, stream: TextIO, table: ItemTable[Any]) -> TableWriter:
        """A writer of ``table``'s rows (its declared columns and cells)."""
        return cls(stream, table.columns, table.cells)

    @staticmethod
    def items_of(page: Page[Any]) -> Sequence[Any]:
        """What to write of ``page``: its items (the models: the table's cells read them)."""
        return page.items

    def write(self, items: Sequence[Any]) -> None:
        """Write one page's rows (after the heading, the first time) and flush."""
        lines = [format_row(self._to_cells(item), self._columns) for item in items]
        if not self._heading_written:
            lines.insert(0, format_row([column.title for column in self._columns], self._columns))
            self._heading_written = True
        self._stream.write("".join(line + "\n" for line in lines))
        self._stream.flush()


Writer: TypeAlias = JsonLinesWriter | TableWriter


def writer_for(output_format: str, stream: TextIO, table: ItemTable[Any]) -> Writer:
    """The writer for ``--format`` (``jsonl``: the vendor's field names; ``table``: ``table``'s columns)."""
    if output_format == "table":
        # For people: a character the terminal's encoding lacks becomes "?" rather than an error.
        _reconfigure(stream, errors="replace")
        return TableWriter.for_table(stream, table)
    # JSON Lines is UTF-8 by definition, whatever the locale says.
    if stream.encoding.lower().replace("-", "") != "utf8":
        _reconfigure(stream, encoding="utf-8")
    return JsonLinesWriter(stream, json_record)


def json_record(item: Any) -> Mapping[str, Any]:
    """An item as a JSON Lines record: an item as sent (a mapping) as it is, a model as its ``to_dict()``.

    >>> json_record({"id": "c1"})
    {'id': 'c1'}
    """
    record: Mapping[str, Any] = cast(Mapping[str, Any], item) if isinstance(item, Mapping) else item.to_dict()
    return record


def _reconfigure(stream: TextIO, *, encoding: str | None = None, errors: str | None = None) -> None:
    if isinstance(stream, io.TextIOWrapper):
        with contextlib.suppress(io.UnsupportedOperation, ValueError):
            stream.reconfigure(encoding=encoding, errors=errors)


def write_listing(
    pages: Iterator[Page[T]],
    writer: Writer,
    console: Console,
    *,
    max_items: int | None,
    target: Target,
    start_token: str | None,
    noun: str = "conversation",
) -> int:
    """Write pages as they arrive, stop after ``max_items``; report a failure with its resume hint.

    Stopping closes the page iterator, so no page past the last one needed is fetched.
    """
    from conversation_clients.errors import ConversationClientError  # loaded by the listing already

    written = pages_seen = 0
    # The token of the first page not yet written in full: what an interruption resumes from.
    pending = start_token
    console.progress(0, 0, noun)
    try:
        for page in pages:
            items = writer.items_of(page)
            items = items if max_items is None else items[: max_items - written]
            console.clear_progress()
            writer.write(items)
            written += len(items)
            pages_seen += 1
            pending = page.next_token
            if max_items is not None and written >= max_items:
                break
            console.progress(pages_seen, written, noun)
    except ConversationClientError as error:
        return console.fail(error, target=target, resume=(target.resume_flag, error.resume_token))
    except KeyboardInterrupt as error:
        return console.fail(error, target=target, resume=(target.resume_flag, pending))
    finally:
        close = getattr(pages, "close", None)
        if callable(close):
            close()  # a generator: ends the listing here, nothing more is fetched
    console.clear_progress()
    return ExitCode.OK


def quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null, so that the interpreter's final flush
    does not print "Exception ignored ... BrokenPipeError"."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (progress is shown only there).

    >>> import io; is_terminal(io.StringIO())
    False
    """
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
