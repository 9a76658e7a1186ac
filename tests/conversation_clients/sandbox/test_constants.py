"""The sandbox's fixed identities and credentials (:mod:`conversation_clients.sandbox._constants`)."""

from __future__ import annotations

from conversation_clients.sandbox import (
    SANDBOX_MISSING_ID,
    Sandbox,
)


def test_the_reserved_id_is_the_nil_uuid() -> None:
    assert SANDBOX_MISSING_ID == "00000000-0000-0000-0000-000000000000"
    assert Sandbox().missing_workspaces == Sandbox().missing_channels == (SANDBOX_MISSING_ID,)
