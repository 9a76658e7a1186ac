"""Take a vendor's new OpenAPI document: one command (``nox -s update-spec -- DOCUMENT NEW_FILE``).

DOCUMENT is the path of the vendored document it replaces (``openapi/bird/conversations.openapi.json``).
Everything is first done in a scratch copy of the repository; the tree is touched only at the end,
and not at all when the update is refused:

1. the new file must be an OpenAPI 3 document, which openapi-spec-validator accepts once its
   corrections are applied;
2. the document's guarded corrections are re-applied one group (a ``test`` and the changes it
   guards) at a time: a group whose ``test`` fails because upstream now holds the corrected value
   is *no longer needed* and is dropped from the patch file; one that fails otherwise *no longer
   applies* and refuses the update;
3. the code is regenerated (``generate.py --out``, which also refuses a construct the generator
   would erase to ``Any`` or a bare dict) and the API report is rewritten;
4. the spec-level report (``spec_diff.py``) and the Python-level report (``api_diff.py``) are
   printed, and the downstream corpus (``examples/``, ``tests/typing/``) is type-checked with
   ``mypy --strict`` against the regenerated packages; its errors are listed (the verdict follows
   the classification: the worst kind of either report; N counts the Python-level breaking
   items, or the spec-level ones when the Python API shows none);
5. ``CHANGELOG.md`` gets an entry and ``pyproject.toml``'s version is bumped: breaking bumps the
   major version, additive the minor, neutral the patch; while the version is 0.x each moves one
   place down (breaking bumps the minor, the rest the patch), as Cargo does.

The last line is the verdict: ``update-spec: neutral`` or ``update-spec: additive`` (exit 0),
``update-spec: breaking (N items)`` (exit 3; the tree holds the regenerated state for review), or
``update-spec: refused: <reason>`` (exit 2; the tree is left exactly as it was).

Usage::

    python openapi/update_spec.py openapi/bird/conversations.openapi.json ~/Downloads/conversations.json
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import api_diff  # noqa: E402  (scripts beside this one)
import api_report  # noqa: E402
import generate  # noqa: E402
import spec_diff  # noqa: E402

REPOSITORY = Path(__file__).resolve().parent.parent
#: What the scratch copy holds: generation's inputs and outputs, the report, the corpus, the version.
COPIED = ("openapi", "generated", "overlay", "api", "examples", "tests/typing", "pyproject.toml", "CHANGELOG.md")
CORPUS = ("examples", "tests/typing")
EXIT = {"neutral": 0, "additive": 0, "breaking": 3, "refused": 2}


class Refused(Exception):
    """The update cannot be taken; the message is the reason."""


def _copy_tree(root: Path, target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", ".mypy_cache", ".ruff_cache", "*.pyc")
    for name in COPIED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    if (root / "tests" / "__init__.py").exists():
        shutil.copy2(root / "tests" / "__init__.py", target / "tests" / "__init__.py")


def rebase(vendor: generate.Vendor, root: Path) -> generate.Vendor:
    """The vendor with its files under ``root/openapi`` instead of this repository's."""

    def moved(path: Path | None) -> Path | None:
        return None if path is None else root / "openapi" / path.relative_to(generate.OPENAPI_DIR)

    documents = tuple(
        generate.Document(moved(document.path), moved(document.corrections)) for document in vendor.documents
    )
    return dataclasses.replace(vendor, documents=documents, config=moved(vendor.config), renames=moved(vendor.renames))


def find_document(relative: str) -> tuple[generate.Vendor, generate.Document]:
    """The vendor and document that ``relative`` (a path under the repository) names."""
    wanted = (REPOSITORY / relative).resolve()
    for vendor in generate.VENDORS:
        for document in vendor.documents:
            if document.path == wanted:
                return vendor, document
    known = ", ".join(str(d.path.relative_to(REPOSITORY)) for v in generate.VENDORS for d in v.documents)
    raise Refused(f"{relative} is not a vendored document (one of: {known})")


def load_new_document(path: Path) -> Any:
    """The new file, read; :class:`Refused` when it is not an OpenAPI 3 document. (It is validated
    once its corrections are applied: a published document may need them to validate.)"""
    try:
        document = generate.load_document(path)
    except Exception as error:  # noqa: BLE001  (any reading error refuses the file)
        raise Refused(f"{path.name} cannot be read as JSON or YAML ({type(error).__name__})") from None
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise Refused(f"{path.name} is not an OpenAPI 3 document (no 'openapi: 3.x' member)")
    return document


def check_corrections(document: Any, operations: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Re-apply a guarded patch group by group: the groups to keep, and one line per group that is
    no longer needed. :class:`Refused` names a group that no longer applies.

    >>> doc = {"a": 1, "b": 2}
    >>> ops = [{"op": "test", "path": "/a", "value": 1, "reason": "r1"},
    ...        {"op": "replace", "path": "/a", "value": 10, "reason": "r1"},
    ...        {"op": "test", "path": "/b", "value": 9, "reason": "r2"},
    ...        {"op": "replace", "path": "/b", "value": 2, "reason": "r2"}]
    >>> kept, notes = check_corrections(doc, ops)
    >>> len(kept), notes
    (2, ['correction 2 (test /b) is no longer needed: upstream now holds the corrected value (r2)'])
    """
    import jsonpatch
    import jsonpointer

    groups: list[tuple[int, list[dict[str, Any]]]] = []
    for index, operation in enumerate(operations):
        if operation["op"] == "test" or not groups:
            groups.append((index, []))
        groups[-1][1].append(operation)
    kept: list[dict[str, Any]] = []
    notes: list[str] = []
    current = document
    for index, group in groups:
        reason = group[0].get("reason", "")
        try:
            current = jsonpatch.JsonPatch(group).apply(current, in_place=False)
            kept += group
            continue
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException):
            pass
        changes = [operation for operation in group if operation["op"] != "test"]
        try:
            unchanged = jsonpatch.JsonPatch(changes).apply(current, in_place=False) == current
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException):
            unchanged = all(operation["op"] == "remove" for operation in changes)
        label = f"correction {index} ({group[0]['op']} {group[0]['path']})"
        if unchanged:
            notes.append(f"{label} is no longer needed: upstream now holds the corrected value ({reason})")
        else:
            raise Refused(f"{label} no longer applies: the document changed at that spot ({reason})")
    return kept, notes


def bump(version: str, kind: str) -> str:
    """The next version for a change of ``kind``, by semver; in 0.x each kind moves one place down.

    >>> bump("0.1.0", "breaking"), bump("0.1.0", "additive"), bump("1.2.3", "breaking"), bump("1.2.3", "additive")
    ('0.2.0', '0.1.1', '2.0.0', '1.3.0')
    """
    major, minor, patch = (int(part) for part in re.match(r"(\d+)\.(\d+)\.(\d+)", version).groups())  # type: ignore[union-attr]
    place = {"breaking": 0, "additive": 1, "neutral": 2}[kind] + (1 if major == 0 else 0)
    if place == 0:
        return f"{major + 1}.0.0"
    if place == 1:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


CHANGELOG_HEAD = """# Changelog

All notable changes to this project are documented here. The format follows
[Keep a Changelog](https://keepachangelog.com/en/1.1.0/); versions follow
[Semantic Versioning](https://semver.org/spec/v2.0.0.html), with Cargo's reading of 0.x
(a breaking change bumps the minor version). `nox -s update-spec` writes the entries for a
vendor's new document.

## [Unreleased]
"""


def changelog_entry(version: str, document: str, kind: str, changes: Sequence[api_diff.Change]) -> str:
    """A Keep a Changelog section for an update: Added, Changed and Removed from the classified changes."""
    lines = [f"## [{version}] - {datetime.date.today().isoformat()}", ""]
    lines += ["### Changed", "", f"- `{document}`: the vendor's new document ({kind})."]
    changed = [c for c in changes if not c.what.endswith("removed") and c.kind != "additive"]
    lines += [f"{c.line()}{' (breaking)' if c.kind == 'breaking' else ''}" for c in changed]
    added = [c for c in changes if c.kind == "additive"]
    removed = [c for c in changes if c.what.endswith("removed")]
    for title, group in (("Added", added), ("Removed", removed)):
        if group:
            lines += ["", f"### {title}", "", *(c.line() for c in group)]
    return "\n".join(lines) + "\n"


def add_changelog_entry(path: Path, entry: str) -> None:
    """Insert ``entry`` after the ``[Unreleased]`` section (creating the file if needed)."""
    text = path.read_text(encoding="utf-8") if path.exists() else CHANGELOG_HEAD
    if "## [Unreleased]" not in text:
        text = text.rstrip("\n") + "\n\n## [Unreleased]\n"
    head, _, rest = text.partition("## [Unreleased]")
    unreleased, marker, older = rest.partition("\n## [")
    text = f"{head}## [Unreleased]{unreleased.rstrip()}\n\n{entry}" + (f"\n## [{older}" if marker else "")
    path.write_text(text, encoding="utf-8")


def set_version(pyproject: Path, kind: str) -> tuple[str, str]:
    """Bump ``[project].version`` in place; returns (old, new)."""
    text = pyproject.read_text(encoding="utf-8")
    match = re.search(r'(?m)^version = "([^"]+)"', text)
    if match is None:
        raise Refused("pyproject.toml has no version line")
    new = bump(match.group(1), kind)
    pyproject.write_text(text[: match.start(1)] + new + text[match.end(1) :], encoding="utf-8")
    return match.group(1), new


def corpus_errors(root: Path) -> list[str]:
    """``mypy --strict``, then pyright strict, over the downstream corpus under ``root``, against
    ``root``'s packages: their errors, and those of the overlay modules it imports (a handwritten
    module the update breaks)."""
    paths = [name for name in CORPUS if (root / name).is_dir()]
    if not paths:
        return []
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(root / ".mypy_cache")]
    result = subprocess.run([*command, *paths], cwd=root, capture_output=True, text=True, check=False)
    if "No module named mypy" in result.stderr:
        return ["mypy is not installed: the downstream corpus was not type-checked"]
    # an optional dependency the environment lacks (msgspec, OpenTelemetry) is not the update's doing
    missing = ("[import-not-found]", "[import-untyped]")
    errors = [line for line in result.stdout.splitlines() if ": error:" in line and not line.endswith(missing)]
    return errors + _pyright_errors(root, paths)


def _pyright_errors(root: Path, paths: list[str]) -> list[str]:
    """pyright (strict, pyrightconfig.json) over ``paths`` under ``root``: downstream code is checked
    by either checker, and each misses things the other finds."""
    pyright = shutil.which("pyright")
    if pyright is None:
        return ["pyright is not installed: only mypy checked the downstream corpus"]
    result = subprocess.run(
        [pyright, "--outputjson", *paths],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"},
    )
    try:
        diagnostics = json.loads(result.stdout)["generalDiagnostics"]
    except (ValueError, KeyError):
        return [f"pyright did not run: {' '.join((result.stderr or result.stdout).split())[:300]}"]
    return [
        f"{os.path.relpath(d['file'], root)}:{d['range']['start']['line'] + 1}: error: {d['message'].splitlines()[0]} (pyright)"
        for d in diagnostics
        if d.get("severity") == "error" and "could not be resolved" not in d["message"]
    ]


@dataclasses.dataclass
class Outcome:
    """What an update found: its verdict, the number of breaking items and the text it printed."""

    verdict: str
    items: int
    text: str

    @property
    def line(self) -> str:
        """The verdict line (the last line printed)."""
        if self.verdict == "breaking":
            return f"update-spec: breaking ({self.items} items)"
        return f"update-spec: {self.verdict}"


def update(relative: str, new_file: Path, root: Path = REPOSITORY, *, typecheck: bool = True) -> Outcome:
    """Take ``new_file`` as the document ``relative``, in ``root``; returns the outcome (or raises Refused).

    >>> update("openapi/bird/conversations.openapi.json", Path("new.json"))  # doctest: +SKIP
    Outcome(verdict='additive', items=0, text='...')
    """
    vendor, document = find_document(relative)
    new_document = load_new_document(new_file)
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="update-spec-") as scratch:
        work = Path(scratch)
        _copy_tree(root, work)
        old_vendor, new_vendor = rebase(vendor, root), rebase(vendor, work)
        try:
            old_corrected = generate.corrected_document(old_vendor)
        except Exception as error:  # noqa: BLE001
            raise Refused(f"the current documents do not generate: {error}") from None
        target = next(d for d in new_vendor.documents if d.path.name == document.path.name)
        suffix = target.path.suffix
        if suffix == ".json":
            target.path.write_text(json.dumps(new_document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            shutil.copy(new_file, target.path)
        if target.corrections is not None:
            kept, notes = check_corrections(new_document, generate.load_corrections(target.corrections))
            out += ["## Corrections", "", *(f"- {note}" for note in notes or ["every correction still applies"]), ""]
            if notes:
                target.corrections.write_text(json.dumps(kept, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        try:
            new_corrected = generate.corrected_document(new_vendor)
        except Exception as error:  # noqa: BLE001
            first = (str(error).splitlines() or [type(error).__name__])[0]
            raise Refused(f"the corrected document fails validation or the merge: {first}") from None
        # the generator runs the formatter (ruff) from the PATH: this environment's, first
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
        run = subprocess.run(
            [sys.executable, str(work / "openapi" / "generate.py"), "--out", str(work / "generated")],
            cwd=work,
            env={**os.environ, "PATH": path},
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            text = run.stderr.strip() or run.stdout.strip()
            if "Traceback" in text:  # the overlay cannot import the regenerated packages, or a bug: its last line
                text = text.splitlines()[-1] + " (the overlay, or the API report, cannot import the regenerated code)"
            raise Refused(f"generation fails: {' '.join(text.split())[:600]}")
        old_report = (
            (root / api_report.REPORT).read_text(encoding="utf-8") if (root / api_report.REPORT).exists() else ""
        )
        new_report = (work / api_report.REPORT).read_text(encoding="utf-8")
        spec_changes = spec_diff.spec_changes(old_corrected, new_corrected, vendor.config, vendor.package)
        python_changes = api_diff.classify(old_report, new_report)
        out += [api_diff.markdown(spec_changes, f"OpenAPI document changes ({relative})")]
        out += [api_diff.markdown(python_changes, "Python API changes (api/conversation-clients.api.txt)")]
        errors = corpus_errors(work) if typecheck else []
        out += ["## Downstream corpus (mypy --strict and pyright strict over examples/ and tests/typing/)", ""]
        if errors:
            # listed, not counted: the verdict follows the classification (an enum member added is
            # additive even where a program matches the enum exhaustively); review these first
            out += [f"{len(errors)} error(s) against the regenerated packages; fix them with the update:", ""]
        out += [f"- {line}" for line in errors] if errors else ["No error." if typecheck else "Not checked."]
        out.append("")
        breaking = [c for c in python_changes if c.kind == "breaking"]
        items = len(breaking) or len([c for c in spec_changes if c.kind == "breaking"])
        verdict = api_diff.verdict([*python_changes, *spec_changes])
        old_version, new_version = set_version(work / "pyproject.toml", verdict)
        entry = changelog_entry(new_version, relative, verdict, python_changes or spec_changes)
        add_changelog_entry(work / "CHANGELOG.md", entry)
        out += [f"## Version {old_version} -> {new_version}; CHANGELOG.md entry:", "", entry]
        # every check has passed: the tree gets the intended outputs, nothing else
        results = [
            target.path.relative_to(work),
            *([target.corrections.relative_to(work)] if target.corrections is not None else []),
            *(Path("generated") / v.package for v in generate.VENDORS),
            Path("overlay/conversation_clients/_operations"),
            api_report.REPORT,
            Path("CHANGELOG.md"),
            Path("pyproject.toml"),
        ]
        for relative_path in results:
            source, destination = work / relative_path, root / relative_path
            if source.is_dir():
                if destination.exists():
                    shutil.rmtree(destination)
                shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
            elif source.exists() and (not destination.exists() or source.read_bytes() != destination.read_bytes()):
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)
    return Outcome(verdict, items if verdict == "breaking" else 0, "\n".join(out))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "document", help="the vendored document to replace, e.g. openapi/bird/conversations.openapi.json"
    )
    parser.add_argument("new_file", type=Path, help="the vendor's new document")
    parser.add_argument("--root", type=Path, default=REPOSITORY, help="the repository to update (default: this one)")
    parser.add_argument("--no-typecheck", action="store_true", help="skip mypy over the downstream corpus")
    args = parser.parse_args(argv)
    try:
        outcome = update(args.document, args.new_file.resolve(), args.root.resolve(), typecheck=not args.no_typecheck)
    except Refused as refusal:
        print(f"update-spec: refused: {refusal}")
        return EXIT["refused"]
    print(outcome.text)
    print(outcome.line)
    return EXIT[outcome.verdict]


if __name__ == "__main__":
    raise SystemExit(main())
