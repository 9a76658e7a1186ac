"""Say *where* a response body breaks the OpenAPI schema its model was generated from, and why.

Why this exists: the generated ``from_dict`` methods are tolerant readers, but when a body really
does not fit they fail with whatever the first failing Python operation raised: a bare
``KeyError('type')`` for a missing key, ``TypeError`` or ``AttributeError`` for a wrong type
(``UUID(5)``, iterating an ``int``), ``ValueError`` for a bad uuid or date-time. None of them says
where in a page of 100 conversations the problem is. :func:`explain` (called by
:mod:`conversation_clients._decoding` only when ``from_dict`` fails) walks the payload against
the schema (:func:`find_mismatch`) to find the first place that breaks it, and builds the
:class:`~conversation_clients.errors.ResponseValidationError` that names the field
(``results[3].lastMessage.createdAt``) and says what is wrong. The documents ship inside the
generated packages (``openapi.json``); they are read and resolved lazily and cached
(:class:`SchemaRef`), so a body that decodes costs nothing here.

The walk checks exactly what the models check
(``tests/openapi/templates/property_templates/test_property_macros.py`` holds the two to the same
verdict), so that it neither rejects what the models accept by design nor
misses what they refuse: every value's JSON type (an integer is not a boolean, nor a number with
a fraction, nor NaN; a number is finite), date-times with their UTC offset, uuids. Enum values
are not checked (unknown values are kept), and properties the schema does not name are allowed
unless ``additionalProperties`` is ``false``.

Why the models raise a bare ``TypeError`` and the walk finds the path, rather than the generated
code carrying the path itself: a path costs work at every level of every object on the happy
path (or an ``except`` clause per nested call that re-raises with a prefix), while the walk costs
nothing until a body is refused, and it writes every reason in one place.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any, Final, cast
from urllib.parse import unquote

import attrs
from dateutil.parser import isoparse

from conversation_clients.errors import ResponseValidationError

__all__ = ["SchemaRef", "explain", "find_mismatch", "json_type", "openapi_document", "shorten"]

# Values from the payload are echoed into reasons; cut them to this many characters.
MAX_ECHOED_VALUE_CHARS: Final = 40


def _valid_pointer(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value and not value.startswith("/"):
        raise ValueError(f"{attribute.name} must be a JSON pointer starting with '/', got {value!r}")


@attrs.frozen
class SchemaRef:
    """Where a model's schema lives: a JSON pointer into a generated package's ``openapi.json``.

    The pointer uses RFC 6901 escaping (``~1`` for ``/``, ``~0`` for ``~``). Where the path
    goes through a ``$ref`` (a response that is ``{"$ref": "#/components/responses/..."}``),
    the reference is followed, so a pointer may be written as the document reads.
    Nothing is loaded until :meth:`schema` is first called; results are cached.

    >>> ref = SchemaRef("omnichannel_messaging", "/components/schemas/ProblemDetails")
    >>> ref.schema()["type"]
    'object'
    """

    package: str
    pointer: str = attrs.field(validator=_valid_pointer)

    def document(self) -> Mapping[str, Any]:
        """The whole OpenAPI document of :attr:`package` (cached)."""
        return openapi_document(self.package)

    def schema(self) -> Mapping[str, Any]:
        """The schema object the pointer names (cached); ``LookupError`` if there is none."""
        return _schema_at(self)


@functools.cache
def openapi_document(package: str) -> Mapping[str, Any]:
    """The OpenAPI document a generated package ships as ``openapi.json`` (read once, cached).

    >>> openapi_document("bird_conversations")["openapi"].startswith("3.0")
    True
    """
    try:
        text = resources.files(package).joinpath("openapi.json").read_text(encoding="utf-8")
    except (ImportError, OSError) as exc:
        raise LookupError(f"package {package!r} has no readable openapi.json") from exc
    document: object = json.loads(text)
    if not isinstance(document, dict):
        raise LookupError(f"openapi.json of package {package!r} is not a JSON object")
    return cast(dict[str, Any], document)  # a JSON object: its keys are strings


@functools.cache
def _schema_at(ref: SchemaRef) -> Mapping[str, Any]:
    document = ref.document()
    target = _follow_pointer(document, ref.pointer, follow_refs=True)
    if not isinstance(target, Mapping):
        raise LookupError(f"{ref.pointer!r} in {ref.package}/openapi.json does not name a schema")
    return cast(Mapping[str, Any], target)  # a JSON object: its keys are strings


def explain(
    exc: BaseException,
    payload: Mapping[str, Any],
    content: bytes,
    status_code: int,
    schema: SchemaRef,
) -> ResponseValidationError:
    """The error for a ``payload`` (parsed from ``content``) whose model refused it with ``exc``.

    It names the first place that breaks ``schema`` (:func:`find_mismatch`), or, when the walk
    finds none, says that the body does not fit the model and how it failed. A walk that itself
    fails is noted on the error rather than raised: it must not hide the model's failure.
    """
    mismatch: tuple[str, str] | None = None
    walk_failure: Exception | None = None
    try:
        mismatch = find_mismatch(payload, schema.schema(), schema.document())
    except Exception as walk_exc:  # noqa: BLE001 - diagnosis must not hide the real error
        walk_failure = walk_exc
    if mismatch is not None:
        path, reason = mismatch
        field: str | None = path or None
    else:
        field = None
        detail = shorten(str(exc), 80)
        reason = f"does not fit the model ({type(exc).__name__}{': ' + detail if detail else ''})"
    error = ResponseValidationError(status_code=status_code, body=content, reason=reason, field=field)
    if walk_failure is not None:
        error.add_note(
            f"could not locate the field in {schema.package}{schema.pointer}: "
            f"{type(walk_failure).__name__}: {shorten(str(walk_failure), 200)}"
        )
    return error


# --- the schema walk -------------------------------------------------------------------

_TYPE_CHECKS: Final[Mapping[str, Callable[[object], bool]]] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    # NaN and the infinities: json.loads reads them, RFC 8259 has no such numbers.
    "number": lambda value: (
        (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and math.isfinite(value))
    ),
    "boolean": lambda value: isinstance(value, bool),
}

_PLAIN_KEY: Final = re.compile(r"[A-Za-z_$@][A-Za-z0-9_$@-]*")


def find_mismatch(payload: object, schema: Mapping[str, Any], document: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first place where ``payload`` breaks ``schema``, as ``(path, reason)``, or None.

    ``schema`` is an OpenAPI 3.0 schema object; its local ``$ref`` are resolved in
    ``document``. The path uses the JSON property names and ``[i]`` for array items
    (``results[3].lastMessage.createdAt``); it is ``""`` when the payload itself is the
    wrong type. Understood: ``$ref``, ``allOf``, ``type``, ``nullable``, ``required``,
    ``properties``, ``additionalProperties``, ``items`` and the formats ``date-time`` and
    ``uuid``. Enum values are not checked: the models accept unknown ones by design.
    A schema it cannot make sense of constrains nothing, so this never raises.

    >>> schema = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    >>> find_mismatch({"id": 7}, schema, {})
    ('id', 'expected string, got integer')
    >>> find_mismatch({}, schema, {})
    ('id', "required property 'id' is missing")
    >>> find_mismatch({"id": "a", "extra": 1}, schema, {}) is None
    True
    """
    return _Walker(document).check(payload, schema, "")


class _Walker:
    """One walk over one payload; remembers each ``$ref`` it has expanded."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document
        self._expanded: dict[str, Mapping[str, Any]] = {}

    def check(self, value: object, raw_schema: object, path: str) -> tuple[str, str] | None:
        schema = self._expand(raw_schema, frozenset())
        declared = schema.get("type")
        kind = declared if isinstance(declared, str) else _inferred_type(schema)
        nullable = schema.get("nullable") is True
        if value is None:
            if nullable or kind is None:
                return None
            return path, f"expected {kind}, got null"
        type_check = _TYPE_CHECKS.get(kind) if kind is not None else None
        if type_check is not None and not type_check(value):
            expected = f"{kind} or null" if nullable else kind
            return path, f"expected {expected}, got {json_type(value)}"
        if isinstance(value, str):
            return _check_format(value, schema.get("format"), path)
        if isinstance(value, dict) and kind in ("object", None):
            return self._check_object(cast(dict[str, object], value), schema, path)
        if isinstance(value, list) and kind in ("array", None) and "items" in schema:
            for index, item in enumerate(cast(list[object], value)):
                found = self.check(item, schema["items"], f"{path}[{index}]")
                if found is not None:
                    return found
        return None

    def _check_object(
        self, value: Mapping[str, object], schema: Mapping[str, Any], path: str
    ) -> tuple[str, str] | None:
        required = schema.get("required")
        if isinstance(required, list):
            for name in cast(list[object], required):
                if isinstance(name, str) and name not in value:
                    return _join(path, name), f"required property {name!r} is missing"
        raw_properties = schema.get("properties")
        properties: Mapping[str, object] = (
            cast(Mapping[str, object], raw_properties) if isinstance(raw_properties, Mapping) else {}
        )
        extra: object = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                found = self.check(item, properties[key], _join(path, key))
            elif extra is False:
                found = _join(path, key), f"unexpected property {_echo(key)}"
            elif isinstance(extra, Mapping):
                found = self.check(item, cast(Mapping[str, object], extra), _join(path, key))
            else:
                found = None
            if found is not None:
                return found
        return None

    def _expand(self, node: object, seen: frozenset[str]) -> Mapping[str, Any]:
        """``node`` with ``$ref`` followed and ``allOf`` merged into one flat schema."""
        if not isinstance(node, Mapping):
            return {}
        schema = cast(Mapping[str, Any], node)  # a JSON object: its keys are strings
        ref = schema.get("$ref")
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        parts: list[Mapping[str, Any]] = []
        if isinstance(ref, str):
            parts.append(self._expand_ref(ref, seen))
        all_of = siblings.pop("allOf", None)
        if isinstance(all_of, list):
            parts.extend(self._expand(part, seen) for part in cast(list[object], all_of))
        if not parts:
            return schema
        # OpenAPI 3.0 ignores siblings of $ref; keeping them (e.g. nullable) only ever
        # accepts more, which suits a tool that looks for what the models reject.
        return _merge([*parts, siblings])

    def _expand_ref(self, ref: str, seen: frozenset[str]) -> Mapping[str, Any]:
        if ref in self._expanded:
            return self._expanded[ref]
        if ref in seen or not ref.startswith("#"):
            return {}  # a cycle, or a remote reference: constrains nothing
        try:
            target = _follow_pointer(self._document, unquote(ref[1:]), follow_refs=False)
        except LookupError:
            target = None
        expanded = self._expand(target, seen | {ref})
        self._expanded[ref] = expanded
        return expanded


def _merge(parts: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """Merge already expanded schemas the way ``allOf`` composes an object."""
    merged: dict[str, Any] = {}
    required: list[object] = []
    properties: dict[str, Any] = {}
    items: list[object] = []
    extras: list[object] = []
    closed = False
    for part in parts:
        for key in ("type", "format"):
            if key in part and key not in merged:
                merged[key] = part[key]
        if part.get("nullable") is True:
            merged["nullable"] = True
        part_required = part.get("required")
        if isinstance(part_required, list):
            required.extend(name for name in cast(list[object], part_required) if name not in required)
        part_properties = part.get("properties")
        if isinstance(part_properties, Mapping):
            for name, subschema in cast(Mapping[str, object], part_properties).items():
                properties[name] = {"allOf": [properties[name], subschema]} if name in properties else subschema
        if "items" in part:
            items.append(part["items"])
        extra = part.get("additionalProperties")
        if extra is False:
            closed = True
        elif isinstance(extra, Mapping):
            extras.append(cast(Mapping[str, object], extra))
    if required:
        merged["required"] = required
    if properties:
        merged["properties"] = properties
    if items:
        merged["items"] = items[0] if len(items) == 1 else {"allOf": items}
    if closed:
        merged["additionalProperties"] = False
    elif extras:
        merged["additionalProperties"] = extras[0] if len(extras) == 1 else {"allOf": extras}
    return merged


def _inferred_type(schema: Mapping[str, Any]) -> str | None:
    if any(key in schema for key in ("properties", "required", "additionalProperties")):
        return "object"
    if "items" in schema:
        return "array"
    return None


def _check_format(value: str, format_: object, path: str) -> tuple[str, str] | None:
    if format_ == "date-time":
        moment = _date_time(value)
        if moment is None:
            return path, f"not a valid date-time: {_echo(value)}"
        if moment.tzinfo is None:
            return path, f"date-time without a UTC offset: {_echo(value)}"
    if format_ == "uuid" and not _is_uuid(value):
        return path, f"not a valid uuid: {_echo(value)}"
    return None


def _date_time(text: str) -> datetime.datetime | None:
    # The same two parsers, in the same order, as the generated parse_datetime (which also
    # refuses a date-time without an offset).
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return isoparse(text)
    except (ValueError, OverflowError, TypeError, IndexError):
        return None


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _follow_pointer(document: object, pointer: str, *, follow_refs: bool) -> object:
    """The node at an RFC 6901 JSON pointer; with ``follow_refs``, pass through ``$ref`` nodes."""
    node = document
    if not pointer:
        return node
    if not pointer.startswith("/"):
        raise LookupError(f"not a JSON pointer: {pointer!r}")
    seen: set[str] = set()
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        while follow_refs and isinstance(node, Mapping) and part not in node:
            ref = cast(Mapping[str, object], node).get("$ref")
            if not isinstance(ref, str) or not ref.startswith("#") or ref in seen:
                break
            seen.add(ref)
            node = _follow_pointer(document, unquote(ref[1:]), follow_refs=True)
        if isinstance(node, Mapping) and part in node:
            node = cast(Mapping[str, object], node)[part]
            continue
        if isinstance(node, list) and part.isdigit():
            items = cast(list[object], node)
            if int(part) < len(items):
                node = items[int(part)]
                continue
        raise LookupError(f"JSON pointer {pointer!r} has nothing at {part!r}")
    return node


def _join(path: str, key: str) -> str:
    if _PLAIN_KEY.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _echo(value: str) -> str:
    return repr(shorten(value, MAX_ECHOED_VALUE_CHARS))


def shorten(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
