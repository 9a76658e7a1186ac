"""What the sandbox sends validates against the corrected OpenAPI documents the clients were generated from."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from conversation_clients.sandbox import SANDBOX_CHANNEL_ID, SANDBOX_MISSING_ID, SANDBOX_WORKSPACE_ID, Faults, Sandbox
from tests.openapi_schemas import component_schema, corrected_document, response_schema
from tests.sandbox.helpers import (
    OMNICHANNEL_PATH,
    bird_http,
    bird_pages,
    bird_path,
    message_pages,
    messages_path,
    omnichannel_http,
    omnichannel_pages,
)

BIRD = corrected_document("bird_conversations")
OMNICHANNEL = corrected_document("omnichannel_messaging")
BIRD_PAGE = response_schema(BIRD, "/workspaces/{workspaceId}/conversations")
BIRD_ERROR = response_schema(BIRD, "/workspaces/{workspaceId}/conversations", status="404")
MESSAGES = "/workspaces/{workspaceId}/conversations/{conversationId}/messages"
MESSAGE_PAGE = response_schema(BIRD, MESSAGES)
MESSAGE_ERROR = response_schema(BIRD, MESSAGES, status="404")
OMNICHANNEL_PAGE = response_schema(OMNICHANNEL, "/api/v1.0/consumer/conversations")
PROBLEM = component_schema(OMNICHANNEL, "ProblemDetails")


def validate(body: Any, schema: Any) -> None:
    OAS30Validator(schema, format_checker=oas30_format_checker).validate(body)


def test_bird_pages_validate() -> None:
    resource_sandbox = Sandbox(conversations_per_workspace=300, seed=5)
    with bird_http(resource_sandbox) as http:
        bodies = bird_pages(http, limit=100) + bird_pages(http, limit=100, reverse="true")

    assert sum(len(body["results"]) for body in bodies) == 600
    for body in bodies:
        validate(body, BIRD_PAGE)


def test_bird_message_pages_validate() -> None:
    sandbox = Sandbox(conversations_per_workspace=40, seed=5)
    conversations = [sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, index)["id"] for index in range(40)]
    with bird_http(sandbox) as http:
        bodies = [
            body
            for conversation in conversations
            for body in message_pages(http, conversation, limit=100) + message_pages(http, conversation, reverse="true")
        ]

    assert sum(len(body["results"]) for body in bodies) > 2 * 100
    for body in bodies:
        validate(body, MESSAGE_PAGE)


def test_bird_message_errors_validate() -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("429", "500", "503")))
    conversation = sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 0)["id"]
    with bird_http(sandbox) as http:
        responses = [
            http.get(messages_path(SANDBOX_MISSING_ID)),
            http.get(messages_path(conversation, SANDBOX_MISSING_ID)),
            http.get(messages_path(conversation), params={"limit": 0}),
            http.get(messages_path(conversation), params={"dateFrom": "x"}),
            http.head(messages_path(conversation)),
            *(http.get(messages_path(conversation)) for _ in range(10)),
        ]

    assert {response.status_code for response in responses} >= {400, 404, 429, 500, 503}
    for response in responses:
        if response.content:
            validate(response.json(), MESSAGE_ERROR)


def test_omnichannel_pages_validate() -> None:
    with omnichannel_http(Sandbox(conversations_per_workspace=300)) as http:
        bodies = omnichannel_pages(http, PageSize=250)

    assert len(bodies) == 2
    for body in bodies:
        validate(body, OMNICHANNEL_PAGE)


def test_bird_errors_validate() -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("429", "500", "503")))
    with bird_http(sandbox) as http, bird_http(sandbox, access_key="wrong") as unauthorized:
        responses = [
            http.get(bird_path(SANDBOX_MISSING_ID)),
            http.get("/workspaces/nowhere"),
            http.get(bird_path(), params={"limit": 0}),
            http.get(bird_path(), params={"pageToken": "x"}),
            unauthorized.get(bird_path()),
            *(http.get(bird_path()) for _ in range(10)),
        ]

    assert {response.status_code for response in responses} >= {400, 401, 404, 429, 500, 503}
    for response in responses:
        validate(response.json(), BIRD_ERROR)


def test_omnichannel_problems_validate() -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("429-retry-after", "500", "503")))
    with omnichannel_http(sandbox) as http, omnichannel_http(sandbox, channel_id=None) as no_channel:
        responses = [
            http.get(OMNICHANNEL_PATH, params={"PageSize": 0}),
            http.get(OMNICHANNEL_PATH, params={"ContinuationToken": "x"}),
            http.get(OMNICHANNEL_PATH, params={"StartTimeStamp": "x"}),
            http.get("/nowhere"),
            no_channel.get(OMNICHANNEL_PATH),
            *(http.get(OMNICHANNEL_PATH) for _ in range(10)),
        ]

    assert {response.status_code for response in responses} >= {400, 404, 429, 500, 503}
    for response in responses:
        validate(response.json(), PROBLEM)


#: Ways to break a valid Bird page (decoded JSON, changed in place).
BODY_BREAKERS: list[Callable[[Any], object]] = [
    lambda body: body["results"][0].pop("id"),
    lambda body: body["results"][0].update(status=7),
    lambda body: body["results"][0].update(createdAt="yesterday"),
    lambda body: body["results"][0]["featuredParticipants"].append({"id": "x"}),
]


#: Ways to break a valid messages page.
MESSAGE_BREAKERS: list[Callable[[Any], object]] = [
    lambda body: body["results"][0].pop("sender"),
    lambda body: body["results"][0].update(status="read"),
    lambda body: body["results"][0].update(conversationId="not-a-uuid"),
    lambda body: body["results"][0]["body"].update(type="hologram"),
]


@pytest.mark.parametrize("break_it", MESSAGE_BREAKERS)
def test_the_validation_catches_a_broken_messages_page(break_it: Callable[[Any], object]) -> None:
    sandbox = Sandbox()
    conversation = sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 0)["id"]
    with bird_http(sandbox) as http:
        body = http.get(messages_path(conversation)).json()
    broken = copy.deepcopy(body)
    break_it(broken)

    validate(body, MESSAGE_PAGE)
    assert not OAS30Validator(MESSAGE_PAGE, format_checker=oas30_format_checker).is_valid(broken)


@pytest.mark.parametrize("break_it", BODY_BREAKERS)
def test_the_validation_is_strict_enough_to_catch_a_broken_body(break_it: Callable[[Any], object]) -> None:
    with bird_http(Sandbox()) as http:
        body = http.get(bird_path(SANDBOX_WORKSPACE_ID)).json()
    broken = copy.deepcopy(body)
    break_it(broken)

    validate(body, BIRD_PAGE)
    assert not OAS30Validator(BIRD_PAGE, format_checker=oas30_format_checker).is_valid(broken)


def test_omnichannel_timestamps_are_checked_as_date_times() -> None:
    conversation = Sandbox().omnichannel_conversation(SANDBOX_CHANNEL_ID, 0)
    validate({"conversations": [conversation], "continuationtoken": None}, OMNICHANNEL_PAGE)
    broken = {"conversations": [{**conversation, "timestamp": "2025-04-15 noon"}], "continuationtoken": None}
    assert not OAS30Validator(OMNICHANNEL_PAGE, format_checker=oas30_format_checker).is_valid(broken)
