"""Generated client methods (``openapi/operations.py``): which operations are paginated, what the
methods look like, and the proof that a new Bird operation needs no handwritten line.

The last test generates a whole package from a fixture document holding an operation the real
documents do not have (``GET /workspaces/{workspaceId}/things``, Bird's conventions, no
declaration), renders its operations, and lists things through the typed sync and async methods
it gained, in a child process that imports the fixture's package instead of the real one.
"""

from __future__ import annotations

import copy
import doctest
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.paths import REPOSITORY

ROOT = REPOSITORY


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


operations = _load("openapi_operations", ROOT / "openapi" / "operations.py")
generate = _load("openapi_generate_for_operations", ROOT / "openapi" / "generate.py")
BIRD_DOCUMENT: dict[str, Any] = json.loads((ROOT / "generated" / "bird_conversations" / "openapi.json").read_text())
THING_SCHEMA = {
    "type": "object",
    "required": ["id", "createdAt"],
    "properties": {"id": {"type": "string", "format": "uuid"}, "createdAt": {"type": "string", "format": "date-time"}},
}
THINGS_OPERATION = {
    "operationId": "listThings",
    "summary": "List things",
    "tags": ["thing"],
    "parameters": [
        {"name": "workspaceId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
        {"name": "pageToken", "in": "query", "schema": {"type": "string"}},
        {"name": "kind", "in": "query", "schema": {"type": "string", "maxLength": 8}},
    ],
    "responses": {
        "200": {
            "description": "A page of things.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["results"],
                        "properties": {
                            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                            "nextPageToken": {"type": "string", "nullable": True},
                        },
                    }
                }
            },
        }
    },
}


def _with_things(document: dict[str, Any]) -> dict[str, Any]:
    extended = copy.deepcopy(document)
    extended["paths"]["/workspaces/{workspaceId}/things"] = {"get": copy.deepcopy(THINGS_OPERATION)}
    extended["components"]["schemas"]["Thing"] = THING_SCHEMA
    return extended


def _pagination(operation: dict[str, Any], document: dict[str, Any] | None = None) -> Any:
    return operations.pagination_of(document or {}, {}, operation)


def test_bird_convention_is_detected_without_a_declaration() -> None:
    found = _pagination(THINGS_OPERATION, _with_things(BIRD_DOCUMENT))
    assert (found.token_parameter, found.page_size_parameter, found.items_field, found.next_token_field) == (
        "pageToken", "limit", "results", "nextPageToken",
    )  # fmt: skip


def _body(operation: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = operation["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    return properties


def _no_page_token(operation: dict[str, Any]) -> None:
    operation["parameters"].pop(2)


def _no_next_token(operation: dict[str, Any]) -> None:
    _body(operation).pop("nextPageToken")


def _results_not_an_array(operation: dict[str, Any]) -> None:
    _body(operation)["results"]["type"] = "object"


@pytest.mark.parametrize("change", [_no_page_token, _no_next_token, _results_not_an_array])
def test_an_operation_off_the_convention_is_not_paginated(change: Callable[[dict[str, Any]], None]) -> None:
    operation = copy.deepcopy(THINGS_OPERATION)
    change(operation)
    assert _pagination(operation) is None


def test_a_declaration_wins_and_must_be_complete() -> None:
    operation = {
        **THINGS_OPERATION,
        "x-pagination": {"token-parameter": "cursor", "items-field": "items", "next-token-field": "next"},
    }
    assert _pagination(operation).token_parameter == "cursor"
    operation["x-pagination"] = {"token-parameter": "cursor", "items": "items"}
    with pytest.raises(
        operations.OperationError, match=r"unknown keys \['items'\], missing keys \['items-field', 'next-token-field'\]"
    ):
        _pagination(operation)


def test_the_omnichannel_declaration_is_read_from_its_document() -> None:
    document = json.loads((ROOT / "generated" / "omnichannel_messaging" / "openapi.json").read_text())
    get = document["paths"]["/api/v1.0/consumer/conversations"]["get"]
    found = _pagination(get, document)
    assert (found.token_parameter, found.page_size_parameter, found.items_field, found.next_token_field) == (
        "ContinuationToken", "PageSize", "conversations", "continuationtoken",
    )  # fmt: skip


def test_a_parameter_without_a_check_fails_generation_naming_it() -> None:
    parameter = {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
    pagination = operations.Pagination("pageToken", "results", "nextPageToken", "limit")
    with pytest.raises(operations.OperationError, match="parameter 'tags': no argument check for type 'array'"):
        operations._check(parameter, "tags", pagination=pagination, package="bird_conversations")


CHILD = textwrap.dedent(
    """
    import asyncio, importlib.util, inspect, sys
    import httpx
    from conversation_clients.bird import BIRD
    from conversation_clients._settings import client_settings

    spec = importlib.util.spec_from_file_location("fixture_operations", sys.argv[1])
    ops = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ops)

    PAGES = {
        None: {"results": [{"id": "00000000-0000-0000-0000-000000000001", "createdAt": "2025-01-01T00:00:00Z"}], "nextPageToken": "p2"},
        "p2": {"results": [{"id": "00000000-0000-0000-0000-000000000002", "createdAt": "2025-01-02T00:00:00Z"}], "nextPageToken": None},
    }
    seen = []

    def answer(request):
        seen.append((request.url.path, dict(request.url.params)))
        return httpx.Response(200, json=PAGES[request.url.params.get("pageToken")])

    def settings():
        options = {"timeout": 5.0, "max_retries": 0, "max_response_bytes": 1 << 20, "attempt_timeout": 5.0,
                   "page_timeout": 10.0}
        return client_settings(ops.SyncOperations, BIRD, options, credentials=("k",), base_url="https://api.bird.test")

    workspace = "e58899bf-1e8d-4ff7-b9db-a60befaf90d2"
    client = ops.SyncOperations(settings(), transport=httpx.MockTransport(answer), prefetch=False)
    things = list(client.list_things(workspace, limit=1, kind="a"))
    print(type(things[0]).__name__, [str(thing.id)[-1] for thing in things])
    print(seen[0][0], sorted(seen[1][1].items()))

    async def main():
        async_client = ops.AsyncOperations(settings(), transport=httpx.MockTransport(answer))
        return [str(thing.id)[-1] async for thing in async_client.list_things(workspace)]
    print("async", asyncio.run(main()))
    try:
        client.list_things(workspace, limit=51)
    except ValueError as error:
        print(error)
    print(inspect.signature(ops.SyncOperations.list_things))
    """
)


@pytest.mark.subprocess
def test_a_new_bird_operation_gains_typed_methods_with_no_handwritten_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the generator's post-hooks run ruff from the PATH: this environment's, as nox -s generate does
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    document_path = tmp_path / "bird.openapi.json"
    document_path.write_text(json.dumps(_with_things(BIRD_DOCUMENT)), encoding="utf-8")
    vendor = generate.Vendor(
        package="bird_conversations",
        documents=(generate.Document(document_path),),
        config=ROOT / "openapi" / "bird" / "generator.yaml",
    )
    packages = tmp_path / "packages"
    generate.generate_package(vendor, packages)
    rendered, listings = operations.write_operations([packages / "bird_conversations"], tmp_path / "operations")
    source = rendered.read_text(encoding="utf-8")
    # and beside them, what the command line reads of the new operation without importing it
    data = listings.read_text(encoding="utf-8")
    assert "LIST_THINGS_MAX_PAGE_SIZE: Final = 50\n" in data
    assert (
        "LIST_THINGS_PARAMETERS: Final = (\n"
        '    ("workspace_id", "str | uuid.UUID", True),\n'
        '    ("limit", "int | None", False),\n'
        '    ("kind", "str | None", False),\n'
        '    ("page_token", "str | None", False),\n'
        ")\n"
    ) in data

    for pager in ("SyncPager", "AsyncPager"):
        assert (
            "    def list_things(\n"
            "        self,\n"
            "        workspace_id: str | uuid.UUID,\n"
            "        *,\n"
            "        limit: int | None = None,\n"
            "        kind: str | None = None,\n"
            "        page_token: str | None = None,\n"
            "        max_items: int | None = None,\n"
            f"    ) -> {pager}[Thing]:\n"
        ) in source
    assert 'require_page_size(limit, "limit", maximum=50)' in source
    assert 'require_text(kind, "kind", min_length=1, max_length=8)' in source

    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(rendered)],
        capture_output=True, text=True, check=False, timeout=120,
        env={"PYTHONPATH": str(packages), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert child.returncode == 0, child.stderr
    lines = child.stdout.splitlines()
    assert lines[0] == "Thing ['1', '2']"
    assert (
        lines[1]
        == "/workspaces/e58899bf-1e8d-4ff7-b9db-a60befaf90d2/things [('kind', 'a'), ('limit', '1'), ('pageToken', 'p2')]"
    )
    assert lines[2] == "async ['1', '2']"
    assert lines[3] == "limit must be between 1 and 50 (the API's maximum page size), got 51"
    assert lines[4].startswith("(self, workspace_id: 'str | uuid.UUID', *, limit: 'int | None' = None")


def test_items_the_generator_would_not_type_stop_generation(tmp_path: Path) -> None:
    document = _with_things(BIRD_DOCUMENT)
    schema = document["paths"]["/workspaces/{workspaceId}/things"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]
    schema["schema"]["properties"]["results"]["items"] = {}  # would be list[Any]
    package = tmp_path / "bird_conversations"
    package.mkdir()
    (package / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(
        operations.OperationError, match=r"listThings.*'results' was generated as list\[Any\], not a list of models"
    ):
        operations.operations_of(package)


def test_the_generator_module_examples_hold() -> None:
    failures, tried = doctest.testmod(operations)
    assert (failures, tried > 0) == (0, True)
