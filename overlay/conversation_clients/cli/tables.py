"""Output for people and for programs: see :mod:`conversation_clients._tables`, where it lives.

The table declarations are plain values that the vendor modules use to declare their commands'
columns, so they live outside the ``cli`` package (which a vendor module must not import); the
names stay importable from here.
"""

from conversation_clients._tables import (
    COLUMN_GAP,
    Column,
    Field,
    ItemTable,
    display_width,
    fit,
    format_row,
    format_when,
    item_table,
    json_line,
)

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
