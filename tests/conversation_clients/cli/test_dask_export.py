"""``conversation-clients VENDOR export --dask`` (:mod:`conversation_clients.cli.dask_export`): each
target a Dask task on a local cluster or a running scheduler, into a folder or an fsspec URL."""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import distributed
import pytest

import conversation_clients.cli.dask_export as dask_export
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.dask import MANIFEST_NAME, prepare_export
from conversation_clients.dask._destination import Storage
from conversation_clients.sandbox import (
    SANDBOX_CHANNEL_ID,
    SANDBOX_MISSING_ID,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
)
from tests.support.dask_runs import local_cluster
from tests.support.export_runs import listed, run_main

SUMMARY_PREFIXES: Final = ("conversation-clients: export: ", "conversation-clients: not finished: ")
OTHER_WORKSPACE: Final = "0e1b2c3d-0000-4000-8000-000000000001"


def only_summary(stderr: str) -> None:
    """Nothing on stderr but the export's summary: no line of Dask's."""
    lines = stderr.splitlines()
    assert lines and all(line.startswith(SUMMARY_PREFIXES) for line in lines), stderr


@pytest.mark.subprocess
def test_bird_export_on_a_local_cluster_writes_what_list_prints_and_names_an_unknown_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspaces = [SANDBOX_WORKSPACE_ID, OTHER_WORKSPACE, SANDBOX_MISSING_ID]
    ids = [part for workspace in workspaces for part in ("--workspace-id", workspace)]
    code, out, err = run_main(
        ["bird", "export", "--sandbox", "--dask", "local:2", *ids, "--out", str(tmp_path)], capsys
    )
    assert (code, out) == (ExitCode.API_ERROR, "")  # the unknown workspace's 404, as without --dask
    only_summary(err)
    assert f"export: 2 of 3 targets finished (84 items written in this run, to {tmp_path})" in err
    assert f"not finished: bird-{SANDBOX_MISSING_ID}.jsonl (workspace {SANDBOX_MISSING_ID} not found (404)" in err
    for workspace in workspaces[:2]:
        expected = listed(["bird", "list", "--sandbox", "--workspace-id", workspace], capsys)
        assert (tmp_path / f"bird-{workspace}.jsonl").read_bytes() == expected
    assert not (tmp_path / f"bird-{SANDBOX_MISSING_ID}.jsonl").exists()
    assert (tmp_path / MANIFEST_NAME).exists()


@pytest.mark.subprocess
def test_omnichannel_export_runs_on_a_scheduler_given_by_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with local_cluster(workers=1, processes=True) as cluster:
        argv = ["omnichannel", "export", "--sandbox", "--dask", cluster.address, "--out", tmp_path.as_uri()]
        code, _, err = run_main(argv, capsys)
        assert code == 0, err
        only_summary(err)
    expected = listed(["omnichannel", "list", "--sandbox"], capsys)
    file = f"omnichannel-{SANDBOX_ORGANIZATION_ID}-{SANDBOX_CHANNEL_ID}.jsonl"
    assert (tmp_path / file).read_bytes() == expected


def test_a_write_the_storage_refuses_past_the_tasks_retries_is_exit_9_and_the_rerun_finishes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    full = True
    write_chunks = Storage.write_chunks

    def disk_full_for_parts(storage: Storage, name: str, chunks: Iterable[bytes]) -> None:
        if full and ".parts/" in name:
            raise OSError(errno.ENOSPC, "No space left on device", storage.path(name))
        write_chunks(storage, name, chunks)

    monkeypatch.setattr(Storage, "write_chunks", disk_full_for_parts)
    # a cluster of this process (a thread for a worker): the worker writes through the patched storage
    with local_cluster(workers=1, processes=False) as cluster:
        argv = export(str(tmp_path), "--dask", cluster.address)
        code, _, err = run_main(argv, capsys)
        assert code == ExitCode.WRITE_FAILED
        assert "export: 0 of 1 targets finished" in err
        assert f"error: cannot write {tmp_path}/bird-{SANDBOX_WORKSPACE_ID}.jsonl.parts/" in err
        assert "No space left on device; free space (or fix the cause) and run the same command to resume" in err
        full = False
        code, _, err = run_main(argv, capsys)
    assert code == 0, err
    expected = listed(["bird", "list", "--sandbox"], capsys)
    assert (tmp_path / f"bird-{SANDBOX_WORKSPACE_ID}.jsonl").read_bytes() == expected


def export(out: str, *more: str) -> list[str]:
    return ["bird", "export", "--sandbox", "--out", out, *more]


def test_an_out_url_without_dask_says_to_give_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(export("s3://bucket/export"), capsys)
    assert code == ExitCode.USAGE and "is an fsspec URL: give --dask (local:N, or a scheduler's address)" in err
    assert not Path("s3:").exists()  # no local folder named after the URL


@pytest.mark.parametrize("value", ["local:0", "local:two", "cluster", "tcp://", "http:/x"])
def test_a_dask_value_that_names_no_cluster_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, _, err = run_main(export(str(tmp_path), "--dask", value), capsys)
    assert code == ExitCode.USAGE and f"--dask: {value!r} is not local, local:N (N >= 1)" in err
    assert list(tmp_path.iterdir()) == []


def test_without_the_extra_dask_says_how_to_install_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError, as when not installed
    monkeypatch.delitem(sys.modules, "conversation_clients.dask")
    code, _, err = run_main(export(str(tmp_path), "--dask", "local:2"), capsys)
    assert code == ExitCode.USAGE
    assert "--dask needs the dask extra (distributed is not installed): pip install 'conversation-clients[dask]'" in err
    assert list(tmp_path.iterdir()) == []


def test_a_plain_exports_folder_and_a_dask_exports_folder_are_not_mixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "export-checkpoint.json").write_text("{}", encoding="utf-8")
    code, _, err = run_main(export(str(tmp_path), "--dask", "local:1"), capsys)
    assert code == ExitCode.USAGE and "holds export-checkpoint.json, an export's without --dask" in err

    dask_folder = tmp_path / "dask"
    dask_folder.mkdir()
    (dask_folder / MANIFEST_NAME).write_text("{}", encoding="utf-8")
    code, _, err = run_main(export(str(dask_folder)), capsys)
    assert code == ExitCode.USAGE and f"is a folder a --dask export wrote ({MANIFEST_NAME}): give --dask" in err
    assert sorted(path.name for path in dask_folder.iterdir()) == [MANIFEST_NAME]


def test_missing_credentials_stop_the_export_before_any_cluster_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BIRD_ACCESS_KEY", raising=False)

    def no_cluster(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(distributed, "LocalCluster", no_cluster)
    argv = ["bird", "export", "--dask", "local:2", "--workspace-id", SANDBOX_WORKSPACE_ID, "--out", str(tmp_path)]
    code, _, err = run_main([*argv, "--base-url", "http://127.0.0.1:9"], capsys)
    assert code == ExitCode.CREDENTIALS and "set BIRD_ACCESS_KEY" in err


def test_a_folder_of_another_export_is_refused_before_any_cluster_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_export(str(tmp_path), [], fingerprint={"vendor": "omnichannel"})
    before = (tmp_path / MANIFEST_NAME).read_bytes()

    def no_cluster(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(distributed, "LocalCluster", no_cluster)
    code, _, err = run_main(export(str(tmp_path), "--dask", "local:2"), capsys)
    assert code == ExitCode.USAGE
    assert "was written by a different export (" in err and "vendor: 'omnichannel' then, 'bird' now" in err
    assert "move it aside to start again, or use another --out" in err
    assert sorted(path.name for path in tmp_path.iterdir()) == [MANIFEST_NAME]
    assert (tmp_path / MANIFEST_NAME).read_bytes() == before


def test_a_scheduler_that_does_not_answer_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dask_export, "CONNECT_TIMEOUT_SECONDS", 1)
    code, _, err = run_main(export(str(tmp_path), "--dask", "tcp://127.0.0.1:9"), capsys)
    assert code == ExitCode.USAGE and "--dask tcp://127.0.0.1:9: cannot reach the scheduler" in err


def test_the_manifests_name_is_the_librarys() -> None:
    assert dask_export.DASK_MANIFEST_NAME == MANIFEST_NAME
