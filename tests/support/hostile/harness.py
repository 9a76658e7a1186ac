"""Run a listing, or the command line, against a hostile server in a bounded child process.

The child (:mod:`tests.support.hostile.child`) limits its own address space (``RLIMIT_AS``) before it
imports anything, and the parent kills it after ``timeout`` seconds, so a bomb or a hang
cannot take the test runner down with it.

>>> from tests.support.hostile.server import json_page, serve
>>> with serve(json_page({"results": [], "nextPageToken": None})) as server:
...     outcome = run_listing("bird", "sync", server.base_url, timeout=30)
>>> outcome.error_type, outcome.items
(None, ())
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from tests.support.hostile.child import ACCESS_KEY, BEARER_TOKEN, CHANNEL_ID, ORGANIZATION_ID, WORKSPACE_ID

__all__ = ["CliOutcome", "ListingOutcome", "PageSeen", "error_lines", "list_command", "run_cli", "run_listing"]

REPOSITORY = Path(__file__).resolve().parents[3]
DEFAULT_MEMORY_MB = 768


@attrs.frozen
class PageSeen:
    """A page the child received: its token, next token, item count, and when (seconds after the start)."""

    token: str | None
    next_token: str | None
    count: int
    at: float


@attrs.frozen
class ListingOutcome:
    """What a listing in the child came to.

    ``error_type`` is the exception's class name (None: the listing finished); "ChildTimeout"
    when the parent had to kill the child, "ChildCrashed" when it printed no outcome.
    ``error_attributes`` holds those of ``status_code``, ``field``, ``limit``, ``reason`` and
    ``retry_after`` the error has. ``elapsed`` is measured in the child, ``peak_rss_mb`` too.
    """

    items: tuple[str, ...]
    pages: tuple[PageSeen, ...]
    error_type: str | None
    error_message: str | None
    resume_token: str | None
    error_attributes: Mapping[str, Any]
    elapsed: float
    peak_rss_mb: float
    stderr: str = attrs.field(repr=False)

    @property
    def page_tokens(self) -> tuple[str | None, ...]:
        """The token of every page received, in order (None for the first page)."""
        return tuple(page.token for page in self.pages)


@attrs.frozen
class CliOutcome:
    """The command line's exit code, its stderr split in lines, and its stdout."""

    exit_code: int
    stderr_lines: tuple[str, ...]
    stdout: str
    elapsed: float


def _child_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "tests.support.hostile.child", *arguments]


def _child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BIRD_", "OMNICHANNEL_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def run_listing(
    vendor: str,
    mode: str,
    base_url: str,
    *,
    client_options: Mapping[str, Any] | None = None,
    listing_options: Mapping[str, Any] | None = None,
    credential: str | None = None,
    credential_options: Mapping[str, Any] | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
    timeout: float = 60.0,
) -> ListingOutcome:
    """List conversations of ``vendor`` ("bird", "omnichannel") in ``mode`` ("sync", "async").

    ``client_options`` are the client's keyword arguments as JSON (``retry_policy`` as a dict
    of ``RetryPolicy`` fields; default ``max_retries=0``); ``listing_options`` those of
    ``list_conversations``; ``credential`` names an entry of ``child.CREDENTIALS``
    (Omnichannel only). The child may use ``memory_mb`` of address space and run ``timeout`` s.
    """
    spec = {
        "vendor": vendor, "mode": mode, "base_url": base_url, "client_options": dict(client_options or {}),
        "listing_options": dict(listing_options or {}), "credential": credential,
        "credential_options": dict(credential_options or {}), "memory_mb": memory_mb,
    }  # fmt: skip
    try:
        finished = subprocess.run(
            _child_command("listing", json.dumps(spec)),
            cwd=REPOSITORY, env=_child_env(), capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as expired:
        return _failed("ChildTimeout", f"killed after {timeout} s", _text(expired.stderr), timeout)
    lines = finished.stdout.strip().splitlines()
    try:
        raw: dict[str, Any] = json.loads(lines[-1])
    except (IndexError, ValueError):
        return _failed("ChildCrashed", f"exit code {finished.returncode}", finished.stderr, 0.0)
    return ListingOutcome(
        items=tuple(raw["items"]),
        pages=tuple(PageSeen(**page) for page in raw["pages"]),
        error_type=raw["error_type"],
        error_message=raw["error_message"],
        resume_token=raw["resume_token"],
        error_attributes=raw["error_attributes"],
        elapsed=raw["elapsed"],
        peak_rss_mb=raw["peak_rss_mb"],
        stderr=finished.stderr,
    )


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def _failed(error_type: str, message: str, stderr: str, elapsed: float) -> ListingOutcome:
    return ListingOutcome(
        items=(), pages=(), error_type=error_type, error_message=f"{message}; stderr: {stderr[-2000:]}",
        resume_token=None, error_attributes={}, elapsed=elapsed, peak_rss_mb=0.0, stderr=stderr,
    )  # fmt: skip


def run_cli(
    arguments: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
    timeout: float = 60.0,
) -> CliOutcome:
    """Run ``python -m conversation_clients <arguments>`` in a bounded child; ``env`` adds variables.

    A child killed at ``timeout`` reports exit code -9 and a last stderr line saying so.
    """
    import time

    started = time.monotonic()
    try:
        finished = subprocess.run(
            _child_command("cli", str(memory_mb), *arguments),
            cwd=REPOSITORY, env=_child_env(env), capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as expired:
        lines = (*_text(expired.stderr).splitlines(), f"(killed after {timeout} s)")
        return CliOutcome(exit_code=-9, stderr_lines=lines, stdout=_text(expired.stdout), elapsed=timeout)
    return CliOutcome(
        exit_code=finished.returncode,
        stderr_lines=tuple(finished.stderr.splitlines()),
        stdout=finished.stdout,
        elapsed=time.monotonic() - started,
    )


def list_command(vendor: str, base_url: str, *options: str) -> tuple[list[str], dict[str, str]]:
    """The arguments and environment of ``VENDOR list`` against ``base_url``, without retries."""
    if vendor == "bird":
        arguments = ["bird", "list", "--base-url", base_url, "--workspace-id", WORKSPACE_ID]
        env = {"BIRD_ACCESS_KEY": ACCESS_KEY}
    else:
        arguments = ["omnichannel", "list", "--base-url", base_url,
                     "--organization-id", ORGANIZATION_ID, "--channel-id", CHANNEL_ID]  # fmt: skip
        env = {"OMNICHANNEL_TOKEN": BEARER_TOKEN}
    return [*arguments, "--max-retries", "0", *options], env


def error_lines(lines: tuple[str, ...]) -> list[str]:
    """The error lines; the CLI adds a resume hint (not an error) after the one error line."""
    return [line for line in lines if "error:" in line]
