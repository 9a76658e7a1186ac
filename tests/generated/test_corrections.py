"""The Bird corrections: each is guarded, each guard trips when upstream changes its spot."""

from __future__ import annotations

import copy
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

# jsonpatch 1.33 (pinned alongside the generator) ships no type information; mypy's config skips it too
import jsonpatch  # pyright: ignore[reportMissingTypeStubs]
import jsonpointer
import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

ROOT = Path(__file__).resolve().parent.parent.parent


def _load_generate_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("openapi_generate", ROOT / "openapi" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


generate = _load_generate_module()
BIRD = next(vendor for vendor in generate.VENDORS if vendor.package == "bird_conversations")
PUBLISHED: Any = json.loads(BIRD.document.read_text())
CORRECTIONS: list[dict[str, Any]] = generate.load_corrections(BIRD.corrections)
GUARDS = [operation for operation in CORRECTIONS if operation["op"] == "test"]


def test_published_document_is_rejected_as_is() -> None:
    with pytest.raises(OpenAPIValidationError):
        validate(PUBLISHED)


def test_corrected_document_validates_and_matches_the_generated_copy() -> None:
    corrected = generate.corrected_document(BIRD)
    validate(corrected)
    shipped = json.loads((ROOT / "generated" / "bird_conversations" / "openapi.json").read_text())
    assert corrected == shipped


def test_every_change_is_guarded_and_explained() -> None:
    changes = [operation for operation in CORRECTIONS if operation["op"] != "test"]
    assert len(GUARDS) == len(changes) == 8
    assert all(operation["reason"].strip() for operation in CORRECTIONS)


@pytest.mark.parametrize("guard", GUARDS, ids=[guard["path"].rsplit("/", 2)[-2] for guard in GUARDS])
def test_guard_trips_when_upstream_changes_its_spot(guard: dict[str, Any]) -> None:
    drifted = copy.deepcopy(PUBLISHED)
    jsonpointer.set_pointer(drifted, guard["path"], {"changed": "upstream"})

    with pytest.raises(jsonpatch.JsonPatchTestFailed):
        generate.apply_corrections(drifted, CORRECTIONS)


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        ([{"op": "replace", "path": "/a", "value": 1, "reason": "x"}], "not preceded by a 'test'"),
        ([{"op": "test", "path": "/a", "value": 1}], "one-line 'reason'"),
        ([{"op": "test", "path": "/a", "value": 1, "reason": "two\nlines"}], "one-line 'reason'"),
        (
            [{"op": "test", "path": "/a", "value": 1, "reason": "x"}, {"op": "remove", "path": "/b", "reason": "y"}],
            "not preceded by a 'test'",
        ),
    ],
)
def test_unguarded_or_unexplained_patches_are_refused(
    tmp_path: Path, operations: list[dict[str, Any]], message: str
) -> None:
    patch_file = tmp_path / "patch.json"
    patch_file.write_text(json.dumps(operations))
    with pytest.raises(ValueError, match=message):
        generate.load_corrections(patch_file)


def test_staleness_check_names_edited_missing_and_extra_files(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    shutil.copytree(ROOT / "generated" / "bird_conversations", fresh, ignore=shutil.ignore_patterns("__pycache__"))
    committed = tmp_path / "committed"
    shutil.copytree(fresh, committed)
    assert generate.differences(fresh, committed) == []

    (committed / "models" / "conversation.py").write_text("# edited by hand\n")
    (committed / "client.py").unlink()
    (committed / "models" / "extra.py").write_text("")

    assert generate.differences(fresh, committed) == [
        "client.py (missing from generated/)",
        "models/conversation.py (differs)",
        "models/extra.py (not produced by generation)",
    ]
