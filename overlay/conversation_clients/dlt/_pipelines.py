"""Where a load goes and what it loaded: a dlt pipeline to a destination, and its rows per table.

:func:`warehouse_pipeline` makes the pipeline ``conversation-clients VENDOR load`` runs: into a
local DuckDB file by default, or any destination dlt knows by name (its credentials from dlt's
own configuration: environment variables or ``.dlt/secrets.toml``). :func:`rows_loaded` says how
many rows the last run loaded into each table.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import dlt
from dlt.common.pipeline import NormalizeInfo

__all__ = ["DEFAULT_DESTINATION", "DEFAULT_DUCKDB_FILE", "rows_loaded", "warehouse_pipeline"]

#: The destination when none is named: a DuckDB file.
DEFAULT_DESTINATION: Final = "duckdb"
#: The DuckDB file when none is named, in the current directory.
DEFAULT_DUCKDB_FILE: Final = "conversation_clients.duckdb"


def warehouse_pipeline(
    pipeline_name: str,
    *,
    dataset_name: str,
    destination: str = DEFAULT_DESTINATION,
    duckdb_path: str | os.PathLike[str] | None = None,
    pipelines_dir: str | os.PathLike[str] | None = None,
) -> dlt.Pipeline:
    """A dlt pipeline into ``destination`` (a dlt destination's name), dataset ``dataset_name``.

    For ``duckdb`` the data goes to ``duckdb_path`` (default: ``conversation_clients.duckdb`` in
    the current directory), which must not be named like the dataset (DuckDB's names would be
    ambiguous); for another destination ``duckdb_path`` is a ``ValueError``.
    ``pipelines_dir`` holds the pipeline's working files and local state (default: dlt's, under
    ``~/.dlt``); the state also travels with the data, so a pipeline whose local files are gone
    takes it back from the destination.

    >>> warehouse_pipeline("p", dataset_name="bird", duckdb_path="a.duckdb", destination="postgres")
    Traceback (most recent call last):
    ...
    ValueError: a DuckDB file is for the duckdb destination, not postgres
    >>> warehouse_pipeline("p", dataset_name="bird", duckdb_path="data/bird.duckdb")
    Traceback (most recent call last):
    ...
    ValueError: a DuckDB file named like its dataset (bird.duckdb, dataset bird): rename it
    """
    if duckdb_path is not None and destination != DEFAULT_DESTINATION:
        raise ValueError(f"a DuckDB file is for the duckdb destination, not {destination}")
    target: str | dlt.destinations.duckdb = destination
    if destination == DEFAULT_DESTINATION:
        path = Path(duckdb_path or DEFAULT_DUCKDB_FILE)
        if path.stem == dataset_name:
            # DuckDB names a file's catalog after it: "bird" would name both, and dlt's SQL could not tell
            raise ValueError(f"a DuckDB file named like its dataset ({path.name}, dataset {dataset_name}): rename it")
        target = dlt.destinations.duckdb(credentials=os.fspath(path))
    if pipelines_dir is None:
        return dlt.pipeline(pipeline_name=pipeline_name, destination=target, dataset_name=dataset_name)
    return dlt.pipeline(
        pipeline_name=pipeline_name,
        pipelines_dir=os.fspath(pipelines_dir),
        destination=target,
        dataset_name=dataset_name,
    )


def rows_loaded(pipeline: dlt.Pipeline) -> Mapping[str, int]:
    """The rows the pipeline's last run loaded, by table (nested tables included, dlt's own left out), by name.

    Empty when the run had nothing new.
    """
    trace = pipeline.last_trace
    info: NormalizeInfo | None = None if trace is None else trace.last_normalize_info
    counts = {} if info is None else info.row_counts
    return {table: rows for table, rows in sorted(counts.items()) if not table.startswith("_dlt")}
