"""Any well-formed id is served (a newcomer's real ids work), except the ones documented as not found."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from conversation_clients import AsyncOmnichannelClient, BirdClient, OmnichannelClient
from conversation_clients.errors import NotFoundError
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_CHANNEL_ID,
    SANDBOX_MISSING_ID,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
    Sandbox,
)
from tests.cli.helpers import SOURCE_PATH
from tests.sandbox.helpers import (
    BIRD_HEADERS,
    OMNICHANNEL_HEADERS,
    OMNICHANNEL_PATH,
    WAYS,
    bird_pages,
    bird_path,
    ids,
    omnichannel_pages,
    sandbox_http,
)

# Ids a newcomer might bring from their own account: nothing the sandbox was told about.
THEIR_WORKSPACE = "3f1c9a2e-8b4d-4e6f-a0b1-c2d3e4f5a6b7"
THEIR_ORGANIZATION = "7d0e5c4b-3a29-4f18-b7e6-d5c4b3a29180"
THEIR_CHANNEL = "b1a2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
THEIR_HEADERS = {**OMNICHANNEL_HEADERS, "organization-id": THEIR_ORGANIZATION, "channel-id": THEIR_CHANNEL}
ELSEWHERE = "6c5b4a39-2817-4f6e-9d8c-7b6a59483726"


def bird_ids(sandbox: Sandbox, workspace: str) -> list[str]:
    return [sandbox.bird_conversation(workspace, index)["id"] for index in range(sandbox.conversations_per_workspace)]


def omnichannel_ids(sandbox: Sandbox, channel: str) -> list[str]:
    count = sandbox.conversations_per_workspace
    return [sandbox.omnichannel_conversation(channel, index)["conversationid"] for index in range(count)]


# -- Bird ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
def test_any_well_formed_workspace_is_served_with_data_of_its_own(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=23)
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        theirs = ids(bird_pages(http, THEIR_WORKSPACE, limit=10), "results", "id")
        upper = ids(bird_pages(http, THEIR_WORKSPACE.upper().replace("-", ""), limit=100), "results", "id")
        default = ids(bird_pages(http, limit=100), "results", "id")

    assert theirs == upper == bird_ids(sandbox, THEIR_WORKSPACE)
    assert len(theirs) == 23 and len(set(theirs)) == 23
    assert not set(theirs) & set(default)
    assert sandbox.workspaces == (SANDBOX_WORKSPACE_ID,)  # what it was built with, unchanged


def test_the_same_ids_give_the_same_data_in_another_process() -> None:
    here = Sandbox(seed=3, conversations_per_workspace=12)
    with sandbox_http(here, "in-process", BIRD_HEADERS) as http:
        listed = bird_pages(http, THEIR_WORKSPACE, limit=5)
    with sandbox_http(here, "in-process", THEIR_HEADERS) as http:
        listed_omnichannel = omnichannel_pages(http, PageSize=5)
    program = (
        "import json, sys\n"
        "from conversation_clients.sandbox import Sandbox\n"
        "sandbox = Sandbox(seed=3, conversations_per_workspace=12)\n"
        f"print(json.dumps([sandbox.bird_conversation({THEIR_WORKSPACE!r}, i) for i in range(12)]))\n"
        f"print(json.dumps([sandbox.omnichannel_conversation({THEIR_CHANNEL!r}, i) for i in range(12)]))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", program],
        env={"PYTHONPATH": SOURCE_PATH, "PYTHONHASHSEED": "12345"},  # another str hash, on purpose
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    bird_there, omnichannel_there = other.stdout.splitlines()
    assert json.loads(bird_there) == [conversation for body in listed for conversation in body["results"]]
    assert json.loads(omnichannel_there) == [item for body in listed_omnichannel for item in body["conversations"]]


@pytest.mark.parametrize("way", WAYS)
def test_the_reserved_id_and_the_ids_said_missing_get_birds_404(way: str) -> None:
    sandbox = Sandbox(missing_workspaces=(ELSEWHERE.upper(),))
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        responses = [http.get(bird_path(workspace)) for workspace in (SANDBOX_MISSING_ID, ELSEWHERE, "not-a-uuid")]
        served = http.get(bird_path(THEIR_WORKSPACE))

    for response in responses:
        assert response.status_code == 404
        assert response.json() == {"code": "NotFound", "message": "workspace not found", "details": {}}
    assert served.status_code == 200
    assert sandbox.missing_workspaces == (SANDBOX_MISSING_ID, ELSEWHERE)


def test_the_bird_client_lists_a_workspace_nobody_configured() -> None:
    sandbox = Sandbox(conversations_per_workspace=15)
    with sandbox.serve() as base_url, BirdClient(SANDBOX_BIRD_ACCESS_KEY, base_url=base_url) as bird:
        listed = [str(conversation.id) for conversation in bird.list_conversations(THEIR_WORKSPACE, limit=4)]
        with pytest.raises(NotFoundError) as missing:
            list(bird.list_conversations(SANDBOX_MISSING_ID))

    assert listed == bird_ids(sandbox, THEIR_WORKSPACE)
    assert missing.value.status_code == 404 and missing.value.code == "NotFound"


# -- Omnichannel --------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
def test_any_well_formed_organization_and_channel_are_served(way: str) -> None:
    sandbox = Sandbox(conversations_per_workspace=23)
    with sandbox_http(sandbox, way, THEIR_HEADERS) as http:
        theirs = ids(omnichannel_pages(http, PageSize=10), "conversations", "conversationid")

    assert theirs == omnichannel_ids(sandbox, THEIR_CHANNEL)
    assert not set(theirs) & set(omnichannel_ids(sandbox, SANDBOX_CHANNEL_ID))
    assert (sandbox.organization_id, sandbox.channels) == (SANDBOX_ORGANIZATION_ID, (SANDBOX_CHANNEL_ID,))


def test_a_continuation_token_stays_with_its_organization() -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    with sandbox_http(sandbox, "in-process", THEIR_HEADERS) as http:
        token = http.get(OMNICHANNEL_PATH, params={"PageSize": 10}).json()["continuationtoken"]
        resumed = http.get(OMNICHANNEL_PATH, params={"ContinuationToken": token})
        elsewhere = http.get(
            OMNICHANNEL_PATH, params={"ContinuationToken": token}, headers={"organization-id": ELSEWHERE}
        )

    assert resumed.status_code == 200 and len(resumed.json()["conversations"]) == 20
    assert elsewhere.status_code == 400 and elsewhere.json()["errorCode"] == 30009


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    ("headers", "status", "error_code"),
    [
        ({"channel-id": SANDBOX_MISSING_ID}, 404, 30004),
        ({"channel-id": ELSEWHERE}, 404, 30004),  # said missing below
        ({"organization-id": SANDBOX_MISSING_ID}, 400, 30001),
        ({"organization-id": "acme"}, 400, 30001),
        ({"channel-id": "not-a-guid"}, 400, 30002),
    ],
)
def test_the_reserved_id_the_ids_said_missing_and_malformed_ids_keep_the_vendors_errors(
    headers: dict[str, str], status: int, error_code: int, way: str
) -> None:
    sandbox = Sandbox(missing_channels=(ELSEWHERE,))
    with sandbox_http(sandbox, way, {**THEIR_HEADERS, **headers}) as http:
        response = http.get(OMNICHANNEL_PATH)

    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errorCode"] == error_code
    assert sandbox.missing_channels == (SANDBOX_MISSING_ID, ELSEWHERE)


@pytest.mark.anyio
async def test_the_omnichannel_clients_list_a_channel_nobody_configured() -> None:
    sandbox = Sandbox(conversations_per_workspace=15)
    options: dict[str, Any] = {"organization_id": THEIR_ORGANIZATION, "channel_id": THEIR_CHANNEL}
    with sandbox.omnichannel_client(**options) as omnichannel:
        listed = [str(c.conversationid) for c in omnichannel.list_conversations(page_size=4)]
    async with sandbox.async_omnichannel_client(**options) as async_omnichannel:
        async_listed = [str(c.conversationid) async for c in async_omnichannel.list_conversations(page_size=4)]
    with (
        sandbox.serve() as base_url,
        OmnichannelClient(
            base_url, token=SANDBOX_OMNICHANNEL_TOKEN, polling_warning_interval=None, **options
        ) as over_http,
    ):
        served = [str(c.conversationid) for c in over_http.list_conversations(page_size=250)]

    assert listed == async_listed == served == omnichannel_ids(sandbox, THEIR_CHANNEL)
    assert isinstance(async_omnichannel, AsyncOmnichannelClient)


# -- building a sandbox -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"missing_workspaces": SANDBOX_WORKSPACE_ID}, TypeError),  # a bare string
        ({"missing_workspaces": ("nope",)}, ValueError),
        ({"missing_workspaces": (SANDBOX_WORKSPACE_ID,)}, ValueError),  # both there and missing
        ({"missing_channels": (SANDBOX_CHANNEL_ID.upper(),)}, ValueError),
        ({"missing_channels": (ELSEWHERE, ELSEWHERE)}, ValueError),
        ({"workspaces": (SANDBOX_MISSING_ID,)}, ValueError),  # the reserved id names nothing
        ({"channels": (SANDBOX_MISSING_ID,)}, ValueError),
        ({"organization_id": SANDBOX_MISSING_ID}, ValueError),
    ],
)
def test_contradictory_ids_are_refused(options: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        Sandbox(**options)


def test_the_reserved_id_is_the_nil_uuid() -> None:
    assert SANDBOX_MISSING_ID == "00000000-0000-0000-0000-000000000000"
    assert Sandbox().missing_workspaces == Sandbox().missing_channels == (SANDBOX_MISSING_ID,)


@pytest.mark.parametrize("conversation_sandbox_options", [{"missing_workspaces": (ELSEWHERE,)}])
def test_the_pytest_plugin_passes_the_missing_ids_on(conversation_sandbox_url: str) -> None:
    headers = {"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"}
    with httpx.Client(base_url=conversation_sandbox_url, headers=headers, timeout=10) as http:
        assert http.get(bird_path(ELSEWHERE)).status_code == 404
        assert http.get(bird_path(THEIR_WORKSPACE)).status_code == 200
