"""Helpers that turn the corrected OpenAPI documents into JSON Schemas for property-based tests.

The documents come from the generated packages (``openapi.json`` beside the code), so the tests
draw payloads from exactly what the code was generated from.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from importlib import resources
from typing import Any, cast

from dateutil.parser import isoparse

JSON = Any
WIDE_DATE_TIME = "rfc3339-any-precision"


def corrected_document(package: str) -> JSON:
    """The OpenAPI document a generated package was built from."""
    return json.loads(resources.files(package).joinpath("openapi.json").read_text(encoding="utf-8"))


def inline_refs(node: JSON, root: JSON) -> JSON:
    """Replace every local ``$ref`` by the schema it points at (the documents have no cycles)."""
    if isinstance(node, dict):
        mapping = cast(dict[str, JSON], node)  # a JSON object: its keys are strings
        if "$ref" in mapping:
            target: JSON = root
            reference: str = mapping["$ref"]
            for part in reference.removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return inline_refs(target, root)
        return {key: inline_refs(value, root) for key, value in mapping.items()}
    if isinstance(node, list):
        return [inline_refs(item, root) for item in cast(list[object], node)]
    return node


def to_json_schema(node: JSON, *, tolerant: bool) -> JSON:
    """OpenAPI 3.0 schema to JSON Schema, optionally widened the way vendors drift.

    ``nullable`` becomes a null alternative. With ``tolerant``, every enum also admits any other
    string, and objects admit properties the document does not name (JSON Schema's default),
    unless they were explicitly closed.
    """
    if isinstance(node, list):
        return [to_json_schema(item, tolerant=tolerant) for item in cast(list[object], node)]
    if not isinstance(node, dict):
        return node
    mapping = cast(dict[str, JSON], node)  # a JSON object: its keys are strings
    schema: dict[str, JSON] = {
        key: to_json_schema(value, tolerant=tolerant)
        for key, value in mapping.items()
        if key not in ("nullable", "description", "title", "example", "discriminator")
    }
    if schema.get("format") in ("int32", "int64", "uint64"):
        bounds = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1), "uint64": (0, 2**64 - 1)}
        low, high = bounds[schema.pop("format")]
        schema.setdefault("minimum", low)
        schema.setdefault("maximum", high)
    if schema.get("format") == "date-time":
        # drawn by a test strategy that covers more notations than the standard one
        schema["format"] = WIDE_DATE_TIME
    if tolerant and "enum" in schema:
        known = {key: value for key, value in schema.items() if key != "type"}
        schema = {"anyOf": [known, {"type": "string"}]}
    if mapping.get("nullable"):
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def response_schema(document: JSON, path: str, method: str = "get", status: str = "200") -> JSON:
    """The JSON body schema of one documented response, refs inlined."""
    response = inline_refs(document["paths"][path][method]["responses"][status], document)
    return response["content"]["application/json"]["schema"]


def component_schema(document: JSON, name: str) -> JSON:
    """A named component schema, refs inlined."""
    return inline_refs(document["components"]["schemas"][name], document)


def _instant(text: str) -> tuple[datetime.datetime, str]:
    # compare instants to the nanosecond: datetime keeps microseconds, so keep the digits beyond
    parsed = isoparse(text) if "T" in text.upper() else datetime.datetime.fromisoformat(text)
    fraction = ""
    if len(text) > 19 and text[19] in ".,":
        end = 20
        while end < len(text) and text[end].isdigit():
            end += 1
        fraction = text[20:end].ljust(9, "0")[6:].rstrip("0")
    return parsed.astimezone(datetime.UTC) if parsed.tzinfo else parsed, fraction


_FORMATS: dict[str, Callable[[str], object]] = {"date-time": _instant, WIDE_DATE_TIME: _instant, "uuid": uuid.UUID}


def canonical(value: JSON, schema: JSON) -> JSON:
    """A value with every schema-typed date-time and uuid string replaced by what it denotes.

    Two payloads that canonicalise equal carry the same information (notation aside).
    """
    if not isinstance(schema, dict):
        return value
    rules = cast(dict[str, JSON], schema)  # a JSON object: its keys are strings
    if "allOf" in rules:
        merged: dict[str, JSON] = {"type": "object", "properties": {}}
        for part in rules["allOf"]:
            merged["properties"].update(part.get("properties", {}))
        return canonical(value, merged)
    if "anyOf" in rules:
        for option in rules["anyOf"]:
            if _fits(value, option):
                return canonical(value, option)
        return value
    if isinstance(value, dict):
        properties: dict[str, JSON] = rules.get("properties", {})
        extra: JSON = rules.get("additionalProperties")
        fallback: dict[str, JSON] = cast(dict[str, JSON], extra) if isinstance(extra, dict) else {}
        return {
            key: canonical(item, properties.get(key, fallback)) for key, item in cast(dict[str, JSON], value).items()
        }
    if isinstance(value, list):
        return [canonical(item, rules.get("items", {})) for item in cast(list[object], value)]
    if isinstance(value, str) and rules.get("format") in _FORMATS:
        return _FORMATS[rules["format"]](value)
    return value


def _fits(value: JSON, schema: JSON) -> bool:
    kind: JSON = cast(dict[str, JSON], schema).get("type") if isinstance(schema, dict) else None
    if kind == "null":
        return value is None
    if kind == "string" or "enum" in schema:
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object" or "properties" in schema or "allOf" in schema:
        return isinstance(value, dict)
    return True
