"""Classify the differences between two versions of an OpenAPI document, in the generator's terms.

Each document is read by openapi-python-client's own parser (pinned; the one ``generate.py``
runs in-process), so the facts compared are the ones the code is generated from: the
operations and their Python names, each parameter with the Python type the generator gives it
(after ``$ref``, ``allOf``, ``nullable`` and formats are resolved), each model's properties with
their wire and Python names and types, and every enum's values. Pagination comes from
``openapi/operations.py`` (declared ``x-pagination``, or Bird's convention). The changes are
sorted into the kinds of ``api_diff.py``:

- **breaking**: an operation, parameter, response, property, enum or enum value is removed; a
  parameter or a new parameter is required; a type or format changes (other than a widened
  union); a response property becomes optional; an operation's pagination is removed or changed;
- **additive**: a new operation (paginated or not), optional parameter, response, property, enum
  or enum value; pagination declared on an existing operation; a parameter that becomes
  optional; a response property that becomes required;
- **neutral**: summaries, descriptions and the document's ``info.version``.

Usage::

    python openapi/spec_diff.py OLD NEW --config openapi/bird/generator.yaml
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_diff import Change, markdown, union_members  # noqa: E402  (a script beside this one)


@dataclass(frozen=True)
class Fact:
    """One fact of a document: what it is, what it names in Python, its wire name and its details."""

    kind: str  # operation, pagination, parameter, response, property, enum, value, doc
    python: str
    wire: str | None
    detail: Mapping[str, Any]


def _text(value: Any) -> str:
    # the generator wraps the document's strings (UntrustedString) and its type strings (PythonCode)
    for method in ("get_untrusted_value", "as_unembedded_code"):
        getter = getattr(value, method, None)
        if getter is not None:
            return str(getter())
    return "" if value is None else str(value)


def _type_of(prop: Any) -> str:
    return _text(prop.get_type_string(no_optional=True))


def document_facts(document: Mapping[str, Any], config: Path, package: str) -> dict[str, Fact]:
    """Every fact of ``document`` the classification compares, keyed by a stable name.

    Runs the generator's parser once (``GeneratorData.from_dict``). Raises ``ValueError`` when the
    parser cannot read the document.

    >>> from generate import OPENAPI_DIR, VENDORS, corrected_document  # doctest: +SKIP
    >>> facts = document_facts(corrected_document(VENDORS[1]), VENDORS[1].config, "omnichannel_messaging")  # doctest: +SKIP
    >>> facts["operation list_conversations"].detail["route"]  # doctest: +SKIP
    'GET /conversations'
    """
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData
    from openapi_python_client.parser.properties import EnumProperty
    from operations import _parameters, _path_shape, pagination_of  # openapi/operations.py

    settings = Config.from_sources(ConfigFile.load_from_path(config), MetaType.NONE, "document", "utf-8", True, None)
    data = GeneratorData.from_dict(copy.deepcopy(dict(document)), config=settings)
    if not isinstance(data, GeneratorData):
        raise ValueError(f"openapi-python-client cannot read the document: {data.header}: {data.detail}")
    facts: dict[str, Fact] = {}
    # the generator rewrites path templates ({workspaceId} -> {workspace_id}): match by shape
    routes = {
        (method, _path_shape(path)): (path, item)
        for path, item in document.get("paths", {}).items()
        for method in item
        if isinstance(item, dict)
    }
    info = document.get("info", {})
    facts["doc info.version"] = Fact("doc", "info.version", None, {"text": str(info.get("version"))})
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            name = str(endpoint.name)
            function = f"{package}.api.{collection.tag}.{name}"
            raw_path, path_item = routes.get((endpoint.method, _path_shape(_text(endpoint.path))), ("", {}))
            operation = path_item.get(endpoint.method, {})
            paging = pagination_of(document, path_item, operation)
            route = f"{endpoint.method.upper()} {raw_path or _text(endpoint.path)}"
            facts[f"operation {name}"] = Fact("operation", function, route, {"route": route})
            if paging is not None:
                shown = (
                    f"token `{paging.token_parameter}`, items `{paging.items_field}`, "
                    f"next token `{paging.next_token_field}`, page size `{paging.page_size_parameter}`"
                )
                facts[f"pagination {name}"] = Fact("pagination", function, route, {"text": shown})
            text = " ".join(f"{_text(endpoint.summary)} {_text(endpoint.description)}".split())
            facts[f"doc {name}"] = Fact("doc", function, None, {"text": text})
            raw = {(p.get("in"), p.get("name")): p for p in _parameters(document, path_item, operation)}
            for location, params in (
                ("path", endpoint.path_parameters),
                ("query", endpoint.query_parameters),
                ("header", endpoint.header_parameters),
                ("cookie", endpoint.cookie_parameters),
            ):
                for param in params:
                    wire = _text(param.name)
                    schema = raw.get((location, wire), {}).get("schema", {})
                    detail = {
                        "type": _type_of(param),
                        "format": f"{schema.get('type', '')}/{schema.get('format', '')}",
                        "required": bool(param.required),
                        "location": location,
                    }
                    facts[f"parameter {name} {location} {wire}"] = Fact(
                        "parameter", f"{function}({param.python_name})", str(wire), detail
                    )
            for response in endpoint.responses:
                status = _text(response.status_code.pattern)
                facts[f"response {name} {status}"] = Fact(
                    "response", function, None, {"type": _type_of(response.prop), "status": status}
                )
    for model in data.models:
        class_name = model.class_info.name
        for prop in [*(model.required_properties or []), *(model.optional_properties or [])]:
            wire = _text(prop.name)
            facts[f"property {class_name}.{wire}"] = Fact(
                "property",
                f"{package}.models.{class_name}.{prop.python_name}",
                str(wire),
                {"type": _type_of(prop), "required": bool(prop.required)},
            )
    for enum in data.enums:
        if not isinstance(enum, EnumProperty):
            continue
        class_name = enum.class_info.name
        facts[f"enum {class_name}"] = Fact("enum", f"{package}.models.{class_name}", None, {})
        for member, value in enum.values.items():
            facts[f"value {class_name} {value!r}"] = Fact(
                "value", f"{package}.models.{class_name}.{member}", str(value), {}
            )
    return facts


def _changed(key: str, old: Fact, new: Fact) -> Iterable[tuple[str, str]]:
    """(kind, what) for each difference between two versions of one fact."""
    if old.kind == "doc":
        if old.detail != new.detail:
            yield "neutral", f"text changed ({old.python})"
        return
    if old.kind == "pagination":
        if old.detail != new.detail:
            yield "breaking", f"pagination changes: {old.detail['text']} -> {new.detail['text']}"
        return
    if old.kind in {"operation"} and old.detail != new.detail:
        yield "breaking", f"route {old.detail['route']} -> {new.detail['route']}"
    if old.kind == "parameter":
        if not old.detail["required"] and new.detail["required"]:
            yield "breaking", "optional parameter becomes required"
        elif old.detail["required"] and not new.detail["required"]:
            yield "additive", "required parameter becomes optional"
        if old.detail["format"] != new.detail["format"]:
            yield "breaking", f"parameter type/format `{old.detail['format']}` -> `{new.detail['format']}`"
        elif old.detail["type"] != new.detail["type"]:
            wider = union_members(old.detail["type"]) < union_members(new.detail["type"])
            kind = "additive" if wider else "breaking"
            yield kind, f"parameter type `{old.detail['type']}` -> `{new.detail['type']}`"
    if old.kind in {"property", "response"} and old.detail.get("type") != new.detail.get("type"):
        wider = union_members(old.detail["type"]) < union_members(new.detail["type"])
        yield ("additive" if wider else "breaking"), f"type `{old.detail['type']}` -> `{new.detail['type']}`"
    if old.kind == "property" and old.detail["required"] != new.detail["required"]:
        if old.detail["required"]:
            yield "breaking", "property becomes optional (readers can no longer rely on it)"
        else:
            yield "additive", "property becomes required"


def classify_facts(old: Mapping[str, Fact], new: Mapping[str, Fact], package: str) -> list[Change]:
    """Every difference between two documents' facts, classified.

    >>> a = {"value E 'x'": Fact("value", "p.models.E.X", "x", {}), "enum E": Fact("enum", "p.models.E", None, {})}
    >>> b = {"enum E": Fact("enum", "p.models.E", None, {}), "value E 'y'": Fact("value", "p.models.E.Y", "y", {})}
    >>> for change in classify_facts(a, b, "p"):
    ...     print(change.kind, change.line())
    breaking - `p.models.E.X` (wire `x`): enum value removed
    additive - `p.models.E.Y` (wire `y`): enum value added
    """
    labels = {"value": "enum value", "property": "response property"}
    found: list[Change] = []
    new_operations = {key.split(" ", 1)[1] for key in new if key.startswith("operation ") and key not in old}
    gone_operations = {key.split(" ", 1)[1] for key in old if key.startswith("operation ") and key not in new}
    gone_enums = {key.split(" ", 1)[1] for key in old if key.startswith("enum ") and key not in new}
    new_enums = {key.split(" ", 1)[1] for key in new if key.startswith("enum ") and key not in old}

    def inside(key: str, operations: set[str], enums: set[str]) -> bool:
        kind, _, rest = key.partition(" ")
        owner = rest.split(" ", 1)[0]
        if kind in {"parameter", "response", "pagination", "doc"}:
            return owner in operations
        return kind == "value" and owner in enums

    for key, fact in old.items():
        label = labels.get(fact.kind, fact.kind)
        if key not in new:
            if not inside(key, gone_operations, gone_enums) and fact.kind != "doc":
                found.append(Change("breaking", package, fact.python, f"{label} removed", fact.wire))
            continue
        for kind, what in _changed(key, fact, new[key]):
            found.append(Change(kind, package, fact.python, what, new[key].wire))
    for key, fact in new.items():
        if key in old or fact.kind == "doc" or inside(key, new_operations, new_enums):
            continue
        label = labels.get(fact.kind, fact.kind)
        if fact.kind == "operation":
            paging = new.get(f"pagination {key.split(' ', 1)[1]}")
            what = f"operation added ({'paginated: ' + paging.detail['text'] if paging else 'not paginated'})"
            found.append(Change("additive", package, fact.python, what, fact.wire))
        elif fact.kind == "parameter" and fact.detail["required"]:
            found.append(Change("breaking", package, fact.python, "new required parameter", fact.wire))
        elif fact.kind == "pagination":
            found.append(
                Change("additive", package, fact.python, f"pagination added: {fact.detail['text']}", fact.wire)
            )
        else:
            found.append(Change("additive", package, fact.python, f"{label} added", fact.wire))
    order = ("breaking", "additive", "neutral")
    return sorted(set(found), key=lambda change: (order.index(change.kind), change.path, change.what))


def spec_changes(old: Mapping[str, Any], new: Mapping[str, Any], config: Path, package: str) -> list[Change]:
    """Classify the changes from document ``old`` to document ``new`` (both already corrected)."""
    return classify_facts(document_facts(old, config, package), document_facts(new, config, package), package)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--config", type=Path, required=True, help="the vendor's generator.yaml")
    parser.add_argument("--package", default="package", help="the generated package's name, for the paths")
    args = parser.parse_args(argv)
    from generate import load_document

    changes = spec_changes(load_document(args.old), load_document(args.new), args.config, args.package)
    print(markdown(changes, "OpenAPI document changes"))
    return 3 if any(change.kind == "breaking" for change in changes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
