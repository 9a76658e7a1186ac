"""Running the command as a subprocess, and small loopback servers for it to talk to."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Generator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import parse_qs

import httpx

from tests.support.scripted import bird_page, omni_page

ROOT = Path(__file__).resolve().parents[2]
SOURCE_PATH = os.pathsep.join(str(ROOT / part) for part in ("generated", "overlay"))
ERROR_PREFIX = "conversation-clients: error: "
RESUME_PREFIX = "conversation-clients: resume with: "

ACCESS_KEY = "bird-key-s3cr3t-DO-NOT-LEAK"
BEARER_TOKEN = "entra-token-s3cr3t-DO-NOT-LEAK"
WORKSPACE_ID = "e58899bf-1e8d-4ff7-b9db-a60befaf90d2"
ORGANIZATION_ID = "11111111-2222-3333-4444-555555555555"
CHANNEL_ID = "66666666-7777-8888-9999-000000000000"

# Credentials a developer's shell might hold must not leak into (or change) the tests.
_DROPPED_ENV_PREFIXES = ("BIRD_", "OMNICHANNEL_", "AZURE_")


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for the command: no credentials unless given, this source tree first."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(_DROPPED_ENV_PREFIXES)}
    # Output is block-buffered on a pipe, as for a user; the command must flush by itself.
    env.pop("PYTHONUNBUFFERED", None)
    env["PYTHONPATH"] = SOURCE_PATH
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra or {})
    return env


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "conversation_clients", *args]


def run_cli(*args: str, env: Mapping[str, str] | None = None, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run ``conversation-clients ARGS`` to completion, capturing stdout and stderr as text."""
    return subprocess.run(
        cli_command(*args),
        env=cli_env(env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


# Runs the command with SIGINT ignored, as a shell script's background job (cmd &) starts it:
# the disposition survives exec, and Python then does not turn SIGINT into KeyboardInterrupt.
_WITH_SIGINT_IGNORED = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "os.execv(sys.executable, [sys.executable, '-m', 'conversation_clients', *sys.argv[1:]])"
)


class RunningCli:
    """A command started by :func:`running_cli`: the process, and its stderr a line at a time."""

    def __init__(self, process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        self.process = process
        self._lines = lines
        self._ended = False

    def next_line(self, *, timeout: float) -> str | None:
        """The next line of stderr, None at its end; raises ``queue.Empty`` after ``timeout`` seconds."""
        if self._ended:
            return None
        line = self._lines.get(timeout=timeout)
        self._ended = line is None
        return line

    def lines_until(self, marker: str, *, timeout: float) -> list[str]:
        """Lines of stderr up to and including the first holding ``marker`` (AssertionError if it ends first)."""
        seen: list[str] = []
        while not seen or marker not in seen[-1]:
            line = self.next_line(timeout=timeout)
            assert line is not None, f"stderr ended before {marker!r}: {''.join(seen)!r}"
            seen.append(line)
        return seen

    def rest(self, *, timeout: float) -> list[str]:
        """The remaining lines of stderr, up to its end (each read bounded by ``timeout``)."""
        remaining: list[str] = []
        while (line := self.next_line(timeout=timeout)) is not None:
            remaining.append(line)
        return remaining


def _lines_into(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    try:
        for line in stream:
            lines.put(line)
    finally:
        lines.put(None)


@contextmanager
def running_cli(*args: str, sigint_ignored: bool = False, stop_timeout: float = 10) -> Generator[RunningCli]:
    """Start ``conversation-clients ARGS`` (stdout discarded, stderr read by a thread) and always end it.

    Every wait is bounded: leaving the block kills a process still running (SIGKILL, which nothing
    ignores) and waits at most ``stop_timeout`` seconds for it and for the reader. The stream is
    closed only once the reader has finished with it, since closing a file waits for a read in
    progress on it; Popen's own ``with`` would wait for both without any timeout.
    """
    command = [sys.executable, "-c", _WITH_SIGINT_IGNORED, *args] if sigint_ignored else cli_command(*args)
    process = subprocess.Popen(
        command,
        env=cli_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stderr is not None
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_lines_into, args=(process.stderr, lines), name="cli-stderr", daemon=True)
    reader.start()
    try:
        yield RunningCli(process, lines)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=stop_timeout)
        reader.join(timeout=stop_timeout)
        if not reader.is_alive():
            process.stderr.close()


def error_lines(stderr: str) -> list[str]:
    """The lines of stderr; asserts there is no traceback and that the first one is the error."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert lines, "expected an error line on stderr"
    assert lines[0].startswith(ERROR_PREFIX), stderr
    return lines


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class PagedServer:
    """A handler serving ``total`` conversations ``page_size`` at a time, for either vendor.

    Page ``n`` (counting from 0) is fetched with the token ``tok/n+=`` (characters that shells
    and URLs treat specially, to prove tokens survive the round trip). ``fail_page`` answers
    ``fail_status`` for that page while ``failing`` is true. Every request is recorded.
    """

    def __init__(
        self,
        vendor: str,
        *,
        total: int,
        page_size: int,
        fail_page: int | None = None,
        fail_status: int = 503,
        credential: str | None = None,
    ) -> None:
        self.vendor = vendor
        self.total = total
        self.page_size = page_size
        self.fail_page = fail_page
        self.fail_status = fail_status
        self.failing = True
        self.credential = credential
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    @staticmethod
    def token_for(page: int) -> str:
        return f"tok/{page}+="

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        if self.credential is not None and request.headers.get("Authorization") != self.credential:
            return httpx.Response(401, json={"code": "Unauthorized", "message": "bad credentials"})
        query = parse_qs(request.url.query.decode(), keep_blank_values=True)
        token_name = "pageToken" if self.vendor == "bird" else "ContinuationToken"
        tokens = query.get(token_name)
        page = 0 if not tokens else int(tokens[0].removeprefix("tok/").removesuffix("+="))
        if page == self.fail_page and self.failing:
            return httpx.Response(self.fail_status, json={"code": "Unavailable", "message": "try again later"})
        first = page * self.page_size
        numbers = range(first + 1, min(first + self.page_size, self.total) + 1)
        last = first + self.page_size >= self.total
        next_token = None if last else self.token_for(page + 1)
        return (bird_page if self.vendor == "bird" else omni_page)(numbers, next_token)


Handler = Callable[[httpx.Request], httpx.Response]
