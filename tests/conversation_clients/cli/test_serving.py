"""``--sandbox`` and ``sandbox serve`` (:mod:`conversation_clients.cli.serving`): the embedded demo
data over real loopback HTTP, no account.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import threading
import time
from collections.abc import Generator

import httpx
import pytest

from conversation_clients import BirdClient, OmnichannelClient
from conversation_clients.cli import serving
from conversation_clients.cli.console import Console
from conversation_clients.cli.parsed_arguments import SandboxServe
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_CHANNEL_ID,
    SANDBOX_MISSING_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
    default_sandbox,
)
from tests.support.command_line import error_lines, run_cli, running_cli

# Ids from a newcomer's own account, which the sandbox was never told about.
THEIR_WORKSPACE = "3f1c9a2e-8b4d-4e6f-a0b1-c2d3e4f5a6b7"
THEIR_ORGANIZATION = "7d0e5c4b-3a29-4f18-b7e6-d5c4b3a29180"
THEIR_CHANNEL = "b1a2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"


def sandbox_bird_records() -> list[dict[str, object]]:
    """What the library itself lists from the sandbox, to compare the command's output with."""
    with default_sandbox().serve() as base_url, BirdClient(SANDBOX_BIRD_ACCESS_KEY, base_url=base_url) as bird:
        pages = bird.list_conversations(SANDBOX_WORKSPACE_ID, limit=100).pages()
        return [dict(item) for page in pages for item in page.raw_items]  # as the server sent them


def sandbox_omnichannel_ids() -> list[str]:
    with (
        default_sandbox().serve() as base_url,
        OmnichannelClient(
            base_url,
            organization_id=SANDBOX_ORGANIZATION_ID,
            channel_id=SANDBOX_CHANNEL_ID,
            token=SANDBOX_OMNICHANNEL_TOKEN,
        ) as omni,
    ):
        return [str(conversation.conversationid) for conversation in omni.list_conversations(page_size=250)]


@pytest.mark.subprocess
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
    # compact JSON of each item as the server sent it
    first_line = result.stdout.splitlines()[0]
    assert first_line == json.dumps(records[0], ensure_ascii=False, separators=(",", ":"))


@pytest.mark.subprocess
def test_bird_list_sandbox_max_items() -> None:
    result = run_cli("bird", "list", "--sandbox", "--max-items", "3")
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == [record["id"] for record in sandbox_bird_records()[:3]]


@pytest.mark.subprocess
def test_omnichannel_list_sandbox_as_a_table() -> None:
    result = run_cli("omnichannel", "list", "--sandbox", "--format", "table")
    assert result.returncode == 0, result.stderr
    heading, *rows = result.stdout.splitlines()
    assert heading.split() == ["CONVERSATION", "ID", "CREATED", "(UTC)"]
    assert [row.split()[0] for row in rows] == sandbox_omnichannel_ids()
    created_column = heading.index("CREATED")
    for row in rows:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row[created_column:])


@pytest.mark.subprocess
def test_sandbox_ignores_real_credentials_in_the_environment() -> None:
    result = run_cli(
        "bird", "list", "--sandbox", "--max-items", "1", env={"BIRD_ACCESS_KEY": "a-real-key-not-for-the-sandbox"}
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.subprocess
def test_sandbox_lists_any_workspace_id_given() -> None:
    result = run_cli("bird", "list", "--sandbox", "--workspace-id", THEIR_WORKSPACE, "--limit", "100")
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    sandbox = default_sandbox()
    expected = [sandbox.bird_conversation(THEIR_WORKSPACE, index)["id"] for index in range(42)]
    assert ids == expected
    assert not set(ids) & {record["id"] for record in sandbox_bird_records()}


@pytest.mark.subprocess
def test_sandbox_lists_any_organization_and_channel_given() -> None:
    result = run_cli(
        "omnichannel", "list", "--sandbox", "--organization-id", THEIR_ORGANIZATION, "--channel-id", THEIR_CHANNEL
    )
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["conversationid"] for line in result.stdout.splitlines()]
    sandbox = default_sandbox()
    assert ids == [sandbox.omnichannel_conversation(THEIR_CHANNEL, index)["conversationid"] for index in range(42)]


@pytest.mark.subprocess
def test_sandbox_with_the_missing_workspace_id_is_an_api_error() -> None:
    # SANDBOX_MISSING_ID, not just any id unknown to the sandbox: every other one is served now
    result = run_cli("bird", "list", "--sandbox", "--workspace-id", SANDBOX_MISSING_ID)
    assert result.returncode == 6, result.stderr
    error, *more = error_lines(result.stderr)
    assert error.startswith("conversation-clients: error: Bird API error: 404 Not Found")
    assert more == []  # no advice to resume or rerun: the workspace is unknown, so neither can help


@pytest.mark.subprocess
def test_sandbox_with_the_missing_channel_id_is_an_api_error() -> None:
    result = run_cli("omnichannel", "list", "--sandbox", "--channel-id", SANDBOX_MISSING_ID)
    assert result.returncode == 6, result.stderr
    error, *_ = error_lines(result.stderr)
    assert error.startswith("conversation-clients: error: Omnichannel API error: 404 Not Found"), error


# Generous bounds for a loaded machine (the full suite on two busy cores): each is a ceiling,
# not a sleep, and passing it fails the test instead of hanging it.
STARTUP_TIMEOUT = 60
STOP_TIMEOUT = 30


@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("stop_signal", "sigint_ignored"),
    [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True), (signal.SIGTERM, True)],
    ids=["SIGTERM", "SIGINT", "SIGINT-ignored-at-start", "SIGTERM-SIGINT-ignored-at-start"],
)
def test_sandbox_serve_answers_until_signalled_then_exits_0(stop_signal: signal.Signals, sigint_ignored: bool) -> None:
    # "SIGINT-ignored-at-start" is how a shell script's background job (or a CI runner) starts the
    # command: before the fix, Python left SIGINT ignored, the command never stopped, and this test
    # waited for it for ever (Popen's ``with`` has no timeout).
    with running_cli("sandbox", "serve", "--port", "0", sigint_ignored=sigint_ignored) as child:
        banner = child.lines_until("serving until", timeout=STARTUP_TIMEOUT)
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
        assert facts["ID that is not found (any other is served)"] == SANDBOX_MISSING_ID

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
        assert child.process.poll() is None  # still serving

        child.process.send_signal(stop_signal)
        assert child.process.wait(timeout=STOP_TIMEOUT) == 0
        remaining = child.rest(timeout=STOP_TIMEOUT)
    assert "Traceback" not in "".join(remaining)
    assert remaining[-1:] == ["conversation-clients: sandbox stopped\n"]
    # and the port is released
    with pytest.raises(httpx.ConnectError):
        httpx.get(base_url, timeout=2)


# -- the command's stop path, in-process (a signal sent to this very process, at a chosen moment) --


@contextlib.contextmanager
def _signalled_while(stage: str) -> Generator[str]:
    """Stands in for serve_sandbox: SIGTERM comes while starting, or while serving and again while stopping."""
    if stage == "starting":
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(STOP_TIMEOUT)  # interrupted by the handler's exception at once
    else:  # while serving, from another thread, as from another process
        threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGTERM)).start()
    yield "http://127.0.0.1:1"
    if stage == "stopping":  # a second signal while the server is being stopped
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(STOP_TIMEOUT)


@pytest.mark.parametrize("stage", ["starting", "stopping"])
def test_sandbox_serve_ends_on_a_signal_at_any_stage(stage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert threading.current_thread() is threading.main_thread()  # signal handlers run here only
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}

    def serve_sandbox(*, host: str, port: int) -> contextlib.AbstractContextManager[str]:
        return _signalled_while(stage)

    monkeypatch.setattr(serving, "serve_sandbox", serve_sandbox)
    stderr = io.StringIO()
    console = Console(stderr, secrets=(), show_progress=False)
    started = time.monotonic()

    code = serving.run_sandbox_serve(SandboxServe(host="127.0.0.1", port=0), console)

    assert code == 0
    assert time.monotonic() - started < STOP_TIMEOUT / 2
    assert stderr.getvalue().endswith("conversation-clients: sandbox stopped\n")
    assert {signum: signal.getsignal(signum) for signum in before} == before  # handlers put back
