"""The export past one machine (:mod:`conversation_clients.dask._export_targets`): each target a Dask
task, every item once after retries, a killed worker and reruns, and no secret in what Dask shows."""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import attrs
import distributed
import pytest

from conversation_clients.dask import Destination, ExportMismatch, TargetOutcome, export_targets, json_lines, task_key
from conversation_clients.pagination import Page
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, Faults, Sandbox
from tests.support.dask_runs import TIMEOUT_SECONDS, SandboxConversations, local_cluster, memory_filesystem

WORKSPACES: Final = tuple(f"0d1b2c3d-0000-4000-8000-00000000000{n}" for n in range(8))
SECRET: Final = "wJalrXUtnFEMI-not-a-real-secret"


def bird_file(workspace: str) -> str:
    return f"bird-{workspace}.jsonl"


def targets(workspaces: tuple[str, ...]) -> dict[str, str]:
    return {bird_file(workspace): workspace for workspace in workspaces}


def listed(sandbox: Sandbox, workspace: str, limit: int = 5) -> bytes:
    """What the workspace's file must hold: its conversations as one listing gives them, each once."""
    with sandbox.bird_client() as bird:
        return b"".join(json_lines(page) for page in bird.list_conversations(workspace, limit=limit).pages())


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    """A cluster in this process (threads): fast, and sharing its ``memory://`` file system with the tests."""
    with local_cluster(workers=1, threads=2, processes=False) as cluster:
        yield cluster.client


@pytest.fixture
def bird_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIRD_ACCESS_KEY", SANDBOX_BIRD_ACCESS_KEY)


def test_each_target_is_a_task_and_its_file_holds_its_listing_once(
    client: distributed.Client, memory_url: str, bird_key: None
) -> None:
    sandbox = Sandbox(workspaces=WORKSPACES[:3], conversations_per_workspace=23)
    ended: list[TargetOutcome] = []
    with sandbox.serve() as base_url:
        report = export_targets(
            SandboxConversations(base_url), targets(WORKSPACES[:3]), memory_url, client=client, on_outcome=ended.append
        )
        assert report.complete and report.failures == {} and report.written == 3 * 23
        storage = Destination(memory_url).open()
        for workspace in WORKSPACES[:3]:
            assert storage.read(bird_file(workspace)) == listed(sandbox, workspace)
        assert sorted(outcome.file for outcome in ended) == sorted(targets(WORKSPACES[:3]))

        asked = sandbox.request_count
        again = export_targets(SandboxConversations(base_url), targets(WORKSPACES[:3]), memory_url, client=client)
        assert sandbox.request_count == asked  # finished targets are not run again
        assert again.complete and again.written == 0
        assert all(not outcome.ran and outcome.items == 23 for outcome in again.outcomes.values())


@attrs.frozen
class FailingOnce:
    """Lists like :class:`SandboxConversations`, but raises once, at its second page, while ``marker`` exists."""

    listing: SandboxConversations
    marker: str

    def __call__(self, workspace_id: str, token: str | None) -> Iterator[Page[Any]]:
        memory = memory_filesystem()
        for index, page in enumerate(self.listing(workspace_id, token)):
            if index == 1 and memory.exists(self.marker):
                memory.rm(self.marker)
                raise RuntimeError("the worker lost its network")
            yield page


def test_a_task_that_raises_is_retried_and_resumes_from_its_checkpoint(
    client: distributed.Client, memory_url: str, bird_key: None
) -> None:
    sandbox = Sandbox(workspaces=WORKSPACES[:1], conversations_per_workspace=17)
    marker = f"{memory_url.removeprefix('memory://')}-fail-once"
    memory_filesystem().pipe_file(marker, b"")
    with sandbox.serve() as base_url:
        listing = FailingOnce(SandboxConversations(base_url), marker)
        report = export_targets(listing, targets(WORKSPACES[:1]), memory_url, client=client, retries=1)
        outcome = report.outcomes[bird_file(WORKSPACES[0])]
        assert (outcome.finished, outcome.attempts, outcome.written) == (True, 2, 17)
        assert Destination(memory_url).open().read(bird_file(WORKSPACES[0])) == listed(sandbox, WORKSPACES[0])


@attrs.frozen
class AlwaysFailing:
    def __call__(self, workspace_id: str, token: str | None) -> Iterator[Page[Any]]:
        raise RuntimeError("no route to the API")


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_a_task_failing_past_its_retries_is_the_targets_failure_and_its_log_shows_no_secret(
    client: distributed.Client, memory_url: str
) -> None:
    destination = Destination(memory_url, {"secret": SECRET})  # memory:// takes and ignores options
    logs = Lines()
    worker_log = logging.getLogger("distributed.worker")
    previous = worker_log.level
    worker_log.addHandler(logs)
    worker_log.setLevel(logging.ERROR)
    try:
        report = export_targets(AlwaysFailing(), {"a.jsonl": "w"}, destination, client=client, retries=0)
    finally:
        worker_log.removeHandler(logs)
        worker_log.setLevel(previous)
    failure = report.failures["a.jsonl"]
    assert isinstance(failure, RuntimeError) and "no route" in str(failure)
    assert report.unfinished == ["a.jsonl"] and not report.complete
    failed = [line for line in logs.lines if line.startswith("Compute Failed")]
    assert failed and task_key(destination, "a.jsonl") in failed[0]  # Dask logs the task...
    assert all(SECRET not in line for line in logs.lines)  # ...but not the secret its destination holds


def test_an_export_into_a_folder_of_another_export_is_refused_before_any_task(
    client: distributed.Client, memory_url: str
) -> None:
    export_targets(AlwaysFailing(), {}, memory_url, client=client, fingerprint={"limit": "7"})
    with pytest.raises(ExportMismatch, match="limit: '7' then, '9' now"):
        export_targets(AlwaysFailing(), {"a.jsonl": "w"}, memory_url, client=client, fingerprint={"limit": "9"})
    assert not Destination(memory_url).open().exists("a.jsonl.checkpoint.json")


def test_without_a_client_or_with_retries_that_are_no_count_it_says_so(
    monkeypatch: pytest.MonkeyPatch, memory_url: str
) -> None:
    def no_client() -> distributed.Client:
        raise ValueError("No clients found")

    monkeypatch.setattr(distributed, "get_client", no_client)
    with pytest.raises(ValueError, match="no Dask client: pass client="):
        export_targets(AlwaysFailing(), {"a.jsonl": "w"}, memory_url)
    with pytest.raises(ValueError, match="retries must be a whole number >= 0"):
        export_targets(AlwaysFailing(), {"a.jsonl": "w"}, memory_url, retries=-1)


# -- a worker killed mid-export ----------------------------------------------------------------


def listing_victim(out: Path, files: list[str], deadline: float) -> str:
    """A target whose task has written pages and is still listing (waits for one)."""
    while time.monotonic() < deadline:
        for file in files:
            try:
                checkpoint = json.loads((out / f"{file}.checkpoint.json").read_bytes())
            except (FileNotFoundError, ValueError):
                continue
            if checkpoint["state"] == "listing" and checkpoint["parts"] >= 2:
                return file
        time.sleep(0.01)
    raise AssertionError("no target was mid-listing before the deadline")


@pytest.mark.subprocess
def test_a_worker_killed_mid_export_is_replaced_and_every_item_lands_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 8 workspaces x 8 pages, each page answered after 50 ms, on 2 worker processes of one thread:
    # the export lasts a few seconds, and a worker is killed while its target has pages written
    monkeypatch.setenv("BIRD_ACCESS_KEY", SANDBOX_BIRD_ACCESS_KEY)  # the workers' environment
    sandbox = Sandbox(workspaces=WORKSPACES, conversations_per_workspace=40, faults=Faults(latency=0.05))
    out = tmp_path / "out"
    url = out.as_uri()  # file://: shared by the worker processes, as a mounted disk or a bucket would be
    files = list(targets(WORKSPACES))
    with (
        sandbox.serve() as base_url,
        local_cluster(workers=2, processes=True) as cluster,
        ThreadPoolExecutor(1) as driver,
    ):
        pids = cluster.worker_pids()
        listing = SandboxConversations(base_url)
        running = driver.submit(export_targets, listing, targets(WORKSPACES), url, client=cluster.client)
        victim = listing_victim(out, files, time.monotonic() + TIMEOUT_SECONDS)
        os.kill(pids[cluster.worker_of(task_key(Destination(url), victim))], signal.SIGKILL)
        report = running.result(timeout=TIMEOUT_SECONDS)
    assert report.complete, report.failures
    for workspace in WORKSPACES:
        assert (out / bird_file(workspace)).read_bytes() == listed(sandbox, workspace)
    resumed = report.outcomes[victim]
    assert resumed.attempts >= 2 and resumed.written == 40  # it went on from its checkpoint, in another attempt
    assert sorted(path.name for path in out.iterdir() if not path.name.endswith(".checkpoint.json")) == sorted(
        [*files, "export-manifest.json"]
    )  # the parts are gone
