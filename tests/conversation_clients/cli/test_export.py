"""``conversation-clients VENDOR export`` (:mod:`conversation_clients.cli.export`): files per
target, the checkpoint, resuming after a failure, a kill or Ctrl-C, and a third vendor's export.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import signal
import stat
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

import conversation_clients.cli.checkpoint as _checkpoint
from conversation_clients.cli import main
from conversation_clients.cli.commands import CommandGroup, Export
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.loopback import serve
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    Faults,
    Sandbox,
)
from tests.support import as_sent
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
            file = out / bird_file(workspace)  # created by its first page: a target not started has none
            written = file.read_bytes()[: progress.offset] if file.exists() else b""
            assert len(written) == progress.offset
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


# -- a disk that fails: every write and checkpoint replace, one at a time (issue 20) ----------

FAULT_WORKSPACES = WORKSPACES[:2]
# 15 conversations a workspace, --limit 7: pages of 7, 7 and 1, so 6 pages in all. Writes: the
# first checkpoint, then per page its lines and a checkpoint; each write is fsynced; each
# checkpoint is an os.replace.
FAULT_POSITIONS = {"write": 13, "fsync": 13, "replace": 7}
FAULT_ERRNO = {"write": errno.ENOSPC, "fsync": errno.EIO, "replace": errno.EDQUOT}
ADVICE = "free space (or fix the cause) and run the same command to resume"


class DiskFaults:
    """Fails the ``at``-th write, file fsync or replace the checkpoint module makes (counting from 0)
    with its ``OSError``; a failing write first puts half its bytes on disk, as a full disk does."""

    def __init__(self, kind: str | None, at: int = 0) -> None:
        self.kind, self.at = kind, at
        self.seen: Counter[str] = Counter()

    def strikes(self, kind: str) -> None:
        position = self.seen[kind]
        self.seen[kind] += 1
        if kind == self.kind and position == self.at:
            raise OSError(FAULT_ERRNO[kind], os.strerror(FAULT_ERRNO[kind]))

    def open_file(self, path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        file = open(path, mode, *args, **kwargs)  # noqa: SIM115 - the wrapper closes it
        return _FaultyFile(file, self) if mode in ("ab", "wb") else file

    def fsync(self, descriptor: int) -> None:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):  # a directory's fsync may fail: it is best effort
            self.strikes("fsync")
        os.fsync(descriptor)

    def replace(self, source: Any, destination: Any) -> None:
        self.strikes("replace")
        os.replace(source, destination)

    def __getattr__(self, name: str) -> Any:  # the rest of os, as it is
        return getattr(os, name)


class _FaultyFile:
    def __init__(self, file: Any, faults: DiskFaults) -> None:
        self._file, self._faults = file, faults

    def write(self, data: bytes) -> int:
        try:
            self._faults.strikes("write")
        except OSError:
            self._file.write(data[: len(data) // 2])
            self._file.flush()
            raise
        return int(self._file.write(data))

    def __enter__(self) -> _FaultyFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._file.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def inject(monkeypatch: pytest.MonkeyPatch, faults: DiskFaults) -> None:
    monkeypatch.setattr(_checkpoint, "open", faults.open_file, raising=False)  # the module's own name for open
    monkeypatch.setattr(_checkpoint, "os", faults)


def test_the_fault_positions_are_every_write_and_replace_of_the_small_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bird_key: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = DiskFaults(None)
    inject(monkeypatch, counting)
    with served(Sandbox(workspaces=FAULT_WORKSPACES, conversations_per_workspace=15)) as (base_url, _):
        code, _, err = run_main(bird_export(base_url, tmp_path, workspaces=FAULT_WORKSPACES), capsys)
    assert code == 0, err
    assert dict(counting.seen) == FAULT_POSITIONS


@pytest.mark.parametrize(("kind", "at"), [(kind, at) for kind, count in FAULT_POSITIONS.items() for at in range(count)])
def test_a_failed_write_is_exit_9_with_advice_and_the_rerun_holds_every_item_exactly_once(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bird_key: None,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    at: int,
) -> None:
    out = tmp_path / "out"
    with served(Sandbox(workspaces=FAULT_WORKSPACES, conversations_per_workspace=15)) as (base_url, _):
        argv = bird_export(base_url, out, workspaces=FAULT_WORKSPACES)
        with monkeypatch.context() as patched:
            inject(patched, DiskFaults(kind, at))
            code, _, err = run_main(argv, capsys)
        assert code == ExitCode.WRITE_FAILED, err
        last = err.splitlines()[-1]
        reason = os.strerror(FAULT_ERRNO[kind])
        assert re.fullmatch(
            rf"conversation-clients: error: cannot write {re.escape(str(out))}/\S+: {reason}; {re.escape(ADVICE)}",
            last,
        ), err
        assert "unexpected" not in err
        assert not list(out.glob("*.tmp"))  # no half-written checkpoint left holding the space

        code, _, err = run_main(argv, capsys)
        assert code == 0, err
        for workspace in FAULT_WORKSPACES:
            expected = listed(
                ["bird", "list", "--workspace-id", workspace, "--base-url", base_url, "--limit", "7"], capsys
            )
            assert expected.count(b"\n") == 15
            assert (out / bird_file(workspace)).read_bytes() == expected


# -- a checkpoint that cannot vouch for the files: nothing is touched (issue 20) --------------


def garbage(checkpoint: dict[str, Any], out: Path) -> bytes:
    return b'{"format": 1, "fingerprint": {'


def a_file_beyond_its_targets(checkpoint: dict[str, Any], out: Path) -> bytes:
    """The same export's checkpoint, but naming a file outside --out with bytes written."""
    victim = {"token": "t", "offset": 3, "finished": False}
    return json.dumps({**checkpoint, "targets": {**checkpoint["targets"], "../victim.jsonl": victim}}).encode()


def more_bytes_than_the_file(checkpoint: dict[str, Any], out: Path) -> bytes:
    file = bird_file(WORKSPACES[0])
    progress = {"token": "t", "offset": (out / file).stat().st_size + 5, "finished": False}
    return json.dumps({**checkpoint, "targets": {**checkpoint["targets"], file: progress}}).encode()


@pytest.mark.parametrize(
    ("corrupt", "says"),
    [
        (garbage, "cannot read the checkpoint {where}: not JSON"),
        (a_file_beyond_its_targets, "{where} was written by a different export (targets: '../victim.jsonl'"),
        (more_bytes_than_the_file, "fewer than the"),
    ],
    ids=["not-json", "a-file-beyond-its-targets", "more-bytes-than-the-file"],
)
def test_a_checkpoint_that_cannot_vouch_for_the_files_leaves_every_file_untouched_and_says_what_to_do(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bird_key: None,
    corrupt: Callable[[dict[str, Any], Path], bytes],
    says: str,
) -> None:
    out = tmp_path / "out"
    victim = tmp_path / "victim.jsonl"
    victim.write_bytes(b"someone's data\n")
    where = out / _checkpoint.CHECKPOINT_NAME
    with served(Sandbox(workspaces=WORKSPACES, conversations_per_workspace=10)) as (base_url, asked):
        assert run_main(bird_export(base_url, out), capsys)[0] == 0
        where.write_bytes(corrupt(json.loads(where.read_bytes()), out))
        before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in [*out.iterdir(), victim]}
        asked.clear()
        code, _, err = run_main(bird_export(base_url, out), capsys)
    assert code == ExitCode.USAGE
    assert err.startswith("conversation-clients: error: ") and err.count("\n") == 1, err
    assert says.format(where=where) in err
    assert f"move {where} and the export's files aside to start again, or use another --out" in err
    assert asked == []
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in [*out.iterdir(), victim]} == before


# -- an unknown target: no file, no checkpoint entry, no rerun advice (issue 20) -------------


def test_an_unknown_workspace_gets_no_file_and_no_entry_and_the_others_finish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bird_key: None
) -> None:
    unknown = WORKSPACES[1]
    sandbox = Sandbox(workspaces=WORKSPACES[::2], conversations_per_workspace=10, missing_workspaces=[unknown])
    with served(sandbox) as (base_url, asked):
        code, _, err = run_main(bird_export(base_url, tmp_path), capsys)
        assert code == ExitCode.API_ERROR
        only_summary(err)
        assert "export: 2 of 3 targets finished" in err
        assert (
            f"not finished: {bird_file(unknown)} (workspace {unknown} not found (404): check the id (Bird said: " in err
        )
        assert "run the same command" not in err and "nothing to resume from" not in err
        assert not (tmp_path / bird_file(unknown)).exists()
        checkpoint = _checkpoint.load(tmp_path)
        assert checkpoint is not None
        assert (
            sorted(checkpoint.targets) == checkpoint.fingerprint["targets"] == sorted(map(bird_file, WORKSPACES[::2]))
        )
        for workspace in WORKSPACES[::2]:
            expected = listed(
                ["bird", "list", "--workspace-id", workspace, "--base-url", base_url, "--limit", "7"], capsys
            )
            assert (tmp_path / bird_file(workspace)).read_bytes() == expected

        asked.clear()  # the unknown id left out: the same export, finished already
        code, _, err = run_main(bird_export(base_url, tmp_path, workspaces=WORKSPACES[::2]), capsys)
        assert (code, asked) == (0, [])
        assert "export: 2 of 2 targets finished (0 items" in err


def test_an_unknown_channel_is_named_with_its_organization(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNICHANNEL_TOKEN", SANDBOX_OMNICHANNEL_TOKEN)
    unknown = CHANNELS[1]
    sandbox = Sandbox(channels=CHANNELS[:1], conversations_per_workspace=3, missing_channels=[unknown])
    with served(sandbox) as (base_url, _):
        channels = [part for channel in CHANNELS for part in ("--channel-id", channel)]
        argv = ["omnichannel", "export", "--base-url", base_url, "--organization-id", SANDBOX_ORGANIZATION_ID]
        code, _, err = run_main([*argv, *channels, "--out", str(tmp_path)], capsys)
    assert code == ExitCode.API_ERROR
    assert f"channel {unknown} of organization {SANDBOX_ORGANIZATION_ID} not found (404): check the ids" in err
    assert "run the same command" not in err
    assert sorted(path.name for path in tmp_path.glob("*.jsonl")) == [
        f"omnichannel-{SANDBOX_ORGANIZATION_ID}-{CHANNELS[0]}.jsonl"
    ]


# -- Issue 20: items leave as they came ----------------------------------------------------------


@pytest.mark.loopback
@pytest.mark.parametrize("vendor", ["bird", "omnichannel"])
def test_export_writes_each_item_exactly_as_the_server_sent_it(
    vendor: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIRD_ACCESS_KEY", SANDBOX_BIRD_ACCESS_KEY)
    monkeypatch.setenv("OMNICHANNEL_TOKEN", SANDBOX_OMNICHANNEL_TOKEN)
    target = (
        ["--workspace-id", WORKSPACES[0]]
        if vendor == "bird"
        else ["--organization-id", SANDBOX_ORGANIZATION_ID, "--channel-id", CHANNELS[0]]
    )
    with serve(as_sent.handler(vendor)) as base_url:
        code, _, err = run_main([vendor, "export", *target, "--base-url", base_url, "--out", str(tmp_path)], capsys)
    assert code == 0, err
    name = (
        bird_file(WORKSPACES[0]) if vendor == "bird" else f"omnichannel-{SANDBOX_ORGANIZATION_ID}-{CHANNELS[0]}.jsonl"
    )
    text = (tmp_path / name).read_text(encoding="utf-8")
    # the date-time's text, not to_dict()'s "2025-06-02T09:26:41.906000+00:00"
    assert text.count(f'"{as_sent.SENT_AT}"') == as_sent.COUNT * (2 if vendor == "bird" else 1)
    # every key in its place (the unknown one in the middle, not first) and every value as sent
    assert [as_sent.pairs(line) for line in text.splitlines()] == list(map(as_sent.as_sent, as_sent.sent_items(vendor)))
