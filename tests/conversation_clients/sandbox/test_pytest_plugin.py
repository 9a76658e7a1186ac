"""The pytest plugin (:mod:`conversation_clients.sandbox.pytest_plugin`), used as a downstream
project would: a test file using the fixtures, run by pytester.
"""

from __future__ import annotations

import httpx
import pytest

from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
)
from tests.support.paths import REPOSITORY
from tests.support.sandbox_wire import (
    bird_path,
)

# Ids a newcomer might bring from their own account: nothing the sandbox was told about.
THEIR_WORKSPACE = "3f1c9a2e-8b4d-4e6f-a0b1-c2d3e4f5a6b7"
ELSEWHERE = "6c5b4a39-2817-4f6e-9d8c-7b6a59483726"


@pytest.mark.parametrize("conversation_sandbox_options", [{"missing_workspaces": (ELSEWHERE,)}])
def test_the_pytest_plugin_passes_the_missing_ids_on(conversation_sandbox_url: str) -> None:
    headers = {"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"}
    with httpx.Client(base_url=conversation_sandbox_url, headers=headers, timeout=10) as http:
        assert http.get(bird_path(ELSEWHERE)).status_code == 404
        assert http.get(bird_path(THEIR_WORKSPACE)).status_code == 200


# -- The pytest plugin, used as a downstream project would: a test file using the fixtures, run by
# pytester -----------------------------------------------------------------------------------------


pytest_plugins = ["pytester"]
PLUGIN = "conversation_clients.sandbox.pytest_plugin"
SETTINGS = """
[pytest]
filterwarnings = error
addopts = -p no:cacheprovider
"""
DOWNSTREAM_TESTS = """
import httpx
import pytest

from conversation_clients.sandbox import SANDBOX_WORKSPACE_ID, Faults, Sandbox


@pytest.fixture
def anyio_backend():
    return "asyncio"


def test_sandbox_is_fresh_and_default(conversation_sandbox):
    assert isinstance(conversation_sandbox, Sandbox)
    assert conversation_sandbox.request_count == 0
    assert conversation_sandbox.conversations_per_workspace == 25


def test_sync_clients(bird_sandbox_client, omnichannel_sandbox_client, conversation_sandbox):
    assert len(list(bird_sandbox_client.list_conversations(SANDBOX_WORKSPACE_ID))) == 25
    assert len(list(omnichannel_sandbox_client.list_conversations())) == 25
    assert conversation_sandbox.request_count == 4


@pytest.mark.anyio
async def test_async_clients(async_bird_sandbox_client, async_omnichannel_sandbox_client):
    assert len([c async for c in async_bird_sandbox_client.list_conversations(SANDBOX_WORKSPACE_ID)]) == 25
    assert len([c async for c in async_omnichannel_sandbox_client.list_conversations()]) == 25


def test_served_url(conversation_sandbox_url):
    response = httpx.get(f"{conversation_sandbox_url}/workspaces/{SANDBOX_WORKSPACE_ID}/conversations")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "conversation_sandbox_options",
    [{"conversations_per_workspace": 3}, {"conversations_per_workspace": 4, "faults": Faults(latency=0.001)}],
)
def test_parametrized_options(bird_sandbox_client, conversation_sandbox_options):
    listed = list(bird_sandbox_client.list_conversations(SANDBOX_WORKSPACE_ID))
    assert len(listed) == conversation_sandbox_options["conversations_per_workspace"]


class TestOverriddenOptions:
    @pytest.fixture
    def conversation_sandbox_options(self):
        return {"conversations_per_workspace": 120}

    def test_uses_them(self, bird_sandbox_client):
        assert len(list(bird_sandbox_client.list_conversations(SANDBOX_WORKSPACE_ID, limit=100))) == 120
"""


@pytest.fixture
def downstream(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(SETTINGS)
    pytester.makepyfile(test_downstream=DOWNSTREAM_TESTS)
    return pytester


def test_a_downstream_test_file_using_every_fixture_passes(downstream: pytest.Pytester) -> None:
    result = downstream.runpytest("-p", PLUGIN)

    result.assert_outcomes(passed=7)


def test_the_fixtures_are_reported_by_pytest(downstream: pytest.Pytester) -> None:
    result = downstream.runpytest("-p", PLUGIN, "--fixtures")

    for fixture in (
        "conversation_sandbox_options",
        "conversation_sandbox",
        "conversation_sandbox_url",
        "bird_sandbox_client",
        "omnichannel_sandbox_client",
        "async_bird_sandbox_client",
        "async_omnichannel_sandbox_client",
    ):
        result.stdout.fnmatch_lines([f"{fixture}*"])


def test_a_failing_downstream_test_fails(pytester: pytest.Pytester) -> None:
    pytester.makeini(SETTINGS)
    pytester.makepyfile(
        """
        from conversation_clients.sandbox import SANDBOX_WORKSPACE_ID

        def test_wrong_count(bird_sandbox_client):
            assert len(list(bird_sandbox_client.list_conversations(SANDBOX_WORKSPACE_ID))) == 24
        """
    )
    result = pytester.runpytest("-p", PLUGIN)

    result.assert_outcomes(failed=1)


def _fake_installation(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """Put a distribution declaring the entry point on sys.path, as ``pip install`` would."""
    dist_info = pytester.path / "site" / "conversation_clients_fake-0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: conversation-clients-fake\nVersion: 0\n")
    (dist_info / "entry_points.txt").write_text(f"[pytest11]\nconversation_clients = {PLUGIN}\n")
    # pytest leaves syspath_prepend's parameter unannotated
    monkeypatch.syspath_prepend(str(dist_info.parent))  # pyright: ignore[reportUnknownMemberType]


@pytest.mark.parametrize("also_registered_by", ["nothing", "-p", "pytest_plugins"])
def test_installed_the_entry_point_loads_the_plugin_once_however_else_it_is_named(
    downstream: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, also_registered_by: str
) -> None:
    _fake_installation(downstream, monkeypatch)
    arguments: list[str] = []
    if also_registered_by == "-p":
        arguments = ["-p", PLUGIN]
    elif also_registered_by == "pytest_plugins":
        downstream.makeconftest(f"pytest_plugins = [{PLUGIN!r}]")

    result = downstream.runpytest(*arguments)

    result.assert_outcomes(passed=7)


def test_the_entry_point_is_declared_in_pyproject() -> None:
    import tomllib

    pyproject = REPOSITORY / "pyproject.toml"
    entry_points = tomllib.loads(pyproject.read_text())["project"]["entry-points"]["pytest11"]
    assert entry_points == {"conversation_clients": PLUGIN}
