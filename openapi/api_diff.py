"""Classify the differences between two public API reports for downstream typed code.

Reads two reports written by ``openapi/api_report.py`` and sorts each change into one of three
kinds:

- **breaking**: a module, class, field, enum member, method, function or parameter is removed;
  a type changes incompatibly (a field's or parameter's type loses a member or changes; a
  return's type changes to one that is neither wider nor narrower); an optional field or
  parameter becomes required; a required constructor argument (a field without default) or a
  required parameter is new; an enum member's value changes; a positional parameter moves;
- **additive**: a new module, class, field (with a default), member, method, function or
  optional parameter; a widened type (``str`` -> ``str | None``, a union gaining a member); a
  narrowed return or read-only type; a required field or parameter that becomes optional;
- **neutral**: everything else the report shows (a wire name behind an unchanged Python name).
  Docstrings and ordering are not in the report: a regeneration that changes only them has no
  item at all and is neutral.

Each change names its Python path and, where there is one, its wire name (the JSON key of a
field, the value of an enum member, the query or header name of a parameter).

Usage::

    python openapi/api_diff.py OLD_REPORT NEW_REPORT      # Markdown on stdout; exit 3 if breaking
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("breaking", "additive", "neutral")
_WIRE = re.compile(r' wire "([^"]*)"$')


@dataclass(frozen=True, order=True)
class Change:
    """One classified change: its kind, the package, the Python path, the wire name and what happened."""

    kind: str
    package: str
    path: str
    what: str
    wire: str | None = None

    def line(self) -> str:
        """The change as a Markdown list item.

        >>> Change("breaking", "p", "p.M.a", "field removed", "a").line()
        '- `p.M.a` (wire `a`): field removed'
        """
        wire = f" (wire `{self.wire}`)" if self.wire is not None else ""
        return f"- `{self.path}`{wire}: {self.what}"


@dataclass
class Entry:
    """One line of a report, parsed: its kind, type or signature, default and wire name."""

    kind: str
    path: str
    rest: str
    type: str = ""
    default: str | None = None
    wire: str | None = None
    params: list[Param] = field(default_factory=list)
    returns: str | None = None


@dataclass(frozen=True)
class Param:
    """One parameter of a signature line."""

    name: str
    type: str
    default: str | None
    wire: str | None
    positional: int | None  # its index among the positional parameters, None when keyword-only


def split_top(text: str, separator: str) -> list[str]:
    """Split ``text`` at ``separator`` outside brackets and quotes.

    >>> split_top("a: dict[str, int], b: str = 'x, y'", ", ")
    ['a: dict[str, int]', "b: str = 'x, y'"]
    """
    parts: list[str] = []
    depth, quote, start, index = 0, "", 0, 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            index += len(separator)
            start = index
            continue
        index += 1
    parts.append(text[start:])
    return [part for part in parts if part != ""]


def union_members(type_text: str) -> frozenset[str]:
    """The members of a union annotation (``Optional[X]`` counts as ``X | None``).

    >>> sorted(union_members("str | None | list[int | str]"))
    ['None', 'list[int | str]', 'str']
    """
    text = type_text.strip()
    match = re.fullmatch(r"Optional\[(.*)\]", text)
    if match:
        return union_members(match.group(1)) | {"None"}
    match = re.fullmatch(r"Union\[(.*)\]", text)
    if match:
        return frozenset(member.strip() for member in split_top(match.group(1), ", "))
    return frozenset(member.strip() for member in split_top(text, " | "))


def _parse_params(text: str) -> list[Param]:
    params: list[Param] = []
    keyword_only = False
    position = 0
    for raw in split_top(text, ", "):
        if raw == "*":
            keyword_only = True
            continue
        if raw == "/":
            continue
        wire_match = _WIRE.search(raw)
        wire = wire_match.group(1) if wire_match else None
        raw = _WIRE.sub("", raw)
        left, *default = split_top(raw, " = ")
        name, _, annotation = left.partition(": ")
        if name.startswith("*"):
            keyword_only = True
            params.append(Param(name, annotation, "<variadic>", wire, None))
            continue
        params.append(
            Param(name, annotation, default[0] if default else None, wire, None if keyword_only else position)
        )
        if not keyword_only:
            position += 1
    return params


def parse_line(line: str) -> Entry | None:
    """One report line as an :class:`Entry` (None for comments and blank lines).

    >>> entry = parse_line('field p.M.name: str | Unset = UNSET wire "Name"')
    >>> entry.path, entry.type, entry.default, entry.wire
    ('p.M.name', 'str | Unset', 'UNSET', 'Name')
    """
    if not line.strip() or line.startswith("#"):
        return None
    kind, _, rest = line.partition(" ")
    if kind in {"function", "method", "constructor"}:
        open_at = rest.index("(")
        path, signature = rest[:open_at], rest[open_at:]
        inside = split_top(signature, " -> ")
        params_text = inside[0][1:-1]
        returns = inside[1] if len(inside) > 1 else None
        key = f"{path}.__init__" if kind == "constructor" else path
        return Entry(kind, key, rest, params=_parse_params(params_text), returns=returns)
    if kind in {"field", "attribute", "constant"}:
        path, _, detail = rest.partition(": ")
        wire_match = _WIRE.search(detail)
        detail = _WIRE.sub("", detail)
        type_text, _, default = detail.partition(" = ")
        return Entry(
            kind, path, rest, type=type_text, default=default or None, wire=wire_match.group(1) if wire_match else None
        )
    if kind == "member":
        path, _, value = rest.partition(" = ")
        return Entry(kind, path, rest, wire=value.strip('"'), default=value)
    if kind == "property":
        path, _, type_text = rest.partition(" -> ")
        return Entry(kind, path, rest, type=type_text)
    path = rest.split("(", 1)[0]
    return Entry(kind, path, rest, type=rest[len(path) :])


def parse_report(text: str) -> dict[str, Entry]:
    """A report's entries by Python path."""
    entries: dict[str, Entry] = {}
    for line in text.splitlines():
        entry = parse_line(line)
        if entry is not None:
            entries[entry.path] = entry
    return entries


def _type_change(old: str, new: str, *, read_only: bool) -> str:
    """``additive`` for a widened type (or a narrowed one that is only read), else ``breaking``."""
    before, after = union_members(old), union_members(new)
    if before < after or (read_only and after < before):
        return "additive"
    return "breaking"


#: The members of a type that stand for "not given": an optional field or parameter's own.
ABSENT = frozenset({"Unset", "None"})


def _only_absence(old: Param | Entry, new: Param | Entry) -> bool:
    """Whether the type changes only by the absent value an optional->required change removes (one
    item says it) or a required->optional change adds."""
    before, after = union_members(old.type), union_members(new.type)
    moved = (old.default in {None, "<required>"}) != (new.default in {None, "<required>"})
    return moved and before - ABSENT == after - ABSENT


def _package(path: str) -> str:
    return path.split(".", 1)[0]


def _compare_signature(old: Entry, new: Entry) -> Iterable[tuple[str, str, str, str | None]]:
    """(kind, path, what, wire) for each change between two signatures."""
    before = {param.name: param for param in old.params}
    after = {param.name: param for param in new.params}
    for name, param in before.items():
        where = f"{old.path}({name})"
        if name not in after:
            yield "breaking", where, "parameter removed", param.wire
            continue
        changed = after[name]
        wire = changed.wire or param.wire
        if param.default is not None and changed.default is None:
            yield "breaking", where, f"parameter becomes required (was `= {param.default}`)", wire
        elif param.default is None and changed.default is not None:
            yield "additive", where, f"parameter becomes optional (`= {changed.default}`)", wire
        if param.type != changed.type and not _only_absence(param, changed):
            kind = _type_change(param.type, changed.type, read_only=False)
            yield kind, where, f"parameter type `{param.type}` -> `{changed.type}`", wire
        if param.positional is not None and param.positional != changed.positional:
            yield "breaking", where, f"positional parameter moves ({param.positional} -> {changed.positional})", wire
        if param.wire != changed.wire and param.wire is not None and changed.wire is not None:
            yield "neutral", where, f"wire name `{param.wire}` -> `{changed.wire}`", changed.wire
    for name, param in after.items():
        if name not in before:
            required = param.default is None
            kind = "breaking" if required else "additive"
            yield kind, f"{new.path}({name})", f"new {'required' if required else 'optional'} parameter", param.wire
    if old.returns != new.returns and old.returns is not None and new.returns is not None:
        kind = _type_change(old.returns, new.returns, read_only=True)
        yield kind, old.path, f"return type `{old.returns}` -> `{new.returns}`", None


def _compare(old: Entry, new: Entry) -> Iterable[tuple[str, str, str, str | None]]:
    if old.kind == new.kind and old.rest == new.rest:
        return
    if old.kind != new.kind:
        yield "breaking", old.path, f"{old.kind} becomes {new.kind}", new.wire
        return
    if old.kind in {"function", "method", "constructor"}:
        yield from _compare_signature(old, new)
        return
    if old.kind == "member":
        if old.default != new.default:
            yield "breaking", old.path, f"enum value {old.default} -> {new.default}", new.wire
        return
    if old.kind == "field":
        if old.type != new.type and not _only_absence(old, new):
            kind = _type_change(old.type, new.type, read_only=False)
            yield kind, old.path, f"field type `{old.type}` -> `{new.type}`", new.wire
        if old.default != new.default:
            if new.default == "<required>":
                yield "breaking", old.path, f"field becomes required (was `= {old.default}`)", new.wire
            elif old.default == "<required>":
                yield "additive", old.path, f"field becomes optional (`= {new.default}`)", new.wire
            else:
                yield "neutral", old.path, f"default `{old.default}` -> `{new.default}`", new.wire
        if old.wire != new.wire:
            yield "neutral", old.path, f"wire name `{old.wire}` -> `{new.wire}`", new.wire
        return
    if old.kind in {"property", "attribute", "constant"}:
        yield _type_change(old.type, new.type, read_only=True), old.path, f"type `{old.type}` -> `{new.type}`", None
        return
    # class, enum, exception: their bases
    lost = set(split_top(old.type.strip("()"), ", ")) - set(split_top(new.type.strip("()"), ", "))
    yield ("breaking" if lost else "additive"), old.path, f"bases {old.type} -> {new.type}", None


def _covered(path: str, by: set[str]) -> bool:
    """Whether ``path`` lies inside one of ``by`` (a member of a removed or added class)."""
    return any(path.startswith((parent + ".", parent + "(")) for parent in by)


def classify(old_text: str, new_text: str) -> list[Change]:
    """Every change between two reports, classified, sorted by kind, package and path.

    >>> old = 'class p.M(attrs)\\nfield p.M.a: str = <required> wire "a"\\nmember p.E.X = "x"\\n'
    >>> new = 'class p.M(attrs)\\nfield p.M.a: str | None = <required> wire "a"\\nfield p.M.b: int = <required> wire "b"\\n'
    >>> for change in classify(old, new):
    ...     print(change.kind, change.line())
    breaking - `p.E.X` (wire `x`): enum member removed
    breaking - `p.M.b` (wire `b`): new required field (a required constructor argument)
    additive - `p.M.a` (wire `a`): field type `str` -> `str | None`
    """
    before, after = parse_report(old_text), parse_report(new_text)
    containers = {"module", "class", "enum", "exception"}
    removed_parents = {path for path, e in before.items() if path not in after and e.kind in containers - {"module"}}
    added_parents = {path for path, e in after.items() if path not in before and e.kind in containers - {"module"}}
    found: list[tuple[str, str, str, str | None]] = []
    for path, entry in before.items():
        if path in after:
            found.extend(_compare(entry, after[path]))
        elif not _covered(path, removed_parents):
            label = "enum member" if entry.kind == "member" else entry.kind
            found.append(("breaking", path, f"{label} removed", entry.wire))
    for path, entry in after.items():
        if path in before or _covered(path, added_parents):
            continue
        label = "enum member" if entry.kind == "member" else entry.kind
        if entry.kind == "field" and entry.default == "<required>" and "(not in __init__)" not in entry.rest:
            found.append(("breaking", path, "new required field (a required constructor argument)", entry.wire))
        elif entry.kind == "constructor" and any(p.default is None for p in entry.params if p.name != "self"):
            found.append(("additive", path, "new constructor", None))
        else:
            found.append(("additive", path, f"new {label}", entry.wire))
    # a parameter the report gives no wire name (a client method's) takes the one its name has
    # everywhere else in the reports, when that is a single one
    wires: dict[str, set[str]] = {}
    for entry in [*before.values(), *after.values()]:
        for param in entry.params:
            if param.wire is not None:
                wires.setdefault(param.name, set()).add(param.wire)

    def wire_of(path: str, wire: str | None) -> str | None:
        if wire is not None or not path.endswith(")") or "(" not in path:
            return wire
        known = wires.get(path[path.rindex("(") + 1 : -1], set())
        return next(iter(known)) if len(known) == 1 else None

    changes = {Change(kind, _package(path), path, what, wire_of(path, wire)) for kind, path, what, wire in found}
    return sorted(changes, key=lambda change: (KINDS.index(change.kind), change.package, change.path, change.what))


def verdict(changes: Sequence[Change]) -> str:
    """The strongest kind among ``changes`` (``neutral`` when there are none).

    >>> verdict([]), verdict([Change("additive", "p", "p.x", "new function")])
    ('neutral', 'additive')
    """
    kinds = {change.kind for change in changes}
    return next((kind for kind in KINDS if kind in kinds), "neutral")


def markdown(changes: Sequence[Change], title: str = "Python API changes") -> str:
    """A Markdown summary: a section per kind, a list per package.

    >>> print(markdown([Change("additive", "p", "p.M.b", "new field", "b")]))
    ## Python API changes: additive
    <BLANKLINE>
    ### Additive (1)
    <BLANKLINE>
    #### p
    <BLANKLINE>
    - `p.M.b` (wire `b`): new field
    <BLANKLINE>
    """
    lines = [f"## {title}: {verdict(changes)}", ""]
    if not changes:
        lines += ["No change to the public API report.", ""]
    for kind in KINDS:
        of_kind = [change for change in changes if change.kind == kind]
        if not of_kind:
            continue
        lines += [f"### {kind.capitalize()} ({len(of_kind)})", ""]
        for package in sorted({change.package for change in of_kind}):
            lines += [f"#### {package}", ""]
            lines += [change.line() for change in of_kind if change.package == package]
            lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    changes = classify(args.old.read_text(encoding="utf-8"), args.new.read_text(encoding="utf-8"))
    print(markdown(changes))
    return 3 if verdict(changes) == "breaking" else 0


if __name__ == "__main__":
    raise SystemExit(main())
