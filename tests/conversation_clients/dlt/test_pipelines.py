"""Where a load goes and what it loaded (:mod:`conversation_clients.dlt._pipelines`)."""

from __future__ import annotations

from pathlib import Path

import dlt
import pytest

from conversation_clients.cli.load_options import DEFAULT_DESTINATION as CLI_DEFAULT_DESTINATION
from conversation_clients.cli.load_options import DEFAULT_DUCKDB_FILE as CLI_DEFAULT_DUCKDB_FILE
from conversation_clients.dlt import rows_loaded, warehouse_pipeline
from conversation_clients.dlt._pipelines import DEFAULT_DESTINATION, DEFAULT_DUCKDB_FILE
from tests.support.warehouse import Warehouse


def test_a_pipeline_loads_into_its_duckdb_file_and_says_what_it_loaded_without_dlts_own_tables(
    warehouse: Warehouse,
) -> None:
    pipeline = warehouse.pipeline("things")
    pipeline.run(dlt.resource([{"id": 1, "tags": ["a", "b"]}, {"id": 2, "tags": []}], name="things"))
    assert rows_loaded(pipeline) == {"things": 2, "things__tags": 2}
    assert warehouse.value("select count(*) from things.things") == 2
    pipeline.run(dlt.resource([], name="things"))
    assert rows_loaded(pipeline) == {}


def test_without_a_path_the_duckdb_file_is_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    pipeline = warehouse_pipeline("default_file", dataset_name="things", pipelines_dir=tmp_path / "pipelines")
    pipeline.run(dlt.resource([{"id": 1}], name="things"))
    assert (tmp_path / DEFAULT_DUCKDB_FILE).is_file()


def test_a_duckdb_file_for_another_destination_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="for the duckdb destination, not postgres"):
        warehouse_pipeline("p", dataset_name="d", destination="postgres", duckdb_path=tmp_path / "x.duckdb")


def test_a_duckdb_file_named_like_its_dataset_is_refused_as_duckdb_could_not_tell_them_apart(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"named like its dataset \(bird.duckdb, dataset bird\)"):
        warehouse_pipeline("p", dataset_name="bird", duckdb_path=tmp_path / "bird.duckdb")


def test_the_command_lines_defaults_are_these() -> None:
    # repeated there so that parsing imports no dlt
    assert (CLI_DEFAULT_DESTINATION, CLI_DEFAULT_DUCKDB_FILE) == (DEFAULT_DESTINATION, DEFAULT_DUCKDB_FILE)
