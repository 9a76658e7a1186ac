"""How a command over many targets opens its listing's client (:mod:`conversation_clients.cli.command_clients`):
the sandbox's or the environment's credentials, the sandbox served for the block, and the settings
an export, a load and a Dask task open it with alike."""

from __future__ import annotations

import contextlib
from collections.abc import Generator

import attrs
import httpx
import pytest

from conversation_clients.cli.bird_commands import COMMANDS as BIRD
from conversation_clients.cli.command_clients import (
    command_credentials,
    open_command_client,
    open_planned_client,
    planned_connection,
)
from conversation_clients.cli.command_errors import CredentialsError
from conversation_clients.cli.commands import CommandSettings, ListCommand
from conversation_clients.cli.credential_sources import SANDBOX_SOURCE, Credentials
from conversation_clients.cli.exit_codes import UsageError
from conversation_clients.cli.export_plan import plan_export
from conversation_clients.cli.parsed_arguments import ExportArguments
from conversation_clients.cli.parser import parse_arguments
from conversation_clients.cli.sandbox_settings import SandboxSettings
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_WORKSPACE_ID

KEY = "a-key-from-the-environment"
FAR = "http://127.0.0.1:1"


class Opened:
    """A command's ``open_client`` that records the settings, and whether the client is still open."""

    def __init__(self, error: Exception | None = None) -> None:
        self.settings: list[CommandSettings] = []
        self.open = False
        self.error = error

    @contextlib.contextmanager
    def __call__(self, settings: CommandSettings) -> Generator[str]:
        self.settings.append(settings)
        if self.error is not None:
            raise self.error
        self.open = True
        try:
            yield "the client"
        finally:
            self.open = False


def recorded(opened: Opened) -> ListCommand:
    return attrs.evolve(BIRD.command("list"), open_client=opened)


def test_with_the_sandbox_its_demo_credentials_are_taken_and_the_environment_is_not_read() -> None:
    with contextlib.ExitStack() as stack:
        credentials = command_credentials(
            BIRD.command("list"),
            stack,
            sandbox=SandboxSettings.load(),
            environ={"BIRD_ACCESS_KEY": KEY},
            options={},
        )
    assert (credentials.secret, credentials.source) == (SANDBOX_BIRD_ACCESS_KEY, SANDBOX_SOURCE)


def test_without_it_the_environment_given_is_read_and_a_missing_key_is_named() -> None:
    with contextlib.ExitStack() as stack:
        credentials = command_credentials(
            BIRD.command("list"), stack, sandbox=None, environ={"BIRD_ACCESS_KEY": KEY}, options={}
        )
        assert (credentials.secret, credentials.source) == (KEY, "BIRD_ACCESS_KEY")
        with pytest.raises(CredentialsError, match="set BIRD_ACCESS_KEY"):
            command_credentials(BIRD.command("list"), stack, sandbox=None, environ={}, options={})


@pytest.mark.loopback
def test_a_sandbox_plan_serves_the_sandbox_until_the_stack_closes() -> None:
    arguments = parse_arguments(["bird", "export", "--sandbox", "--out", "unused"])
    assert isinstance(arguments, ExportArguments)
    with contextlib.ExitStack() as stack:
        credentials, base_url = planned_connection(arguments.command, plan_export(arguments), {}, stack)
        headers = {"Authorization": f"AccessKey {credentials.secret}"}
        response = httpx.get(f"{base_url}/workspaces/{SANDBOX_WORKSPACE_ID}/conversations", headers=headers)
        assert response.status_code == 200
    assert credentials.source == SANDBOX_SOURCE
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base_url}/workspaces/{SANDBOX_WORKSPACE_ID}/conversations", timeout=5.0)


def test_another_plan_takes_its_base_url_and_the_environments_credentials() -> None:
    arguments = parse_arguments(
        ["bird", "export", "--workspace-id", SANDBOX_WORKSPACE_ID, "--out", "unused", "--base-url", FAR]
    )
    assert isinstance(arguments, ExportArguments)
    with contextlib.ExitStack() as stack:
        credentials, base_url = planned_connection(
            arguments.command, plan_export(arguments), {"BIRD_ACCESS_KEY": KEY}, stack
        )
    assert (credentials.secret, base_url) == (KEY, FAR)


@pytest.mark.parametrize("rate_limit", [None, RateLimit(per_target=7.0)], ids=["no limit", "a limit"])
def test_the_client_prefetches_with_the_limits_given_and_a_limiter_of_its_own(rate_limit: RateLimit | None) -> None:
    opened = Opened()
    credentials = Credentials(KEY, "BIRD_ACCESS_KEY")
    with contextlib.ExitStack() as stack:
        client = open_command_client(
            recorded(opened),
            stack,
            base_url=FAR,
            credentials=credentials,
            held={"held": "value"},
            max_retries=3,
            max_response_bytes=4096,
            page_timeout=12.5,
            rate_limit=rate_limit,
        )
        assert (client, opened.open) == ("the client", True)
    assert not opened.open  # closed with the stack
    [settings] = opened.settings
    expected = {"base_url": FAR, "credentials": credentials, "held": {"held": "value"}, "prefetch": True}
    expected |= {"max_retries": 3, "max_response_bytes": 4096, "page_timeout": 12.5}
    assert {
        name: value for name, value in attrs.asdict(settings, recurse=False).items() if name in expected
    } == expected
    if rate_limit is None:
        assert settings.rate_limiter is None
    else:
        assert isinstance(settings.rate_limiter, RateLimiter) and settings.rate_limiter.limit == rate_limit


def test_the_clients_argument_checks_are_usage_errors_naming_the_flag() -> None:
    opened = Opened(ValueError("page_token must not be empty"))
    with contextlib.ExitStack() as stack, pytest.raises(UsageError, match="^--page-token must not be empty$"):
        open_command_client(
            recorded(opened),
            stack,
            base_url=FAR,
            credentials=Credentials(KEY, "BIRD_ACCESS_KEY"),
            held={},
            max_retries=0,
            max_response_bytes=1,
            page_timeout=1.0,
            rate_limit=None,
        )


def test_a_planned_client_takes_the_arguments_limits_and_the_plans_rate_limit() -> None:
    argv = [
        "bird",
        "export",
        "--workspace-id",
        SANDBOX_WORKSPACE_ID,
        "--out",
        "unused",
        "--base-url",
        FAR,
        "--rate-per-target",
        "9",
    ]
    parsed = parse_arguments([*argv, "--max-retries", "4", "--max-response-bytes", "5000", "--page-timeout", "6"])
    assert isinstance(parsed, ExportArguments)
    opened = Opened()
    arguments = ExportArguments(recorded(opened), parsed.values)
    plan = plan_export(arguments)
    with contextlib.ExitStack() as stack:
        client, credentials = open_planned_client(arguments, plan, {"BIRD_ACCESS_KEY": KEY}, stack)
        assert (client, credentials.secret) == ("the client", KEY)
    [settings] = opened.settings
    assert (settings.base_url, settings.credentials, settings.held) == (FAR, credentials, plan.held)
    assert (settings.max_retries, settings.max_response_bytes, settings.page_timeout) == (4, 5000, 6.0)
    assert settings.rate_limiter is not None and settings.rate_limiter.limit == plan.rate_limit
    assert plan.rate_limit is not None and plan.rate_limit.per_target == 9.0
