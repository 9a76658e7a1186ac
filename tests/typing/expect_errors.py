"""Check that mypy and pyright both refuse every call marked ``expect-error`` in ``wrong_calls.txt``.

Run by ``nox -s typecheck`` (in its environment, with both checkers on the PATH)::

    python tests/typing/expect_errors.py

Exit status 1, naming the line, when a checker accepts a marked call or reports an unmarked line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MARK = "# expect-error"


def expected_lines(source: str) -> set[int]:
    """Line numbers (1-based) marked as refused.

    >>> sorted(expected_lines("a()\\nb()  # expect-error: why\\n"))
    [2]
    """
    return {number for number, line in enumerate(source.splitlines(), start=1) if MARK in line}


def reported_lines(output: str, filename: str) -> set[int]:
    """Line numbers of the errors a checker printed for ``filename`` (mypy's and pyright's formats).

    >>> sorted(reported_lines("/t/w.py:3: error: x\\n  /t/w.py:5:9 - error: y\\n/t/w.py:7: note: z", "w.py"))
    [3, 5]
    """
    found: set[int] = set()
    for line in output.splitlines():
        match = re.search(re.escape(filename) + r":(\d+)(?::\d+)?(?::| -) error", line)
        if match:
            found.add(int(match.group(1)))
    return found


def main() -> int:
    source = (HERE / "wrong_calls.txt").read_text(encoding="utf-8")
    expected = expected_lines(source)
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wrong-calls-") as scratch:
        target = Path(scratch) / "wrong_calls.py"
        target.write_text(source, encoding="utf-8")
        paths = f"{ROOT / 'generated'}:{ROOT / 'overlay'}"
        checkers = {
            "mypy": [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(target)],
            "pyright": [shutil.which("pyright") or "pyright", "--pythonpath", sys.executable, str(target)],
        }
        for name, command in checkers.items():
            result = subprocess.run(
                command, capture_output=True, text=True, check=False, cwd=scratch, env={**_env(), "MYPYPATH": paths}
            )
            reported = reported_lines(result.stdout + result.stderr, target.name)
            for number in sorted(expected - reported):
                failures.append(
                    f"{name} accepted wrong_calls.txt line {number}: {source.splitlines()[number - 1].strip()}"
                )
            for number in sorted(reported - expected):
                failures.append(f"{name} reported unmarked line {number}:\n{result.stdout}")
    print("\n".join(failures) or f"mypy and pyright refuse all {len(expected)} wrong calls")
    return 1 if failures else 0


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"}


if __name__ == "__main__":
    raise SystemExit(main())
