"""A 20-workspace fan-out under the sandbox's rate limit, with the client-side limiter on and off.

``python benchmarks/bench_fleet.py [--quick]`` prints one row in the shape of ``bench.py``'s rows
(``bench_fleet_rate_limit(quick)``: name, baseline_s, ours_s, target, plus the 429 counts):

- baseline: the time the server's rate allows for the fan-out's requests (requests / rate);
- ours: the fan-out's wall time with ``RateLimiter(RateLimit(overall=0.95 * rate))``, which
  must stay within 1.2 times the baseline, and get no 429;
- ``rate_limited_on`` / ``rate_limited_off``: the 429s the server answered with the limiter
  on, and to the same fan-out without it (counted at the server, which runs in another process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx

from bird_conversations.models import Conversation
from conversation_clients import AsyncBirdClient, AsyncPager
from conversation_clients.fleet import TargetFailure, TargetPage, fan_out
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY

WORKSPACES = [f"00000000-0000-4000-8000-{index:012d}" for index in range(20)]
PAGE_SIZE = 10
SERVER_RATE = 50.0  # requests a second, over all workspaces: Bird's per-workspace figure
LIMITER_SHARE = 0.95  # the limiter keeps this share of the server's rate: a margin for jitter
TARGET = 1.2

# The sandbox, counting the 429s it answers, served from its own process (a real server is
# another machine); GET /__stats returns the counts.
_SERVER = """
import json, signal, sys, threading
import httpx
from conversation_clients.loopback import serve
from conversation_clients.sandbox import Faults, Sandbox
options = json.loads(sys.argv[1])
sandbox = Sandbox(faults=Faults(requests_per_second=options["rate"]), workspaces=options["workspaces"],
                  conversations_per_workspace=options["conversations"])
stats = {"requests": 0, "rate_limited": 0}
lock = threading.Lock()
def handle(request):
    if request.url.path == "/__stats":
        with lock:
            return httpx.Response(200, json=stats)
    response = sandbox.handle(request)
    with lock:
        stats["requests"] += 1
        stats["rate_limited"] += response.status_code == 429
    return response
with serve(handle) as base_url:
    print(base_url, flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
"""


@contextlib.contextmanager
def counting_server(*, pages: int) -> Iterator[str]:
    """A rate-limited sandbox in another process; yields its base URL."""
    options = {"rate": SERVER_RATE, "workspaces": WORKSPACES, "conversations": pages * PAGE_SIZE}
    server = subprocess.Popen([sys.executable, "-c", _SERVER, json.dumps(options)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def rate_limited_so_far(base_url: str) -> int:
    """The 429s the server has answered so far."""
    count: int = httpx.get(f"{base_url}/__stats").json()["rate_limited"]
    return count


async def run_fan_out(base_url: str, limiter: RateLimiter | None) -> tuple[int, int]:
    """List every workspace at once; (pages listed, targets that failed)."""
    async with AsyncBirdClient(SANDBOX_BIRD_ACCESS_KEY, base_url=base_url, rate_limiter=limiter) as bird:

        def listing(workspace: str, token: str | None) -> AsyncPager[Conversation]:
            return bird.list_conversations(workspace, limit=PAGE_SIZE, page_token=token)

        pages = failed = 0
        async with contextlib.aclosing(fan_out(WORKSPACES, listing, concurrency=len(WORKSPACES))) as results:
            async for result in results:
                if isinstance(result, TargetPage):
                    pages += 1
                elif isinstance(result, TargetFailure):
                    failed += 1
        return pages, failed


def bench_fleet_rate_limit(quick: bool) -> dict[str, Any]:
    """20 workspaces at once under a 50 requests/s server: wall time with the limiter vs what the rate allows."""
    pages = 3 if quick else 5
    requests = len(WORKSPACES) * pages
    with counting_server(pages=pages) as base_url:
        time.sleep(1.0)  # let the server's window forget the start-up
        limiter = RateLimiter(RateLimit(overall=SERVER_RATE * LIMITER_SHARE))
        started = time.perf_counter()
        listed, failed = asyncio.run(run_fan_out(base_url, limiter))
        ours = time.perf_counter() - started
        assert (listed, failed) == (requests, 0), (listed, failed)
        rate_limited_on = rate_limited_so_far(base_url)
        time.sleep(1.0)  # a fresh window for the run without the limiter
        asyncio.run(run_fan_out(base_url, None))
        rate_limited_off = rate_limited_so_far(base_url) - rate_limited_on
    return {
        "name": f"fan-out at {SERVER_RATE:g}/s, limiter on vs rate",
        "baseline_s": requests / SERVER_RATE,
        "ours_s": ours,
        "target": TARGET,
        "rate_limited_on": rate_limited_on,
        "rate_limited_off": rate_limited_off,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 pages a workspace instead of 5")
    args = parser.parse_args(argv)
    row = bench_fleet_rate_limit(args.quick)
    row["ratio"] = row["ours_s"] / row["baseline_s"]
    verdict = "ok" if row["ratio"] <= row["target"] and row["rate_limited_on"] == 0 else "MISSED"
    print(
        f"| {row['name']} | {row['baseline_s'] * 1e3:.0f} ms | {row['ours_s'] * 1e3:.0f} ms | {row['ratio']:.2f} "
        f"| <= {row['target']} | {verdict} | 429s: {row['rate_limited_on']} with the limiter, "
        f"{row['rate_limited_off']} without |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
