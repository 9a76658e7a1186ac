"""Report on many Bird workspaces at once, as an operations team would: one typed downstream program.

It lists every workspace's conversations concurrently (``fan_out``), keeps under Bird's
documented 50 GET/s per workspace with one shared limiter (``BIRD_RATE_LIMIT``), counts retries
with a hook, and reads each page's metadata: the request id to quote to Bird's support, how many
attempts the page took, and the rate-limit headers the server sent. A workspace that fails does
not stop the others: it is reported with the token to resume it from.

    BIRD_ACCESS_KEY=... python examples/report_workspaces.py WORKSPACE_ID [WORKSPACE_ID ...]
    python examples/report_workspaces.py --sandbox 5 [--failure-rate 0.2]   # no account needed

It prints one JSON object per workspace, then exits 0 when every workspace was listed, 1 when
some were not.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from bird_conversations.models import Conversation
from conversation_clients import BIRD_RATE_LIMIT, AsyncBirdClient, RateLimiter, TargetFailure, fan_out
from conversation_clients.bird import BIRD_BASE_URL
from conversation_clients.pagination import AsyncPager
from conversation_clients.retry import RetryPolicy
from conversation_clients.sandbox import Faults, Sandbox
from conversation_clients.signals import Hooks, RetryEvent

__all__ = ["WorkspaceReport", "main", "report_workspaces"]


@dataclass
class WorkspaceReport:
    """What the listing of one workspace found, and what it cost."""

    workspace_id: str
    conversations: int = 0
    pages: int = 0
    retried_pages: int = 0
    by_status: Counter[str] = field(default_factory=Counter[str])
    request_ids: list[str] = field(default_factory=list[str])
    lowest_rate_limit_remaining: int | None = None
    failure: str | None = None
    resume_token: str | None = None

    def add(self, page_items: Sequence[Conversation]) -> None:
        self.conversations += len(page_items)
        self.by_status.update(conversation.status.value for conversation in page_items)

    def as_json(self) -> dict[str, object]:
        return {
            "workspace_id": self.workspace_id,
            "conversations": self.conversations,
            "pages": self.pages,
            "retried_pages": self.retried_pages,
            "by_status": dict(sorted(self.by_status.items())),
            "first_request_id": self.request_ids[0] if self.request_ids else None,
            "lowest_rate_limit_remaining": self.lowest_rate_limit_remaining,
            "failure": self.failure,
            "resume_token": self.resume_token,
        }


async def report_workspaces(
    client: AsyncBirdClient, workspaces: Sequence[str], *, concurrency: int = 8
) -> dict[str, WorkspaceReport]:
    """List every workspace, ``concurrency`` at a time; one report each, failures included.

    >>> async def one(client: AsyncBirdClient) -> int:
    ...     return len(await report_workspaces(client, []))
    """
    reports = {workspace: WorkspaceReport(workspace) for workspace in workspaces}

    def listing(workspace: str, token: str | None) -> AsyncPager[Conversation]:
        return client.list_conversations(workspace, limit=100, page_token=token)

    async with contextlib.aclosing(fan_out(workspaces, listing, concurrency=concurrency)) as results:
        async for result in results:
            report = reports[result.target]
            if isinstance(result, TargetFailure):  # this workspace stopped; the others go on
                report.failure = f"{type(result.error).__name__}: {result.error}"
                report.resume_token = result.resume_token
                continue
            page = result.page  # a TargetPage: the page and its response's metadata
            report.add(page.items)
            report.pages += 1
            if page.meta.attempts > 1:
                report.retried_pages += 1
            if page.meta.request_id is not None:
                report.request_ids.append(page.meta.request_id)
            remaining = page.meta.rate_limit.get("x-ratelimit-remaining")
            if remaining is not None and remaining.isdigit():
                lowest = report.lowest_rate_limit_remaining
                report.lowest_rate_limit_remaining = int(remaining) if lowest is None else min(lowest, int(remaining))
    return reports


async def _run(
    workspaces: Sequence[str], access_key: str, base_url: str, retries: Counter[str]
) -> list[WorkspaceReport]:
    def count_retry(event: RetryEvent) -> None:
        retries[event.reason] += 1

    limiter = RateLimiter(BIRD_RATE_LIMIT)  # shared by every listing of the client
    async with AsyncBirdClient(
        access_key,
        base_url=base_url,
        rate_limiter=limiter,
        hooks=Hooks(on_retry=count_retry),
        retry_policy=RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.05),
    ) as client:
        reports = await report_workspaces(client, workspaces)
    return list(reports.values())


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the report; 0 when every workspace was listed, 1 when some were not, 2 on a usage error."""
    out = sys.stdout if stdout is None else stdout
    parser = argparse.ArgumentParser(prog="report_workspaces", description="Report on many Bird workspaces at once.")
    parser.add_argument("workspaces", nargs="*", metavar="WORKSPACE_ID")
    parser.add_argument("--sandbox", type=int, metavar="N", help="list N workspaces of an embedded loopback sandbox")
    parser.add_argument("--failure-rate", type=float, default=0.0, help="sandbox faults (5xx, 429, resets)")
    args = parser.parse_args(argv)
    retries: Counter[str] = Counter()
    with contextlib.ExitStack() as stack:
        if args.sandbox is not None:
            workspaces = [str(uuid.UUID(int=number + 1)) for number in range(args.sandbox)]
            sandbox = Sandbox(workspaces=workspaces, faults=Faults(failure_rate=args.failure_rate, seed=7))
            base_url, access_key = stack.enter_context(sandbox.serve()), sandbox.bird_access_key
        else:
            workspaces, base_url = args.workspaces, os.environ.get("BIRD_BASE_URL", BIRD_BASE_URL)
            access_key = os.environ.get("BIRD_ACCESS_KEY", "")
            if not access_key or not workspaces:
                parser.print_usage(sys.stderr)
                print("report_workspaces: give workspace ids and BIRD_ACCESS_KEY, or --sandbox N", file=sys.stderr)
                return 2
        reports = asyncio.run(_run(workspaces, access_key, base_url, retries))
    for report in reports:
        print(json.dumps(report.as_json(), sort_keys=True), file=out)
    print(json.dumps({"retries": dict(sorted(retries.items()))}, sort_keys=True), file=out)
    return 0 if all(report.failure is None for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
