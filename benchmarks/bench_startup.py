"""Startup: ``import conversation_clients`` and ``conversation-clients --help``, as whole processes.

Two rows in the shape of ``bench.py``'s (found by it: ``bench_<key>(quick)``), each against
``python -c "import httpx"`` (issue 18: at most 1.5 times):

- ``startup-import``: ``python -c "import conversation_clients"``;
- ``startup-help``: ``conversation-clients --help`` (the installed console script).

Both run in a virtual environment holding a plain install of the package and nothing else
(``.bench/startup-venv``: ``python -m venv``, then ``pip install .``; no extras, no test or
benchmark dependencies). It matters for the baseline: ``import httpx`` imports ``httpx._main``,
which imports click, rich and pygments when click is installed, as it is where the tests and the
benchmarks run, but not in a plain install of this package. The environment is made on first use
and kept; the package is installed again (``--no-deps``) when a file of ``overlay/``,
``generated/`` or ``pyproject.toml`` changed, and the environment is made anew when the Python or
``pyproject.toml``'s dependencies did.

Each round runs every command once, taking turns, after a warm-up round (which writes nothing
new: pip compiled the bytecode at install); a row keeps each command's best round, as ``bench.py``
does, and shows the ratio of the medians beside it. The processes get an environment without
``PYTHON*`` variables and start in the environment's folder, so nothing of the work tree is
importable.

    python benchmarks/bench_startup.py [--quick] [--rounds N] [--venv PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Generator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STARTUP_VENV = ROOT / ".bench" / "startup-venv"
TARGET = 1.5
ROUNDS = 20
QUICK_ROUNDS = 7
_FINGERPRINT = "conversation-clients-startup.json"  # in the environment's folder
_SOURCES = ("overlay", "generated")
_BIN = "Scripts" if os.name == "nt" else "bin"
_EXE = ".exe" if os.name == "nt" else ""


def _environment_key() -> str:
    """What the environment itself depends on: this Python, and the package's declared dependencies."""
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    # the dependency list only: a change elsewhere in pyproject.toml needs a reinstall, not a new environment
    start = pyproject.find(b"dependencies = [")
    dependencies = pyproject[start : pyproject.find(b"]", start) + 1] if start >= 0 else pyproject
    digest = hashlib.sha256(f"{sys.version}\n{sys.base_prefix}\n".encode() + dependencies)
    return digest.hexdigest()


def _source_key() -> str:
    """A digest of every file a plain install is built from (``__pycache__`` aside)."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for folder in _SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@contextmanager
def _locked(path: Path) -> Generator[None]:
    """One process at a time makes or updates the environment (two benchmark runs at once share it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no lock
            yield
            return
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_quietly(argv: Sequence[str]) -> None:
    # pip's warnings about the configured indexes are noise; shown only when it fails
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"{' '.join(argv[:4])} ... exited with code {done.returncode}")


def startup_environment(venv: Path = STARTUP_VENV) -> Path:
    """The folder of a virtual environment holding a plain install of the work tree's package, made or
    updated as needed (see the module's docstring)."""
    with _locked(venv):
        marker = venv / _FINGERPRINT
        try:
            known: dict[str, str] = json.loads(marker.read_text())
        except (OSError, ValueError):
            known = {}
        environment, source = _environment_key(), _source_key()
        python = str(venv / _BIN / f"python{_EXE}")
        if known.get("environment") != environment:
            shutil.rmtree(venv, ignore_errors=True)
            print(f"making {venv} (python -m venv; pip install .)", file=sys.stderr, flush=True)
            _run_quietly([sys.executable, "-m", "venv", str(venv)])
            _run_quietly([python, "-m", "pip", "install", "--quiet", str(ROOT)])
        elif known.get("source") != source:
            print(f"installing the package into {venv} again (its files changed)", file=sys.stderr, flush=True)
            _run_quietly([python, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", str(ROOT)])
        else:
            return venv
        marker.write_text(json.dumps({"environment": environment, "source": source}) + "\n")
        return venv


def _clean_environment() -> dict[str, str]:
    # nothing that points Python at the work tree or another environment
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PYTHON") and name not in ("VIRTUAL_ENV", "CONVERSATION_CLIENTS_LOG")
    }


def side_by_side(commands: Mapping[str, Sequence[str]], rounds: int, cwd: Path) -> dict[str, list[float]]:
    """Each command's wall time over ``rounds`` rounds (after one warm-up round), the commands taking
    turns within each round. A command that fails raises ``CalledProcessError``."""
    environ = _clean_environment()
    times: dict[str, list[float]] = {label: [] for label in commands}
    for round_number in range(rounds + 1):
        for label, argv in commands.items():
            started = time.perf_counter()
            subprocess.run(argv, cwd=cwd, env=environ, stdout=subprocess.DEVNULL, check=True)
            took = time.perf_counter() - started
            if round_number:  # the first round warms the file cache
                times[label].append(took)
    return times


def _row(name: str, ours: str, commands: Mapping[str, Sequence[str]], quick: bool, venv: Path) -> dict[str, Any]:
    times = side_by_side(commands, QUICK_ROUNDS if quick else ROUNDS, venv)
    best = {label: min(values) for label, values in times.items()}
    median = {label: statistics.median(values) for label, values in times.items()}
    reference = {"median ours / httpx": median[ours] / median["httpx"]}
    reference.update(
        {f"best {label} / httpx": best[label] / best["httpx"] for label in commands if label not in (ours, "httpx")}
    )
    return {
        "name": name,
        "baseline": 'python -c "import httpx" (plain install)',
        "baseline_s": best["httpx"],
        "ours_s": best[ours],
        "target": TARGET,
        "measure": "wall",
        "reference": reference,
    }


def _python(venv: Path) -> str:
    return str(venv / _BIN / f"python{_EXE}")


def _environment(venv: Path | None) -> Path:
    # absolute: the commands start in the environment's folder
    return startup_environment() if venv is None else venv.resolve()


def bench_startup_import(quick: bool, venv: Path | None = None) -> dict[str, Any]:
    """``python -c "import conversation_clients"`` against ``python -c "import httpx"``, whole processes."""
    venv = _environment(venv)
    python = _python(venv)
    commands = {
        "httpx": [python, "-c", "import httpx"],
        "ours": [python, "-c", "import conversation_clients"],
        # what no import can go below: the interpreter alone
        "python": [python, "-c", "pass"],
    }
    return _row("import conversation_clients", "ours", commands, quick, venv)


def bench_startup_help(quick: bool, venv: Path | None = None) -> dict[str, Any]:
    """``conversation-clients --help`` against ``python -c "import httpx"``, whole processes; also
    ``bird list --help``, the help that reads a vendor's declarations."""
    venv = _environment(venv)
    python = _python(venv)
    script = str(venv / _BIN / f"conversation-clients{_EXE}")
    commands = {
        "httpx": [python, "-c", "import httpx"],
        "ours": [script, "--help"],
        "bird list --help": [script, "bird", "list", "--help"],
    }
    return _row("conversation-clients --help", "ours", commands, quick, venv)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROUNDS} rounds instead of {ROUNDS}")
    parser.add_argument("--venv", type=Path, help="an environment with the package installed, used as it is")
    args = parser.parse_args(argv)
    for row in (bench_startup_import, bench_startup_help):
        result = row(args.quick, args.venv)
        ratio = result["ours_s"] / result["baseline_s"]
        also = "; ".join(f"{label} {value:.2f}" for label, value in result["reference"].items())
        print(
            f"| {result['name']} | {result['baseline_s'] * 1e3:.1f} ms | {result['ours_s'] * 1e3:.1f} ms "
            f"| {ratio:.2f} | <= {result['target']} | {'holds' if ratio <= result['target'] else 'MISSED'} | {also} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
