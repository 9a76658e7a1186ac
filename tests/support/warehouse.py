"""A DuckDB warehouse in a temporary folder for the dlt sources and ``VENDOR load``, and SQL over it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import attrs
import dlt
import duckdb

from conversation_clients.dlt import warehouse_pipeline

#: dlt's settings for the tests: no telemetry sent anywhere, no warnings about the data in the log.
DLT_TEST_SETTINGS: Final = {"RUNTIME__DLTHUB_TELEMETRY": "false", "RUNTIME__LOG_LEVEL": "ERROR"}


@attrs.frozen
class Warehouse:
    """A DuckDB file (``file_name``) and dlt's working folder, both under ``folder``."""

    folder: Path
    file_name: str = "warehouse.duckdb"

    @property
    def duckdb(self) -> Path:
        """The DuckDB file."""
        return self.folder / self.file_name

    @property
    def pipelines(self) -> Path:
        """dlt's working folder."""
        return self.folder / "pipelines"

    def pipeline(self, dataset: str, name: str | None = None) -> dlt.Pipeline:
        """A pipeline into the file, dataset ``dataset`` (its name: ``name``, or ``test_<dataset>``)."""
        return warehouse_pipeline(
            name or f"test_{dataset}", dataset_name=dataset, duckdb_path=self.duckdb, pipelines_dir=self.pipelines
        )

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of ``sql`` over the file, opened read-only and closed after."""
        with duckdb.connect(str(self.duckdb), read_only=True) as connection:
            return connection.sql(sql).fetchall()

    def value(self, sql: str) -> Any:
        """The one value of ``sql``."""
        ((value,),) = self.rows(sql)
        return value

    def tables(self, dataset: str) -> set[str]:
        """The tables of ``dataset``, dlt's own left out."""
        found = self.rows(f"select table_name from information_schema.tables where table_schema = '{dataset}'")
        return {name for (name,) in found if not str(name).startswith("_dlt")}


def last_load_id(warehouse: Warehouse, dataset: str) -> str:
    """The load id of the dataset's newest load."""
    return str(warehouse.value(f"select max(load_id) from {dataset}._dlt_loads"))
