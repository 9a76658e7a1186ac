"""Omnichannel on the command line (:mod:`conversation_clients.cli.omnichannel_commands`): its
conversations' table.
"""

from __future__ import annotations

from conversation_clients.cli.omnichannel_commands import OMNICHANNEL_CONVERSATIONS
from conversation_clients.cli.tables import format_row
from omnichannel_messaging.models import ActiveConversation


class TestOmnichannelTable:
    def test_omnichannel_row_is_in_utc(self) -> None:
        conversation = ActiveConversation.from_dict(
            {"conversationid": "2b3c5b8e-41a6-4bfa-9d0d-2a3ae0cb5f0d", "timestamp": "2025-04-15T14:36:40.9049594+02:00"}
        )
        assert OMNICHANNEL_CONVERSATIONS.cells(conversation) == [
            "2b3c5b8e-41a6-4bfa-9d0d-2a3ae0cb5f0d",
            "2025-04-15 12:36:40",
        ]
        assert (
            len(format_row(OMNICHANNEL_CONVERSATIONS.cells(conversation), OMNICHANNEL_CONVERSATIONS.columns))
            == 36 + 2 + 19
        )
