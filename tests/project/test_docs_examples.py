"""Every Python example in README.md and docs/ runs as written, or type-checks where it needs an account.

Each fenced ```python block is one example, run on its own (no block depends on another). The
line right before its fence says how it is checked:

* nothing: it runs as a script in a child process (``python -W error``, with a timeout) against
  the embedded sandbox, which the example names itself (``Sandbox()``, ``default_sandbox()``,
  ``sandbox.serve()``, the ``SANDBOX_*`` key and ids); it must exit 0;
* ``<!-- typecheck-only -->``: it needs a real account (a key, a token, a proxy), so it is
  written to a temporary folder and checked with ``mypy --strict`` instead;
* ``<!-- pytest -->``: it is a test module for the package's pytest plugin, run by pytest in a
  child process; its tests must pass.

Any other label for Python code (``py``, ``python3``, ``pycon``) is refused, so that no example
escapes these checks.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.paths import REPOSITORY

ROOT = REPOSITORY
#: How long one example may run (the slowest lists a few hundred conversations over loopback).
TIMEOUT_SECONDS = 120
MARKS = {"<!-- typecheck-only -->": "typecheck", "<!-- pytest -->": "pytest"}
_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<info>[^`\s]*)(?P<rest>.*)$")


@dataclass(frozen=True)
class Example:
    """One fenced Python block of a Markdown file."""

    path: Path
    line: int  # of the opening fence, 1-based
    mode: str  # "run", "typecheck" or "pytest"
    code: str

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"

    @property
    def module_name(self) -> str:
        return "example_" + re.sub(r"\W", "_", self.name).lower()


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def examples_in(path: Path) -> Iterator[Example]:
    """The ```python blocks of ``path``, dedented to their fence, with the mark before each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None or not match["info"]:
            index += 1
            continue
        opening, indent = index, match["indent"]
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != "```":
            body.append(lines[index])
            index += 1
        index += 1  # past the closing fence
        info = match["info"].lower()
        if info in ("py", "python3", "pycon", "py3"):
            raise AssertionError(f"{path}:{opening + 1}: label Python examples ```python, not ```{info}")
        if info != "python":
            continue
        before = next((line.strip() for line in reversed(lines[:opening]) if line.strip()), "")
        mode = MARKS.get(before, "run")
        code = textwrap.dedent("\n".join(line.removeprefix(indent) if line.strip() else "" for line in body))
        yield Example(path=path, line=opening + 1, mode=mode, code=code + "\n")


def all_examples() -> list[Example]:
    return [example for path in markdown_files() for example in examples_in(path)]


EXAMPLES = all_examples()


def _ids(example: Example) -> str:
    return example.name


def _child_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment.pop("CONVERSATION_CLIENTS_LOG", None)  # an example's output is its own
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    return environment


def _failure(example: Example, result: subprocess.CompletedProcess[str]) -> str:
    return (
        f"{example.name} ({example.mode}) exited {result.returncode}\n"
        f"--- code ---\n{example.code}--- stdout ---\n{result.stdout[-4000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
    )


def test_the_examples_are_found() -> None:
    """The collection itself: both places hold examples, of every kind, and the README its quick starts."""
    assert {example.path.name for example in EXAMPLES} >= {"README.md"}
    assert any(ROOT / "docs" in example.path.parents for example in EXAMPLES)
    assert {example.mode for example in EXAMPLES} == {"run", "typecheck", "pytest"}
    readme = [example for example in EXAMPLES if example.path.name == "README.md"]
    assert sum(example.mode == "run" for example in readme) >= 2  # the sync and the async quick start


#: What the README is for (issue 18): users, in at most this many lines; the rest is in docs/,
#: CONTRIBUTING.md and benchmarks/.
README_MAX_LINES = 200


def test_the_readme_stays_short_and_says_what_users_need() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= README_MAX_LINES
    for needed in ("## Install", "## Quick start", "## Command line", "## The sandbox and the pytest plugin",
                   "`Unset`", "## Dependencies", "./scripts/demo", "./scripts/test", "docs/index.md"):  # fmt: skip
        assert needed in readme, needed
    for package in ("httpx", "attrs", "python-dateutil", "sniffio", "rich", "azure-identity", "msgspec",
                    "opentelemetry-api"):  # fmt: skip
        assert f"| {package} |" in readme or f"| {package} (" in readme or f"| {package} only |" in readme, package
    for linked in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme):
        if not linked.startswith(("http://", "https://")):
            assert (ROOT / linked).exists(), f"README links to {linked}, which does not exist"


@pytest.mark.subprocess
@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.mode == "run"], ids=_ids)
def test_example_runs_against_the_sandbox(example: Example, tmp_path: Path) -> None:
    script = tmp_path / f"{example.module_name}.py"
    script.write_text(example.code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        cwd=tmp_path,
        env=_child_environment(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, _failure(example, result)


@pytest.mark.subprocess
@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.mode == "pytest"], ids=_ids)
def test_example_test_module_passes(example: Example, tmp_path: Path) -> None:
    (tmp_path / f"test_{example.module_name}.py").write_text(example.code, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=_child_environment(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, _failure(example, result)
    assert " passed" in result.stdout and " skipped" not in result.stdout, _failure(example, result)


TYPECHECKED = [example for example in EXAMPLES if example.mode == "typecheck"]


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    """One ``mypy --strict`` run over every typecheck-only example, each its own module."""
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed here (nox -s typecheck and nox -s docs install it)")
    folder = tmp_path_factory.mktemp("typecheck_examples")
    files: list[str] = []
    for example in TYPECHECKED:
        file = folder / f"{example.module_name}.py"
        file.write_text(example.code, encoding="utf-8")
        files.append(file.name)
    mypy = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.11", "--no-error-summary"]
    result = subprocess.run(
        [*mypy, "--cache-dir", str(folder / ".mypy_cache"), *files],
        cwd=folder,  # away from the project's own mypy settings: the examples are checked as a user's code
        env=_child_environment(),
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.subprocess
@pytest.mark.parametrize("example", TYPECHECKED, ids=_ids)
def test_account_example_typechecks(example: Example, mypy_report: tuple[int, str]) -> None:
    returncode, output = mypy_report
    assert returncode in (0, 1), f"mypy did not run:\n{output}"
    errors = [line for line in output.splitlines() if line.startswith(f"{example.module_name}.py:")]
    assert not errors, f"{example.name}:\n" + "\n".join(errors) + f"\n--- code ---\n{example.code}"
