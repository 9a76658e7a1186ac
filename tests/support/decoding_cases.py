"""The bodies and schemas the decoding tests read: a valid page and error of each vendor, and how to change one."""

from __future__ import annotations

import copy
import json
from typing import Any

from bird_conversations.models import ConversationPage, DetailedError
from conversation_clients._schema_errors import SchemaRef
from omnichannel_messaging.models import ActiveConversationPage, ProblemDetails
from tests.support.paths import FIXTURES

BIRD_PAGE = SchemaRef(
    "bird_conversations",
    "/paths/~1workspaces~1{workspaceId}~1conversations/get/responses/200/content/application~1json/schema",
)


BIRD_ERROR = SchemaRef("bird_conversations", "/components/schemas/error.detailed")


OMNI_PAGE = SchemaRef(
    "omnichannel_messaging",
    "/paths/~1api~1v1.0~1consumer~1conversations/get/responses/200/content/application~1json/schema",
)


OMNI_PROBLEM = SchemaRef("omnichannel_messaging", "/components/schemas/ProblemDetails")


BIRD_PAGE_JSON: Any = json.loads((FIXTURES / "bird_list_conversations_200.json").read_bytes())


OMNI_PAGE_JSON: Any = json.loads((FIXTURES / "omnichannel_list_conversations_200.json").read_bytes())


BIRD_ERROR_JSON: Any = {"code": "NotFound", "message": "conversation not found", "details": {"id": "x"}}


OMNI_PROBLEM_JSON: Any = {
    "type": "https://tools.ietf.org/html/rfc7231#section-6.5.1",
    "title": "Bad Request",
    "status": 400,
    "detail": "page size out of range",
    "errorCode": 30007,
}


VENDOR_CASES: list[tuple[str, type[Any], SchemaRef, Any]] = [
    ("bird page", ConversationPage, BIRD_PAGE, BIRD_PAGE_JSON),
    ("bird error", DetailedError, BIRD_ERROR, BIRD_ERROR_JSON),
    ("omnichannel page", ActiveConversationPage, OMNI_PAGE, OMNI_PAGE_JSON),
    ("omnichannel problem", ProblemDetails, OMNI_PROBLEM, OMNI_PROBLEM_JSON),
]


VENDOR_IDS = [case[0] for case in VENDOR_CASES]


DELETE = object()


def changed(payload: Any, path: list[str | int], value: object) -> Any:
    """A deep copy of ``payload`` with the node at ``path`` replaced (or deleted with DELETE)."""
    result = copy.deepcopy(payload)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return result
