"""A third vendor is one module of each kind: registered as generation registers a vendor, it gets
its clients, its command line and its sandbox fake with no change to any vendor-neutral module.

``tests/support/acme_vendor.py`` is its vendor module (its profile and its client: the library),
``tests/support/acme_commands.py`` its command-line declarations and
``tests/support/acme_sandbox.py`` its sandbox fake; its document is Bird's conversation listing, reused. Each imports downward only:
the vendor module neither of the others, the fake not the command line. Registering it is one
entry in each of the three registries: the library's (what generation does for a vendor folder
under ``openapi/``: ``_operations.VENDOR_MODULES``), the command line's
(``cli.command_registry.COMMAND_MODULES``) and the sandbox's (``sandbox._fake_registry.FAKE_MODULES``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from conversation_clients import _operations
from conversation_clients._vendors import vendor_profiles
from conversation_clients.cli import command_registry, main
from conversation_clients.sandbox import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_WORKSPACE_ID,
    Sandbox,
    _fake_registry,
    default_sandbox,
)
from tests.support import acme_commands, acme_sandbox, acme_vendor
from tests.support.import_graph import imports_of
from tests.support.paths import SUPPORT


@pytest.fixture
def acme_registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(_operations, "VENDOR_MODULES", (*_operations.VENDOR_MODULES, acme_vendor.__name__))
    monkeypatch.setattr(
        command_registry, "COMMAND_MODULES", (*command_registry.COMMAND_MODULES, acme_commands.__name__)
    )
    monkeypatch.setattr(_fake_registry, "FAKE_MODULES", (*_fake_registry.FAKE_MODULES, acme_sandbox.__name__))
    for name in ("BIRD_ACCESS_KEY", "OMNICHANNEL_TOKEN", acme_commands.ACME_KEY_ENV):
        monkeypatch.delenv(name, raising=False)
    yield


#: What a part of the third vendor could import above itself (a package stands for its modules).
_ABOVE_THE_LIBRARY = {
    "conversation_clients.cli": True,
    "conversation_clients.sandbox": True,
    acme_vendor.__name__: False,
    acme_commands.__name__: False,
    acme_sandbox.__name__: False,
}


def _imports(module: str) -> set[str]:
    """What ``module`` imports of :data:`_ABOVE_THE_LIBRARY`, lazily, for type checking or in a string included."""
    source = (SUPPORT / f"{module.rpartition('.')[2]}.py").read_text(encoding="utf-8")
    return imports_of(source, module, _ABOVE_THE_LIBRARY)


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        (acme_vendor.__name__, set[str]()),  # the library: nothing above it
        (acme_sandbox.__name__, {acme_vendor.__name__, "conversation_clients.sandbox"}),
        # the command line may use the sandbox, which never uses it
        (acme_commands.__name__, {acme_vendor.__name__, "conversation_clients.cli", "conversation_clients.sandbox"}),
    ],
)
def test_each_part_of_the_third_vendor_imports_downward_only(module: str, allowed: set[str]) -> None:
    assert _imports(module) <= allowed


def test_a_registered_third_vendor_is_in_every_registry(acme_registered: None) -> None:
    assert vendor_profiles()[-1] is acme_vendor.ACME
    assert command_registry.vendor_commands()[-1] is acme_commands.COMMANDS
    assert _fake_registry.vendor_fakes()["acme"] is acme_sandbox.FAKE


def _help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_a_registered_third_vendor_appears_in_help_with_its_command_and_credentials(
    capsys: pytest.CaptureFixture[str], acme_registered: None
) -> None:
    top = _help(capsys, ["--help"])
    assert "{bird,omnichannel,acme,sandbox}" in top
    assert "acme                Acme Threads API" in top
    assert "ACME_ACCESS_KEY      Acme access key (acme list)" in top
    assert "--page-token for Acme" in top
    # the description is filled to the terminal's width
    assert "List conversations from Bird, Dynamics 365 Contact Center (Omnichannel) or Acme." in " ".join(top.split())
    command = _help(capsys, ["acme", "list", "--help"])
    # declared options, then those derived from the reused operation's parameters
    for flag in ("--workspace-id", "--base-url", "--limit", "--reverse", "--resource", "--page-token"):
        assert flag in command
    assert "stop after N threads" in command


def test_the_third_vendors_command_lists_over_loopback_as_json_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, acme_registered: None
) -> None:
    monkeypatch.setenv(acme_commands.ACME_KEY_ENV, SANDBOX_BIRD_ACCESS_KEY)
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


def test_the_sandbox_dispatches_to_the_fake_of_a_registered_vendor(acme_registered: None) -> None:
    sandbox = Sandbox(seed=7)
    with httpx.Client(transport=sandbox.transport()) as http:
        response = http.get(f"https://sandbox.test{acme_sandbox.ACME_STATUS_PATH}")
    assert (response.status_code, response.json()) == (200, {"vendor": "acme", "seed": 7})
    assert any(isinstance(api, acme_sandbox.AcmeApi) for api in sandbox.apis)


def test_without_the_registration_the_sandbox_has_no_such_route() -> None:
    with httpx.Client(transport=Sandbox().transport()) as http:
        assert http.get(f"https://sandbox.test{acme_sandbox.ACME_STATUS_PATH}").status_code == 401
