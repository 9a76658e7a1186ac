"""What the distributed export's tests share: a Dask cluster on this machine, the sandbox's Bird
workspaces as its workers list them, and fsspec's in-memory file system.

Workers unpickle :class:`SandboxConversations` by reference (this module is importable where
the tests run) and read the access key from their environment, as a real deployment's would.
distributed and fsspec are partly unannotated: they are used through ``Any`` here, and the
tests get typed values.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any, Final

import attrs
import distributed
import fsspec  # pyright: ignore[reportMissingTypeStubs]

from conversation_clients import BirdClient
from conversation_clients.pagination import Page

#: Bounds every wait on a cluster: its start, a task's retries, a whole export.
TIMEOUT_SECONDS: Final = 60.0
_DISTRIBUTED: Any = distributed
_FSSPEC: Any = fsspec


@attrs.frozen
class SandboxConversations:
    """Lists a Bird workspace of the sandbox at ``base_url``, ``limit`` conversations a page, from a token."""

    base_url: str
    limit: int = 5

    def __call__(self, workspace_id: str, token: str | None) -> Iterator[Page[Any]]:
        with BirdClient(access_key=os.environ["BIRD_ACCESS_KEY"], base_url=self.base_url) as bird:
            yield from bird.list_conversations(workspace_id, page_token=token, limit=self.limit).pages()


@attrs.frozen
class Cluster:
    """A running local cluster: a client of it, and its scheduler's address."""

    client: distributed.Client
    address: str

    def worker_pids(self) -> dict[str, int]:
        """Each worker's process id, by the worker's address."""
        pids: dict[str, int] = self._any.run(os.getpid)
        return pids

    def worker_of(self, key: str) -> str:
        """The address of the worker the task ``key`` is processing on."""
        processing: dict[str, list[str]] = self._any.processing()
        return next(address for address, keys in processing.items() if key in keys)

    @property
    def _any(self) -> Any:
        return self.client


@contextmanager
def local_cluster(*, workers: int, processes: bool, threads: int = 1) -> Generator[Cluster]:
    """A cluster of ``workers`` workers (processes, or threads of this process) of ``threads`` threads each.

    No dashboard, and the scheduler's HTTP server on a free loopback port (8787 may be taken);
    Dask's logs silenced.
    """
    cluster: Any = _DISTRIBUTED.LocalCluster(
        n_workers=workers,
        threads_per_worker=threads,
        processes=processes,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.CRITICAL,
    )
    with cluster, distributed.Client(cluster, timeout=TIMEOUT_SECONDS) as client:
        yield Cluster(client, str(cluster.scheduler_address))


def dumps(value: object) -> bytes:
    """``value`` as Dask sends it to a worker: pickled, by cloudpickle where pickle cannot."""
    data: bytes = _DISTRIBUTED.protocol.pickle.dumps(value)
    return data


def memory_filesystem() -> Any:
    """fsspec's in-memory file system (one per process)."""
    return _FSSPEC.filesystem("memory")
