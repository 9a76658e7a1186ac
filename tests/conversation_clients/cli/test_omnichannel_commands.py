"""Omnichannel on the command line (:mod:`conversation_clients.cli.omnichannel_commands`): its
conversations' table, ``--since`` sent as typed (its seven digits of a second included) by
``list`` and ``export``, refused in the user's words, and the ids sent in one spelling however typed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conversation_clients.cli import main
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.cli.omnichannel_commands import OMNICHANNEL_CONVERSATIONS
from conversation_clients.cli.tables import format_row
from conversation_clients.sandbox import SANDBOX_CHANNEL_ID, default_sandbox
from omnichannel_messaging.models import ActiveConversation
from tests.support.scripted import BEARER_TOKEN, CHANNEL_ID, ORGANIZATION_ID, omni_page, scripted


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


# -- ``--since``: sent with every digit given (list and export), refused in the user's words ----------

#: The sandbox's first conversation of its first channel was created at this very instant.
SINCE = "2025-04-15T08:00:25.3426044Z"


@pytest.fixture
def omnichannel_token(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BIRD_ACCESS_KEY", "OMNICHANNEL_TOKEN", "AZURE_CLIENT_SECRET", "AZURE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMNICHANNEL_TOKEN", BEARER_TOKEN)


@pytest.mark.loopback
@pytest.mark.parametrize("action", ["list", "export"])
def test_since_is_sent_with_every_digit_given(
    action: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], omnichannel_token: None
) -> None:
    out = ["--out", str(tmp_path / "out")] if action == "export" else []
    with scripted(omni_page([1], None)) as (script, base_url):
        argv = ["omnichannel", action, "--base-url", base_url, "--organization-id", ORGANIZATION_ID]
        code = main([*argv, "--channel-id", CHANNEL_ID, "--since", SINCE, *out])
    assert code == 0, capsys.readouterr().err
    [request] = script.requests
    assert request.url.params["StartTimeStamp"] == SINCE
    assert b"StartTimeStamp=2025-04-15T08%3A00%3A25.3426044Z" in request.url.query


def test_since_lists_what_was_created_after_that_instant_not_at_it(capsys: pytest.CaptureFixture[str]) -> None:
    sandbox = default_sandbox()
    first, second = (sandbox.omnichannel_conversation(SANDBOX_CHANNEL_ID, index) for index in (0, 1))
    assert first["timestamp"] == SINCE
    assert main(["omnichannel", "list", "--sandbox", "--since", SINCE, "--max-items", "1"]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == [second]


def test_a_bad_since_says_what_is_accepted_in_user_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["omnichannel", "list", "--sandbox", "--since", "2025-04-15T08:00:25"]) == ExitCode.USAGE
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("conversation-clients: error: argument --since: '2025-04-15T08:00:25' has no timezone; ")
    assert "RFC 3339" in line and "e.g. 2025-04-15T08:00:25Z" in line and "up to 7 fractional digits" in line
    assert "datetime" not in line and "ISO 8601" not in line


# -- ids in one spelling: the organization and channel typed with blanks around them, or in upper
# case, are sent as the export sends its targets (the option's value type) -----------------------


@pytest.mark.loopback
@pytest.mark.parametrize("action", ["list", "export"])
def test_ids_typed_with_blanks_or_in_upper_case_are_sent_in_lower_case(
    action: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], omnichannel_token: None
) -> None:
    out = ["--out", str(tmp_path / "out")] if action == "export" else []
    organization, channel = f" {ORGANIZATION_ID.upper()}\t", f"  {{{CHANNEL_ID.upper()}}} "
    with scripted(omni_page([1], None)) as (script, base_url):
        argv = ["omnichannel", action, "--base-url", base_url, "--organization-id", organization]
        code = main([*argv, "--channel-id", channel, *out])
    assert code == 0, capsys.readouterr().err
    [request] = script.requests
    assert (request.headers["organization-id"], request.headers["channel-id"]) == (ORGANIZATION_ID, CHANNEL_ID)
