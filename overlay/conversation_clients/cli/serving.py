"""``sandbox serve``, and the embedded sandbox's settings that ``--sandbox`` lists with."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Generator
from types import FrameType
from typing import Final

import attrs

from conversation_clients.bird import BIRD_KEY_ENV
from conversation_clients.cli.console import Console
from conversation_clients.cli.exit_codes import ExitCode, UsageError
from conversation_clients.cli.parser import SandboxServe
from conversation_clients.omnichannel import OMNICHANNEL_TOKEN_ENV

__all__ = ["SandboxSettings", "run_sandbox_serve", "sandbox_banner", "serve_sandbox"]


@attrs.frozen
class SandboxSettings:
    """The embedded sandbox's credentials and IDs (demo values, not secrets)."""

    bird_access_key: str
    omnichannel_token: str
    workspace_id: str
    organization_id: str
    channel_id: str
    missing_id: str

    @classmethod
    def load(cls) -> SandboxSettings:
        """Import the sandbox (only when asked for: it is not needed against a real API).

        >>> SandboxSettings.load().workspace_id == SandboxSettings.load().workspace_id
        True
        """
        from conversation_clients import sandbox

        return cls(
            bird_access_key=str(sandbox.SANDBOX_BIRD_ACCESS_KEY),
            omnichannel_token=str(sandbox.SANDBOX_OMNICHANNEL_TOKEN),
            workspace_id=str(sandbox.SANDBOX_WORKSPACE_ID),
            organization_id=str(sandbox.SANDBOX_ORGANIZATION_ID),
            channel_id=str(sandbox.SANDBOX_CHANNEL_ID),
            missing_id=str(sandbox.SANDBOX_MISSING_ID),
        )


@contextlib.contextmanager
def serve_sandbox(*, host: str = "127.0.0.1", port: int = 0) -> Generator[str]:
    """Serve the default sandbox on loopback and yield its base URL."""
    from conversation_clients.sandbox import default_sandbox

    with default_sandbox().serve(host=host, port=port) as base_url:
        yield base_url


def sandbox_banner(
    base_url: str,
    *,
    bird_access_key: str,
    omnichannel_token: str,
    workspace_id: str,
    organization_id: str,
    channel_id: str,
    missing_id: str,
) -> list[str]:
    """What ``sandbox serve`` prints on stderr, one fact a line.

    >>> sandbox_banner("http://127.0.0.1:1", bird_access_key="k", omnichannel_token="t",
    ...     workspace_id="w", organization_id="o", channel_id="c", missing_id="m")[1]
    'sandbox credential (demo only, not a real secret): BIRD_ACCESS_KEY=k'
    """
    return [
        f"sandbox base URL: {base_url}",
        f"sandbox credential (demo only, not a real secret): {BIRD_KEY_ENV}={bird_access_key}",
        f"sandbox credential (demo only, not a real secret): {OMNICHANNEL_TOKEN_ENV}={omnichannel_token}",
        f"sandbox Bird workspace ID (--workspace-id): {workspace_id}",
        f"sandbox Omnichannel organization ID (--organization-id): {organization_id}",
        f"sandbox Omnichannel channel ID (--channel-id): {channel_id}",
        f"sandbox ID that is not found (any other is served): {missing_id}",
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
                banner = sandbox_banner(
                    base_url,
                    bird_access_key=sandbox.bird_access_key,
                    omnichannel_token=sandbox.omnichannel_token,
                    workspace_id=sandbox.workspace_id,
                    organization_id=sandbox.organization_id,
                    channel_id=sandbox.channel_id,
                    missing_id=sandbox.missing_id,
                )
                for text in banner:
                    console.line(text)
                while True:
                    time.sleep(3600)
        except (KeyboardInterrupt, _Stop):
            pass
    console.line("sandbox stopped")
    return ExitCode.OK
