"""The one runner of every listing command, and :func:`main`, the entry point.

:func:`run_listing` reads a :class:`~conversation_clients.cli.commands.ListCommand`
declaration: it checks the arguments (no I/O), then the credentials, then lists, writing each
page as it arrives. Nothing in it names a vendor. An export's runner,
:func:`conversation_clients.cli.export.run_export`, is imported only when an export is asked for.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from conversation_clients.cli.command_options import Role
from conversation_clients.cli.command_registry import command_groups
from conversation_clients.cli.commands import CommandGroup, CommandSettings, secret_variables
from conversation_clients.cli.console import Console, is_terminal, quiet_stdout, write_listing, writer_for
from conversation_clients.cli.credential_sources import secrets_from_env
from conversation_clients.cli.exit_codes import ExitCode, UsageError, exit_code_for
from conversation_clients.cli.parsed_arguments import ExportArguments, ListArguments, LoadArguments, arguments_by_role
from conversation_clients.cli.parser import parse_arguments
from conversation_clients.cli.sandbox_settings import SandboxSettings
from conversation_clients.cli.serving import run_sandbox_serve, serve_sandbox
from conversation_clients.cli.wording import Target, usage_errors

__all__ = ["main", "run_listing"]


def run_listing(arguments: ListArguments, environ: Mapping[str, str], stdout: TextIO, console: Console) -> int:
    """A listing command: check the arguments, then the credentials, then list."""
    command = arguments.command
    if arguments.sandbox:
        for option in command.all_options:
            if option.refused_with_sandbox and arguments.value(option) is not None:
                raise UsageError(f"{option.flag} cannot be combined with --sandbox, which serves its own")
    sandbox = SandboxSettings.load() if arguments.sandbox else None
    by_role = arguments_by_role(arguments, sandbox)
    listing, held = by_role[Role.LISTING], by_role[Role.CLIENT]
    with usage_errors(command.flags):
        command.check(**held, **listing)  # every check, before anything else

    with contextlib.ExitStack() as stack:
        if sandbox is not None:
            credentials = command.credentials.for_sandbox(sandbox)
            base_url = stack.enter_context(serve_sandbox())
        else:
            credentials = command.credentials.from_environment(environ, stack, by_role[Role.CREDENTIAL])
            (base_url,) = by_role[Role.BASE_URL].values()
            if not base_url and command.default_base_url is not None:
                base_url = command.default_base_url
        settings = CommandSettings(
            base_url=base_url,
            credentials=credentials,
            held=held,
            max_retries=arguments.max_retries,
            max_response_bytes=arguments.max_response_bytes,
            page_timeout=arguments.page_timeout,
            # the pager itself requests no page past --max-items, prefetch or not
            prefetch=True,
        )
        with usage_errors(command.flags):
            client = stack.enter_context(command.open_client(settings))
            pager = getattr(client, command.method)(**listing, max_items=arguments.max_items)
        resume = command.resume_option
        return write_listing(
            pager.pages(),
            writer_for(arguments.output_format, stdout, command.table),
            console,
            max_items=arguments.max_items,
            target=Target(command.vendor_title, credentials.source, resume.flag),
            start_token=arguments.value(resume) or None,
            noun=command.noun,
        )
    raise AssertionError("unreachable")  # pragma: no cover - ExitStack does not swallow exceptions


def main(argv: Sequence[str] | None = None, *, groups: Sequence[CommandGroup] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    Never raises (short of ``SystemExit``): every failure is one line on stderr and a status
    from :class:`ExitCode`. ``groups`` are the listing commands it knows (default: every registered vendor's).
    """
    return int(_main(argv, command_groups() if groups is None else groups))


def _main(argv: Sequence[str] | None, groups: Sequence[CommandGroup]) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    environ = os.environ
    console = Console(
        stderr,
        secrets=secrets_from_env(environ, secret_variables((*command_groups(), *groups))),
        show_progress=is_terminal(stderr),
    )
    try:
        try:
            command = parse_arguments(sys.argv[1:] if argv is None else list(argv), groups)
        except SystemExit as finished:  # --help, --version
            return finished.code if isinstance(finished.code, int) else ExitCode.OK
        if isinstance(command, ListArguments):
            return run_listing(command, environ, stdout, console)
        if isinstance(command, ExportArguments):
            # imported here: the other commands do not load the export's machinery
            from conversation_clients.cli.export import run_export

            return run_export(command, environ, console, live=stderr if is_terminal(stderr) else None)
        if isinstance(command, LoadArguments):
            # imported here: only a load loads its machinery (and dlt, when it runs)
            from conversation_clients.cli.load import run_load

            return run_load(command, environ, console)
        return run_sandbox_serve(command, console)
    except BrokenPipeError:
        quiet_stdout()
        return ExitCode.BROKEN_PIPE
    except (Exception, KeyboardInterrupt) as error:
        try:
            return console.fail(error)
        except BrokenPipeError:  # stderr is gone too: nothing left to tell anyone
            return exit_code_for(error)
