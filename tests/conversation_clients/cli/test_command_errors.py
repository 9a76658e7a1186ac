"""The command line's own failures (:mod:`conversation_clients.cli.command_errors`): the message
that names a flag instead of a Python argument.
"""

from __future__ import annotations

import pytest

from conversation_clients.cli.bird_commands import COMMANDS as BIRD_COMMANDS
from conversation_clients.cli.command_errors import flag_message

BIRD_LIST = BIRD_COMMANDS.command("list")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("limit must be between 1 and 100, got 500", "--limit must be between 1 and 100, got 500"),
        ("workspace_id must be a UUID, got 'x'", "--workspace-id must be a UUID, got 'x'"),
        ("limitless: unrelated", "limitless: unrelated"),
    ],
)
def test_flag_message(message: str, expected: str) -> None:
    assert flag_message(message, BIRD_LIST.flags) == expected
