"""``--sandbox`` and ``sandbox serve``: the embedded demo data over real loopback HTTP, no account."""

from __future__ import annotations

import json
import queue
import re
import signal
import subprocess
import threading
from typing import IO

import httpx
import pytest

from conversation_clients import BirdClient, OmnichannelClient
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_CHANNEL_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
    default_sandbox,
)
from tests.cli.helpers import cli_command, cli_env, error_lines, run_cli


def sandbox_bird_records() -> list[dict[str, object]]:
    """What the library itself lists from the sandbox, to compare the command's output with."""
    with default_sandbox().serve() as base_url, BirdClient(SANDBOX_BIRD_ACCESS_KEY, base_url=base_url) as bird:
        return [conversation.to_dict() for conversation in bird.list_conversations(SANDBOX_WORKSPACE_ID, limit=100)]


def sandbox_omnichannel_ids() -> list[str]:
    with default_sandbox().serve() as base_url, OmnichannelClient(
        base_url, organization_id=SANDBOX_ORGANIZATION_ID, channel_id=SANDBOX_CHANNEL_ID, token=SANDBOX_OMNICHANNEL_TOKEN
    ) as omni:
        return [str(conversation.conversationid) for conversation in omni.list_conversations(page_size=250)]


def test_bird_list_sandbox_writes_every_conversation_as_json_lines() -> None:
    result = run_cli("bird", "list", "--sandbox", "--limit", "100")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records == sandbox_bird_records()
    assert len(records) > 1
    for record in records:
        assert {"id", "createdAt", "platformStyle", "status", "name"} <= record.keys()
        assert "style" not in record  # Bird's quirk, passed through as sent: nothing is invented
    assert any(record.get("lastMessage", {}).get("recipients", []) is None for record in records)
    # compact, vendor-named JSON: exactly what json.dumps(to_dict(), separators=(",", ":")) gives
    first_line = result.stdout.splitlines()[0]
    assert first_line == json.dumps(records[0], ensure_ascii=False, separators=(",", ":"))


def test_bird_list_sandbox_max_items() -> None:
    result = run_cli("bird", "list", "--sandbox", "--max-items", "3")
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == [record["id"] for record in sandbox_bird_records()[:3]]


def test_omnichannel_list_sandbox_as_a_table() -> None:
    result = run_cli("omnichannel", "list", "--sandbox", "--format", "table")
    assert result.returncode == 0, result.stderr
    heading, *rows = result.stdout.splitlines()
    assert heading.split() == ["CONVERSATION", "ID", "CREATED", "(UTC)"]
    assert [row.split()[0] for row in rows] == sandbox_omnichannel_ids()
    created_column = heading.index("CREATED")
    for row in rows:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row[created_column:])


def test_sandbox_ignores_real_credentials_in_the_environment() -> None:
    result = run_cli("bird", "list", "--sandbox", "--max-items", "1", env={"BIRD_ACCESS_KEY": "a-real-key-not-for-the-sandbox"})
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_sandbox_with_an_unknown_workspace_is_an_api_error() -> None:
    result = run_cli("bird", "list", "--sandbox", "--workspace-id", "00000000-0000-4000-8000-000000000000")
    assert result.returncode == 6, result.stderr
    error, hint = error_lines(result.stderr)
    assert error.startswith("conversation-clients: error: Bird API error: 404 Not Found")
    assert "restarted from the beginning" in hint


def _lines_into(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sandbox_serve_answers_until_signalled_then_exits_0(stop_signal: signal.Signals) -> None:
    with subprocess.Popen(
        cli_command("sandbox", "serve", "--port", "0"),
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    ) as process:
        assert process.stderr is not None and process.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=_lines_into, args=(process.stderr, lines), daemon=True)
        reader.start()
        banner: list[str] = []
        try:
            while not any("serving until" in line for line in banner):
                banner.append(lines.get(timeout=15))
            facts: dict[str, str] = {}
            for line in banner[:-1]:
                match = re.fullmatch(r"conversation-clients: sandbox (.+?): (\S+)\n", line)
                assert match is not None, line
                facts[match[1]] = match[2]
            base_url = facts["base URL"]
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
            assert facts["credential (demo only, not a real secret)"]  # both keys are printed, named
            assert f"BIRD_ACCESS_KEY={SANDBOX_BIRD_ACCESS_KEY}\n" in "".join(banner)
            assert f"OMNICHANNEL_TOKEN={SANDBOX_OMNICHANNEL_TOKEN}\n" in "".join(banner)
            assert facts["Bird workspace ID (--workspace-id)"] == SANDBOX_WORKSPACE_ID

            bird = httpx.get(
                f"{base_url}/workspaces/{SANDBOX_WORKSPACE_ID}/conversations",
                headers={"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"},
                timeout=10,
            )
            assert bird.status_code == 200 and bird.json()["results"]
            omni = httpx.get(
                f"{base_url}/api/v1.0/consumer/conversations",
                headers={
                    "Authorization": f"Bearer {SANDBOX_OMNICHANNEL_TOKEN}",
                    "organization-id": SANDBOX_ORGANIZATION_ID,
                    "channel-id": SANDBOX_CHANNEL_ID,
                },
                timeout=10,
            )
            assert omni.status_code == 200 and omni.json()["conversations"]
            assert process.poll() is None  # still serving
        finally:
            process.send_signal(stop_signal)
            returncode = process.wait(timeout=15)
        assert returncode == 0
        reader.join(timeout=10)
    remaining: list[str] = []
    while not lines.empty():
        remaining.append(lines.get())
    assert "Traceback" not in "".join(remaining)
    assert remaining[-1:] == ["conversation-clients: sandbox stopped\n"]
    # and the port is released
    with pytest.raises(httpx.ConnectError):
        httpx.get(base_url, timeout=2)
