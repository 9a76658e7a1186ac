"""A third vendor is one module: registered as generation registers a vendor, it gets its command
line and its sandbox fake with no change to any vendor-neutral module.

``tests/cli/acme_vendor.py`` is that module. Registering it is what generation does for a vendor
folder under ``openapi/``: its module name in ``_operations.VENDOR_MODULES``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from conversation_clients import _operations
from conversation_clients._vendors import vendor_profiles
from conversation_clients.cli import main
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_WORKSPACE_ID, Sandbox, default_sandbox
from tests.cli import acme_vendor

ACME_MODULE = acme_vendor.__name__


@pytest.fixture
def acme_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(_operations, "VENDOR_MODULES", (*_operations.VENDOR_MODULES, ACME_MODULE))
    for name in ("BIRD_ACCESS_KEY", "OMNICHANNEL_TOKEN", acme_vendor.ACME_KEY_ENV):
        monkeypatch.delenv(name, raising=False)
    yield


def _help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_generation_lists_each_vendor_module_and_each_holds_its_profile() -> None:
    assert _operations.VENDOR_MODULES == ("conversation_clients.bird", "conversation_clients.omnichannel")
    assert [profile.name for profile in vendor_profiles()] == ["bird", "omnichannel"]


def test_a_registered_third_vendor_appears_in_help_with_its_command_and_credentials(
    capsys: pytest.CaptureFixture[str], acme_registered: None
) -> None:
    top = _help(capsys, ["--help"])
    assert "{bird,omnichannel,acme,sandbox}" in top
    assert "acme                Acme Threads API" in top
    assert "ACME_ACCESS_KEY      Acme access key (acme list)" in top
    assert "--page-token for Acme" in top
    assert "List conversations from Bird, Dynamics 365 Contact Center (Omnichannel) or Acme." in top
    command = _help(capsys, ["acme", "list", "--help"])
    # declared options, then those derived from the reused operation's parameters
    for flag in ("--workspace-id", "--base-url", "--limit", "--reverse", "--resource", "--page-token"):
        assert flag in command
    assert "stop after N threads" in command


def test_an_unregistered_vendor_module_is_not_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert "acme" not in _help(capsys, ["--help"])


def test_the_third_vendors_command_lists_over_loopback_as_json_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, acme_registered: None
) -> None:
    monkeypatch.setenv(acme_vendor.ACME_KEY_ENV, SANDBOX_BIRD_ACCESS_KEY)
    sandbox = Sandbox(conversations_per_workspace=5)
    with sandbox.serve() as base_url:
        argv = ["acme", "list", "--workspace-id", SANDBOX_WORKSPACE_ID, "--base-url", base_url, "--limit", "2"]
        assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [
        sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, index)["id"] for index in range(5)
    ]
    assert sandbox.request_count == 3  # pages of 2: the client's paging, under Acme's command


def test_the_third_vendors_command_lists_the_sandbox_as_a_table(
    capsys: pytest.CaptureFixture[str], acme_registered: None
) -> None:
    assert main(["acme", "list", "--sandbox", "--max-items", "3", "--format", "table"]) == 0
    heading, *rows = capsys.readouterr().out.splitlines()
    assert heading.split() == ["THREAD", "STARTED", "(UTC)"]
    first = default_sandbox().bird_conversation(SANDBOX_WORKSPACE_ID, 0)["id"]
    assert len(rows) == 3 and rows[0].startswith(first)


def test_the_third_vendors_failures_name_it_and_its_credential_variable(
    capsys: pytest.CaptureFixture[str], acme_registered: None
) -> None:
    code = main(["acme", "list", "--workspace-id", SANDBOX_WORKSPACE_ID, "--base-url", "http://127.0.0.1:9"])
    assert code == 3
    assert "set ACME_ACCESS_KEY to an Acme access key" in capsys.readouterr().err


def test_the_sandbox_dispatches_to_the_fake_a_registered_profile_names(acme_registered: None) -> None:
    sandbox = Sandbox(seed=7)
    with httpx.Client(transport=sandbox.transport()) as http:
        response = http.get(f"https://sandbox.test{acme_vendor.ACME_STATUS_PATH}")
    assert (response.status_code, response.json()) == (200, {"vendor": "acme", "seed": 7})
    assert any(isinstance(api, acme_vendor.AcmeApi) for api in sandbox.apis)


def test_without_the_registration_the_sandbox_has_no_such_route() -> None:
    with httpx.Client(transport=Sandbox().transport()) as http:
        assert http.get(f"https://sandbox.test{acme_vendor.ACME_STATUS_PATH}").status_code == 401
