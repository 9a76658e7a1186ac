"""Write the whole public API of the package as a deterministic text file, for code review to diff.

The report (``api/conversation-clients.api.txt``, written by ``nox -s generate`` and checked by
``nox -s check_generated``) has one line per fact, sorted, each line self-contained::

    module bird_conversations.models
    class bird_conversations.models.Conversation(attrs)
    field bird_conversations.models.Conversation.name: str = <required> wire "name"
    field bird_conversations.models.Conversation.tags: list[str] | Unset = UNSET wire "tags"
    member bird_conversations.models.ConversationStatus.ACTIVE = "active"
    function bird_conversations.api.conversation.list_conversations.sync(workspace_id: UUID, *, client: ..., limit: int | Unset = 10 wire "limit") -> ...
    method conversation_clients.BirdClient.list_conversations(self, ...) -> ...
    exception conversation_clients.errors.APIError(ConversationClientError)

It is built by importing the modules (runtime introspection), in a child process whose import
path holds only the given ``generated/`` and ``overlay/`` folders, so that a variant's packages
never mix with the ones this process imported. Types are the annotations as written (the
generated code uses ``from __future__ import annotations``); attrs fields are listed with
``attrs.fields`` (griffe misses a field's type change); a field's wire name is the
``wire_name`` metadata the model template declares; a query or header parameter's wire name is
read from the operation's ``_get_kwargs`` (``params["pageToken"] = page_token``).

Public: the generated packages (every module, and in each its ``__all__`` or the names it
defines) and the overlay's public modules with their ``__all__``; names with a leading
underscore are private. An object is described once, at its shallowest public path.

Usage::

    python openapi/api_report.py --root . --out api/conversation-clients.api.txt
    python openapi/api_report.py --root . --check api/conversation-clients.api.txt
"""

from __future__ import annotations

import argparse
import ast
import enum
import importlib
import inspect
import json
import os
import pkgutil
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

REPOSITORY = Path(__file__).resolve().parent.parent
REPORT = Path("api") / "conversation-clients.api.txt"
GENERATED_PACKAGES = ("bird_conversations", "omnichannel_messaging")
OVERLAY_MODULES = (
    "conversation_clients",
    "conversation_clients.errors",
    "conversation_clients.pagination",
    "conversation_clients.signals",
    "conversation_clients.fleet",
    "conversation_clients.retry",
    "conversation_clients.ratelimit",
    "conversation_clients.auth",
    "conversation_clients.sandbox",
    # the extras' integrations: the sessions that write and check the report install both extras
    "conversation_clients.dlt",
    "conversation_clients.dask",
)
_OURS = {*GENERATED_PACKAGES, "conversation_clients"}
HEADER = (
    "# The public API of conversation-clients, one fact a line (openapi/api_report.py).\n"
    "# Written by `nox -s generate`; `nox -s check_generated` fails when it is stale. Do not edit.\n"
)
REQUIRED = "<required>"


#: A module path before a class name (``bird_conversations.types.Unset``, ``uuid.UUID``): dropped,
#: so that an annotation reads the same whether it was evaluated or kept as written.
_QUALIFIED = re.compile(r"\b(?:[a-z_][a-z0-9_]*\.)+(?=[A-Z_][A-Za-z0-9_]*\b)")


def _annotation(value: Any) -> str:
    if value is inspect.Parameter.empty:
        return "?"
    text = " ".join(value.split()) if isinstance(value, str) else inspect.formatannotation(value)
    return _QUALIFIED.sub("", text)


def _default(value: Any) -> str:
    if value is inspect.Parameter.empty:
        return REQUIRED
    name = type(value).__name__
    if name == "Unset":  # before the enums: UNSET is written as code writes it, not as Unset.UNSET
        return "UNSET"
    if isinstance(value, enum.Enum):
        return f"{name}.{value.name}"
    text = repr(value)
    if " at 0x" in text or text.startswith("<"):
        return f"<{name}>"
    return text


def _wire_names(function: Any) -> dict[str, str]:
    """Query and header parameters' JSON names, from the ``_get_kwargs`` beside ``function``."""
    module = sys.modules.get(getattr(function, "__module__", ""), None)
    helper = getattr(module, "_get_kwargs", None)
    if helper is None:
        return {}
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(helper)))
    except (OSError, TypeError, SyntaxError):
        return {}
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(target := node.targets[0], ast.Subscript)
            and isinstance(target.value, ast.Name)
            and target.value.id in {"params", "headers", "cookies"}
            and isinstance(target.slice, ast.Constant)
        ):
            # params["dateFrom"] = json_date_from; headers["channel-id"] = str(channel_id)
            for used in ast.walk(node.value):
                if isinstance(used, ast.Name):
                    names.setdefault(used.id.removeprefix("json_"), str(target.slice.value))
    return names


def signature_text(function: Any, wire: dict[str, str] | None = None) -> str:
    """A function's signature as one line: each parameter with its annotation, default and wire name.

    >>> def f(a: int, *, b: str | None = None) -> bool: ...
    >>> signature_text(f, {"b": "bee"})
    '(a: int, *, b: str | None = None wire "bee") -> bool'
    """
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return "(...)"
    wire = wire or {}
    parts: list[str] = []
    keyword_only_marked = False
    for parameter in signature.parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only_marked:
            parts.append("*")
            keyword_only_marked = True
        prefix = (
            "*"
            if parameter.kind is parameter.VAR_POSITIONAL
            else "**"
            if parameter.kind is parameter.VAR_KEYWORD
            else ""
        )
        if parameter.kind is parameter.VAR_POSITIONAL:
            keyword_only_marked = True
        text = prefix + parameter.name
        if parameter.annotation is not parameter.empty:
            text += f": {_annotation(parameter.annotation)}"
        if parameter.default is not parameter.empty:
            text += f" = {_default(parameter.default)}"
        if parameter.name in wire:
            text += f' wire "{wire[parameter.name]}"'
        parts.append(text)
        if parameter.kind is parameter.POSITIONAL_ONLY and (
            parameter is list(signature.parameters.values())[-1]
            or list(signature.parameters.values())[list(signature.parameters).index(parameter.name) + 1].kind
            is not parameter.POSITIONAL_ONLY
        ):
            parts.append("/")
    returned = signature.return_annotation
    return f"({', '.join(parts)})" + ("" if returned is signature.empty else f" -> {_annotation(returned)}")


def _class_lines(path: str, cls: type) -> Iterator[str]:
    import attrs

    bases = [base.__name__ for base in cls.__bases__ if base is not object]
    if isinstance(cls, type) and issubclass(cls, BaseException):
        yield f"exception {path}({', '.join(bases)})"
    elif issubclass(cls, enum.Enum):
        yield f"enum {path}({', '.join(bases)})"
        for member in cls:
            yield f"member {path}.{member.name} = {json.dumps(member.value)}"
    else:
        kind = "attrs" if attrs.has(cls) else ", ".join(bases) or "object"
        yield f"class {path}({kind})"
    fields = set()
    if attrs.has(cls):
        for field in attrs.fields(cls):
            if field.name.startswith("_"):
                continue
            fields.add(field.name)
            default = field.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                shown = f"<factory {getattr(default.factory, '__name__', 'callable')}>"
            elif default is attrs.NOTHING:
                shown = REQUIRED
            else:
                shown = _default(default)
            wire = field.metadata.get("wire_name")
            init = "" if field.init else " (not in __init__)"
            line = f"field {path}.{field.name}: {_annotation(field.type)} = {shown}{init}"
            yield line + (f' wire "{wire}"' if wire is not None else "")
    if issubclass(cls, enum.Enum):
        return
    for name in sorted(dir(cls)):
        if name.startswith("_") and name != "__init__" or name in fields:
            continue
        try:
            raw = inspect.getattr_static(cls, name)
        except AttributeError:
            continue
        owner = next((klass for klass in cls.__mro__ if name in vars(klass)), object)
        if owner.__module__.split(".")[0] not in _OURS:
            continue  # inherited from the standard library or a dependency
        if name == "__init__":
            if attrs.has(cls):
                continue  # the fields say it
            yield f"constructor {path}{signature_text(getattr(cls, name))}"
        elif isinstance(raw, property):
            yield f"property {path}.{name} -> {_annotation(inspect.signature(raw.fget).return_annotation) if raw.fget else '?'}"
        elif isinstance(raw, staticmethod | classmethod) or inspect.isfunction(raw):
            yield f"method {path}.{name}{signature_text(getattr(cls, name))}"
        else:
            yield f"attribute {path}.{name}: {type(raw).__name__}"


def _object_lines(path: str, value: Any) -> Iterator[str]:
    if inspect.isclass(value):
        yield from _class_lines(path, value)
    elif inspect.isfunction(value) or inspect.isbuiltin(value):
        yield f"function {path}{signature_text(value, _wire_names(value))}"
    elif inspect.ismodule(value) or isinstance(value, TypeVar):
        return
    else:
        yield f"constant {path}: {type(value).__name__}"


def _public_names(module: Any) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            name
            for name, value in vars(module).items()
            if not name.startswith("_") and getattr(value, "__module__", None) == module.__name__
        ]
    return sorted(name for name in names if not name.startswith("_") or name == "__version__")


def _modules() -> list[str]:
    found: list[str] = []
    for package in GENERATED_PACKAGES:
        root = importlib.import_module(package)
        found.append(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if not any(part.startswith("_") for part in info.name.split(".")):
                found.append(info.name)
    return [*found, *OVERLAY_MODULES]


def report_lines() -> list[str]:
    """Every fact of the public API importable from ``sys.path``, one a line, sorted.

    >>> lines = report_lines()  # doctest: +SKIP
    >>> 'member bird_conversations.models.ConversationStatus.ACTIVE = "active"' in lines  # doctest: +SKIP
    True
    """
    modules = sorted(_modules(), key=lambda name: (name.count("."), name))
    seen: set[int] = set()
    lines: list[str] = []
    for name in modules:
        module = importlib.import_module(name)
        lines.append(f"module {name}")
        for public in _public_names(module):
            value = getattr(module, public)
            if inspect.ismodule(value):
                continue
            if inspect.isclass(value) or inspect.isfunction(value):
                if id(value) in seen:
                    continue
                seen.add(id(value))
            lines.extend(_object_lines(f"{name}.{public}", value))
    return sorted(set(lines))


def render_report(lines: Sequence[str]) -> str:
    """The report file's text: the header, then the lines."""
    return HEADER + "".join(f"{line}\n" for line in lines)


def report_for(root: Path, generated: Path | None = None) -> str:
    """The report of the packages under ``root`` (``generated/`` and ``overlay/``), built in a child
    process whose import path holds only them.

    >>> "module conversation_clients.errors" in report_for(REPOSITORY)  # doctest: +SKIP
    True
    """
    generated = generated if generated is not None else root / "generated"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(generated), str(root / "overlay")])}
    env.pop("PYTHONSTARTUP", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run(
        [sys.executable, "-P", str(Path(__file__).resolve()), "--print"],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the API report could not be built:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def write_report(root: Path = REPOSITORY, generated: Path | None = None) -> Path:
    """Write ``root/api/conversation-clients.api.txt`` from ``root``'s packages (the generated ones
    from ``generated``, by default ``root/generated``); returns its path."""
    target = root / REPORT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(report_for(root, generated), encoding="utf-8")
    return target


def stale_report(root: Path = REPOSITORY, generated: Path | None = None) -> list[str]:
    """Empty when the committed report matches ``root``'s packages, else one line saying why.

    >>> stale_report()  # doctest: +SKIP
    []
    """
    target = root / REPORT
    if not target.exists():
        return [f"{REPORT} (missing)"]
    if target.read_text(encoding="utf-8") != report_for(root, generated):
        return [f"{REPORT} (differs)"]
    return []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=REPOSITORY, help="the repository (generated/ and overlay/)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--print", action="store_true", help="print the report of the importable packages")
    group.add_argument("--out", action="store_true", help=f"write ROOT/{REPORT}")
    group.add_argument("--check", action="store_true", help=f"exit 1 when ROOT/{REPORT} is stale")
    args = parser.parse_args(argv)
    if args.print:
        sys.stdout.write(render_report(report_lines()))
        return 0
    if args.out:
        print(f"wrote {write_report(args.root)}")
        return 0
    stale = stale_report(args.root)
    for line in stale:
        print(f"stale: {line}")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
