"""Generate the overlay's typed client methods for every paginated operation of a generated package.

Run by ``openapi/generate.py`` after openapi-python-client: it reads the corrected document a
package ships (``generated/<package>/openapi.json``) and writes
``overlay/conversation_clients/_operations/<package>.py``, which ``check_generated`` compares
like the generated packages. Nothing here is imported by the overlay at run time.

Which operations are paginated, declared once, as data:

* An ``x-pagination`` object on the operation (as Fern's ``x-fern-pagination``, Speakeasy's
  ``x-speakeasy-pagination`` or autorest's ``x-ms-pageable``)::

      x-pagination:
        token-parameter: ContinuationToken     # query parameter that takes the next token
        page-size-parameter: PageSize          # optional
        items-field: conversations             # array in the 200 body
        next-token-field: continuationtoken    # next token in the 200 body

  Authored documents carry it inline; a vendored one would get it through its guarded
  corrections.
* Bird's convention, detected with no declaration: a GET with a ``pageToken`` query parameter
  whose 200 body has an array ``results`` and a ``nextPageToken`` is paginated, its page size
  ``limit`` when that parameter exists.

Python names: the method is the operationId in snake case, each parameter the generator's own
Python name, except where ``openapi/python_names.json`` says otherwise (the public API already
chose ``start_timestamp`` where the generator says ``start_time_stamp``). Header parameters are
held by the client (Omnichannel's ``channel-id``), not passed per call.

Usage::

    python openapi/operations.py generated/bird_conversations overlay/conversation_clients/_operations
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OPENAPI_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = OPENAPI_DIR / "templates" / "overlay"
PYTHON_NAMES = OPENAPI_DIR / "python_names.json"
#: Where the rendered modules go, relative to the repository root.
OVERLAY_OPERATIONS = Path("overlay") / "conversation_clients" / "_operations"
#: The generator's own configuration per package, for the names it gave classes and modules.
CONFIGS = {
    "bird_conversations": OPENAPI_DIR / "bird" / "generator.yaml",
    "omnichannel_messaging": OPENAPI_DIR / "omnichannel" / "generator.yaml",
}
PAGINATION_KEYS = frozenset({"token-parameter", "page-size-parameter", "items-field", "next-token-field"})


class OperationError(ValueError):
    """An operation the generator cannot turn into methods; the message names it and why."""


@dataclass(frozen=True)
class Pagination:
    """The four facts that make an operation paginated."""

    token_parameter: str
    items_field: str
    next_token_field: str
    page_size_parameter: str | None = None


@dataclass(frozen=True)
class Parameter:
    """One argument of a generated method: its names, where it goes, its type and its checks."""

    wire_name: str
    python_name: str  # the public argument
    builder_name: str  # the generated request builder's argument
    location: str  # path, query or header
    required: bool
    annotation: str  # the public type, before "| None"
    check: str  # the expression that checks ``python_name`` and gives what the builder takes

    @property
    def held(self) -> bool:
        """Held by the client, not passed per call (header parameters)."""
        return self.location == "header"


@dataclass(frozen=True)
class Operation:
    """One paginated operation, ready for the template."""

    method_name: str
    http_method: str
    path: str
    summary: str
    description: tuple[str, ...]  # the document's description, as docstring lines
    builder_module: str
    page_class: str
    page_module: str
    item_class: str
    item_module: str
    items_field: str
    items_attribute: str
    items_required: bool
    next_token_field: str
    schema_pointer: str
    parameters: tuple[Parameter, ...]
    token: Parameter
    page_size: Parameter | None
    max_page_size: int | None

    @property
    def example_arguments(self) -> str:
        """Arguments for the builder's doctest: a value of the right type for each required one."""
        examples = {
            "str | uuid.UUID": '"00000000-0000-0000-0000-000000000001"',
            "int": "1",
            "bool": "True",
            "datetime.datetime | str": '"2025-04-15T12:00:00Z"',
        }
        given = [examples.get(p.annotation, '"x"') for p in self.positional]
        given += [
            f"{p.python_name}={examples.get(p.annotation, chr(34) + 'x' + chr(34))}"
            for p in (*self.keywords, *self.held)
            if p.required
        ]
        return ", ".join(given)

    @property
    def positional(self) -> tuple[Parameter, ...]:
        """Path parameters, positional, in the order the path names them."""
        in_path = [p for p in self.parameters if p.location == "path"]
        return tuple(sorted(in_path, key=lambda p: self.path.find("{" + p.wire_name + "}")))

    @property
    def keywords(self) -> tuple[Parameter, ...]:
        """Query parameters, keyword-only, the token last."""
        return tuple(p for p in self.parameters if p.location == "query" and p is not self.token)

    @property
    def held(self) -> tuple[Parameter, ...]:
        """Parameters the client holds."""
        return tuple(p for p in self.parameters if p.held)


def snake_case(name: str) -> str:
    """``listConversationMessages`` -> ``list_conversation_messages``.

    >>> snake_case("listConversations"), snake_case("StartTimeStamp")
    ('list_conversations', 'start_time_stamp')
    """
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+", "_", name)
    return spaced.strip("_").lower()


def _resolve(document: Mapping[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, Mapping) and "$ref" in node:
        reference = node["$ref"]
        if not isinstance(reference, str) or not reference.startswith("#/"):
            raise OperationError(f"only local references are followed, got {reference!r}")
        node = document
        for part in reference[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        seen += 1
        if seen > 50:
            raise OperationError(f"reference loop at {reference!r}")
    return node


def _properties(document: Mapping[str, Any], schema: Any) -> dict[str, Any]:
    """A schema's properties, ``allOf`` members merged."""
    schema = _resolve(document, schema)
    if not isinstance(schema, Mapping):
        return {}
    merged: dict[str, Any] = {}
    for member in schema.get("allOf", ()):
        merged.update(_properties(document, member))
    merged.update({name: _resolve(document, value) for name, value in schema.get("properties", {}).items()})
    return merged


def _success_schema(document: Mapping[str, Any], operation: Mapping[str, Any]) -> Any:
    response = _resolve(document, operation.get("responses", {}).get("200"))
    if not isinstance(response, Mapping):
        return None
    return response.get("content", {}).get("application/json", {}).get("schema")


def _parameters(document: Mapping[str, Any], path_item: Mapping[str, Any], operation: Mapping[str, Any]) -> list[Any]:
    declared = [_resolve(document, p) for p in (*path_item.get("parameters", ()), *operation.get("parameters", ()))]
    by_key = {(p["in"], p["name"]): p for p in declared}  # an operation's own overrides the path item's
    return list(by_key.values())


def pagination_of(
    document: Mapping[str, Any], path_item: Mapping[str, Any], operation: Mapping[str, Any]
) -> Pagination | None:
    """The operation's pagination: declared (``x-pagination``), detected (Bird's convention), or None.

    >>> get = {"parameters": [{"name": "pageToken", "in": "query", "schema": {"type": "string"}}],
    ...        "responses": {"200": {"content": {"application/json": {"schema": {"properties": {
    ...            "results": {"type": "array", "items": {}}, "nextPageToken": {"type": "string"}}}}}}}}
    >>> pagination_of({}, {}, get)
    Pagination(token_parameter='pageToken', items_field='results', next_token_field='nextPageToken', page_size_parameter=None)
    """
    declared = operation.get("x-pagination")
    if declared is not None:
        unknown = set(declared) - PAGINATION_KEYS
        missing = PAGINATION_KEYS - {"page-size-parameter"} - set(declared)
        if unknown or missing:
            raise OperationError(f"x-pagination: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
        return Pagination(
            token_parameter=declared["token-parameter"],
            items_field=declared["items-field"],
            next_token_field=declared["next-token-field"],
            page_size_parameter=declared.get("page-size-parameter"),
        )
    query = {p["name"] for p in _parameters(document, path_item, operation) if p.get("in") == "query"}
    if "pageToken" not in query:
        return None
    body = _properties(document, _success_schema(document, operation))
    results = body.get("results")
    if not isinstance(results, Mapping) or results.get("type") != "array" or "nextPageToken" not in body:
        return None
    return Pagination(
        token_parameter="pageToken",
        items_field="results",
        next_token_field="nextPageToken",
        page_size_parameter="limit" if "limit" in query else None,
    )


def _pointer_part(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


def _check(parameter: Mapping[str, Any], name: str, *, pagination: Pagination, package: str) -> tuple[str, str]:
    """The public annotation and the check expression for one parameter, from its schema."""
    schema = parameter.get("schema") or {}
    kind, form = schema.get("type"), schema.get("format")
    wire = parameter["name"]
    if wire == pagination.token_parameter:
        return "str", f'require_page_token({name}, "{name}")'
    if kind == "string" and form == "uuid":
        return "str | uuid.UUID", f'require_uuid({name}, "{name}")'
    if kind == "string" and form == "date-time":
        # parse_datetime keeps digits past microseconds: the instant goes out as given
        return (
            "datetime.datetime | str",
            f'require_aware_datetime({name}, "{name}", parse={package}_types.parse_datetime)',
        )
    if kind == "string" and "enum" not in schema and form in (None, ""):
        bounds = f"min_length={schema.get('minLength', 1)}, max_length={schema.get('maxLength')}"
        return "str", f'require_text({name}, "{name}", {bounds})'
    if kind == "integer":
        minimum, maximum = schema.get("minimum"), schema.get("maximum")
        if wire == pagination.page_size_parameter and minimum == 1 and maximum is not None:
            return "int", f'require_page_size({name}, "{name}", maximum={maximum})'
        return "int", f'require_int({name}, "{name}", minimum={minimum}, maximum={maximum})'
    if kind == "boolean":
        return "bool", f'require_bool({name}, "{name}")'
    raise OperationError(f"parameter {wire!r}: no argument check for type {kind!r} format {form!r}")


def _docstring_text(text: str) -> str:
    # one line of plain text that cannot end or escape out of the docstring it goes into
    return " ".join(text.split()).replace("\\", "\\\\").replace('"""', "'''")


def _path_shape(path: str) -> str:
    # the generator renames path parameters in its copy of the path ({workspaceId} -> {workspace_id})
    return re.sub(r"\{[^}]*\}", "{}", path)


def _text(value: Any) -> str:
    # the generator wraps the document's own strings (UntrustedString) and its type strings
    # (PythonCode); str() of either is its repr. Used for names and messages, never as code.
    for method in ("get_untrusted_value", "as_unembedded_code"):
        getter = getattr(value, method, None)
        if getter is not None:
            return str(getter())
    return str(value)


def _endpoints(package_dir: Path, document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """openapi-python-client's own view of each endpoint, with the tag (module folder) it went to."""
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData

    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIGS[package_dir.name]),
        MetaType.NONE,
        package_dir / "openapi.json",
        "utf-8",
        True,
        None,
    )
    data = GeneratorData.from_dict(document, config=config)
    if not isinstance(data, GeneratorData):
        raise OperationError(f"{package_dir.name}: openapi-python-client could not read the document: {data.header}")
    for tag, collection in data.endpoint_collections_by_tag.items():
        for endpoint in collection.endpoints:
            yield str(tag), endpoint


def operations_of(package_dir: Path, names: Mapping[str, Any] | None = None) -> list[Operation]:
    """Every paginated operation of the generated package in ``package_dir``, in document order."""
    package = package_dir.name
    document: dict[str, Any] = json.loads((package_dir / "openapi.json").read_text(encoding="utf-8"))
    if names is None:
        names = json.loads(PYTHON_NAMES.read_text(encoding="utf-8")).get(package, {})
    endpoints = {
        (endpoint.method, _path_shape(_text(endpoint.path))): (tag, endpoint)
        for tag, endpoint in _endpoints(package_dir, document)
    }
    found: list[Operation] = []
    for path, path_item in document.get("paths", {}).items():
        operation = path_item.get("get")
        if operation is None:
            continue
        pagination = pagination_of(document, path_item, operation)
        if pagination is None:
            continue
        operation_id = operation.get("operationId")
        where = f"{package}: GET {path} ({operation_id})"
        if ("get", _path_shape(path)) not in endpoints:
            raise OperationError(f"{where}: openapi-python-client generated no endpoint for it")
        tag, endpoint = endpoints[("get", _path_shape(path))]
        renamed = names.get(operation_id, {})
        parameter_names: Mapping[str, str] = renamed.get("parameter-names", {})
        generated = {
            (location, _text(prop.name)): str(prop.python_name)
            for location, props in (
                ("path", endpoint.path_parameters),
                ("query", endpoint.query_parameters),
                ("header", endpoint.header_parameters),
            )
            for prop in props
        }
        parameters: list[Parameter] = []
        for raw in _parameters(document, path_item, operation):
            location = raw["in"]
            if location not in ("path", "query", "header"):
                raise OperationError(f"{where}: parameter {raw['name']!r} in {location} is not supported")
            builder_name = generated[(location, raw["name"])]
            python_name = parameter_names.get(raw["name"], builder_name)
            try:
                annotation, check = _check(raw, python_name, pagination=pagination, package=package)
            except OperationError as error:
                raise OperationError(f"{where}: {error}") from None
            parameters.append(
                Parameter(
                    wire_name=raw["name"], python_name=python_name, builder_name=builder_name, location=location,
                    required=bool(raw.get("required")) or location == "path", annotation=annotation, check=check,
                )
            )  # fmt: skip
        token = next(
            (p for p in parameters if p.wire_name == pagination.token_parameter and p.location == "query"), None
        )
        if token is None:
            raise OperationError(f"{where}: no query parameter {pagination.token_parameter!r} takes the page token")
        page_size = next((p for p in parameters if p.wire_name == pagination.page_size_parameter), None)
        page_size_schema = next(
            (
                raw.get("schema", {})
                for raw in _parameters(document, path_item, operation)
                if raw["name"] == pagination.page_size_parameter
            ),
            {},
        )
        page = next((r.prop for r in endpoint.responses if r.status_code.pattern == "200"), None)
        page_class = getattr(page, "class_info", None)
        if page_class is None:
            raise OperationError(
                f"{where}: its 200 body was generated as {_text(page.get_type_string()) if page else None}, not a model"
            )
        items = next(
            (
                p
                for p in (*page.required_properties, *page.optional_properties)
                if _text(p.name) == pagination.items_field
            ),
            None,
        )
        if items is None:
            raise OperationError(f"{where}: the 200 body has no property {pagination.items_field!r}")
        item_class = getattr(getattr(items, "inner_property", None), "class_info", None)
        if item_class is None:
            raise OperationError(
                f"{where}: {pagination.items_field!r} was generated as {_text(items.get_type_string())}, not a list of models"
            )
        found.append(
            Operation(
                method_name=renamed.get("method-name", snake_case(operation_id)),
                http_method="GET",
                path=path,
                summary=_docstring_text(str(operation.get("summary") or f"GET {path}")),
                description=tuple(textwrap.wrap(_docstring_text(str(operation.get("description") or "")), width=88)),
                builder_module=f"{package}.api.{tag}.{endpoint.name}",
                page_class=str(page_class.name),
                page_module=f"{package}.models.{page_class.module_name}",
                item_class=str(item_class.name),
                item_module=f"{package}.models.{item_class.module_name}",
                items_field=pagination.items_field,
                items_attribute=str(items.python_name),
                items_required=bool(items.required),
                next_token_field=pagination.next_token_field,
                schema_pointer="/paths/" + _pointer_part(path) + "/get/responses/200/content/application~1json/schema",
                parameters=tuple(parameters),
                token=token,
                page_size=page_size,
                max_page_size=page_size_schema.get("maximum"),
            )
        )
    return found


def _templates() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(package_dir: Path) -> str:
    """The source of ``_operations/<package>.py`` for the package in ``package_dir``, unformatted."""
    operations = operations_of(package_dir)
    held = {p.wire_name: p for operation in operations for p in operation.held}
    return (
        _templates()
        .get_template("operations.py.jinja")
        .render(package=package_dir.name, operations=operations, held=list(held.values()))
    )


def render_listings(package_dir: Path) -> str:
    """The source of ``_operations/<package>_listings.py``: each listing builder's parameters and
    largest page, as data the command line reads without importing the operations; unformatted."""
    return (
        _templates()
        .get_template("listings.py.jinja")
        .render(package=package_dir.name, operations=operations_of(package_dir))
    )


def format_python(files: list[Path], packages: list[str]) -> None:
    """Format like the generated packages, with the pinned ruff of the generator's environment.

    Which imports are first-party is said outright: ruff would otherwise guess from where the
    file lies, and a rendering in a scratch folder (``--check``) would sort them differently.
    """
    ruff = [sys.executable, "-m", "ruff"]
    sections = [
        "--config=lint.isort.known-first-party=['conversation_clients']",
        f"--config=lint.isort.known-third-party={sorted(packages)!r}",
    ]
    for command in (
        ["check", "--isolated", *sections, "--fix-only", "--extend-select=I", "--line-length=120", "--quiet"],
        ["format", "--isolated", "--line-length=120", "--quiet"],
    ):
        subprocess.run([*ruff, *command, *map(str, files)], check=True)


def write_operations(package_dirs: list[Path], out_dir: Path) -> list[Path]:
    """Render each package's operations into ``out_dir/<package>.py``, formatted; returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for package_dir in package_dirs:
        target = out_dir / f"{package_dir.name}.py"
        target.write_text(render(package_dir), encoding="utf-8")
        listings = out_dir / f"{package_dir.name}_listings.py"
        listings.write_text(render_listings(package_dir), encoding="utf-8")
        written += [target, listings]
    format_python(written, [package_dir.name for package_dir in package_dirs])
    return written


REPOSITORY = OPENAPI_DIR.parent


def vendor_modules(packages: list[str]) -> list[str]:
    """The vendor module of each package's vendor, once each, in generation order.

    A vendor is the folder under ``openapi/`` that holds its documents and generator
    configuration; its module is ``conversation_clients.<folder>``, which holds its profile.

    >>> vendor_modules(["bird_conversations", "omnichannel_messaging"])
    ['conversation_clients.bird', 'conversation_clients.omnichannel']
    """
    return list(dict.fromkeys(f"conversation_clients.{CONFIGS[package].parent.name}" for package in packages))


def write_vendor_index(packages: list[str], out_dir: Path) -> Path:
    """Write ``out_dir/__init__.py``: the package's docstring and ``VENDOR_MODULES`` of ``packages``."""
    import jinja2

    template = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    ).get_template("vendors.py.jinja")
    target = out_dir / "__init__.py"
    target.write_text(template.render(modules=vendor_modules(packages)), encoding="utf-8")
    format_python([target], packages)
    return target


def generate_overlay(packages_dir: Path, packages: list[str]) -> list[Path]:
    """Write the operations of each package in ``packages_dir``, and the vendor index, into the repository's overlay."""
    out_dir = REPOSITORY / OVERLAY_OPERATIONS
    return [
        *write_operations([packages_dir / package for package in packages], out_dir),
        write_vendor_index(packages, out_dir),
    ]


def overlay_differences(packages_dir: Path, packages: list[str]) -> list[str]:
    """What differs between the overlay's operation modules and a fresh rendering from ``packages_dir``."""
    import tempfile

    stale: list[str] = []
    with tempfile.TemporaryDirectory(prefix="operations-check-") as scratch:
        rendered = write_operations([packages_dir / package for package in packages], Path(scratch))
        for fresh in [*rendered, write_vendor_index(packages, Path(scratch))]:
            committed = REPOSITORY / OVERLAY_OPERATIONS / fresh.name
            if not committed.exists():
                stale.append(f"{OVERLAY_OPERATIONS / fresh.name} (missing from overlay/)")
            elif committed.read_bytes() != fresh.read_bytes():
                stale.append(f"{OVERLAY_OPERATIONS / fresh.name} (differs)")
    return stale


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print(__doc__)
        return 2
    *packages, out_dir = args
    for written in write_operations([Path(p) for p in packages], Path(out_dir)):
        print(f"generated {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
