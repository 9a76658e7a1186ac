"""The export past one machine, on Dask distributed: each target (a workspace, a channel) a task.

:func:`export_targets` runs each target's listing as one Dask task on a cluster (a
``distributed.LocalCluster`` of worker processes, or any running scheduler), writing into shared
storage addressed by an fsspec URL (``s3://bucket/export``, ``file:///mnt/shared/export``;
``memory://`` in tests). Killed, failed or interrupted, it resumes from each target's
checkpoint, and every item ends up in its target's file once. ``conversation-clients VENDOR
export --dask local:4`` (or ``--dask tcp://HOST:8786``) is the same from the command line.

It needs the ``dask`` extra (``pip install 'conversation-clients[dask]'``: distributed and
fsspec, and a backend such as s3fs for ``s3://``); importing this module without it is an
:class:`ImportError` that says so. Nothing else in the package imports it.

How the folder is laid out (a manifest, and per target its parts and checkpoint) and why:
:mod:`conversation_clients.dask._part_store`; the guide: the documentation's "Distributed export".
"""

from __future__ import annotations

import importlib.util

for _package in ("distributed", "fsspec"):  # say which extra is missing, before a submodule fails on it
    if importlib.util.find_spec(_package) is None:
        raise ImportError(
            f"conversation_clients.dask needs the dask extra ({_package} is not installed): "
            "pip install 'conversation-clients[dask]'",
            name=_package,
        )

# after the check above, which they would fail before
from conversation_clients.dask._destination import Destination, DestinationError  # noqa: E402
from conversation_clients.dask._export_targets import (  # noqa: E402
    ExportReport,
    export_targets,
    prepare_export,
    task_key,
)
from conversation_clients.dask._part_store import MANIFEST_NAME, ExportMismatch, LayoutError  # noqa: E402
from conversation_clients.dask._target_task import (  # noqa: E402
    PageBytes,
    PageLike,
    PagesOf,
    TargetOutcome,
    export_target,
    json_lines,
)

__all__ = [
    "MANIFEST_NAME",
    "Destination",
    "DestinationError",
    "ExportMismatch",
    "ExportReport",
    "LayoutError",
    "PageBytes",
    "PageLike",
    "PagesOf",
    "TargetOutcome",
    "export_target",
    "export_targets",
    "json_lines",
    "prepare_export",
    "task_key",
]
