"""Output for people and for programs (:mod:`conversation_clients.cli.tables`): rows aligned and
cut to terminal cells, a table declared once per item type, JSON Lines.
"""

from __future__ import annotations

import io
import uuid

import pytest

from bird_conversations.models import Conversation
from conversation_clients.cli.bird_commands import BIRD_CONVERSATIONS
from conversation_clients.cli.console import JsonLinesWriter, TableWriter
from conversation_clients.cli.tables import Column, Field, ItemTable, display_width, fit, format_row, item_table
from omnichannel_messaging.models import ActiveConversation


class TestItemTable:
    TABLE: ItemTable[int] = item_table(
        Field("N", 3, str),
        Field("SQUARE", 6, lambda n: str(n * n)),
        Field("NOTE", 4, lambda n: "even" if n % 2 == 0 else "odd"),
    )

    def test_heading_rows_and_widths_come_from_the_fields(self) -> None:
        assert [(column.title, column.width) for column in self.TABLE.columns] == [("N", 3), ("SQUARE", 6), ("NOTE", 4)]
        assert self.TABLE.heading() == "N    SQUARE  NOTE"
        assert self.TABLE.row(12) == "12   144     even"
        assert self.TABLE.row(12).index("144") == self.TABLE.heading().index("SQUARE")

    def test_the_writer_of_a_table_writes_its_heading_then_its_rows(self) -> None:
        stream = io.StringIO()
        writer = TableWriter.for_table(stream, self.TABLE)
        writer.write([1, 2])
        writer.write([3])
        assert stream.getvalue().splitlines() == [self.TABLE.heading(), *(self.TABLE.row(n) for n in (1, 2, 3))]

    def test_a_table_needs_a_field(self) -> None:
        with pytest.raises(ValueError, match="at least one field"):
            item_table()

    def test_birds_conversation_rows_come_from_its_one_declaration(self) -> None:
        conversation = Conversation.from_dict(
            {
                "id": str(uuid.UUID(int=7)), "name": "N", "status": "closed", "visibility": "private",
                "accessibility": "open", "activeParticipantCount": 1, "channelId": str(uuid.UUID(int=8)),
                "createdAt": "2024-11-27T14:47:59.577Z", "updatedAt": "2024-11-27T14:47:59.577Z",
                "featuredParticipants": [], "platformStyle": "sms",
            }
        )  # fmt: skip
        assert BIRD_CONVERSATIONS.cells(conversation) == [
            str(uuid.UUID(int=7)), "2024-11-27 14:47:59", "closed", "sms", "N"
        ]  # fmt: skip
        assert len(BIRD_CONVERSATIONS.cells(conversation)) == len(BIRD_CONVERSATIONS.columns)


# -- The pure decisions of the command: exit codes, messages, hints, table rows, arguments ---------


class TestTable:
    def test_rows_are_aligned_whatever_the_cell_lengths(self) -> None:
        columns = (Column("ID", 6), Column("STATUS", 8), Column("NAME", 10))
        rows = [
            format_row(["ID", "STATUS", "NAME"], columns),
            format_row(["1", "active", "short"], columns),
            format_row(["123456789", "a-very-long-status", "a name far longer than ten"], columns),
        ]
        starts = [
            [row.index(cell) for cell in cells]
            for row, cells in zip(rows, [["STATUS", "NAME"], ["active", "short"], ["a-very-", "a name"]], strict=True)
        ]
        assert starts[0] == starts[1] == starts[2] == [8, 18]
        assert rows[2] == "12345…  a-very-…  a name fa…"

    def test_wide_characters_count_double(self) -> None:
        cell = fit("日本語の名前です", 6)
        assert display_width(cell) == 6 and cell.rstrip().endswith("…")
        assert format_row(["日本", "x"], (Column("A", 6), Column("B", 3))) == "日本    x"

    def test_control_characters_cannot_reach_the_terminal(self) -> None:
        row = format_row(["\x1b[31mred", "line\nbreak"], (Column("A", 10), Column("B", 20)))
        assert "\x1b" not in row and "\n" not in row
        assert row == "[31mred     line break"

    def test_wrong_number_of_cells_is_refused(self) -> None:
        with pytest.raises(ValueError, match="expected 2 cells"):
            format_row(["only one"], (Column("A", 3), Column("B", 3)))

    def test_table_writer_writes_the_heading_once(self) -> None:
        stream = io.StringIO()
        writer = TableWriter(stream, (Column("N", 3),), lambda item: [str(item)])
        writer.write([1, 2])
        writer.write([3])
        assert stream.getvalue().splitlines() == ["N", "1", "2", "3"]

    def test_json_lines_writer_uses_vendor_names_compactly(self) -> None:
        stream = io.StringIO()
        conversation = ActiveConversation.from_dict(
            {"conversationid": "2b3c5b8e-41a6-4bfa-9d0d-2a3ae0cb5f0d", "timestamp": "2025-04-15T12:36:40.9049594Z"}
        )
        JsonLinesWriter(stream, lambda item: item.to_dict()).write([conversation])
        assert stream.getvalue() == (
            '{"conversationid":"2b3c5b8e-41a6-4bfa-9d0d-2a3ae0cb5f0d","timestamp":"2025-04-15T12:36:40.9049594Z"}\n'
        )
