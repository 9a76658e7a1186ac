"""Turn the vendored OpenAPI documents into the packages under ``generated/``.

One entry point for ``nox -s generate`` (writes ``generated/``) and ``nox -s check_generated``
(generates into a scratch folder and fails if ``generated/`` differs). Each vendor's document is
loaded, corrected with its RFC 6902 JSON Patch (Bird), validated with openapi-spec-validator and
handed to openapi-python-client with ``--fail-on-warning`` and the templates in
``openapi/templates``. The corrected document is written into the package as ``openapi.json``
so that tests and the sandbox use exactly what the code was generated from.

Usage::

    python openapi/generate.py --out generated          # regenerate in place, and api/conversation-clients.api.txt
    python openapi/generate.py --check generated        # exit 1 if generated/ or the API report is stale
"""

from __future__ import annotations

import argparse
import copy
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
class Document:
    """One vendored OpenAPI document and the guarded corrections that apply to it alone."""

    path: Path
    corrections: Path | None = None


@dataclass(frozen=True)
class Vendor:
    """One vendored API: its documents (merged into one package), renames and generator config."""

    package: str
    documents: tuple[Document, ...]
    config: Path
    # Component renames keyed by document and component, applied before the merge (see merge_documents)
    renames: Path | None = None


VENDORS: tuple[Vendor, ...] = (
    Vendor(
        package="bird_conversations",
        documents=(
            Document(
                OPENAPI_DIR / "bird" / "conversations.openapi.json", OPENAPI_DIR / "bird" / "corrections.patch.json"
            ),
            Document(
                OPENAPI_DIR / "bird" / "messages.openapi.json", OPENAPI_DIR / "bird" / "messages.corrections.patch.json"
            ),
        ),
        config=OPENAPI_DIR / "bird" / "generator.yaml",
        renames=OPENAPI_DIR / "bird" / "renames.json",
    ),
    Vendor(
        package="omnichannel_messaging",
        documents=(Document(OPENAPI_DIR / "omnichannel" / "messaging.openapi.yaml"),),
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


def corrected_part(document: Document) -> Any:
    """One document as published, with its own guarded corrections applied (not yet merged)."""
    loaded = load_document(document.path)
    if document.corrections is not None:
        loaded = apply_corrections(loaded, load_corrections(document.corrections))
    return loaded


def load_renames(path: Path) -> list[dict[str, str]]:
    """Read a renames file: each entry names its document, component and new name, with a reason.

    Renames are keyed by document and component, not by generated class name: two documents may
    hold schemas the generator would give the same class name (``class_overrides`` in the
    generator config cannot tell those apart).
    """
    renames: list[dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    for index, rename in enumerate(renames):
        missing = {"document", "component", "to", "reason"} - rename.keys()
        if missing or "\n" in rename["reason"] or not rename["reason"].strip():
            raise ValueError(f"{path.name} entry {index}: needs document, component, to and a one-line reason")
    return renames


def rename_component(document: Any, component: str, new_name: str) -> Any:
    """Rename ``kind/name`` under ``components`` to ``kind/new_name``, rewriting every ``$ref`` to it.

    >>> doc = {"components": {"schemas": {"A": {"type": "object"}}},
    ...        "paths": {"/x": {"get": {"schema": {"$ref": "#/components/schemas/A"}}}}}
    >>> renamed = rename_component(doc, "schemas/A", "B")
    >>> renamed["components"]["schemas"], renamed["paths"]["/x"]["get"]["schema"]
    ({'B': {'type': 'object'}}, {'$ref': '#/components/schemas/B'})
    """
    kind, name = component.split("/", 1)
    members = document.get("components", {}).get(kind, {})
    if name not in members:
        raise ValueError(f"rename: components/{component} is not in the document (did upstream rename it?)")
    if new_name in members:
        raise ValueError(f"rename: components/{kind}/{new_name} already exists")
    old_ref, new_ref = f"#/components/{kind}/{name}", f"#/components/{kind}/{new_name}"

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (new_ref if key == "$ref" and value == old_ref else rewrite(value)) for key, value in node.items()
            }
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        return node

    renamed = rewrite(document)
    renamed["components"][kind] = {
        (new_name if key == name else key): value for key, value in renamed["components"][kind].items()
    }
    return renamed


class MergeConflict(ValueError):
    """Two documents of one package define the same component, path or top-level member differently."""


def merge_documents(named: Sequence[tuple[str, Any]]) -> Any:
    """Merge corrected documents into one, strictly: a shared member must be identical in each.

    Components (schemas, parameters, responses, security schemes...) and paths are united; one
    defined twice must be equal, otherwise the merge stops naming it and both documents. Tags are
    united by name under the same rule; every other top-level member must be equal.

    >>> a = {"openapi": "3.0.3", "components": {"schemas": {"P": {"type": "string"}}}, "paths": {"/a": {}}}
    >>> b = {"openapi": "3.0.3", "components": {"schemas": {"P": {"type": "string"}}}, "paths": {"/b": {}}}
    >>> sorted(merge_documents([("a", a), ("b", b)])["paths"])
    ['/a', '/b']
    >>> b["components"]["schemas"]["P"] = {"type": "integer"}
    >>> try:
    ...     merge_documents([("a", a), ("b", b)])
    ... except MergeConflict as conflict:
    ...     print(conflict)
    components/schemas/P differs between a and b; reconcile it with a guarded correction
    """
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}

    def put(target: dict[str, Any], key: str, value: Any, where: str, source: str) -> None:
        if key in target and target[key] != value:
            raise MergeConflict(
                f"{where} differs between {origin[where]} and {source}; reconcile it with a guarded correction"
            )
        target.setdefault(key, value)
        origin.setdefault(where, source)

    for source, document in named:
        for member, value in document.items():
            if member == "components":
                components = merged.setdefault("components", {})
                for kind, entries in value.items():
                    for name, entry in entries.items():
                        put(components.setdefault(kind, {}), name, entry, f"components/{kind}/{name}", source)
            elif member == "paths":
                for path, item in value.items():
                    put(merged.setdefault("paths", {}), path, item, f"paths/{path}", source)
            elif member == "tags":
                tags = {tag["name"]: tag for tag in merged.get("tags", [])}
                for tag in value:
                    put(tags, tag["name"], tag, f"tags/{tag['name']}", source)
                merged["tags"] = list(tags.values())
            else:
                put(merged, member, value, member, source)
    return merged


def corrected_document(vendor: Vendor) -> Any:
    """The vendor's document as the code is generated from it: each document corrected, renamed,
    merged strictly, then validated."""
    from openapi_spec_validator import validate

    renames = load_renames(vendor.renames) if vendor.renames is not None else []
    parts: list[tuple[str, Any]] = []
    for document in vendor.documents:
        part = corrected_part(document)
        for rename in renames:
            if rename["document"] == document.path.name:
                part = rename_component(part, rename["component"], rename["to"])
        parts.append((document.path.name, part))
    unknown = {rename["document"] for rename in renames} - {name for name, _ in parts}
    if unknown:
        raise ValueError(f"renames name documents this vendor does not have: {sorted(unknown)}")
    merged = parts[0][1] if len(parts) == 1 else merge_documents(parts)
    validate(merged)
    return merged


COMPOSITIONS = ("anyOf", "oneOf", "allOf")


def _pointer(document: Any, ref: str) -> Any:
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _construct(schema: Any) -> str:
    """How a schema types its value, in the document's own words (for error messages)."""
    if not isinstance(schema, dict):
        return repr(schema)
    for keyword in COMPOSITIONS:
        if schema.get(keyword):
            return f"{keyword} {json.dumps(schema[keyword])}"
    if "$ref" in schema:
        return f"$ref {schema['$ref']}"
    return ", ".join(f"{key}: {json.dumps(schema[key])}" for key in ("type", "format", "properties") if key in schema)


def _is_typed(schema: Any) -> bool:
    return isinstance(schema, dict) and any(
        schema.get(key) for key in ("type", "$ref", "properties", "items", "enum", *COMPOSITIONS)
    )


def _object_properties(document: Any, schema: Any) -> dict[str, Any]:
    """The properties an object schema declares, through $refs and allOf parts."""
    if not isinstance(schema, dict):
        return {}
    if "$ref" in schema:
        return _object_properties(document, _pointer(document, schema["$ref"]))
    found = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found.update(_object_properties(document, part))
    return found


def erased_types(document: Any, config: Path) -> list[str]:
    """Where openapi-python-client would erase a type the document gives: one line per place,
    naming the schema (or operation) and the document's construct. Empty when nothing is erased.

    Runs the generator's own parser in-process (openapi-python-client is pinned) on the corrected
    document and compares what it built with what the document says: a typed schema that comes out
    as ``Any``, an object with declared properties that comes out as a bare dict, or a component
    object schema that produced no model at all. Reading the parser's result, rather than the
    generated code, sees the types before templates and formatting and names the schema directly.

    >>> doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
    ...        "components": {"schemas": {
    ...            "Page": {"type": "object", "properties": {"results": {"type": "array",
    ...                     "items": {"$ref": "#/components/schemas/Message"}}}},
    ...            "Message": {"type": "object", "properties": {"body": {"type": "string"}},
    ...                        "anyOf": [{"required": ["body"]}, {"required": ["template"]}]}}}}
    >>> for line in erased_types(doc, OPENAPI_DIR / "omnichannel" / "generator.yaml"):
    ...     print(line)
    schema Message: anyOf [{"required": ["body"]}, {"required": ["template"]}] comes out of openapi-python-client as no model
    schema Page, property results[]: $ref #/components/schemas/Message (anyOf [{"required": ["body"]}, {"required": ["template"]}]) comes out of openapi-python-client as Any
    """
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData
    from openapi_python_client.parser.properties import AnyProperty, ListProperty, ModelProperty, UnionProperty
    from openapi_python_client.parser.properties.schemas import Class

    settings = Config.from_sources(ConfigFile.load_from_path(config), MetaType.NONE, "document", "utf-8", True, None)
    data = GeneratorData.from_dict(copy.deepcopy(document), config=settings)
    if not isinstance(data, GeneratorData):
        return [f"openapi-python-client cannot read the document: {data.header}: {data.detail}"]
    problems: list[str] = []
    models = {model.class_info.name: model for model in data.models}

    def check(prop: Any, schema: Any, where: str) -> None:
        if isinstance(prop, AnyProperty):
            if _is_typed(schema):
                problems.append(f"{where}: {_construct(schema)} comes out of openapi-python-client as Any")
            return
        resolved = _pointer(document, schema["$ref"]) if isinstance(schema, dict) and "$ref" in schema else schema
        if isinstance(prop, ListProperty) and isinstance(resolved, dict):
            check(prop.inner_property, resolved.get("items"), f"{where}[]")
        elif isinstance(prop, UnionProperty) and isinstance(resolved, dict):
            variants = resolved.get("anyOf") or resolved.get("oneOf")
            if any(isinstance(inner, AnyProperty) for inner in prop.inner_properties) and _is_typed(schema):
                described = (
                    _construct(schema) if schema is resolved else f"{_construct(schema)} ({_construct(resolved)})"
                )
                problems.append(f"{where}: {described} comes out of openapi-python-client as Any")
            elif variants and len(variants) == len(prop.inner_properties):
                for inner, variant in zip(prop.inner_properties, variants, strict=True):
                    check(inner, variant, where)
            elif not variants:
                # a nullable schema becomes "X | None": check its typed member against the same schema
                for inner in prop.inner_properties:
                    check(inner, {key: value for key, value in resolved.items() if key != "nullable"}, where)
        elif isinstance(prop, ModelProperty):
            declared = _object_properties(document, schema)
            model = models.get(prop.class_info.name, prop)  # a reference carries no properties; its model does
            built = [*(model.required_properties or []), *(model.optional_properties or [])]
            if declared and not built:
                problems.append(f"{where}: {_construct(resolved)} comes out of openapi-python-client as a bare dict")

    for model in data.models:
        declared = _object_properties(
            document, json.loads(model.data.model_dump_json(by_alias=True, exclude_none=True))
        )
        for prop in [*(model.required_properties or []), *(model.optional_properties or [])]:
            name = prop.name.get_untrusted_value()  # only compared and printed, never generated
            if name in declared:
                check(prop, declared[name], f"schema {model.class_info.name}, property {name}")
    made = {model.class_info.name for model in data.models}
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        for part in schema.get("allOf", []):
            # the generator merges an allOf's object parts and leaves a union part out, members and all
            if isinstance(part, dict) and (part.get("oneOf") or part.get("anyOf")):
                problems.append(
                    f"schema {name}: allOf part {_construct(part)} comes out of openapi-python-client as nothing"
                )
        if not (schema.get("type") == "object" or schema.get("properties") or schema.get("allOf")):
            continue  # enums, scalars and unions are not models; where they are used is checked above
        base = schema.get("title") or name
        # a nullable model is generated as <Name>Type0; class_overrides may rename either
        class_names = {Class.from_string(string=string, config=settings).name for string in (base, f"{base}Type0")}
        if not class_names & made:
            problems.append(f"schema {name}: {_construct(schema)} comes out of openapi-python-client as no model")
    for collection in data.endpoint_collections_by_tag.values():
        for endpoint in collection.endpoints:
            for response in endpoint.responses:
                content = getattr(response.data, "content", None) or {}
                media = content.get("application/json")
                if media is not None and media.media_type_schema is not None:
                    raw = json.loads(media.media_type_schema.model_dump_json(by_alias=True, exclude_none=True))
                    check(response.prop, raw, f"operation {endpoint.name}, response {response.status_code.pattern}")
    return sorted(problems, key=lambda line: (not line.startswith("schema ") or "property" in line, line))


def class_clashes(document: Any, config: Path) -> list[str]:
    """Component schemas the generator would give the same class name (after ``class_overrides``).

    openapi-python-client names a model after its schema's ``title``, else its component name,
    then applies ``class_overrides``, which are keyed by that class name: two schemas from two
    documents can land on one class. Rename one of them per document (``renames.json``).

    >>> doc = {"components": {"schemas": {"a.participant": {"type": "object", "title": "Conversation Participant"},
    ...                                   "ConversationParticipant": {"type": "object"}}}}
    >>> class_clashes(doc, OPENAPI_DIR / "omnichannel" / "generator.yaml")
    ['class ConversationParticipant: schemas ConversationParticipant, a.participant']
    """
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser.properties.schemas import Class

    settings = Config.from_sources(ConfigFile.load_from_path(config), MetaType.NONE, "document", "utf-8", True, None)
    by_class: dict[str, list[str]] = {}
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        # the schemas that become classes: objects (allOf merges too) and enums, not unions or scalars
        if schema.get("type") == "object" or schema.get("properties") or schema.get("allOf") or schema.get("enum"):
            class_name = Class.from_string(string=schema.get("title") or name, config=settings).name
            by_class.setdefault(class_name, []).append(name)
    return [
        f"class {class_name}: schemas {', '.join(sorted(names))}"
        for class_name, names in sorted(by_class.items())
        if len(names) > 1
    ]


def assemble_templates(target: Path) -> Path:
    """Our templates, with the generator's own beside them under ``stock/``.

    openapi-python-client looks a template up in the custom folder first and then in its own,
    under the same name, so a custom template cannot reach the one it replaces. With the stock
    templates also reachable as ``stock/<name>``, a custom template includes or imports them and
    carries only what differs.
    """
    from importlib.resources import as_file, files

    shutil.copytree(TEMPLATES_DIR, target)
    with as_file(files("openapi_python_client").joinpath("templates")) as stock:
        shutil.copytree(stock, target / "stock", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def generate_package(vendor: Vendor, out_dir: Path) -> Path:
    """Generate one vendor's package into ``out_dir/<package>``."""
    document = corrected_document(vendor)
    clashes = class_clashes(document, vendor.config)
    if clashes:
        raise SystemExit(
            f"{vendor.package}: schemas would share a generated class name; rename one per document "
            "(the vendor's renames file):\n" + "\n".join(f"  {line}" for line in clashes)
        )
    erased = erased_types(document, vendor.config)
    if erased:
        raise SystemExit(
            f"{vendor.package}: the generator would erase types the document gives. Correct each construct "
            "with a guarded correction (or a template) instead of passing it over:\n"
            + "\n".join(f"  {line}" for line in erased)
        )
    target = out_dir / vendor.package
    with tempfile.TemporaryDirectory(prefix=f"gen-{vendor.package}-") as scratch:
        spec_path = Path(scratch) / "openapi.json"
        spec_path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        build = Path(scratch) / vendor.package
        templates = assemble_templates(Path(scratch) / "templates")
        command = [
            sys.executable, "-m", "openapi_python_client", "generate",
            "--path", str(spec_path),
            "--config", str(vendor.config),
            "--custom-template-path", str(templates),
            "--meta", "none",
            "--fail-on-warning",
            "--output-path", str(build),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"openapi-python-client failed for {vendor.package}:\n{result.stdout}\n{result.stderr}")
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
        from operations import generate_overlay  # openapi/operations.py: the overlay's generated client methods

        for path in generate_overlay(args.out, [vendor.package for vendor in VENDORS]):
            print(f"generated {path}")
        from api_report import write_report  # openapi/api_report.py: the public API, for review to diff

        print(f"generated {write_report(OPENAPI_DIR.parent, args.out)}")
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
        from operations import overlay_differences  # the overlay's generated client methods, checked too

        stale += overlay_differences(fresh, [vendor.package for vendor in VENDORS])
    from api_report import stale_report  # the committed API report, against the committed packages

    stale += stale_report(OPENAPI_DIR.parent, args.check)
    if stale:
        print("generated/ (or the API report) is stale (hand-edited, or a spec/patch/config/template")
        print("changed without regenerating). Run `nox -s generate` and review the diff. Differences:")
        print("\n".join(f"  {line}" for line in stale))
        return 1
    print("generated/ matches a fresh generation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
