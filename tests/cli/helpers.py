"""Running the command as a subprocess, and small loopback servers for it to talk to."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import parse_qs

import httpx

from tests.integration.harness import bird_page, omni_page

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
