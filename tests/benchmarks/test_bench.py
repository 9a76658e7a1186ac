"""The benchmark runner (benchmarks/bench.py): row selection, ranges over runs, verdicts, rows
found in other files. Rows with made-up numbers: nothing here times anything, and nothing
imports pydantic (the benchmark imports it only inside the rows that need it)."""

from __future__ import annotations

import doctest
import importlib.util
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.paths import REPOSITORY

ROOT = REPOSITORY


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load("benchmarks_bench_under_test", ROOT / "benchmarks" / "bench.py")
# Each call of a made-up row gives the next of its ratios (baseline 1 s, ours the ratio).
RATIOS = {"bench_steady": [0.9, 1.1, 0.95], "bench_slow_one": [2.0, 2.0, 2.0], "bench_stretch_only": [1.2, 1.4, 1.25]}
calls: dict[str, int] = {}


def _made_up(name: str, target: float | None, **extra: Any) -> dict[str, Any]:
    index = calls.get(name, 0)
    calls[name] = index + 1
    ratio = RATIOS[name][index % len(RATIOS[name])]
    return {"name": name, "baseline_s": 1.0, "ours_s": ratio, "target": target, **extra}


def bench_steady(quick: bool) -> dict[str, Any]:
    return _made_up("bench_steady", 1.0, stretch=0.8, reference={"ours / json.loads": 2.5})


def bench_slow_one(quick: bool) -> dict[str, Any]:
    return _made_up("bench_slow_one", 1.5)


def bench_stretch_only(quick: bool) -> dict[str, Any]:
    return _made_up("bench_stretch_only", None, stretch=1.3)


def bench_broken(quick: bool) -> dict[str, Any]:
    raise RuntimeError("the sandbox did not start")


@pytest.fixture(autouse=True)
def _fresh_calls() -> Iterator[None]:
    calls.clear()
    yield


def test_the_docstring_examples_hold() -> None:
    results = doctest.testmod(bench)
    assert results.attempted >= 8
    assert results.failed == 0


def test_every_row_has_a_key_and_the_issue_rows_are_there() -> None:
    keys = [bench.row_key(row) for row in bench.ROWS]
    assert keys == [
        "parse-bird",
        "parse-omnichannel",
        "listing-pydantic",
        "listing-json",
        "prefetch-cpu-sync",
        "prefetch-cpu-async",
        "prefetch-slow",
        "prefetch-slow-sync",
        "latency-bound",
        "memory",
        "fan-out",
    ]


def test_runs_print_each_rows_range_and_write_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    code = bench.main(["--runs", "3", "--json", str(out)], rows=[bench_steady, bench_slow_one, bench_stretch_only])
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.count("| row | benchmark | measure |") == 3  # one table per run
    assert "| 1.20 | stretch <= 1.3 | stretch met |" in printed
    assert "| 1.40 | stretch <= 1.3 | stretch not met |" in printed
    assert "| stretch-only | bench_stretch_only | 1.20–1.40 | stretch <= 1.3 | stretch met in 2 of 3 |" in printed
    assert (
        "| steady | bench_steady | 0.90–1.10 | <= 1.0 (stretch 0.8) | held in 2 of 3, stretch met in 0 of 3 |"
        in printed
    )
    assert "ours / json.loads 2.50–2.50" in printed
    assert "| slow-one | bench_slow_one | 2.00 | <= 1.5 | held in 0 of 3 |" in printed
    written = json.loads(out.read_text())
    assert len(written["runs"]) == 3
    steady = next(entry for entry in written["ranges"] if entry["key"] == "steady")
    assert (steady["ratio_min"], steady["ratio_max"], steady["held"], steady["runs"]) == (0.9, 1.1, 2, 3)
    assert steady["ratios"] == [0.9, 1.1, 0.95]
    first = written["runs"][0][0]
    assert (first["key"], first["holds"], first["verdict"]) == ("steady", True, "holds (stretch 0.8 not met)")


def test_one_run_prints_each_rows_target_and_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["--json", str(tmp_path / "r.json")], rows=[bench_steady, bench_slow_one])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| steady") or "slow-one" in line]
    assert lines[0].endswith("| 0.90 | <= 1.0 (stretch 0.8) | holds (stretch 0.8 not met) | ours / json.loads 2.50 |")
    assert "| 2.00 | <= 1.5 | MISSED |" in lines[1]
    assert "ranges over" not in capsys.readouterr().out


def test_only_takes_a_key_or_the_start_of_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [bench_steady, bench_slow_one]
    bench.main(["--only", "slow", "--json", str(tmp_path / "r.json")], rows=rows)
    assert calls == {"bench_slow_one": 1}
    bench.main(["--only", "steady", "--json", str(tmp_path / "r.json")], rows=rows)
    assert calls == {"bench_slow_one": 1, "bench_steady": 1}
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["--only", "stead"], rows=rows)
    assert exit_info.value.code == 2
    assert "no row is called 'stead'" in capsys.readouterr().err


def test_a_failing_row_is_reported_and_the_others_still_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.json"
    code = bench.main(["--runs", "2", "--json", str(out)], rows=[bench_broken, bench_steady])
    assert code == 1
    printed = capsys.readouterr().out
    assert "| broken | | | | | | | | ERROR: RuntimeError: the sandbox did not start | |" in printed
    assert "| broken | | | | failed in every run | |" in printed
    assert calls == {"bench_steady": 2}
    broken = json.loads(out.read_text())["ranges"][0]
    assert (broken["key"], broken["errors"], broken["ratio_min"]) == ("broken", 2, None)


def test_rows_in_other_files_beside_it_are_found(tmp_path: Path) -> None:
    (tmp_path / "bench_extra_rows_a.py").write_text(
        textwrap.dedent(
            """
            from extra_helpers_a import bench_imported_not_mine

            def bench_extra_one(quick):
                return {"name": "one", "baseline_s": 1.0, "ours_s": 1.0, "target": 1.0}

            def helper(quick):
                raise AssertionError("not a row")
            """
        )
    )
    (tmp_path / "extra_helpers_a.py").write_text(
        "def bench_imported_not_mine(quick):\n    raise AssertionError('found through an import')\n"
    )
    (tmp_path / "bench_extra_rows_b.py").write_text(
        textwrap.dedent(
            """
            import bench  # the runner itself, as a row file may import it for its helpers

            def bench_listed(quick):
                return {"name": "listed", "baseline_s": 1.0, "ours_s": 1.0, "target": bench.ROUNDS}

            def bench_not_listed(quick):
                raise AssertionError("not in ROWS")

            ROWS = [bench_listed]
            """
        )
    )
    had_bench = "bench" in sys.modules
    try:
        rows = bench.discover_rows(tmp_path)
        assert sys.modules["bench_extra_rows_b"].bench is bench  # not a second copy of the runner
    finally:
        sys.path.remove(str(tmp_path))
        for name in ("bench_extra_rows_a", "extra_helpers_a", "bench_extra_rows_b"):
            sys.modules.pop(name, None)
        if not had_bench:
            sys.modules.pop("bench", None)
    own = [bench.row_key(row) for row in bench.ROWS]
    assert [bench.row_key(row) for row in rows] == [*own, "extra-one", "listed"]


@pytest.mark.subprocess
def test_a_sandbox_server_that_dies_before_serving_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "_SERVER", "import sys; sys.exit(3)")
    with pytest.raises(RuntimeError, match="the sandbox server exited with code 3 before serving"):
        with bench.served_elsewhere():
            raise AssertionError("no base URL to yield")


def test_the_request_rows_run_both_vendors_against_the_bare_loop() -> None:
    had_bench = "bench" in sys.modules
    folder = ROOT / "benchmarks"
    try:
        rows = bench.select(bench.discover_rows(folder), ["request-cpu"])
        results = [bench.judged(row(True), bench.row_key(row)) for row in rows]  # quick: a smoke run
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("bench_")]:
            sys.modules.pop(name, None)
        if not had_bench:
            sys.modules.pop("bench", None)
    assert [result["key"] for result in results] == ["request-cpu-bird", "request-cpu-omnichannel"]
    for result in results:  # shapes only: nothing here judges a time
        assert result["target"] == 1.25 and result["measure"] == "CPU"
        assert result["baseline_s"] > 0 and result["ours_s"] > 0
        assert set(result["reference"]) == {"ours without msgspec", "with 1 conversation a page"}
