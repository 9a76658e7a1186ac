"""Output for people and for programs: aligned table rows cut to terminal cells, and JSON Lines.

An item type's table is declared once, as data (:class:`ItemTable`: each field's heading, width
and how to get its cell from the item); the heading, the rows and the column widths all derive
from that one declaration. Vendor modules declare their commands' tables with these values
(:class:`Field`, :func:`item_table`); the command line (:mod:`conversation_clients.cli`) writes them.
"""

from __future__ import annotations

import datetime
import json
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Generic, TypeVar

import attrs

__all__ = [
    "COLUMN_GAP",
    "Column",
    "Field",
    "ItemTable",
    "display_width",
    "fit",
    "format_row",
    "format_when",
    "item_table",
    "json_line",
]

ItemT = TypeVar("ItemT")
COLUMN_GAP: Final = "  "


def json_line(record: Mapping[str, Any]) -> str:
    """One item as a JSON Lines record (compact, UTF-8 text kept as is).

    >>> json_line({"id": "1", "name": "Café"})
    '{"id":"1","name":"Café"}'
    """
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes: wide (CJK, most emoji) characters 2, combining marks 0.

    >>> display_width("abc"), display_width("日本"), display_width("e\\u0301")
    (3, 4, 1)
    """
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int, *, pad: bool = True) -> str:
    """Make ``text`` one printable cell of ``width`` terminal columns: cut with ``…``, then padded.

    >>> fit("Re: About your refund", 10)
    'Re: About…'
    >>> fit("ok", 4) + "|"
    'ok  |'
    >>> fit("a\\tb\\x1b", 5, pad=False)
    'a b'
    """
    cleaned = " ".join("".join(char if char.isprintable() else " " for char in text).split())
    if display_width(cleaned) > width:
        kept: list[str] = []
        used = 0
        for char in cleaned:
            char_width = _char_width(char)
            if used + char_width > width - 1:
                break
            kept.append(char)
            used += char_width
        cleaned = "".join(kept).rstrip() + "…"
    if not pad:
        return cleaned
    return cleaned + " " * (width - display_width(cleaned))


@attrs.frozen
class Column:
    """A table column: its heading and its width in terminal cells (the last one is not padded)."""

    title: str
    width: int


def format_row(cells: Sequence[str], columns: Sequence[Column]) -> str:
    """One aligned table line; every cell is cut to its column, the last one is not padded.

    >>> columns = (Column("ID", 4), Column("NAME", 8))
    >>> format_row(["1", "A very long name"], columns)
    '1     A very…'
    """
    if len(cells) != len(columns):
        raise ValueError(f"expected {len(columns)} cells, got {len(cells)}")
    last = len(columns) - 1
    return COLUMN_GAP.join(
        fit(cell, column.width, pad=index != last)
        for index, (cell, column) in enumerate(zip(cells, columns, strict=True))
    ).rstrip()


def format_when(moment: datetime.datetime) -> str:
    """A date-time for people: UTC, to the second.

    >>> format_when(datetime.datetime(2025, 4, 15, 14, 36, 40, 904959, tzinfo=datetime.timezone(datetime.timedelta(hours=2))))
    '2025-04-15 12:36:40'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@attrs.frozen
class Field(Generic[ItemT]):
    """One column of an item type's table: its heading, its width, and its cell for an item."""

    title: str
    width: int
    cell: Callable[[ItemT], str]


@attrs.frozen
class ItemTable(Generic[ItemT]):
    """An item type's table, declared once: the heading, each row and the widths come from ``fields``.

    >>> table = item_table(Field("N", 3, str), Field("SQUARE", 6, lambda n: str(n * n)))
    >>> table.columns
    (Column(title='N', width=3), Column(title='SQUARE', width=6))
    >>> table.heading(), table.row(12)
    ('N    SQUARE', '12   144')
    """

    fields: tuple[Field[ItemT], ...]

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns (heading and width) in order."""
        return tuple(Column(field.title, field.width) for field in self.fields)

    def cells(self, item: ItemT) -> list[str]:
        """The cells of ``item``'s row, not yet cut to their columns."""
        return [field.cell(item) for field in self.fields]

    def heading(self) -> str:
        """The heading line."""
        return format_row([field.title for field in self.fields], self.columns)

    def row(self, item: ItemT) -> str:
        """``item`` as one aligned line."""
        return format_row(self.cells(item), self.columns)


def item_table(*fields: Field[ItemT]) -> ItemTable[ItemT]:
    """Declare an item type's table from its fields, in column order (see :class:`ItemTable`)."""
    if not fields:
        raise ValueError("a table needs at least one field")
    return ItemTable(fields)
