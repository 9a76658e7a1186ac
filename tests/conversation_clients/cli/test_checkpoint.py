"""An export's checkpoint (:mod:`conversation_clients.cli.checkpoint`): its values, its file
format, and the shell's durable writes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import conversation_clients.cli.checkpoint as _checkpoint
from conversation_clients.cli.checkpoint import (
    Checkpoint,
    CheckpointError,
    CheckpointMismatch,
    TargetProgress,
    page_written,
)

FINGERPRINT = {"vendor": "bird", "targets": ["a.jsonl", "b.jsonl"], "options": {"limit": "7"}}


def test_a_checkpoint_survives_its_file_and_records_each_page() -> None:
    checkpoint = Checkpoint.start(FINGERPRINT, ["a.jsonl", "b.jsonl"])
    checkpoint = page_written(checkpoint, "a.jsonl", next_token="t1", offset=10)
    checkpoint = page_written(checkpoint, "b.jsonl", next_token=None, offset=4)
    assert _checkpoint.decode(_checkpoint.encode(checkpoint)) == checkpoint
    assert checkpoint.targets == {
        "a.jsonl": TargetProgress(token="t1", offset=10, finished=False),
        "b.jsonl": TargetProgress(token=None, offset=4, finished=True),
    }
    assert not checkpoint.finished
    with pytest.raises(KeyError, match="c.jsonl"):
        page_written(checkpoint, "c.jsonl", next_token=None, offset=0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "not JSON"),
        (b"[]", "not a checkpoint"),
        (b'{"format": 2, "fingerprint": {}, "targets": {}}', "not a checkpoint of format 1"),
        (b'{"format": 1, "fingerprint": [], "targets": {}}', "must be objects"),
        (b'{"format": 1, "fingerprint": {}, "targets": {"a": {"token": 1, "offset": 0, "finished": false}}}', "token"),
        (
            b'{"format": 1, "fingerprint": {}, "targets": {"a": {"token": null, "offset": -1, "finished": false}}}',
            "offset",
        ),
        (
            b'{"format": 1, "fingerprint": {}, "targets": {"a": {"token": null, "offset": true, "finished": false}}}',
            "offset",
        ),
        (
            b'{"format": 1, "fingerprint": {}, "targets": {"a": {"token": null, "offset": 0, "finished": 1}}}',
            "finished",
        ),
    ],
)
def test_a_file_that_is_not_a_checkpoint_is_a_typed_error(data: bytes, message: str) -> None:
    with pytest.raises(CheckpointError, match=message):
        _checkpoint.decode(data)


def test_a_mismatch_names_what_differs() -> None:
    checkpoint = Checkpoint.start(FINGERPRINT, ["a.jsonl"])
    assert _checkpoint.mismatch(checkpoint, dict(FINGERPRINT)) is None
    different = _checkpoint.mismatch(checkpoint, {**FINGERPRINT, "options": {"limit": "9"}})
    assert different == "options: {'limit': '7'} then, {'limit': '9'} now"


def test_a_rerun_may_add_targets_and_leave_out_those_nothing_was_written_for() -> None:
    checkpoint = Checkpoint.start(FINGERPRINT, ["a.jsonl", "b.jsonl"])
    checkpoint = page_written(checkpoint, "a.jsonl", next_token="t1", offset=10)
    now = {**FINGERPRINT, "targets": ["a.jsonl", "c.jsonl"]}
    reconciled = _checkpoint.reconcile(checkpoint, now, ["a.jsonl", "c.jsonl"])
    assert reconciled == Checkpoint(now, {"a.jsonl": checkpoint.targets["a.jsonl"], "c.jsonl": TargetProgress()})
    with pytest.raises(CheckpointMismatch, match="'a.jsonl' has pages written but is not a target now"):
        _checkpoint.reconcile(checkpoint, {**FINGERPRINT, "targets": ["b.jsonl"]}, ["b.jsonl"])
    with pytest.raises(CheckpointMismatch, match="options"):
        _checkpoint.reconcile(checkpoint, {**FINGERPRINT, "options": {"limit": "9"}}, ["a.jsonl", "b.jsonl"])


def test_only_a_target_nothing_was_written_for_is_dropped() -> None:
    checkpoint = page_written(
        Checkpoint.start(FINGERPRINT, ["a.jsonl", "b.jsonl"]), "a.jsonl", next_token="t", offset=1
    )
    assert _checkpoint.without(checkpoint, "b.jsonl") == Checkpoint(
        {**FINGERPRINT, "targets": ["a.jsonl"]}, {"a.jsonl": checkpoint.targets["a.jsonl"]}
    )
    with pytest.raises(ValueError, match="has pages written"):
        _checkpoint.without(checkpoint, "a.jsonl")


def test_a_failed_save_keeps_the_old_checkpoint_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Checkpoint.start(FINGERPRINT, ["a.jsonl"])
    _checkpoint.save(tmp_path, first)

    def full(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="No space left"):
        _checkpoint.save(tmp_path, page_written(first, "a.jsonl", next_token="t", offset=3))
    monkeypatch.undo()
    assert _checkpoint.load(tmp_path) == first
    assert [path.name for path in tmp_path.iterdir()] == [_checkpoint.CHECKPOINT_NAME]


def test_save_replaces_the_checkpoint_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    assert _checkpoint.load(tmp_path) is None
    first = Checkpoint.start(FINGERPRINT, ["a.jsonl"])
    _checkpoint.save(tmp_path, first)
    second = page_written(first, "a.jsonl", next_token="t", offset=3)
    _checkpoint.save(tmp_path, second)
    assert _checkpoint.load(tmp_path) == second
    assert [path.name for path in tmp_path.iterdir()] == [_checkpoint.CHECKPOINT_NAME]


def test_append_returns_the_new_length_and_truncate_cuts_back_to_an_offset(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    assert _checkpoint.append_durably(path, b'{"id": 1}\n') == 10
    assert _checkpoint.append_durably(path, b'{"id": 2}\n{"id"') == 25
    _checkpoint.truncate(path, 10)
    assert path.read_bytes() == b'{"id": 1}\n'
    _checkpoint.truncate(tmp_path / "new.jsonl", 0)  # a target not started yet: its first page creates it
    assert not (tmp_path / "new.jsonl").exists()
    with pytest.raises(CheckpointError, match="missing, but the checkpoint recorded 5 bytes"):
        _checkpoint.truncate(tmp_path / "new.jsonl", 5)
    assert not (tmp_path / "new.jsonl").exists()


def test_a_file_shorter_than_its_checkpoint_is_refused_not_padded(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"abc")
    with pytest.raises(CheckpointError, match="fewer than the 10"):
        _checkpoint.truncate(path, 10)
    assert path.read_bytes() == b"abc"


@pytest.mark.subprocess
def test_one_export_at_a_time_writes_a_directory(tmp_path: Path) -> None:
    with _checkpoint.exclusive(tmp_path):
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True, timeout=30, check=False
        )
        assert probe.stdout.strip() == "another export is writing to " + str(tmp_path)
    with _checkpoint.exclusive(tmp_path):  # released when the block ended
        pass


# another process trying the lock (flock locks are per open file, so the same process would not do)
PROBE = """
import sys
from pathlib import Path
import conversation_clients.cli.checkpoint as _checkpoint
try:
    with _checkpoint.exclusive(Path(sys.argv[1])):
        print("locked")
except _checkpoint.CheckpointError as error:
    print(error)
"""
