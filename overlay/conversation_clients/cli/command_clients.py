"""How a command over many targets opens its listing's client: :func:`open_command_client`.

An export, a load and each task of an export on Dask open the client of the listing they run
alike: with the sandbox's demo credentials or the environment's (:func:`command_credentials`),
prefetching, with the command's retries and limits, and a rate limiter of its own when the
export has a rate limit. The one-machine export and the load open it from their plan
(:func:`open_planned_client`: for ``--sandbox`` it serves the sandbox too, as
:func:`planned_connection` does for the Dask export's driver); a Dask task
(:class:`~conversation_clients.cli.command_pages.CommandPages`) opens it on its worker from the
same values, so that both exports list alike. Nothing here names a vendor.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from conversation_clients.cli.commands import CommandSettings, ListCommand
from conversation_clients.cli.serving import serve_sandbox
from conversation_clients.cli.wording import usage_errors
from conversation_clients.ratelimit import RateLimit, RateLimiter

if TYPE_CHECKING:
    from conversation_clients.cli.credential_sources import Credentials
    from conversation_clients.cli.export_plan import ExportPlan
    from conversation_clients.cli.parsed_arguments import ExportArguments
    from conversation_clients.cli.sandbox_settings import SandboxSettings

__all__ = ["command_credentials", "open_command_client", "open_planned_client", "planned_connection"]


def command_credentials(
    command: ListCommand,
    stack: contextlib.ExitStack[bool | None],
    *,
    sandbox: SandboxSettings | None,
    environ: Mapping[str, str],
    options: Mapping[str, Any],
) -> Credentials:
    """The sandbox's demo credentials when ``sandbox`` is given, else what ``environ`` gives the command's source.

    ``options`` are the credential source's (``--scope``); what the source opens (an
    azure-identity credential) is closed with ``stack``.

    >>> from conversation_clients.cli.bird_commands import COMMANDS
    >>> from conversation_clients.cli.sandbox_settings import SandboxSettings
    >>> with contextlib.ExitStack() as stack:
    ...     credentials = command_credentials(
    ...         COMMANDS.command("list"), stack, sandbox=SandboxSettings.load(), environ={}, options={}
    ...     )
    >>> credentials.source
    'the sandbox credentials'
    """
    if sandbox is not None:
        return command.credentials.for_sandbox(sandbox)
    return command.credentials.from_environment(environ, stack, options)


def planned_connection(
    command: ListCommand, plan: ExportPlan, environ: Mapping[str, str], stack: contextlib.ExitStack[bool | None]
) -> tuple[Credentials, str]:
    """An export's (or a load's) credentials and base URL, by its plan.

    With ``--sandbox``, the sandbox's credentials and the base URL of the sandbox, served on
    loopback until ``stack`` closes; else the environment's credentials and the base URL given
    (or the vendor's).

    >>> from conversation_clients.cli.export_plan import plan_export
    >>> from conversation_clients.cli.parser import parse_arguments
    >>> workspace = "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"
    >>> arguments = parse_arguments(["bird", "export", "--workspace-id", workspace, "--base-url", "http://127.0.0.1:1", "--out", "d"])
    >>> with contextlib.ExitStack() as stack:
    ...     credentials, base_url = planned_connection(
    ...         arguments.command, plan_export(arguments), {"BIRD_ACCESS_KEY": "a-key-of-the-environment"}, stack
    ...     )
    >>> credentials.source, base_url
    ('BIRD_ACCESS_KEY', 'http://127.0.0.1:1')
    """
    credentials = command_credentials(command, stack, sandbox=plan.sandbox, environ=environ, options=plan.credential)
    if plan.sandbox is None:
        return credentials, str(plan.base_url)
    return credentials, stack.enter_context(serve_sandbox())


def open_command_client(
    command: ListCommand,
    stack: contextlib.ExitStack[bool | None],
    *,
    base_url: str,
    credentials: Credentials,
    held: Mapping[str, Any],
    max_retries: int,
    max_response_bytes: int,
    page_timeout: float,
    rate_limit: RateLimit | None,
) -> Any:
    """``command``'s client, prefetching, open until ``stack`` closes; its argument checks' errors are usage errors.

    ``held``: the values the client holds, by parameter name; ``rate_limit``: the client's own
    limiter (None: none).

    Example::

        with contextlib.ExitStack() as stack:
            client = open_command_client(
                command, stack, base_url=base_url, credentials=credentials, held={}, max_retries=2,
                max_response_bytes=10_000_000, page_timeout=300.0, rate_limit=None,
            )
            pages = getattr(client, command.method)(**call).pages()
    """
    settings = CommandSettings(
        base_url=base_url,
        credentials=credentials,
        held=held,
        max_retries=max_retries,
        max_response_bytes=max_response_bytes,
        page_timeout=page_timeout,
        prefetch=True,
        rate_limiter=None if rate_limit is None else RateLimiter(rate_limit),
    )
    with usage_errors(command.flags):
        return stack.enter_context(command.open_client(settings))


def open_planned_client(
    arguments: ExportArguments, plan: ExportPlan, environ: Mapping[str, str], stack: contextlib.ExitStack[bool | None]
) -> tuple[Any, Credentials]:
    """An export's (or a load's, planned as its export) client, open until ``stack`` closes, and its credentials.

    Its credentials and base URL are :func:`planned_connection`'s; its options, the plan's and the arguments'.

    Example::

        plan = plan_export(arguments)
        with contextlib.ExitStack() as stack:
            client, credentials = open_planned_client(arguments, plan, os.environ, stack)
    """
    command = arguments.command
    credentials, base_url = planned_connection(command, plan, environ, stack)
    client = open_command_client(
        command,
        stack,
        base_url=base_url,
        credentials=credentials,
        held=plan.held,
        max_retries=arguments.max_retries,
        max_response_bytes=arguments.max_response_bytes,
        page_timeout=arguments.page_timeout,
        rate_limit=plan.rate_limit,
    )
    return client, credentials
