"""What the export's tests share: the workspaces they export, the sandbox served on loopback, and
the command line run in-process."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from conversation_clients.cli import main
from conversation_clients.loopback import serve
from conversation_clients.sandbox import Sandbox

WORKSPACES = (
    "0a1b2c3d-0000-4000-8000-000000000001",
    "0a1b2c3d-0000-4000-8000-000000000002",
    "0a1b2c3d-0000-4000-8000-000000000003",
)


def bird_file(workspace: str) -> str:
    return f"bird-{workspace}.jsonl"


@contextmanager
def served(
    sandbox: Sandbox, *, failing: Callable[[httpx.Request], bool] = lambda request: False
) -> Generator[tuple[str, list[str]], None, None]:
    """``sandbox`` on loopback, answering 503 to the requests ``failing`` picks; yields its URL and the paths asked."""
    asked: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if failing(request):
            return httpx.Response(503, json={"code": "unavailable", "message": "try later"})
        return sandbox.handle(request)

    with serve(handle) as base_url:
        yield base_url, asked


def run_main(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> bytes:
    """What ``list`` prints for the same data."""
    code, out, _ = run_main(argv, capsys)
    assert code == 0
    return out.encode("utf-8")


def bird_export(base_url: str, out: Path, *extra: str, workspaces: Sequence[str] = WORKSPACES) -> list[str]:
    ids = [part for workspace in workspaces for part in ("--workspace-id", workspace)]
    return ["bird", "export", *ids, "--base-url", base_url, "--out", str(out), "--limit", "7", *extra]
