"""Turn the vendored OpenAPI documents into the packages under ``generated/``.

One entry point for ``nox -s generate`` (writes ``generated/``) and ``nox -s check_generated``
(generates into a scratch folder and fails if ``generated/`` differs). Each vendor's document is
loaded, corrected with its RFC 6902 JSON Patch (Bird), validated with openapi-spec-validator and
handed to openapi-python-client with ``--fail-on-warning`` and the templates in
``openapi/templates``. The corrected document is written into the package as ``openapi.json``
so that tests and the sandbox use exactly what the code was generated from.

Usage::

    python openapi/generate.py --out generated          # regenerate in place
    python openapi/generate.py --check generated        # exit 1 if generated/ is stale
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OPENAPI_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = OPENAPI_DIR / "templates"


@dataclass(frozen=True)
class Vendor:
    """One vendored API: where its document, corrections and generator config live."""

    package: str
    document: Path
    config: Path
    corrections: Path | None = None


VENDORS: tuple[Vendor, ...] = (
    Vendor(
        package="bird_conversations",
        document=OPENAPI_DIR / "bird" / "conversations.openapi.json",
        corrections=OPENAPI_DIR / "bird" / "corrections.patch.json",
        config=OPENAPI_DIR / "bird" / "generator.yaml",
    ),
    Vendor(
        package="omnichannel_messaging",
        document=OPENAPI_DIR / "omnichannel" / "messaging.openapi.yaml",
        config=OPENAPI_DIR / "omnichannel" / "generator.yaml",
    ),
)


def load_document(path: Path) -> Any:
    """Read an OpenAPI document from JSON or YAML."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    from ruamel.yaml import YAML  # the generator's own YAML library; only YAML documents need it

    return json.loads(json.dumps(YAML(typ="safe").load(text)))


def load_corrections(path: Path) -> list[dict[str, Any]]:
    """Read a JSON Patch, checking that every change is guarded and explained.

    Each operation carries a one-line ``reason`` (RFC 6902 ignores unknown members), and every
    operation that changes the document follows a ``test`` of the exact value it corrects, so
    that an upstream change at that spot fails generation instead of being patched blindly.
    """
    operations: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    guarded: set[str] = set()
    for index, operation in enumerate(operations):
        reason = operation.get("reason")
        if not isinstance(reason, str) or not reason.strip() or "\n" in reason:
            raise ValueError(f"{path.name} operation {index}: needs a one-line 'reason'")
        if operation["op"] == "test":
            guarded.add(operation["path"])
        elif not any(_covers(test_path, operation["path"]) for test_path in guarded):
            raise ValueError(
                f"{path.name} operation {index} ({operation['op']} {operation['path']}) "
                "is not preceded by a 'test' of the value it changes"
            )
    return operations


def _covers(test_path: str, changed_path: str) -> bool:
    # A test of a value guards changes to it and inside it; an add to an array's
    # slot or a new member of a tested object counts as inside.
    parent = changed_path.rsplit("/", 1)[0]
    return changed_path == test_path or changed_path.startswith(test_path + "/") or parent == test_path


def apply_corrections(document: Any, operations: Sequence[dict[str, Any]]) -> Any:
    """Apply a JSON Patch to a document, returning the corrected copy.

    Raises ``jsonpatch.JsonPatchTestFailed`` when a guarded spot no longer holds the
    value the correction was written for.
    """
    import jsonpatch

    return jsonpatch.JsonPatch(list(operations)).apply(document, in_place=False)


def corrected_document(vendor: Vendor) -> Any:
    """The vendor's document as the code is generated from it: corrected and validated."""
    from openapi_spec_validator import validate

    document = load_document(vendor.document)
    if vendor.corrections is not None:
        document = apply_corrections(document, load_corrections(vendor.corrections))
    validate(document)
    return document


def generate_package(vendor: Vendor, out_dir: Path) -> Path:
    """Generate one vendor's package into ``out_dir/<package>``."""
    document = corrected_document(vendor)
    target = out_dir / vendor.package
    with tempfile.TemporaryDirectory(prefix=f"gen-{vendor.package}-") as scratch:
        spec_path = Path(scratch) / "openapi.json"
        spec_path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        build = Path(scratch) / vendor.package
        command = [
            sys.executable, "-m", "openapi_python_client", "generate",
            "--path", str(spec_path),
            "--config", str(vendor.config),
            "--custom-template-path", str(TEMPLATES_DIR),
            "--meta", "none",
            "--fail-on-warning",
            "--output-path", str(build),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(
                f"openapi-python-client failed for {vendor.package}:\n{result.stdout}\n{result.stderr}"
            )
        shutil.copy(spec_path, build / "openapi.json")
        (build / "py.typed").touch()
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(build, target, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache"))
    return target


def differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths that are missing, extra or different between two trees."""
    found: list[str] = []

    def walk(comparison: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"{prefix}{name} (missing from generated/)" for name in comparison.left_only)
        found.extend(f"{prefix}{name} (not produced by generation)" for name in comparison.right_only)
        found.extend(f"{prefix}{name} (type differs)" for name in comparison.common_funny)
        # by content, not dircmp's diff_files, which trusts equal size and mtime
        found.extend(
            f"{prefix}{name} (differs)"
            for name in comparison.common_files
            if (Path(comparison.left) / name).read_bytes() != (Path(comparison.right) / name).read_bytes()
        )
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(expected, actual, ignore=["__pycache__", ".ruff_cache", ".mypy_cache"]), "")
    return sorted(found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the packages into this folder")
    group.add_argument("--check", type=Path, help="fail if this folder differs from a fresh generation")
    args = parser.parse_args(argv)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        for vendor in VENDORS:
            print(f"generated {generate_package(vendor, args.out)}")
        return 0
    with tempfile.TemporaryDirectory(prefix="generated-check-") as scratch:
        fresh = Path(scratch)
        for vendor in VENDORS:
            generate_package(vendor, fresh)
        stale = [
            f"{vendor.package}/{line}"
            for vendor in VENDORS
            for line in differences(fresh / vendor.package, args.check / vendor.package)
        ]
    if stale:
        print("generated/ is stale (hand-edited, or a spec/patch/config/template changed without")
        print("regenerating). Run `nox -s generate` and review the diff. Differences:")
        print("\n".join(f"  {line}" for line in stale))
        return 1
    print("generated/ matches a fresh generation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
