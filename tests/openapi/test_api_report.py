"""``openapi/api_report.py``: the public API report, written by ``nox -s generate`` and checked by
``nox -s check_generated`` (``generate.py --out`` / ``--check``)."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.openapi import ROOT, copy_repository, load_script

api_report = load_script("api_report")


@pytest.fixture(scope="module")
def report() -> str:
    """The report of this repository's packages, built once."""
    text: str = api_report.report_for(ROOT)
    return text


def test_the_committed_report_is_fresh(report: str) -> None:
    assert (ROOT / "api" / "conversation-clients.api.txt").read_text(encoding="utf-8") == report


@pytest.mark.parametrize(
    "line",
    [
        "module bird_conversations.models",
        "class bird_conversations.models.Conversation(attrs)",
        'field bird_conversations.models.Conversation.active_participant_count: int = <required> wire "activeParticipantCount"',
        'field bird_conversations.models.Conversation.tags: list[str] | Unset = UNSET wire "tags"',
        'member bird_conversations.models.ConversationStatus.ACTIVE = "active"',
        'field omnichannel_messaging.models.ActiveConversationPage.continuationtoken: None | str | Unset = UNSET wire "continuationtoken"',
        "exception conversation_clients.errors.NotFoundError(APIError)",
        "module conversation_clients.sandbox",
    ],
)
def test_the_report_lists_modules_classes_fields_with_wire_names_members_and_exceptions(report: str, line: str) -> None:
    assert line in report.splitlines()


def test_functions_and_methods_carry_their_signatures_and_parameters_wire_names(report: str) -> None:
    lines = report.splitlines()
    sync = next(
        line
        for line in lines
        if line.startswith("function bird_conversations.api.conversation.list_conversations.sync(")
    )
    assert 'page_token: str | Unset = UNSET wire "pageToken"' in sync
    assert sync.endswith("-> ConversationPage | DetailedError | None")
    headers = next(
        line
        for line in lines
        if line.startswith("function omnichannel_messaging.api.conversations.list_conversations.sync(")
    )
    assert 'channel_id: UUID wire "channel-id"' in headers
    assert any(line.startswith("method conversation_clients.BirdClient.list_conversations(self, ") for line in lines)
    # private names (one leading underscore) are not reported; __version__ is public
    assert not any(re.search(r"\._[^_]", line.split(" ", 2)[1].split("(")[0]) for line in lines[2:])


def test_the_report_is_sorted_and_written_the_same_each_time(report: str) -> None:
    body = [line for line in report.splitlines() if not line.startswith("#")]
    assert body == sorted(body)
    assert api_report.report_for(ROOT) == report


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repository(tmp_path_factory.mktemp("repo"))


def _generate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    command = [sys.executable, str(root / "openapi" / "generate.py"), *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, check=False)


@pytest.mark.slow
def test_generate_rewrites_the_report_and_check_fails_on_a_stale_one(scratch: Path, report: str) -> None:
    target = scratch / "api" / "conversation-clients.api.txt"
    target.unlink()
    result = _generate(scratch, "--out", str(scratch / "generated"))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == report
    assert api_report.stale_report(scratch) == []

    target.write_text(report.replace('wire "pageToken"', 'wire "page_token"'), encoding="utf-8")
    assert api_report.stale_report(scratch) == ["api/conversation-clients.api.txt (differs)"]
    checked = _generate(scratch, "--check", str(scratch / "generated"))
    assert checked.returncode == 1
    assert "api/conversation-clients.api.txt (differs)" in checked.stdout
    target.unlink()
    assert api_report.stale_report(scratch) == ["api/conversation-clients.api.txt (missing)"]
    target.write_text(report, encoding="utf-8")


def test_signature_text_example() -> None:
    def listing(workspace: str, *, limit: int | None = None) -> list[str]:
        return []

    assert api_report.signature_text(listing, {"limit": "pageSize"}) == (
        '(workspace: str, *, limit: int | None = None wire "pageSize") -> list[str]'
    )


def test_module_examples_hold() -> None:
    assert doctest.testmod(api_report).failed == 0
