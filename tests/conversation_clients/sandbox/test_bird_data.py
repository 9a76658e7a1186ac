"""The sandbox's Bird demo data (:mod:`conversation_clients.sandbox._bird_data`): conversation ids
that name their conversation, and a page deep in 200,000 conversations computed without the rest.
"""

from __future__ import annotations

import tracemalloc
import uuid
from collections import Counter

import pytest

from conversation_clients.sandbox import (
    SANDBOX_WORKSPACE_ID,
    Sandbox,
)
from tests.support.sandbox_wire import (
    bird_http,
    bird_pages,
    bird_path,
    ids,
)

OTHER_WORKSPACE = "11111111-2222-4333-8444-555555555555"


def test_some_conversations_carry_a_resource_and_some_do_not() -> None:
    with bird_http(Sandbox(conversations_per_workspace=30)) as http:
        results = bird_pages(http, limit=30)[0]["results"]

    assert 0 < sum("resource" in item for item in results) < len(results)


def test_statuses_styles_and_participants_vary() -> None:
    with bird_http(Sandbox(conversations_per_workspace=100)) as http:
        results = bird_pages(http, limit=100)[0]["results"]

    assert len(Counter(item["status"] for item in results)) >= 4
    assert len(Counter(item["platformStyle"] for item in results)) >= 3
    assert len(Counter(len(item["featuredParticipants"]) for item in results)) >= 2
    assert len(Counter(item["lastMessage"]["type"] for item in results if "lastMessage" in item)) >= 3


def test_conversations_have_birds_quirks() -> None:
    with bird_http(Sandbox(conversations_per_workspace=40)) as http:
        results = bird_pages(http, limit=40)[0]["results"]

    assert not any("style" in item for item in results)
    last_messages = [item["lastMessage"] for item in results if "lastMessage" in item]
    assert last_messages
    assert all("draft" not in message and message["recipients"] is None for message in last_messages)
    assert all(item["createdAt"].endswith("Z") and len(item["createdAt"]) == 24 for item in results)


def test_the_data_is_deterministic_and_depends_on_seed_and_workspace() -> None:
    first = Sandbox(seed=1, workspaces=(SANDBOX_WORKSPACE_ID, OTHER_WORKSPACE))
    again = Sandbox(seed=1, workspaces=(SANDBOX_WORKSPACE_ID, OTHER_WORKSPACE))
    with bird_http(first) as http, bird_http(again) as http_again, bird_http(Sandbox(seed=2)) as other_seed:
        listed = bird_pages(http)
        assert bird_pages(http_again) == listed
        assert ids(bird_pages(other_seed), "results", "id") != ids(listed, "results", "id")
        other_workspace = ids(bird_pages(http, OTHER_WORKSPACE), "results", "id")

    assert not set(other_workspace) & set(ids(listed, "results", "id"))


# -- Bird's "List conversation messages" in the sandbox: data, paging, filters, errors, methods,
# faults -------------------------------------------------------------------------------------------


def conversation_ids(sandbox: Sandbox, workspace: str = SANDBOX_WORKSPACE_ID) -> list[str]:
    return [sandbox.bird_conversation(workspace, index)["id"] for index in range(sandbox.conversations_per_workspace)]


def test_conversation_ids_are_distinct_version_4_uuids_that_name_their_conversation() -> None:
    sandbox = Sandbox(conversations_per_workspace=2_000)
    listed = conversation_ids(sandbox)

    assert len(set(listed)) == len(listed)
    assert all(uuid.UUID(conversation).version == 4 for conversation in listed)
    # ids do not share a visible prefix or suffix (they encipher the index, they do not spell it)
    assert len({conversation[:8] for conversation in listed}) > 1_900
    assert len({conversation[-8:] for conversation in listed}) > 1_900
    with pytest.raises(ValueError, match="no conversation"):
        sandbox.bird_messages(SANDBOX_WORKSPACE_ID, str(uuid.uuid4()))


# -- The Sandbox object itself: arguments, counting, thread safety, and data computed on demand ----


def test_a_page_deep_in_200000_conversations_is_computed_without_materialising_the_rest() -> None:
    sandbox = Sandbox(conversations_per_workspace=200_000)
    with bird_http(sandbox) as http:
        tracemalloc.start()
        try:
            body = http.get(bird_path(), params={"reverse": "true", "limit": 100}).json()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert body["total"] == 200_000
    assert [item["id"] for item in body["results"][:2]] == [
        sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 199_999)["id"],
        sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 199_998)["id"],
    ]
    assert peak < 8_000_000  # one page, not 200,000 conversations (that would be hundreds of MB)
