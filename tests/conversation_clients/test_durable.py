"""Durable writes to local files (:mod:`conversation_clients._durable`): a directory fsynced so that
the renames into it survive a crash, best effort where the system cannot."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

import conversation_clients._durable as _durable
from conversation_clients._durable import fsync_directory


class RecordedOs:
    """``os`` as the module calls it, each fsync and close noted; ``fsync_error`` makes fsync fail."""

    def __init__(self, fsync_error: OSError | None = None) -> None:
        self.fsynced: list[int] = []
        self.opened: list[int] = []
        self.closed: list[int] = []
        self.fsync_error = fsync_error

    def open(self, path: Path, flags: int) -> int:
        descriptor = os.open(path, flags)
        self.opened.append(descriptor)
        return descriptor

    def fsync(self, descriptor: int) -> None:
        assert stat.S_ISDIR(os.fstat(descriptor).st_mode), "the directory itself is fsynced"
        self.fsynced.append(descriptor)
        if self.fsync_error is not None:
            raise self.fsync_error
        os.fsync(descriptor)

    def close(self, descriptor: int) -> None:
        self.closed.append(descriptor)
        os.close(descriptor)

    def __getattr__(self, name: str) -> object:  # the rest of os, as it is
        return getattr(os, name)


def test_the_directory_is_fsynced_and_its_descriptor_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = RecordedOs()
    monkeypatch.setattr(_durable, "os", recorded)
    fsync_directory(tmp_path)
    assert recorded.fsynced == recorded.opened == recorded.closed
    assert len(recorded.opened) == 1


def test_a_system_that_cannot_fsync_a_directory_is_passed_over_and_nothing_leaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = RecordedOs(OSError(errno.EINVAL, os.strerror(errno.EINVAL)))
    monkeypatch.setattr(_durable, "os", recorded)
    fsync_directory(tmp_path)  # best effort: no error
    assert recorded.opened == recorded.closed and len(recorded.opened) == 1


def test_a_directory_that_cannot_be_opened_is_passed_over(tmp_path: Path) -> None:
    fsync_directory(tmp_path / "missing")
