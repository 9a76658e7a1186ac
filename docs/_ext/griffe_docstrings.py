"""A griffe extension: the package's reST-flavoured docstrings, read as the Markdown mkdocstrings renders.

The docstrings are written for ``help()`` and doctest: ``>>>`` examples, ``Example::`` literal
blocks and Sphinx roles (``:class:`~conversation_clients.BirdClient```). Markdown would read a
doctest as a block quote and its output (``[20, 10]``) as a link, so, before mkdocstrings parses
a docstring, this extension (loaded by ``mkdocs.yml``; the source is never changed):

* fences every doctest (a ``>>>`` line, its ``...`` continuations and its output) as ``pycon``;
* fences the indented block after a line ending in ``::`` as ``python`` (the ``::`` becomes ``:``);
* turns a Sphinx role into inline code (``:class:`~a.b.C``` gives ``C``, ``:mod:`a.b``` gives ``a.b``).
"""

from __future__ import annotations

import ast
import re
from typing import Any

import griffe

__all__ = ["RestToMarkdown", "rest_to_markdown"]

_ROLE = re.compile(r":(?:py:)?[a-z]+:`(~?)([^`]+)`")


def _role(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def rest_to_markdown(text: str) -> str:
    """The docstring ``text`` with its doctests and literal blocks fenced and its roles made code."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
            out.append(line)
            i += 1
            continue
        if in_fence:
            out.append(line)
            i += 1
            continue
        if stripped.startswith(">>>"):
            indent = " " * _indent(line)
            block: list[str] = []
            while i < len(lines) and lines[i].strip() and _indent(lines[i]) >= len(indent):
                block.append(lines[i])
                i += 1
            out.extend([f"{indent}```pycon", *block, f"{indent}```"])
            continue
        if stripped.endswith("::") and not stripped.startswith(">>>"):
            # a reST literal block: the indented lines after it (after blank lines)
            base = _indent(line)
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and _indent(lines[j]) > base:
                head = _ROLE.sub(_role, line[:-1])
                out.append(head if head.strip() != ":" else "")
                out.append("")
                block_indent = _indent(lines[j])
                block = []
                k = j
                while k < len(lines) and (not lines[k].strip() or _indent(lines[k]) >= block_indent):
                    block.append(lines[k][block_indent:] if lines[k].strip() else "")
                    k += 1
                while block and not block[-1]:
                    block.pop()
                pad = " " * base
                out.extend([f"{pad}```python", *(f"{pad}{b}" if b else "" for b in block), f"{pad}```", ""])
                i = k
                continue
        out.append(_ROLE.sub(_role, line))
        i += 1
    return "\n".join(out)


class RestToMarkdown(griffe.Extension):
    """Rewrites each docstring as it is loaded (see the module's docstring)."""

    def on_instance(self, *, node: ast.AST | griffe.ObjectNode, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rest_to_markdown(obj.docstring.value)
