"""Benchmarks, side by side: ``nox -s bench`` (or ``python benchmarks/bench.py``).

Each row measures the package against a baseline doing the least possible work, and reports
the ratio; targets come from the issue that asked for them. Results are printed as a table
and written to ``.bench/results.json``. Timings are wall-clock on this machine: compare
ratios, not absolute numbers, and run on an idle machine.

    python benchmarks/bench.py [--quick] [--json PATH] [--only ROW ...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import signal
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from bird_conversations.models import ConversationPage
from conversation_clients import AsyncBirdClient, BirdClient, RetryPolicy
from conversation_clients._validation import decode_model
from conversation_clients.bird import PAGE_SCHEMA
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_WORKSPACE_ID, Sandbox

AUTH = {"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}", "Accept": "application/json"}
PAGE_SIZE = 100
ROUNDS = 5  # each listing row keeps its best of this many rounds (parse, with shorter runs, more)
DEFAULT_LIMIT = 10  # what BirdClient asks for when no limit is given: Bird's documented default
NO_RETRIES = RetryPolicy(max_retries=0)


_SERVER = """
import json, signal, sys
from conversation_clients.sandbox import Faults, Sandbox
options = json.loads(sys.argv[1])
faults = Faults(**options.pop("faults", {}))
with Sandbox(faults=faults, **options).serve() as base_url:
    print(base_url, flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
"""


@contextlib.contextmanager
def served_elsewhere(**options: Any) -> Iterator[str]:
    """A sandbox served from another process: a real server is another machine, so neither
    its CPU time nor its memory should count against the client, and it gets its own core."""
    server = subprocess.Popen([sys.executable, "-c", _SERVER, json.dumps(options)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def _best_of_each(repeats: int, *runs: Callable[[], object]) -> list[float]:
    """The fastest of ``repeats`` rounds for each of ``runs``, in seconds: the least disturbed by
    the rest of the machine. The runs take turns within each round, so that a slower stretch
    of a shared machine weighs on every one alike."""
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        for index, run in enumerate(runs):
            gc.collect()
            started = time.perf_counter()
            run()
            best[index] = min(best[index], time.perf_counter() - started)
    return best


def _path(workspace: str) -> str:
    return f"/workspaces/{workspace}/conversations"


def bench_parse(quick: bool) -> dict[str, Any]:
    """Decoding a 100-conversation Bird page into models, against json.loads of the same bytes.

    "Ours" is the clients' own decoding (``decode_model``: UTF-8, JSON, then the generated
    ``from_dict`` with its errors explained), so the row is what a listing pays per page.
    """
    sandbox = Sandbox(conversations_per_workspace=PAGE_SIZE)
    request = httpx.Request("GET", f"https://bench{_path(SANDBOX_WORKSPACE_ID)}?limit={PAGE_SIZE}", headers=AUTH)
    body = sandbox.handle(request).read()
    loops = 50 if quick else 300

    def baseline() -> None:
        for _ in range(loops):
            json.loads(body)

    def models() -> None:
        for _ in range(loops):
            decode_model(ConversationPage, body, status_code=200, schema=PAGE_SCHEMA)

    base, ours = (best / loops for best in _best_of_each(9, baseline, models))
    return {"name": "parse 100-conversation page", "baseline_s": base, "ours_s": ours, "target": 2.4}


def _bare_listing(base_url: str, workspace: str, limit: int = PAGE_SIZE) -> int:
    count, token = 0, None
    with httpx.Client(base_url=base_url, headers=AUTH) as client:
        while True:
            params: dict[str, Any] = {"limit": limit}
            if token:
                params["pageToken"] = token
            page = json.loads(client.get(_path(workspace), params=params).content)
            count += len(page["results"])
            token = page.get("nextPageToken")
            if not token:
                return count


def _client_listing(base_url: str, workspace: str, limit: int | None = PAGE_SIZE) -> int:
    with BirdClient(SANDBOX_BIRD_ACCESS_KEY, base_url=base_url, retry_policy=NO_RETRIES) as bird:
        return sum(1 for _ in bird.list_conversations(workspace, limit=limit))


def bench_listing(quick: bool) -> dict[str, Any]:
    """Listing over loopback HTTP through BirdClient, against a bare httpx + json.loads loop."""
    total = 2_000 if quick else 20_000
    with served_elsewhere(conversations_per_workspace=total) as base_url:
        assert _bare_listing(base_url, SANDBOX_WORKSPACE_ID) == total
        assert _client_listing(base_url, SANDBOX_WORKSPACE_ID) == total
        base, ours = _best_of_each(
            ROUNDS,
            lambda: _bare_listing(base_url, SANDBOX_WORKSPACE_ID),
            lambda: _client_listing(base_url, SANDBOX_WORKSPACE_ID),
        )
    return {"name": f"list {total:,} over loopback", "baseline_s": base, "ours_s": ours, "target": 1.3}


def bench_latency_bound(quick: bool) -> dict[str, Any]:
    """Every page delayed 20 ms: wall time against the physical floor, pages x delay.

    At the client's default page size (Bird's, 10), so that the latency is what bounds the
    listing. ``reference`` is a bare httpx + json.loads loop over the same pages: what this
    machine's loopback HTTP allows any client.
    """
    pages, delay = (10 if quick else 50), 0.02
    with served_elsewhere(conversations_per_workspace=pages * DEFAULT_LIMIT, faults={"latency": delay}) as base_url:
        bare, ours = _best_of_each(
            ROUNDS,
            lambda: _bare_listing(base_url, SANDBOX_WORKSPACE_ID, DEFAULT_LIMIT),
            lambda: _client_listing(base_url, SANDBOX_WORKSPACE_ID, None),
        )
    floor = pages * delay
    return {
        "name": f"{pages} pages, 20 ms each",
        "baseline_s": floor,
        "ours_s": ours,
        "target": 1.1,
        "reference": {"bare httpx loop": bare / floor},
    }


def _peak_streaming(total: int) -> int:
    with served_elsewhere(conversations_per_workspace=total) as base_url:
        with BirdClient(SANDBOX_BIRD_ACCESS_KEY, base_url=base_url, retry_policy=NO_RETRIES) as bird:
            gc.collect()
            tracemalloc.start()
            count = sum(1 for _ in bird.list_conversations(SANDBOX_WORKSPACE_ID, limit=PAGE_SIZE))
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    assert count == total
    return peak


def bench_memory(quick: bool) -> dict[str, Any]:
    """Peak memory streaming 10x more items (traced in the client's process only)."""
    small = 2_000 if quick else 20_000
    return {
        "name": f"peak memory, {small * 10:,} vs {small:,} items",
        "baseline_s": _peak_streaming(small),
        "ours_s": _peak_streaming(small * 10),
        "target": 1.2,
        "unit": "bytes",
    }


async def _async_listing(
    base_url: str, workspaces: list[str], *, prefetch: bool = True, work: float = 0.0, limit: int | None = PAGE_SIZE
) -> int:
    async with AsyncBirdClient(
        SANDBOX_BIRD_ACCESS_KEY, base_url=base_url, retry_policy=NO_RETRIES, prefetch=prefetch
    ) as bird:

        async def one(workspace: str) -> int:
            count = 0
            async for page in bird.list_conversations(workspace, limit=limit).pages():
                count += len(page.items)
                if work:
                    await asyncio.sleep(work)  # the consumer's own work on the page
            return count

        return sum(await asyncio.gather(*(one(workspace) for workspace in workspaces)))


def bench_fan_out(quick: bool) -> dict[str, Any]:
    """20 workspaces listed concurrently with AsyncBirdClient, against one workspace alone.

    10 pages of the default size (10) per workspace, 20 ms each (Bird allows 50 requests a
    second per workspace): what a fan-out is bound by, the pages' latency, not parsing.
    """
    workspaces = [f"00000000-0000-4000-8000-{index:012d}" for index in range(20)]
    pages = 3 if quick else 10
    with served_elsewhere(
        conversations_per_workspace=pages * DEFAULT_LIMIT, workspaces=workspaces, faults={"latency": 0.02}
    ) as base_url:
        base, ours = _best_of_each(
            ROUNDS,
            lambda: asyncio.run(_async_listing(base_url, workspaces[:1], limit=None)),
            lambda: asyncio.run(_async_listing(base_url, workspaces, limit=None)),
        )
    return {"name": "20 workspaces at once vs 1", "baseline_s": base, "ours_s": ours, "target": 2.0}


def bench_prefetch(quick: bool) -> dict[str, Any]:
    """A consumer as slow as the server: with prefetch, against without (about 0.5 expected)."""
    pages, delay = (5 if quick else 20), 0.02
    workspace = [SANDBOX_WORKSPACE_ID]
    with served_elsewhere(conversations_per_workspace=pages * PAGE_SIZE, faults={"latency": delay}) as base_url:
        base, ours = _best_of_each(
            ROUNDS,
            lambda: asyncio.run(_async_listing(base_url, workspace, prefetch=False, work=delay)),
            lambda: asyncio.run(_async_listing(base_url, workspace, prefetch=True, work=delay)),
        )
    return {"name": "prefetch: slow consumer, on vs off", "baseline_s": base, "ours_s": ours, "target": 0.6}


BENCHMARKS = [bench_parse, bench_listing, bench_latency_bound, bench_memory, bench_fan_out, bench_prefetch]


def _format(row: dict[str, Any]) -> str:
    unit = row.get("unit", "s")
    show: Callable[[float], str] = (
        (lambda v: f"{v / 1e6:8.2f} MB") if unit == "bytes" else (lambda v: f"{v * 1e3:8.1f} ms")
    )
    verdict = "ok" if row["ratio"] <= row["target"] else "MISSED"
    return (
        f"| {row['name']:<36} | {show(row['baseline_s'])} | {show(row['ours_s'])} "
        f"| {row['ratio']:5.2f} | <= {row['target']:<4} | {verdict:<6} |"
    )


def _row_key(bench: Callable[[bool], dict[str, Any]]) -> str:
    """The name ``--only`` knows a row by: its function's name without ``bench_`` (``parse``)."""
    return bench.__name__.removeprefix("bench_").replace("_", "-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--json", type=Path, default=Path(".bench/results.json"))
    parser.add_argument(
        "--only",
        action="append",
        choices=[_row_key(bench) for bench in BENCHMARKS],
        metavar="ROW",
        help="run only this row (repeatable): " + ", ".join(_row_key(bench) for bench in BENCHMARKS),
    )
    args = parser.parse_args(argv)
    rows = []
    print("| benchmark                            | baseline    | ours        | ratio | target  | verdict |")
    print("|---|---|---|---|---|---|")
    for bench in BENCHMARKS:
        if args.only and _row_key(bench) not in args.only:
            continue
        row = bench(args.quick)
        row["ratio"] = row["ours_s"] / row["baseline_s"]
        rows.append(row)
        print(_format(row), flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"python": sys.version.split()[0], "quick": args.quick, "results": rows}, indent=2) + "\n"
    )
    for row in rows:
        for label, ratio in row.get("reference", {}).items():
            print(f"reference for {row['name']!r}: a {label} measures {ratio:.2f}")
    print(f"\nwritten to {args.json}; median ratio {statistics.median(row['ratio'] for row in rows):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
