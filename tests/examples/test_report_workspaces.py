"""The fan-out example, ``examples/report_workspaces.py``, run against a loopback sandbox with faults."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import cast

import pytest

from examples import report_workspaces
from tests.support.paths import REPOSITORY

REPO = REPOSITORY


def _lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_every_workspace_is_reported_with_its_page_metadata_despite_faults() -> None:
    out = io.StringIO()
    status = report_workspaces.main(["--sandbox", "6", "--failure-rate", "0.3"], stdout=out)

    *reports, retries = _lines(out.getvalue())
    assert len(reports) == 6
    # Which workspace a fault hits depends on the order the concurrent requests reach the
    # sandbox; what holds whatever the order: a workspace is either listed whole or reported
    # failed with its resume token, and the exit status says whether any failed.
    failed = [report for report in reports if report["failure"] is not None]
    assert all(report["conversations"] == 25 and report["pages"] == 1 for report in reports if report not in failed)
    assert all(report["conversations"] == 0 and report["resume_token"] is None for report in failed)
    assert status == (1 if failed else 0)
    assert len(failed) < len(reports)  # a failure stops only its own workspace
    # faults were injected (seeded: the first attempts draw some), retried by the client
    # (counted by the hook) and seen in the pages' metadata (attempts > 1)
    counted = cast(dict[str, int], retries["retries"])
    assert sum(counted.values()) > 0
    assert sum(int(str(report["retried_pages"])) for report in reports) + len(failed) > 0
    # Bird documents no request-id or rate-limit header, and the sandbox, like Bird, sends none:
    # the metadata says so rather than inventing one
    assert all(report["first_request_id"] is None for report in reports)
    assert all(report["lowest_rate_limit_remaining"] is None for report in reports)


@pytest.mark.subprocess
def test_the_example_runs_as_a_program_and_refuses_a_call_without_workspaces() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "report_workspaces.py")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={"PATH": "", "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 2
    assert "give workspace ids and BIRD_ACCESS_KEY" in done.stderr
