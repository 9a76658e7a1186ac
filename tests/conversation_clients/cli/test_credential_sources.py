"""Where a command's credentials come from (:mod:`conversation_clients.cli.credential_sources`):
the environment, azure-identity or the sandbox; the variables scrubbed from what is printed; errors
that name the variable and never show its value.
"""

from __future__ import annotations

import json
import sys
import types

import pytest

from conversation_clients.cli import credential_sources, main
from conversation_clients.cli.command_errors import CredentialsError, UsageError
from conversation_clients.cli.command_registry import command_groups
from conversation_clients.cli.commands import secret_variables
from conversation_clients.cli.credential_sources import choose_token_source, credential_errors, secrets_from_env
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.cli.omnichannel_commands import OMNICHANNEL_TOKEN_ENV
from conversation_clients.loopback import serve
from tests.support.command_line import (
    BEARER_TOKEN,
    CHANNEL_ID,
    ERROR_PREFIX,
    ORGANIZATION_ID,
    WORKSPACE_ID,
    PagedServer,
)


def test_credential_validation_errors_name_the_environment_variable() -> None:
    with pytest.raises(CredentialsError, match=r"^OMNICHANNEL_TOKEN is empty"):
        with credential_errors("OMNICHANNEL_TOKEN"):
            raise ValueError("token is empty; it must be non-empty")


class TestSecretVariables:
    def test_secrets_from_env_reads_the_credential_variables_only(self) -> None:
        env = {
            "BIRD_ACCESS_KEY": "bird-secret",
            "OMNICHANNEL_TOKEN": "",
            "AZURE_CLIENT_SECRET": "az-secret",
            "PATH": "/bin",
        }
        assert sorted(secrets_from_env(env, secret_variables(command_groups()))) == ["az-secret", "bird-secret"]


class TestTokenSource:
    def test_token_from_environment(self) -> None:
        assert choose_token_source("tok", None, azure_available=True, variable=OMNICHANNEL_TOKEN_ENV).source == "env"

    def test_token_and_scope_together_is_a_usage_error(self) -> None:
        with pytest.raises(UsageError, match="--scope"):
            choose_token_source("tok", "https://x/.default", azure_available=True, variable=OMNICHANNEL_TOKEN_ENV)

    def test_no_token_and_no_azure_identity(self) -> None:
        with pytest.raises(CredentialsError, match=r"OMNICHANNEL_TOKEN.*conversation-clients\[azure\]"):
            choose_token_source(None, "https://x/.default", azure_available=False, variable=OMNICHANNEL_TOKEN_ENV)

    def test_azure_identity_needs_a_scope(self) -> None:
        with pytest.raises(CredentialsError, match="--scope"):
            choose_token_source(None, None, azure_available=True, variable=OMNICHANNEL_TOKEN_ENV)

    def test_azure_identity_with_scope(self) -> None:
        choice = choose_token_source(
            "", "https://org-c.crm.dynamics.com/.default", azure_available=True, variable=OMNICHANNEL_TOKEN_ENV
        )
        assert (choice.source, choice.scope) == ("azure", "https://org-c.crm.dynamics.com/.default")


# -- ``main()`` in-process: arguments, credentials, progress and interruptions, over loopback HTTP ---


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BIRD_ACCESS_KEY", "OMNICHANNEL_TOKEN", "AZURE_CLIENT_SECRET", "AZURE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(ERROR_PREFIX)
    return lines[0].removeprefix(ERROR_PREFIX)


def test_unusable_key_is_a_credentials_error_that_hides_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIRD_ACCESS_KEY", "secret-part other-part")
    assert main(["bird", "list", "--workspace-id", WORKSPACE_ID]) == ExitCode.CREDENTIALS
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith("BIRD_ACCESS_KEY contains whitespace")
    assert "secret-part" not in line


def test_omnichannel_needs_a_token_source(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credential_sources, "load_azure_identity", lambda: None)
    argv = [
        "omnichannel",
        "list",
        "--base-url",
        "https://example.com",
        "--organization-id",
        ORGANIZATION_ID,
        "--channel-id",
        CHANNEL_ID,
    ]
    assert main(argv) == ExitCode.CREDENTIALS
    assert "OMNICHANNEL_TOKEN" in one_error_line(capsys.readouterr().err)


def test_omnichannel_token_with_scope_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNICHANNEL_TOKEN", BEARER_TOKEN)
    argv = [
        "omnichannel", "list", "--base-url", "https://example.com", "--organization-id", ORGANIZATION_ID,
        "--channel-id", CHANNEL_ID, "--scope", "https://org-c.crm.dynamics.com/.default",
    ]  # fmt: skip
    assert main(argv) == ExitCode.USAGE
    line = one_error_line(capsys.readouterr().err)
    assert "--scope" in line and BEARER_TOKEN not in line


class FakeAccessToken:
    def __init__(self, token: str) -> None:
        self.token = token
        self.expires_on = 4_000_000_000


def fake_azure_identity(behaviour: str) -> types.ModuleType:
    """A stand-in for ``azure.identity`` whose EnvironmentCredential succeeds or fails."""

    class EnvironmentCredential:
        scopes_asked: list[tuple[str, ...]] = []
        closed = False

        def get_token(self, *scopes: str) -> FakeAccessToken:
            EnvironmentCredential.scopes_asked.append(scopes)
            if behaviour == "fail":
                raise RuntimeError(
                    "EnvironmentCredential authentication unavailable. Environment variables are not fully configured.\nVisit https://aka.ms"
                )
            return FakeAccessToken(BEARER_TOKEN)

        def close(self) -> None:
            EnvironmentCredential.closed = True

    module = types.ModuleType("azure.identity")
    module.EnvironmentCredential = EnvironmentCredential  # type: ignore[attr-defined]
    return module


def omni_argv(base_url: str, *extra: str) -> list[str]:
    return [
        "omnichannel", "list", "--base-url", base_url, "--organization-id", ORGANIZATION_ID,
        "--channel-id", CHANNEL_ID, *extra,
    ]  # fmt: skip


def test_azure_identity_credential_is_used_with_the_scope(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = fake_azure_identity("succeed")
    monkeypatch.setitem(sys.modules, "azure.identity", identity)
    server = PagedServer("omnichannel", total=3, page_size=2, credential=f"Bearer {BEARER_TOKEN}")
    scope = "https://org-c.crm.dynamics.com/.default"
    with serve(server) as base_url:
        assert main(omni_argv(base_url, "--scope", scope)) == ExitCode.OK
    captured = capsys.readouterr()
    assert [json.loads(line)["conversationid"][-1] for line in captured.out.splitlines()] == ["1", "2", "3"]
    assert identity.EnvironmentCredential.scopes_asked[0] == (scope,)
    assert identity.EnvironmentCredential.closed
    assert captured.err == ""


def test_azure_identity_failure_is_a_credentials_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "azure.identity", fake_azure_identity("fail"))
    server = PagedServer("omnichannel", total=3, page_size=2)
    with serve(server) as base_url:
        code = main(omni_argv(base_url, "--scope", "https://org-c.crm.dynamics.com/.default"))
    assert code == ExitCode.CREDENTIALS
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (
        ERROR_PREFIX + "no token from EnvironmentCredential: RuntimeError: EnvironmentCredential authentication "
        "unavailable. Environment variables are not fully configured."
    )
    assert lines[1:] == [
        "conversation-clients: nothing to resume from: the listing stopped at its first page, so it can be restarted from the beginning"
    ]
    assert server.requests == []
