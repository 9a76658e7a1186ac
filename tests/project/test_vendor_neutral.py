"""No vendor-neutral module names a vendor in code: vendors come from their profiles.

An AST walk over each neutral module: imported modules and names, names and attributes used,
definitions and argument names, and string constants other than docstrings. Docstrings and
comments may mention vendors as examples; code may not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import conversation_clients

PACKAGE = Path(conversation_clients.__file__).parent
VENDOR_WORDS = ("bird", "omnichannel")
#: The modules that hold no vendor knowledge; each vendor's lives in its own module.
NEUTRAL_MODULES = (
    "_body_cap.py",
    "_durable.py",
    "_error_chain.py",
    "_error_reading.py",
    "_flow.py",
    "_http.py",
    "_listing.py",
    "_iterations.py",
    "_prefetch.py",
    "_settings.py",
    "_shells.py",
    "errors.py",
    "pagination.py",
    "_profile.py",
    "_vendors.py",
    "cli/checkpoint.py",
    "cli/command_options.py",
    "cli/command_parsers.py",
    "cli/command_pages.py",
    "cli/command_clients.py",
    "cli/commands.py",
    "cli/console.py",
    "cli/credential_sources.py",
    "cli/command_errors.py",
    "cli/dask_export.py",
    "cli/exit_codes.py",
    "cli/help_text.py",
    "cli/load.py",
    "cli/load_options.py",
    "cli/wording.py",
    "cli/parser.py",
    "cli/parsed_arguments.py",
    "cli/runners.py",
    "cli/serving.py",
    "cli/tables.py",
    "cli/values.py",
    "sandbox/_fake.py",
    "sandbox/_server.py",
    "dask/_destination.py",
    "dask/_export_targets.py",
    "dask/_part_store.py",
    "dask/_target_task.py",
    "dlt/_cursors.py",
    "dlt/_failures.py",
    "dlt/_pipelines.py",
    "dlt/_rows.py",
    "dlt/_targets.py",
)


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes of the module, its classes and its functions."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _words_in_code(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Every identifier and non-docstring text of ``tree``, with its line."""
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            yield from ((line, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield line, node.module or ""
            yield from ((line, alias.name) for alias in node.names)
        elif isinstance(node, ast.Name):
            yield line, node.id
        elif isinstance(node, ast.Attribute):
            yield line, node.attr
        elif isinstance(node, ast.arg):
            yield line, node.arg
        elif isinstance(node, ast.keyword) and node.arg is not None:
            yield line, node.arg
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield line, node.name
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield line, node.value


def vendor_mentions(source: str) -> list[str]:
    """Where ``source`` names a vendor in code: ``line: text`` for each."""
    return [
        f"{line}: {text!r}"
        for line, text in _words_in_code(ast.parse(source))
        if any(word in text.lower() for word in VENDOR_WORDS)
    ]


def test_the_check_finds_a_vendor_in_code_but_not_in_docstrings_or_comments() -> None:
    source = '''"""Bird and Omnichannel, as examples."""
import conversation_clients.bird
from conversation_clients.omnichannel import OMNICHANNEL

def read(profile):
    """Like Bird's."""
    # Bird does this
    if profile.name == "bird":
        return profile.bird_key
    return f"rate limited by {profile.title}"
'''
    assert vendor_mentions(source) == [
        "2: 'conversation_clients.bird'",
        "3: 'conversation_clients.omnichannel'",
        "3: 'OMNICHANNEL'",
        "8: 'bird'",
        "9: 'bird_key'",
    ]


@pytest.mark.parametrize("module", NEUTRAL_MODULES)
def test_a_vendor_neutral_module_names_no_vendor_in_code(module: str) -> None:
    assert vendor_mentions((PACKAGE / module).read_text(encoding="utf-8")) == []
