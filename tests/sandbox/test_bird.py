"""The sandbox's Bird endpoint on the wire: paging, tokens, filters, auth and errors as Bird does them."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from conversation_clients.sandbox import SANDBOX_MISSING_ID, SANDBOX_WORKSPACE_ID, Sandbox
from conversation_clients.sandbox._bird_data import bird_resource
from tests.sandbox.helpers import bird_http, bird_pages, bird_path, ids

OTHER_WORKSPACE = "11111111-2222-4333-8444-555555555555"


def expected_ids(sandbox: Sandbox, count: int, workspace: str = SANDBOX_WORKSPACE_ID) -> list[str]:
    return [sandbox.bird_conversation(workspace, index)["id"] for index in range(count)]


def test_default_page_size_is_10_and_every_conversation_comes_exactly_once() -> None:
    sandbox = Sandbox(conversations_per_workspace=25)
    with bird_http(sandbox) as http:
        bodies = bird_pages(http)

    assert [len(body["results"]) for body in bodies] == [10, 10, 5]
    assert ids(bodies, "results", "id") == expected_ids(sandbox, 25)
    assert all(body["total"] == 25 and body["totalType"] == "equal" for body in bodies)


def test_the_last_page_omits_the_token_and_the_others_carry_distinct_ones() -> None:
    with bird_http(Sandbox(conversations_per_workspace=20)) as http:
        bodies = bird_pages(http)

    assert len(bodies) == 2  # exactly two full pages: no empty third page
    assert "nextPageToken" not in bodies[-1]
    assert isinstance(bodies[0]["nextPageToken"], str) and bodies[0]["nextPageToken"]


def test_limit_100_is_the_maximum_page() -> None:
    sandbox = Sandbox(conversations_per_workspace=250)
    with bird_http(sandbox) as http:
        bodies = bird_pages(http, limit=100)

    assert [len(body["results"]) for body in bodies] == [100, 100, 50]
    assert ids(bodies, "results", "id") == expected_ids(sandbox, 250)


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5", "9" * 5000])
def test_a_limit_out_of_range_or_not_an_integer_is_refused_like_bird(limit: str) -> None:
    with bird_http(Sandbox()) as http:
        response = http.get(bird_path(), params={"limit": limit})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidParameter"
    assert body["details"] == {"parameter": "limit"}
    assert body["message"]


def test_reverse_lists_the_same_conversations_in_the_opposite_order() -> None:
    sandbox = Sandbox(conversations_per_workspace=23)
    with bird_http(sandbox) as http:
        forward = ids(bird_pages(http, limit=7), "results", "id")
        backward = ids(bird_pages(http, limit=7, reverse="true"), "results", "id")
        explicit_false = ids(bird_pages(http, limit=7, reverse="false"), "results", "id")
        bad = http.get(bird_path(), params={"reverse": "sideways"})

    assert backward == forward[::-1]
    assert explicit_false == forward
    assert bad.status_code == 400 and bad.json()["details"] == {"parameter": "reverse"}


def test_default_order_is_newest_first() -> None:
    with bird_http(Sandbox(conversations_per_workspace=15)) as http:
        created = [conversation["createdAt"] for conversation in bird_pages(http)[0]["results"]]

    assert created == sorted(created, reverse=True)


def test_the_resource_filter_finds_the_conversations_of_one_resource() -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    resource = bird_resource(0, SANDBOX_WORKSPACE_ID, 12)
    assert resource is not None
    query = f"{resource.type_}:{resource.id}"
    with bird_http(sandbox) as http:
        bodies = bird_pages(http, resource=query, limit=1)
        reversed_bodies = bird_pages(http, resource=query, reverse="true")
        unknown = bird_pages(http, resource=f"task:{OTHER_WORKSPACE}")
        too_long = http.get(bird_path(), params={"resource": "task:" + "x" * 60})

    assert ids(bodies, "results", "id") == expected_ids(sandbox, 30)[12:16:3]  # conversations 12 and 15
    expected_resource = {"type": str(resource.type_), "id": str(resource.id)}
    assert all(item["resource"] == expected_resource for body in bodies for item in body["results"])
    assert bodies[0]["total"] == 2
    assert ids(reversed_bodies, "results", "id") == ids(bodies, "results", "id")[::-1]
    assert unknown == [{"results": [], "total": 0, "totalType": "equal"}]
    assert too_long.status_code == 400 and too_long.json()["details"] == {"parameter": "resource"}


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


def test_workspace_ids_match_whatever_their_case() -> None:
    with bird_http(Sandbox()) as http:
        response = http.get(bird_path(SANDBOX_WORKSPACE_ID.upper()))

    assert response.status_code == 200


# -- page tokens --------------------------------------------------------------------------------


def _first_token(http: Any, workspace: str = SANDBOX_WORKSPACE_ID, **params: Any) -> str:
    token: str = http.get(bird_path(workspace), params=params).json()["nextPageToken"]
    return token


def _assert_bad_token(response: Any) -> None:
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameter"
    assert response.json()["details"] == {"parameter": "pageToken"}


def test_a_token_resumes_where_it_was_issued_even_with_another_page_size() -> None:
    sandbox = Sandbox(conversations_per_workspace=30)
    with bird_http(sandbox) as http:
        token = _first_token(http, limit=10)
        resumed = http.get(bird_path(), params={"pageToken": token, "limit": 20}).json()

    assert ids([resumed], "results", "id") == expected_ids(sandbox, 30)[10:30]
    assert "nextPageToken" not in resumed


@pytest.mark.parametrize("position", [0, 5, -1])
def test_a_tampered_token_is_refused(position: int) -> None:
    with bird_http(Sandbox(conversations_per_workspace=30)) as http:
        token = _first_token(http)
        flipped = "A" if token[position] != "A" else "B"
        tampered = token[:position] + flipped + (token[position + 1 :] if position != -1 else "")
        _assert_bad_token(http.get(bird_path(), params={"pageToken": tampered}))
        _assert_bad_token(http.get(bird_path(), params={"pageToken": token + "!"}))
        _assert_bad_token(http.get(bird_path(), params={"pageToken": "not a token"}))


def test_a_token_from_another_workspace_seed_or_filter_is_refused() -> None:
    sandbox = Sandbox(workspaces=(SANDBOX_WORKSPACE_ID, OTHER_WORKSPACE))
    with bird_http(sandbox) as http, bird_http(Sandbox(seed=7)) as other_seed:
        token = _first_token(http)
        assert http.get(bird_path(), params={"pageToken": token}).status_code == 200
        _assert_bad_token(http.get(bird_path(OTHER_WORKSPACE), params={"pageToken": token}))
        _assert_bad_token(http.get(bird_path(), params={"pageToken": token, "reverse": "true"}))
        _assert_bad_token(other_seed.get(bird_path(), params={"pageToken": token}))


# -- auth and routes ----------------------------------------------------------------------------


@pytest.mark.parametrize("access_key", [None, "wrong-key"])
def test_a_missing_or_wrong_access_key_gets_birds_401(access_key: str | None) -> None:
    with bird_http(Sandbox(), access_key=access_key) as http:
        response = http.get(bird_path())

    assert response.status_code == 401
    assert response.json() == {"code": "Unauthorized", "message": "missing or invalid access key"}


def test_a_bearer_token_is_not_an_access_key() -> None:
    with bird_http(Sandbox(), access_key=None) as http:
        response = http.get(bird_path(), headers={"Authorization": "Bearer sandbox-bird-access-key"})

    assert response.status_code == 401


def test_a_custom_access_key_is_the_only_one_accepted() -> None:
    sandbox = Sandbox(bird_access_key="my-key")
    with bird_http(sandbox, access_key="my-key") as http, bird_http(sandbox) as default_key:
        assert http.get(bird_path()).status_code == 200
        assert default_key.get(bird_path()).status_code == 401


# Any other well-formed workspace is served (tests/sandbox/test_ids.py): "unknown" is the reserved
# id, one said missing, or a malformed one.
@pytest.mark.parametrize("workspace", [SANDBOX_MISSING_ID, OTHER_WORKSPACE, "not-a-uuid"])
def test_an_unknown_workspace_gets_birds_404(workspace: str) -> None:
    with bird_http(Sandbox(missing_workspaces=(OTHER_WORKSPACE,))) as http:
        response = http.get(bird_path(workspace))

    assert response.status_code == 404
    assert response.json() == {"code": "NotFound", "message": "workspace not found", "details": {}}


@pytest.mark.parametrize(
    "path", ["/workspaces", f"/workspaces/{SANDBOX_WORKSPACE_ID}", f"/workspaces/{SANDBOX_WORKSPACE_ID}/messages"]
)
def test_an_unknown_path_under_workspaces_gets_birds_404(path: str) -> None:
    with bird_http(Sandbox()) as http:
        response = http.get(path)

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "NotFound" and body["details"] == {} and body["message"]


def test_only_get_is_allowed() -> None:
    with bird_http(Sandbox()) as http:
        response = http.post(bird_path())

    assert response.status_code == 405
    assert response.json()["code"] == "MethodNotAllowed"
