"""The import graph of Python sources, read from their syntax trees: every way one module can load another.

An import counts wherever it is written: at the top, inside a function (a lazy import), under
``if TYPE_CHECKING:``. So does a string naming one of the graph's modules, whole:
``"conversation_clients.cli.bird_commands"`` (a registry's entry, imported with :mod:`importlib`) or
``"conversation_clients.sandbox._bird_fake:bird_api"`` (``"module:attribute"``). Docstrings and
messages that mention a module among other words do not count, nor does a string that names no
module (``"conversation_clients.max_response_bytes"``, an extension's key), nor a logger's name
given in ``not_imports``. ``import a.b.c`` and ``from a.b import c`` are edges to ``a.b.c`` (or
to ``a.b`` when ``c`` is no module), not to the packages above them.

>>> modules = {"pkg": True, "pkg.low": False, "pkg.high": False}
>>> sorted(imports_of("import pkg.low\\n", "pkg.high", modules))
['pkg.low']
>>> find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
['a', 'b', 'c', 'a']
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping, Set
from pathlib import Path
from typing import Final

__all__ = ["find_cycle", "imports_of", "package_graph", "package_modules", "strongly_connected"]

_NAMED_MODULE: Final = re.compile(r"(?P<module>[A-Za-z_]\w*(?:\.\w+)+|[A-Za-z_]\w*)(?::\w+)?")


def package_modules(root: Path) -> dict[str, Path]:
    """Every module under ``root`` (a folder of packages, such as ``overlay/``), by dotted name."""
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _known(name: str, modules: Mapping[str, object]) -> str | None:
    """``name`` if it is a module of the graph, else the nearest package above it that is (None: none)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(
    source: str, module: str, modules: Mapping[str, bool], *, not_imports: Set[str] = frozenset()
) -> set[str]:
    """The modules of ``modules`` (name to whether it is a package) that ``module``'s ``source`` imports.

    >>> modules = {"pkg": True, "pkg.a": False, "pkg.b": False, "pkg.c": False, "pkg.d": False}
    >>> source = '''
    ... from typing import TYPE_CHECKING
    ... if TYPE_CHECKING:
    ...     from pkg import a
    ... def later():
    ...     from .b import thing
    ... REGISTRY = ("pkg.c", "pkg.d:factory", "the pkg.a module", "pkg.nothing")
    ... '''
    >>> sorted(imports_of(source, "pkg.x", modules))
    ['pkg.a', 'pkg.b', 'pkg.c', 'pkg.d']
    """
    package = module if modules.get(module) else module.rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(_known(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                imported = ".".join([*base, *([node.module] if node.module else [])])
            else:
                imported = node.module or ""
            for alias in node.names:
                whole = f"{imported}.{alias.name}"
                found.add(whole if whole in modules else _known(imported, modules))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in not_imports:
            # a dotted or "module:attribute" string; a bare top-level name is a logger's or a tracer's
            named = _NAMED_MODULE.fullmatch(node.value)
            if named and named["module"] in modules and ("." in node.value or ":" in node.value):
                found.add(named["module"])
    return {name for name in found if name is not None and name != module}


def package_graph(root: Path, *, not_imports: Set[str] = frozenset()) -> dict[str, set[str]]:
    """Each module under ``root``, and the modules under ``root`` it imports."""
    paths = package_modules(root)
    packages = {name: path.name == "__init__.py" for name, path in paths.items()}
    return {
        name: imports_of(path.read_text(encoding="utf-8"), name, packages, not_imports=not_imports)
        for name, path in paths.items()
    }


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The groups of two or more modules that import one another, each sorted (Tarjan's algorithm, iterative).

    >>> strongly_connected({"a": {"b"}, "b": {"a"}, "c": {"a"}})
    [['a', 'b']]
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop(0)
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)


def find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """One circle of imports, as the path that goes round it (its first module again at the end), or None."""
    groups = strongly_connected(graph)
    if not groups:
        return None
    members = set(groups[0])
    start = groups[0][0]
    # the shortest way from start back to start, inside its group
    paths: dict[str, list[str]] = {start: [start]}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    return [*paths[node], start]
                if nxt in members and nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    following.append(nxt)
        frontier = following
    raise AssertionError("a strongly connected group always has a circle")  # pragma: no cover
