"""Tests of the scripts under ``openapi/``, one module per script (``test_<script>.py``).

The scripts are not a package: each is loaded by path (``load_script``); the end-to-end tests
work on a scratch copy of the repository (``copy_repository``)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent.parent
OPENAPI = ROOT / "openapi"
#: What a scratch copy of the repository holds for generation, the report and update-spec.
COPIED = ("openapi", "generated", "overlay", "api", "examples", "tests/typing", "pyproject.toml", "CHANGELOG.md")


def load_script(name: str) -> ModuleType:
    """``openapi/<name>.py`` as module ``name`` (the scripts import each other by that name)."""
    if name in sys.modules and getattr(sys.modules[name], "__file__", "") == str(OPENAPI / f"{name}.py"):
        return sys.modules[name]
    if str(OPENAPI) not in sys.path:
        sys.path.insert(0, str(OPENAPI))
    spec = importlib.util.spec_from_file_location(name, OPENAPI / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def copy_repository(target: Path) -> Path:
    """A scratch copy of what generation, the API report and update-spec read and write."""
    ignore = shutil.ignore_patterns("__pycache__", ".mypy_cache", ".ruff_cache")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / "tests" / "__init__.py").write_text("")
    return target
