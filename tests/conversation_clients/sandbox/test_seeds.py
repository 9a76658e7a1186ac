"""What the demo data is derived from (:mod:`conversation_clients.sandbox._seeds`): the same ids
give the same data in another process.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conversation_clients.sandbox import (
    Sandbox,
)
from tests.support.command_line import SOURCE_PATH
from tests.support.sandbox_wire import (
    BIRD_HEADERS,
    OMNICHANNEL_HEADERS,
    bird_pages,
    omnichannel_pages,
    sandbox_http,
)

pytestmark = pytest.mark.subprocess
# Ids a newcomer might bring from their own account: nothing the sandbox was told about.
THEIR_WORKSPACE = "3f1c9a2e-8b4d-4e6f-a0b1-c2d3e4f5a6b7"
THEIR_ORGANIZATION = "7d0e5c4b-3a29-4f18-b7e6-d5c4b3a29180"
THEIR_CHANNEL = "b1a2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
THEIR_HEADERS = {**OMNICHANNEL_HEADERS, "organization-id": THEIR_ORGANIZATION, "channel-id": THEIR_CHANNEL}


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
