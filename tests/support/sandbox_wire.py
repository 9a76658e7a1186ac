"""Raw HTTP access to a sandbox, for tests that check the wire rather than the clients."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx

from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_CHANNEL_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
    Sandbox,
)

OMNICHANNEL_PATH = "/api/v1.0/consumer/conversations"
#: The two ways into a sandbox, which must answer alike: its httpx transport, and real HTTP on loopback.
WAYS = ("in-process", "loopback")
BIRD_HEADERS = {"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"}
OMNICHANNEL_HEADERS = {
    "Authorization": f"Bearer {SANDBOX_OMNICHANNEL_TOKEN}",
    "organization-id": SANDBOX_ORGANIZATION_ID,
    "channel-id": SANDBOX_CHANNEL_ID,
}


def bird_path(workspace_id: str = SANDBOX_WORKSPACE_ID) -> str:
    return f"/workspaces/{workspace_id}/conversations"


def messages_path(conversation_id: str, workspace_id: str = SANDBOX_WORKSPACE_ID) -> str:
    return f"/workspaces/{workspace_id}/conversations/{conversation_id}/messages"


def bird_http(sandbox: Sandbox, *, access_key: str | None = SANDBOX_BIRD_ACCESS_KEY) -> httpx.Client:
    """An httpx client on the in-process transport, sending the access key unless it is None."""
    headers = {} if access_key is None else {"Authorization": f"AccessKey {access_key}"}
    return httpx.Client(transport=sandbox.transport(), base_url="https://api.bird.sandbox", headers=headers)


def omnichannel_http(
    sandbox: Sandbox,
    *,
    token: str | None = SANDBOX_OMNICHANNEL_TOKEN,
    organization_id: str | None = SANDBOX_ORGANIZATION_ID,
    channel_id: str | None = SANDBOX_CHANNEL_ID,
) -> httpx.Client:
    """An httpx client on the in-process transport sending the headers given (None: leave it out)."""
    headers = {
        "Authorization": None if token is None else f"Bearer {token}",
        "organization-id": organization_id,
        "channel-id": channel_id,
    }
    return httpx.Client(
        transport=sandbox.transport(),
        base_url="https://m-sandbox.crm.omnichannelengagementhub.com",
        headers={name: value for name, value in headers.items() if value is not None},
    )


@contextmanager
def sandbox_http(sandbox: Sandbox, way: str, headers: Mapping[str, str]) -> Generator[httpx.Client]:
    """An httpx client sending ``headers`` to ``sandbox``, in-process or over :meth:`Sandbox.serve`."""
    if way == "in-process":
        with httpx.Client(transport=sandbox.transport(), base_url="https://sandbox", headers=headers) as http:
            yield http
        return
    with sandbox.serve() as base_url, httpx.Client(base_url=base_url, headers=headers, timeout=10) as http:
        yield http


def bird_pages(http: httpx.Client, workspace_id: str = SANDBOX_WORKSPACE_ID, **params: Any) -> list[Any]:
    """Every page body of a Bird listing, following nextPageToken."""
    bodies: list[Any] = []
    while True:
        response = http.get(bird_path(workspace_id), params=params)
        assert response.status_code == 200, response.text
        bodies.append(response.json())
        if "nextPageToken" not in bodies[-1]:
            return bodies
        params["pageToken"] = bodies[-1]["nextPageToken"]


def message_pages(
    http: httpx.Client, conversation_id: str, workspace_id: str = SANDBOX_WORKSPACE_ID, **params: Any
) -> list[Any]:
    """Every page body of a conversation's Bird messages, following nextPageToken."""
    bodies: list[Any] = []
    while True:
        response = http.get(messages_path(conversation_id, workspace_id), params=params)
        assert response.status_code == 200, response.text
        bodies.append(response.json())
        if "nextPageToken" not in bodies[-1]:
            return bodies
        params["pageToken"] = bodies[-1]["nextPageToken"]


def omnichannel_pages(http: httpx.Client, **params: Any) -> list[Any]:
    """Every page body of an Omnichannel listing, following continuationtoken."""
    bodies: list[Any] = []
    while True:
        response = http.get(OMNICHANNEL_PATH, params=params)
        assert response.status_code == 200, response.text
        bodies.append(response.json())
        if bodies[-1]["continuationtoken"] is None:
            return bodies
        params["ContinuationToken"] = bodies[-1]["continuationtoken"]


def ids(bodies: list[Any], items: str, field: str) -> list[str]:
    """The ids of every item across page bodies, in order."""
    return [item[field] for body in bodies for item in body[items]]
