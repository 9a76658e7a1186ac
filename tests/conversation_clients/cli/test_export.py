"""``conversation-clients VENDOR export`` (:mod:`conversation_clients.cli.export`): files per
target, the checkpoint, resuming after a failure, a kill or Ctrl-C, and a third vendor's export.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import attrs
import httpx
import pytest

import conversation_clients.cli.checkpoint as _checkpoint
from conversation_clients.cli import main
from conversation_clients.cli.commands import CommandGroup, Export
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    Faults,
    Sandbox,
)
from tests.support.command_line import cli_command, cli_env
from tests.support.export_runs import WORKSPACES, bird_export, bird_file, listed, run_main, served

CHANNELS = ("0c0c0c0c-0000-4000-8000-000000000001", "0c0c0c0c-0000-4000-8000-000000000002")
SUMMARY_PREFIXES = (
    "conversation-clients: export: ",
    "conversation-clients: not finished: ",
    "conversation-clients: run ",
)


def only_summary(stderr: str) -> None:
    lines = stderr.splitlines()
    assert lines, "a summary is printed"
    assert all(line.startswith(SUMMARY_PREFIXES) for line in lines), stderr


def test_bird_export_writes_each_workspace_as_list_prints_it_and_a_rerun_fetches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bird_key: None
) -> None:
    sandbox = Sandbox(workspaces=WORKSPACES, conversations_per_workspace=30)
    with served(sandbox) as (base_url, asked):
        code, out, err = run_main(bird_export(base_url, tmp_path), capsys)
        assert (code, out) == (0, "")
        only_summary(err)  # stderr is not a terminal: nothing but the summary
        assert "export: 3 of 3 targets finished (90 items" in err
        for workspace in WORKSPACES:
            expected = listed(
                ["bird", "list", "--workspace-id", workspace, "--base-url", base_url, "--limit", "7"], capsys
            )
            assert (tmp_path / bird_file(workspace)).read_bytes() == expected
        assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
            [_checkpoint.CHECKPOINT_NAME, _checkpoint.LOCK_NAME, *map(bird_file, WORKSPACES)]
        )
        asked.clear()
        code, _, err = run_main(bird_export(base_url, tmp_path), capsys)
        assert code == 0 and asked == []  # finished targets are skipped
        assert "export: 3 of 3 targets finished (0 items" in err


def test_omnichannel_export_writes_each_channel_as_list_prints_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNICHANNEL_TOKEN", SANDBOX_OMNICHANNEL_TOKEN)
    sandbox = Sandbox(channels=CHANNELS, conversations_per_workspace=23)
    organization = ["--organization-id", SANDBOX_ORGANIZATION_ID]
    with served(sandbox) as (base_url, _):
        channels = [part for channel in CHANNELS for part in ("--channel-id", channel)]
        argv = ["omnichannel", "export", "--base-url", base_url, *organization, *channels, "--page-size", "5"]
        code, _, err = run_main([*argv, "--out", str(tmp_path)], capsys)
        assert code == 0, err
        only_summary(err)
        for channel in CHANNELS:
            list_argv = ["omnichannel", "list", "--base-url", base_url, *organization, "--channel-id", channel]
            expected = listed([*list_argv, "--page-size", "5"], capsys)
            assert expected.count(b"\n") == 23
            assert (tmp_path / f"omnichannel-{SANDBOX_ORGANIZATION_ID}-{channel}.jsonl").read_bytes() == expected


def failing_pages_of(workspace: str, flag: threading.Event) -> Callable[[httpx.Request], bool]:
    """Fails every page of ``workspace`` but its first while ``flag`` is set."""
    return lambda request: flag.is_set() and workspace in request.url.path and "pageToken" in request.url.params


def test_a_target_whose_retries_run_out_is_finished_by_the_rerun_and_the_others_are_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bird_key: None
) -> None:
    flaky = threading.Event()
    flaky.set()
    sandbox = Sandbox(workspaces=WORKSPACES, conversations_per_workspace=30)
    with served(sandbox, failing=failing_pages_of(WORKSPACES[1], flaky)) as (base_url, asked):
        argv = bird_export(base_url, tmp_path, "--max-retries", "1")
        code, _, err = run_main(argv, capsys)
        assert code == ExitCode.API_ERROR  # the failure's own code
        only_summary(err)
        assert "export: 2 of 3 targets finished" in err
        assert f"not finished: {bird_file(WORKSPACES[1])} (" in err and "503" in err
        checkpoint = _checkpoint.load(tmp_path)
        assert checkpoint is not None
        stopped = checkpoint.targets[bird_file(WORKSPACES[1])]
        assert (stopped.finished, stopped.offset > 0, stopped.token is not None) == (False, True, True)
        untouched = {w: (tmp_path / bird_file(w)).stat() for w in (WORKSPACES[0], WORKSPACES[2])}

        flaky.clear()
        asked.clear()
        code, _, err = run_main(argv, capsys)
        assert code == 0, err
        assert {path.split("/")[2] for path in asked} == {WORKSPACES[1]}  # only the unfinished one
        for workspace, before in untouched.items():
            after = (tmp_path / bird_file(workspace)).stat()
            assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
        for workspace in WORKSPACES:
            expected = listed(
                ["bird", "list", "--workspace-id", workspace, "--base-url", base_url, "--limit", "7"], capsys
            )
            assert (tmp_path / bird_file(workspace)).read_bytes() == expected


def test_what_was_written_after_the_checkpoint_is_cut_off_before_resuming(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bird_key: None
) -> None:
    flaky = threading.Event()
    flaky.set()
    sandbox = Sandbox(workspaces=WORKSPACES[:1], conversations_per_workspace=20)
    with served(sandbox, failing=failing_pages_of(WORKSPACES[0], flaky)) as (base_url, _):
        argv = bird_export(base_url, tmp_path, "--max-retries", "0", workspaces=WORKSPACES[:1])
        assert run_main(argv, capsys)[0] == ExitCode.API_ERROR
        data = tmp_path / bird_file(WORKSPACES[0])
        assert data.read_bytes().count(b"\n") == 7  # the first page
        with open(data, "ab") as file:  # a page half written when the process died, after the checkpoint
            file.write(b'{"id": "6f1e0a2b-half-a-line')
        flaky.clear()
        assert run_main(argv, capsys)[0] == 0
        expected = listed(
            ["bird", "list", "--workspace-id", WORKSPACES[0], "--base-url", base_url, "--limit", "7"], capsys
        )
    assert data.read_bytes() == expected
    assert Counter(json.loads(line)["id"] for line in data.read_bytes().splitlines()).most_common(1)[0][1] == 1


def fewer_targets(base_url: str, out: Path) -> list[str]:
    return bird_export(base_url, out, workspaces=WORKSPACES[:2])


def another_page_size(base_url: str, out: Path) -> list[str]:
    return bird_export(base_url, out, "--limit", "9")


@pytest.mark.parametrize(
    ("other", "names"),
    [(fewer_targets, "targets"), (another_page_size, "limit")],
    ids=["other-targets", "other-page-size"],
)
def test_a_checkpoint_of_another_export_is_refused_not_mixed(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bird_key: None,
    other: Callable[[str, Path], list[str]],
    names: str,
) -> None:
    sandbox = Sandbox(workspaces=WORKSPACES, conversations_per_workspace=3)
    with served(sandbox) as (base_url, asked):
        assert run_main(bird_export(base_url, tmp_path), capsys)[0] == 0
        before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
        asked.clear()
        code, _, err = run_main(other(base_url, tmp_path), capsys)
    assert code == ExitCode.USAGE
    assert "was written by a different export" in err and names in err
    assert asked == [] and {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_a_directory_with_export_files_but_no_checkpoint_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bird_key: None
) -> None:
    (tmp_path / bird_file(WORKSPACES[0])).write_text("someone's data\n", encoding="utf-8")
    code, _, err = run_main(bird_export("http://127.0.0.1:9", tmp_path, workspaces=WORKSPACES[:1]), capsys)
    assert code == ExitCode.USAGE and "no checkpoint" in err
    assert (tmp_path / bird_file(WORKSPACES[0])).read_text(encoding="utf-8") == "someone's data\n"


# -- killed at random moments --------------------------------------------------------------

KILL_WORKSPACES = tuple(f"0b1b2c3d-0000-4000-8000-00000000000{n}" for n in range(4))
KILL_CONVERSATIONS = 600
KILL_LATENCY = 0.05
KILLS = 20
SUBPROCESS_TIMEOUT = 60.0


def start_export(base_url: str, out: Path) -> subprocess.Popen[bytes]:
    argv = bird_export(base_url, out, "--concurrency", "2", workspaces=KILL_WORKSPACES)
    return subprocess.Popen(
        cli_command(*argv),
        env=cli_env({"BIRD_ACCESS_KEY": SANDBOX_BIRD_ACCESS_KEY}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Python turns SIGINT into KeyboardInterrupt only when SIGINT was not ignored at start,
        # and a runner's background job (`cmd &`, nohup) starts with it ignored: the Ctrl-C tests
        # would then send a signal the export never sees.
        preexec_fn=_sigint_as_default,
    )


def _sigint_as_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def written_so_far(out: Path) -> int:
    checkpoint = _checkpoint.load(out) if (out / _checkpoint.CHECKPOINT_NAME).exists() else None
    return -1 if checkpoint is None else sum(progress.offset for progress in checkpoint.targets.values())


def wait_for_progress(out: Path, process: subprocess.Popen[bytes], deadline: float) -> None:
    """Until the checkpoint records one more page (or the process ends)."""
    first = written_so_far(out)
    while time.monotonic() < deadline and process.poll() is None and written_so_far(out) <= max(first, 0):
        time.sleep(0.01)


def assert_exactly_once_in_order(out: Path, expected: dict[str, list[str]], seed: int) -> None:
    for workspace, ids in expected.items():
        got = [json.loads(line)["id"] for line in (out / bird_file(workspace)).read_bytes().splitlines()]
        assert got == ids, f"seed {seed}: {workspace} holds {len(got)} lines, {len(set(got))} distinct, of {len(ids)}"


def expected_ids(conversations: int) -> dict[str, list[str]]:
    with Sandbox(workspaces=KILL_WORKSPACES, conversations_per_workspace=conversations).bird_client() as bird:
        return {w: [str(c.id) for c in bird.list_conversations(w, limit=7)] for w in KILL_WORKSPACES}


@pytest.mark.subprocess
def test_killed_at_random_moments_and_rerun_every_item_is_written_exactly_once_in_order(tmp_path: Path) -> None:
    seed = random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    # 4 workspaces x 86 pages, 2 at a time, each answered after 50 ms: an export takes about 9 s, twice what 20 kills use
    sandbox = Sandbox(
        workspaces=KILL_WORKSPACES, conversations_per_workspace=KILL_CONVERSATIONS, faults=Faults(latency=KILL_LATENCY)
    )
    expected = expected_ids(KILL_CONVERSATIONS)
    out = tmp_path / "out"
    kills_mid_export = 0
    with sandbox.serve() as base_url:
        for _ in range(3 * KILLS):  # until KILLS kills landed while it ran (or it finished first)
            if kills_mid_export == KILLS:
                break
            process = start_export(base_url, out)
            try:
                if rng.random() < 0.5:  # any moment: start-up and checkpoint writes included
                    time.sleep(rng.uniform(0.0, 0.8))
                else:  # after a page is recorded, so that the kill lands mid-listing
                    wait_for_progress(out, process, time.monotonic() + SUBPROCESS_TIMEOUT)
                    time.sleep(rng.uniform(0.0, 0.15))
                mid_export = process.poll() is None
                process.kill()
            finally:
                process.wait(timeout=SUBPROCESS_TIMEOUT)
                assert process.stderr is not None
                process.stderr.close()
            kills_mid_export += mid_export
            checkpoint = _checkpoint.load(out) if (out / _checkpoint.CHECKPOINT_NAME).exists() else None
            if checkpoint is not None and checkpoint.finished:
                break  # the export won the race: nothing left to kill
        final = start_export(base_url, out)
        try:
            _, stderr = final.communicate(timeout=SUBPROCESS_TIMEOUT)
        finally:
            final.kill()
            final.wait(timeout=SUBPROCESS_TIMEOUT)
    assert final.returncode == 0, f"seed {seed}: {stderr.decode(errors='replace')}"
    assert kills_mid_export == KILLS, f"seed {seed}: only {kills_mid_export} kills landed mid-export"
    assert_exactly_once_in_order(out, expected, seed)


@pytest.mark.subprocess
def test_ctrl_c_exits_130_with_a_consistent_checkpoint_and_the_rerun_completes(tmp_path: Path) -> None:
    conversations = KILL_CONVERSATIONS // 4  # one interruption: a shorter export will do
    sandbox = Sandbox(
        workspaces=KILL_WORKSPACES, conversations_per_workspace=conversations, faults=Faults(latency=KILL_LATENCY)
    )
    expected = expected_ids(conversations)
    out = tmp_path / "out"
    with sandbox.serve() as base_url:
        process = start_export(base_url, out)
        try:
            wait_for_progress(out, process, time.monotonic() + SUBPROCESS_TIMEOUT)
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=SUBPROCESS_TIMEOUT)
        finally:
            process.kill()
            process.wait(timeout=SUBPROCESS_TIMEOUT)
        assert process.returncode == ExitCode.INTERRUPTED, stderr.decode(errors="replace")
        text = stderr.decode()
        assert "targets finished" in text and "(interrupted)" in text
        checkpoint = _checkpoint.load(out)
        assert checkpoint is not None and not checkpoint.finished
        for workspace in KILL_WORKSPACES:  # every recorded offset ends a whole line of the right items
            progress = checkpoint.targets[bird_file(workspace)]
            written = (out / bird_file(workspace)).read_bytes()[: progress.offset]
            ids = [json.loads(line)["id"] for line in written.splitlines()]
            assert ids == expected[workspace][: len(ids)] and (not written or written.endswith(b"\n"))
        final = start_export(base_url, out)
        try:
            _, stderr = final.communicate(timeout=SUBPROCESS_TIMEOUT)
        finally:
            final.kill()
            final.wait(timeout=SUBPROCESS_TIMEOUT)
    assert final.returncode == 0, stderr.decode(errors="replace")
    assert_exactly_once_in_order(out, expected, seed=0)


def test_a_third_vendors_export_is_one_more_declaration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.support import acme_commands

    listing = acme_commands.COMMANDS.command("list")
    export = Export(help="export many workspaces' threads", targets=("--workspace-id",), rate_limit=None)
    group = CommandGroup("acme", "Acme", (attrs.evolve(listing, export=export),))
    monkeypatch.setenv(acme_commands.ACME_KEY_ENV, SANDBOX_BIRD_ACCESS_KEY)
    sandbox = Sandbox(workspaces=WORKSPACES[:2], conversations_per_workspace=5)
    ids = [part for workspace in WORKSPACES[:2] for part in ("--workspace-id", workspace)]
    with sandbox.serve() as base_url:
        argv = ["acme", "export", *ids, "--base-url", base_url, "--out", str(tmp_path), "--limit", "2"]
        assert main(argv, groups=[group]) == 0, capsys.readouterr().err
    for workspace in WORKSPACES[:2]:
        lines = (tmp_path / f"acme-{workspace}.jsonl").read_bytes().splitlines()
        assert [json.loads(line)["id"] for line in lines] == [
            sandbox.bird_conversation(workspace, index)["id"] for index in range(5)
        ]
