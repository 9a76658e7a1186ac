"""The sandbox's Bird messages (:mod:`conversation_clients.sandbox._bird_message_data`): computed
from their conversation (the newest is its last message, the oldest opened it), with Bird's quirks,
the same in every process.
"""

from __future__ import annotations

import base64
import datetime
import json
import subprocess
import sys

import pytest

from bird_conversations.models import Message, MessageBody, MessageBodyType
from bird_conversations.types import UNSET
from conversation_clients.sandbox import (
    SANDBOX_WORKSPACE_ID,
    Sandbox,
)
from tests.support.command_line import SOURCE_PATH
from tests.support.sandbox_wire import BIRD_HEADERS, message_pages, sandbox_http

THEIR_WORKSPACE = "3f1c9a2e-8b4d-4e6f-a0b1-c2d3e4f5a6b7"
#: Twenty conversations of seed 0 hold empty ones, short ones and one of more than 100 messages.
COUNT = 20
#: The member of MessageBody each kind the sandbox sends other than text is held in.
KIND_MEMBERS = {
    MessageBodyType.IMAGE: "image",
    MessageBodyType.FILE: "file",
    MessageBodyType.LOCATION: "location",
    MessageBodyType.LIST: "list_",
    MessageBodyType.CAROUSEL: "carousel",
}


def conversation_ids(sandbox: Sandbox, workspace: str = SANDBOX_WORKSPACE_ID) -> list[str]:
    return [sandbox.bird_conversation(workspace, index)["id"] for index in range(sandbox.conversations_per_workspace)]


def instant(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def test_the_newest_message_is_the_conversations_last_message_and_the_oldest_opened_it() -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    empty = 0
    for index, conversation_id in enumerate(conversation_ids(sandbox)):
        conversation = sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, index)
        messages = sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation_id)
        if "lastMessage" not in conversation:  # opened and never written to
            assert messages == []
            empty += 1
            continue
        newest, oldest = messages[0], messages[-1]
        assert newest["id"] == conversation["lastMessage"]["id"]
        assert newest["createdAt"] == conversation["lastMessage"]["createdAt"]
        assert newest["sender"]["id"] == conversation["lastMessage"]["sender"]["id"]
        assert len(messages) == 1 or oldest["createdAt"] == conversation["createdAt"]
        times = [instant(message["createdAt"]) for message in messages]
        assert times == sorted(times, reverse=True)
        senders = {participant["id"] for participant in conversation["featuredParticipants"]}
        assert all(m["sender"]["id"] in senders or m["sender"]["type"] == "accessKey" for m in messages)
    assert 0 < empty < COUNT


def test_messages_carry_birds_quirks_as_its_example_shows_them() -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    messages = [m for c in conversation_ids(sandbox) for m in sandbox.bird_messages(SANDBOX_WORKSPACE_ID, c)]
    incoming = [message for message in messages if message["sender"]["type"] == "contact"]
    outgoing = [message for message in messages if message["sender"]["type"] != "contact"]

    assert incoming and outgoing and any(message["sender"]["type"] == "accessKey" for message in outgoing)
    assert all(message["interactions"] is None and message["draft"] is False for message in messages)
    assert all("template" not in message for message in messages)
    # sent through the API: reference "", the contact as recipient; received: its own id, no recipients
    assert all(m["reference"] == "" and m["source"] == "conversations" and len(m["recipients"]) == 1 for m in outgoing)
    assert all(m["reference"] == m["id"] and m["source"] == "external" and "recipients" not in m for m in incoming)
    emails = [message for message in incoming if "meta" in message]
    assert emails and all(message["receiverTypes"] == ["to"] for message in emails)
    headers = json.loads(base64.b64decode(emails[0]["meta"]["extraInformation"]["email_headers"]))
    assert list(headers) == ["Subject"]
    failed = [m for m in messages if m["status"] in ("delivery_failed", "sending_failed")]
    assert failed and all(m["reason"] for m in failed)
    assert all("reason" not in m for m in messages if m not in failed)
    assert {message["body"]["type"] for message in messages} >= {
        "text", "html", "image", "file", "location", "list", "carousel"
    }  # fmt: skip
    assert all(message["createdAt"].endswith("Z") and len(message["createdAt"]) == 24 for message in messages)


def test_media_bodies_are_typed_by_kind_and_sent_off_email_only() -> None:
    sandbox = Sandbox(conversations_per_workspace=COUNT)
    conversations = [sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, index) for index in range(COUNT)]
    media = 0
    for conversation in conversations:
        for position, raw in enumerate(sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation["id"])):
            body = Message.from_dict(raw).body
            assert isinstance(body, MessageBody) and body.additional_properties == {}
            if body.type_ in (MessageBodyType.TEXT, MessageBodyType.HTML):
                continue
            media += 1
            assert getattr(body, KIND_MEMBERS[body.type_]) is not UNSET  # the kind's own member, typed
            # the newest message is of the kind the conversation's lastMessage names, email or not
            assert position == 0 or conversation["platformStyle"] != "email"
    assert media > 10


# -- determinism ----------------------------------------------------------------------------------
@pytest.mark.subprocess
def test_the_same_ids_give_the_same_messages_in_another_process() -> None:
    here = Sandbox(seed=3, conversations_per_workspace=12)
    conversations = conversation_ids(here, THEIR_WORKSPACE)
    with sandbox_http(here, "in-process", BIRD_HEADERS) as http:
        listed = {
            c: [m for body in message_pages(http, c, THEIR_WORKSPACE, limit=4) for m in body["results"]]
            for c in conversations
        }
    program = (
        "import json\n"
        "from conversation_clients.sandbox import Sandbox\n"
        "sandbox = Sandbox(seed=3, conversations_per_workspace=12)\n"
        f"ids = [sandbox.bird_conversation({THEIR_WORKSPACE!r}, i)['id'] for i in range(12)]\n"
        f"print(json.dumps({{c: sandbox.bird_messages({THEIR_WORKSPACE!r}, c) for c in ids}}))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", program],
        env={"PYTHONPATH": SOURCE_PATH, "PYTHONHASHSEED": "12345"},  # another str hash, on purpose
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert json.loads(other.stdout) == listed
    assert sum(len(messages) for messages in listed.values()) > 12
