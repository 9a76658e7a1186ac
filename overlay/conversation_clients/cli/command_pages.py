"""A listing command's target, listed where a Dask worker runs it: :class:`CommandPages`.

``VENDOR export --dask`` sends each target to a worker as one task
(:mod:`conversation_clients.cli.dask_export`); the task lists it with a :class:`CommandPages`,
which opens the command's client on the worker as the one-machine export opens it (the same
settings, retries, limits and rate limit), from the page token the target's checkpoint gives.
Nothing here names a vendor.

Dask pickles a task's arguments and shows them (its dashboard, its workers' "Compute Failed"
log lines), so a :class:`CommandPages` holds no secret: the worker reads the credentials from
its own environment, through the command's credential source (the same variable, or
azure-identity's ``EnvironmentCredential``), or takes the sandbox's demo ones.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from conversation_clients.cli.command_clients import command_credentials, open_command_client
from conversation_clients.cli.commands import ListCommand
from conversation_clients.cli.sandbox_settings import SandboxSettings
from conversation_clients.cli.wording import usage_errors

if TYPE_CHECKING:
    from conversation_clients.pagination import Page
    from conversation_clients.ratelimit import RateLimit

__all__ = ["CommandPages"]


@attrs.frozen(repr=False)
class CommandPages:
    """Lists one target of ``command`` from a page token, page by page, on whichever machine calls it.

    Called with a target's call (its listing arguments, as the export's plan gives them) and
    the token to start from (None: the first page). ``sandbox``: the sandbox's demo credentials
    rather than the environment's. ``rate_limit``: each call's own limiter (one target a task,
    so a target's limit is kept where it is listed).

    >>> from conversation_clients.cli.bird_commands import COMMANDS
    >>> CommandPages(COMMANDS.command("list"), base_url="http://127.0.0.1:1", held={}, credential={}, sandbox=True,
    ...     max_retries=2, max_response_bytes=1000, page_timeout=30.0, rate_limit=None)
    CommandPages(<bird list>, base_url='http://127.0.0.1:1', credentials from the sandbox)
    """

    command: ListCommand
    base_url: str
    held: Mapping[str, Any]
    #: the credential source's options (``--scope``); no secret
    credential: Mapping[str, Any]
    sandbox: bool
    max_retries: int
    max_response_bytes: int
    page_timeout: float
    rate_limit: RateLimit | None

    def __repr__(self) -> str:
        source = (
            "the sandbox"
            if self.sandbox
            else "the environment: " + ", ".join(self.command.credentials.secret_variables)
        )
        return f"CommandPages(<{self.command.vendor} {self.command.name}>, base_url={self.base_url!r}, credentials from {source})"

    def __call__(self, call: Mapping[str, Any], token: str | None) -> Iterator[Page[Any]]:
        """The target's pages from ``token``: its client opened here, and closed when the pages end (or are closed)."""
        command = self.command
        with contextlib.ExitStack() as stack:
            sandbox = SandboxSettings.load() if self.sandbox else None
            credentials = command_credentials(
                command, stack, sandbox=sandbox, environ=os.environ, options=self.credential
            )
            client = open_command_client(
                command,
                stack,
                base_url=self.base_url,
                credentials=credentials,
                held=self.held,
                max_retries=self.max_retries,
                max_response_bytes=self.max_response_bytes,
                page_timeout=self.page_timeout,
                rate_limit=self.rate_limit,
            )
            with usage_errors(command.flags):
                pager = getattr(client, command.method)(**call, **{command.resume_option.parameter: token})
            yield from pager.pages()
