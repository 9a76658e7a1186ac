"""``sandbox serve``, and the embedded sandbox that ``--sandbox`` lists.

The banner of ``sandbox serve`` comes from the registered vendors' commands: each credential
source's demo secret, and each option's demo value (``--workspace-id`` and the like). Nothing
here names a vendor.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Generator, Sequence
from types import FrameType
from typing import Final

from conversation_clients.cli.command_registry import command_groups
from conversation_clients.cli.commands import CommandGroup
from conversation_clients.cli.console import Console
from conversation_clients.cli.exit_codes import ExitCode, UsageError
from conversation_clients.cli.parsed_arguments import SandboxServe
from conversation_clients.cli.sandbox_settings import SandboxSettings

__all__ = ["run_sandbox_serve", "sandbox_banner", "serve_sandbox"]


@contextlib.contextmanager
def serve_sandbox(*, host: str = "127.0.0.1", port: int = 0) -> Generator[str]:
    """Serve the default sandbox on loopback and yield its base URL."""
    from conversation_clients.sandbox import default_sandbox

    with default_sandbox().serve(host=host, port=port) as base_url:
        yield base_url


def sandbox_banner(base_url: str, sandbox: SandboxSettings, groups: Sequence[CommandGroup]) -> list[str]:
    """What ``sandbox serve`` prints on stderr, one fact a line: the demo credentials and ids of
    the commands of ``groups``, from ``sandbox``.

    >>> banner = sandbox_banner("http://127.0.0.1:1", SandboxSettings.load(), command_groups())
    >>> banner[0], banner[-1]
    ('sandbox base URL: http://127.0.0.1:1', 'sandbox serving until Ctrl-C or SIGTERM')
    """
    commands = [command for group in groups for command in group.commands]
    credentials: dict[str, str] = {}
    ids: dict[str, str] = {}
    for command in commands:
        source = command.credentials
        if source.sandbox_secret is not None:
            credentials.setdefault(source.secret_variables[0], str(source.sandbox_secret(sandbox)))
        for option in command.all_options:
            if option.sandbox_value is not None:
                what = option.flag.removeprefix("--").removesuffix("-id").replace("-", " ")
                ids.setdefault(f"{command.vendor_title} {what} ID ({option.flag})", str(option.sandbox_value(sandbox)))
    return [
        f"sandbox base URL: {base_url}",
        *(f"sandbox credential (demo only, not a real secret): {name}={value}" for name, value in credentials.items()),
        *(f"sandbox {fact}: {value}" for fact, value in ids.items()),
        f"sandbox ID that is not found (any other is served): {sandbox.missing_id}",
        "sandbox serving until Ctrl-C or SIGTERM",
    ]


class _Stop(Exception):
    """Raised by the SIGINT and SIGTERM handlers to end ``sandbox serve``."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


# SIGINT is handled here too, not left to Python's KeyboardInterrupt: Python installs that only
# when SIGINT was not ignored at start, and a shell script's background job (cmd &), a CI runner
# or nohup-like wrappers start commands with SIGINT ignored; `kill -INT` then did nothing and the
# command served for ever.
_STOP_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _stopped_by_signals() -> Generator[None]:
    """SIGINT and SIGTERM raise :class:`_Stop` inside the block (main thread only), restored after it."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal.signal works on the main thread alone; an embedding program keeps its own
        return
    previous = {signum: signal.signal(signum, _raise_stop) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler not set from Python, which cannot be put back; the default is closest
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def run_sandbox_serve(command: SandboxServe, console: Console) -> int:
    """``sandbox serve``: serve the demo data set until Ctrl-C, SIGINT or SIGTERM.

    A signal at any moment ends it: during start-up or while serving, and a second one during the
    shutdown (itself bounded, see :func:`conversation_clients.loopback.serve`) ends it at once.
    """
    sandbox = SandboxSettings.load()
    with _stopped_by_signals():
        try:
            with contextlib.ExitStack() as stack:
                try:
                    base_url = stack.enter_context(serve_sandbox(host=command.host, port=command.port))
                except OSError as error:
                    raise UsageError(
                        f"cannot listen on {command.host}:{command.port}: {error.strerror or error} "
                        "(choose another --host or --port; --port 0 picks a free one)"
                    ) from None
                for text in sandbox_banner(base_url, sandbox, command_groups()):
                    console.line(text)
                while True:
                    time.sleep(3600)
        except (KeyboardInterrupt, _Stop):
            pass
    console.line("sandbox stopped")
    return ExitCode.OK
