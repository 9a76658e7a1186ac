"""Every job of the project: generation, its staleness check, type checks and tests.

``nox`` alone runs the test command (check_generated, typecheck, tests); ``nox -s generate``
regenerates ``generated/`` from ``openapi/``.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["check_generated", "typecheck", "tests"]
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
    "respx==0.23.1",
    "anyio>=4",
    "hatchling==1.27.0",  # the build backend, for the wheel-content test
]
TYPECHECK_DEPENDENCIES = ["mypy==2.4.1", "types-python-dateutil", *TEST_DEPENDENCIES]


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


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the generated packages, the overlay and the tests."""
    session.install("-e", ".", *TYPECHECK_DEPENDENCIES)
    session.run("mypy", "--strict", "generated", "overlay", "tests", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (unit, generated-model properties and loopback integration)."""
    session.install("-e", ".", *TEST_DEPENDENCIES)
    session.run("pytest", *session.posargs)


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
