"""The test tree mirrors what it tests, as h11's and httpcore's do: ``tests/<same path>/test_<module>.py``.

``overlay/conversation_clients/cli/export.py`` is tested in
``tests/conversation_clients/cli/test_export.py``, ``_flow.py`` (its leading underscore dropped) in
``tests/conversation_clients/test_flow.py``, ``openapi/generate.py`` in ``tests/openapi/test_generate.py``
and the generated code by the template it is rendered from
(``openapi/templates/model.py.jinja``: ``tests/openapi/templates/test_model.py``). Kinds of test
(hostile, loopback, subprocess) are markers, not folders; helpers live in ``tests/support/``, which
holds no test module. What no single module holds is tested in ``tests/project/``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from tests.support.paths import REPOSITORY

TESTS: Final = REPOSITORY / "tests"
PACKAGE: Final = REPOSITORY / "overlay" / "conversation_clients"
#: What the first folder of a test module's path under tests/ mirrors.
MIRRORED: Final = {
    "conversation_clients": PACKAGE,
    "openapi": REPOSITORY / "openapi",  # the generator's scripts, and its templates (``*.py.jinja``)
    "examples": REPOSITORY / "examples",
    "benchmarks": REPOSITORY / "benchmarks",
}
#: Project-wide test modules: what each checks is the project, not one module.
PROJECT_WIDE: Final = {
    "project/test_layout.py": "this test: the tree itself",
    "project/test_packaging.py": "the wheel: three import packages, typed, with their specs",
    "project/test_import_graph.py": "the import graph of the whole package: layers, no circle",
    "project/test_startup.py": "what importing the package and running --help load, across modules",
    "project/test_docs_examples.py": "the examples of README.md and docs/",
    "project/test_vendor_neutral.py": "every vendor-neutral module at once: no vendor named in code",
    "project/test_third_vendor.py": "a third vendor through the library, the command line and the sandbox",
    "project/test_demo.py": "nox -s demo's load into DuckDB and scripts/demo_query.py's SQL over it",
}
#: Handwritten modules without a test module of their own, and why.
UNTESTED: Final = {
    "_version.py": (
        "the installed distribution's version, read from its metadata in one statement; where it"
        " shows is tested there (the User-Agent in test_shells.py, --version in cli/test_runners.py)"
    ),
    "sandbox/_fake.py": (
        "declarations only (VendorFake, the VendorApi protocol, SandboxSetup): each fake is tested"
        " (sandbox/test_bird_fake.py, test_omnichannel_fake.py, the third vendor's in"
        " project/test_third_vendor.py), and their registration in sandbox/test_fake_registry.py"
    ),
    "cli/sandbox_settings.py": (
        "the sandbox's demo keys and ids as one value, loaded by a doctested classmethod; what uses"
        " them (--sandbox, sandbox serve) is tested in cli/test_serving.py"
    ),
}
#: The longest a handwritten module may be, in lines (issue 18); none is exempt: split a module that grows past it.
MAX_LINES: Final = 450


def _handwritten_modules() -> Iterator[Path]:
    """The package's handwritten modules, but its ``__init__`` and ``__main__`` files."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "_operations":  # rendered by openapi/operations.py
            continue
        if path.name not in ("__init__.py", "__main__.py"):
            yield path


def _mirrored_test(module: Path) -> Path:
    relative = module.relative_to(PACKAGE)
    return TESTS / "conversation_clients" / relative.parent / f"test_{relative.stem.lstrip('_')}.py"


def _test_modules() -> list[Path]:
    return sorted(path for path in TESTS.rglob("test_*.py") if "__pycache__" not in path.parts)


def _mirrors(test: Path) -> bool:
    """Whether ``test`` sits at the path of something it can test."""
    relative = test.relative_to(TESTS)
    root = MIRRORED.get(relative.parts[0])
    if root is None:
        return False
    folder = root.joinpath(*relative.parts[1:-1])
    name = relative.stem.removeprefix("test_")
    return any((folder / candidate).is_file() for candidate in (f"{name}.py", f"_{name}.py", f"{name}.py.jinja"))


def test_the_package_is_where_the_layout_expects_it() -> None:
    assert (PACKAGE / "__init__.py").is_file()
    assert len(list(_handwritten_modules())) > 50


@pytest.mark.parametrize("module", list(_handwritten_modules()), ids=lambda module: str(module.relative_to(PACKAGE)))
def test_each_handwritten_module_has_its_test_module_at_the_mirrored_path(module: Path) -> None:
    relative = str(module.relative_to(PACKAGE))
    expected = _mirrored_test(module)
    if relative in UNTESTED:
        assert not expected.exists(), f"{relative} has {expected.relative_to(REPOSITORY)}: take it out of UNTESTED"
    else:
        assert expected.is_file(), f"{relative}: no {expected.relative_to(REPOSITORY)} (or name why in UNTESTED)"


def test_the_modules_named_untested_exist() -> None:
    modules = {str(module.relative_to(PACKAGE)) for module in _handwritten_modules()}
    assert set(UNTESTED) <= modules


def test_no_two_test_modules_share_a_name() -> None:
    names = Counter(test.name for test in _test_modules())
    shared = {
        name: sorted(str(test.relative_to(TESTS)) for test in _test_modules() if test.name == name)
        for name, count in names.items()
        if count > 1
    }
    assert shared == {}


def test_every_test_module_mirrors_what_it_tests_or_is_project_wide() -> None:
    misplaced = [
        str(test.relative_to(TESTS))
        for test in _test_modules()
        if not _mirrors(test) and str(test.relative_to(TESTS)) not in PROJECT_WIDE
    ]
    assert misplaced == []
    assert all((TESTS / name).is_file() for name in PROJECT_WIDE)


def test_the_helpers_and_the_type_checking_corpus_hold_no_test_module() -> None:
    assert [test for test in _test_modules() if test.relative_to(TESTS).parts[0] in ("support", "typing")] == []


def test_no_handwritten_module_is_longer_than_the_limit() -> None:
    longer = {
        str(module.relative_to(PACKAGE)): lines
        for module in _handwritten_modules()
        if (lines := len(module.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert longer == {}


def test_handwritten_module_names_are_unique_without_their_leading_underscore() -> None:
    # so that test module names are too: tests/conversation_clients/cli/test_errors.py and
    # tests/conversation_clients/test_errors.py could not both exist
    names = Counter(module.stem.lstrip("_") for module in _handwritten_modules())
    assert sorted(name for name, count in names.items() if count > 1) == []
