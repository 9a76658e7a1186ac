"""Benchmarks, side by side: ``nox -s bench`` (or ``python benchmarks/bench.py``).

Each row measures the package against a baseline in the same process (and, for its reference
ratios, against more), all of them taking turns within each round and each keeping its best
round, and reports the ratio against the target of the issue that asked for it. Results are
printed as a table and written to ``.bench/results.json``. CPU rows count the process's CPU
time (all its threads); the sandbox always serves from another process, so the server's CPU and
memory never count. Compare ratios, not absolute numbers.

    python benchmarks/bench.py [--quick] [--runs N] [--json PATH] [--only ROW ...]

``--only`` takes a row's key or the start of keys (``parse`` runs ``parse-bird`` and
``parse-omnichannel``). ``--runs N`` runs the selection N times and prints each row's range.

Rows: every function in :data:`ROWS`, then each ``bench_<key>(quick)`` function of a
``benchmarks/bench_*.py`` file beside this one (or that file's own ``ROWS`` list), so a row
can be added in a file of its own. A row function returns a dict: ``name``, ``baseline_s``,
``ours_s`` and ``target`` (ours / baseline must be <= target; None: only a stretch goal),
optionally ``baseline`` (what the baseline is), ``measure`` (``CPU``, ``wall``...), ``unit``
(``s`` or ``bytes``), ``stretch``, ``target_note`` and ``reference`` (more ratios worth
showing, by label).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import json
import signal
import subprocess
import sys
import time
import traceback
import tracemalloc
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import httpx

from bird_conversations.models import ConversationPage
from conversation_clients import AsyncBirdClient, BirdClient, RetryPolicy, _fast_json
from conversation_clients._decoding import decode_model
from conversation_clients._operations.bird_conversations import LIST_CONVERSATIONS_SCHEMA as BIRD_PAGE_SCHEMA
from conversation_clients._operations.omnichannel_messaging import (
    LIST_CONVERSATIONS_SCHEMA as OMNICHANNEL_PAGE_SCHEMA,
)
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_WORKSPACE_ID, Sandbox
from omnichannel_messaging.models import ActiveConversationPage

Row = Callable[[bool], dict[str, Any]]

AUTH = {"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}", "Accept": "application/json"}
PAGE_SIZE = 100
ROUNDS = 5  # each listing row keeps its best of this many rounds (parse, with shorter runs, more)
QUICK_ROUNDS = 3
CPU_ROUNDS = 15
DEFAULT_LIMIT = 10  # what BirdClient asks for when no limit is given: Bird's documented default
NO_RETRIES = RetryPolicy(max_retries=0)
CPU = time.process_time  # every thread of this process: a prefetch thread's work counts too
WALL = time.perf_counter


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
        base_url = server.stdout.readline().strip()
        if not base_url:  # it died before serving (its traceback went to stderr, above)
            raise RuntimeError(f"the sandbox server exited with code {server.wait(timeout=10)} before serving")
        yield base_url
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        server.stdout.close()


def _best_of_each(repeats: int, *runs: Callable[[], object], clock: Callable[[], float] = WALL) -> list[float]:
    """The fastest of ``repeats`` rounds for each of ``runs``, in ``clock`` seconds: the least
    disturbed by the rest of the machine. The runs take turns within each round, so that a
    slower stretch of a shared machine weighs on every one alike."""
    best = [float("inf")] * len(runs)
    for _ in range(repeats):
        for index, run in enumerate(runs):
            gc.collect()
            started = clock()
            run()
            best[index] = min(best[index], clock() - started)
    return best


def _rounds(quick: bool) -> int:
    return QUICK_ROUNDS if quick else ROUNDS


def _cpu_rounds(quick: bool) -> int:
    """More rounds for the listing rows measured in CPU time, and for fan-out: on the VM the same
    listing's CPU time varies from one round to the next by up to a half (the host's load; 0.41
    to 0.77 s for one configuration in ten rounds), and a 5 % target needs a steadier best."""
    return QUICK_ROUNDS if quick else CPU_ROUNDS


def _collector_paused(run: Callable[[], object]) -> Callable[[], None]:
    """``run`` with Python's cyclic garbage collector paused, as our decoding pauses it while it
    builds a page's models: for a baseline given the same advantage (a reference, not a target)."""

    def paused() -> None:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            run()
        finally:
            if was_enabled:
                gc.enable()

    return paused


def _without_fast_decoder(run: Callable[[], object]) -> Callable[[], None]:
    """``run`` with the speedups extra's JSON decoder switched off: the standard-library path a
    plain install takes (the same values and errors, the tests hold it)."""

    def standard_library() -> None:
        saved = _fast_json.FAST_DECODER
        _fast_json.FAST_DECODER = None
        try:
            run()
        finally:
            _fast_json.FAST_DECODER = saved

    return standard_library


def _path(workspace: str) -> str:
    return f"/workspaces/{workspace}/conversations"


# --- parse: one page's bytes into models ----------------------------------------------------


class _Recorder(httpx.BaseTransport):
    """Keeps the bodies a client receives, so a row decodes exactly what a listing gets."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.bodies = inner, list[bytes]()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.bodies.append(response.read())
        return response


def bird_page_body(size: int = PAGE_SIZE) -> bytes:
    """The first page of a Bird listing of ``size`` conversations, as the sandbox sends it."""
    sandbox = Sandbox(conversations_per_workspace=size)
    recorder = _Recorder(sandbox.transport())
    with sandbox.bird_client(transport=recorder, prefetch=False) as bird:
        next(iter(bird.list_conversations(SANDBOX_WORKSPACE_ID, limit=size)))
    return recorder.bodies[0]


def omnichannel_page_body(size: int = 250) -> bytes:
    """The first page of an Omnichannel listing of ``size`` conversations, as the sandbox sends it."""
    sandbox = Sandbox(conversations_per_workspace=size)
    recorder = _Recorder(sandbox.transport())
    with sandbox.omnichannel_client(transport=recorder, prefetch=False) as omnichannel:
        next(iter(omnichannel.list_conversations(page_size=size)))
    return recorder.bodies[0]


def _parse_row(
    quick: bool,
    *,
    name: str,
    vendor: Any,
    body: bytes,
    ours: Callable[[bytes], Any],
    alternatives: Mapping[str, Callable[[bytes], Any]] | None = None,
) -> dict[str, Any]:
    """Ours against pydantic's ``model_validate_json``, CPU time, with reference ratios.

    In turns: ``json.loads``; pydantic's plain models, its MISSING-sentinel variant (see
    ``pydantic_baseline.py``) and its plain models with the collector paused; ours; when the
    speedups extra is installed, ours on the standard library's JSON decoder; and each of
    ``alternatives`` (designs measured, not shipped), which must build what ours builds.
    """
    alternatives = dict(alternatives or {})
    built = ours(body)
    for label, alternative in alternatives.items():
        if alternative(body) != built:
            raise AssertionError(f"{label} does not build the models ours builds")
    from pydantic_baseline import check_strictness, page_model  # pydantic: benchmark-only, imported here

    plain, missing = page_model(vendor), page_model(vendor, missing_sentinel=True)
    items = vendor.items_field
    check_strictness(
        vendor,
        body,
        ours=lambda data: getattr(ours(data), items),
        pydantic=lambda data: getattr(plain.model_validate_json(data), items),
        pydantic_missing=lambda data: getattr(missing.model_validate_json(data), items),
    )
    loops = 30 if quick else 100

    def repeated(decode: Callable[[bytes], object]) -> Callable[[], None]:
        def run() -> None:
            for _ in range(loops):
                decode(body)

        return run

    runs = {
        "json.loads": repeated(json.loads),
        "pydantic": repeated(plain.model_validate_json),
        "pydantic with MISSING": repeated(missing.model_validate_json),
        "ours": repeated(ours),
        "pydantic with the collector paused": _collector_paused(repeated(plain.model_validate_json)),
    }
    if getattr(_fast_json, "FAST_DECODER", None) is not None:  # the speedups extra's, when installed
        runs["ours without the speedups extra"] = _without_fast_decoder(repeated(ours))
    runs.update((label, repeated(alternative)) for label, alternative in alternatives.items())
    best = _best_of_each(5 if quick else 9, *runs.values(), clock=CPU)
    seconds = {label: run_s / loops for label, run_s in zip(runs, best, strict=True)}
    loads, theirs, ours_s = seconds["json.loads"], seconds["pydantic"], seconds["ours"]
    against_pydantic = ["ours without the speedups extra", *alternatives]
    return {
        "name": name,
        "baseline": "pydantic v2 model_validate_json",
        "measure": "CPU",
        "baseline_s": theirs,
        "ours_s": ours_s,
        "target": 1.0,
        "stretch": 0.8,
        "reference": {
            "ours / json.loads": ours_s / loads,
            "pydantic / json.loads": theirs / loads,
            "pydantic with MISSING / json.loads": seconds["pydantic with MISSING"] / loads,
            "ours / pydantic with the collector paused": ours_s / seconds["pydantic with the collector paused"],
            **{f"{label} / pydantic": seconds[label] / theirs for label in against_pydantic if label in seconds},
        },
    }


def bench_parse_bird(quick: bool) -> dict[str, Any]:
    """A 100-conversation Bird page into models: the clients' own decoding against pydantic v2.

    "Ours" is ``decode_model`` (UTF-8, JSON, the generated ``from_dict`` with every value
    checked, errors explained) into the page model the listing builds; pydantic's models are
    generated from the same corrected document (``pydantic_baseline.py``).
    """
    from pydantic_baseline import BIRD

    return _parse_row(
        quick,
        name="parse a 100-conversation Bird page",
        vendor=BIRD,
        body=bird_page_body(),
        ours=lambda data: decode_model(ConversationPage, data, status_code=200, schema=BIRD_PAGE_SCHEMA),
    )


def bench_parse_omnichannel(quick: bool) -> dict[str, Any]:
    """A 250-conversation Omnichannel page into models, as :func:`bench_parse_bird`, with the
    best design measured for it shown as a reference (:func:`omnichannel_struct_prototype`)."""
    from pydantic_baseline import OMNICHANNEL

    prototype = omnichannel_struct_prototype()
    return _parse_row(
        quick,
        name="parse a 250-conversation Omnichannel page",
        vendor=OMNICHANNEL,
        body=omnichannel_page_body(),
        ours=lambda data: decode_model(ActiveConversationPage, data, status_code=200, schema=OMNICHANNEL_PAGE_SCHEMA),
        alternatives={} if prototype is None else {"msgspec Struct prototype": prototype},
    )


def omnichannel_struct_prototype() -> Callable[[bytes], ActiveConversationPage] | None:
    """A design measured for the Omnichannel row and not shipped (None without msgspec).

    msgspec's typed decoding into Structs that mirror the page (UUIDs parsed in C, an unknown key
    refused, so that a real decoder would fall back to ``from_dict`` for it), then copied into
    the same attrs models, each date-time through the generated ``parse_datetime`` (msgspec's
    own rounds the seventh digit, and keeps no text). It would need a second generated decoder
    beside every ``from_dict``, and only with the speedups extra.
    """
    try:
        import msgspec
    except ImportError:
        return None
    from omnichannel_messaging.models import ActiveConversation
    from omnichannel_messaging.types import UNSET, parse_datetime

    # defstruct, not class statements: this module's annotations are strings, which msgspec
    # cannot resolve against a function's locals
    conversation = msgspec.defstruct(
        "Conversation", [("conversationid", uuid.UUID), ("timestamp", str)], forbid_unknown_fields=True
    )
    page_struct = msgspec.defstruct(
        "ConversationPageStruct",
        [("conversations", list[conversation]), ("continuationtoken", str | None | msgspec.UnsetType, msgspec.UNSET)],
        forbid_unknown_fields=True,
    )
    decoder: Any = msgspec.json.Decoder(page_struct)
    new = object.__new__

    def decode(data: bytes) -> ActiveConversationPage:
        decoded = decoder.decode(data)
        conversations = []
        for item in decoded.conversations:
            conversation = new(ActiveConversation)
            conversation.conversationid = item.conversationid
            conversation.timestamp = parse_datetime(item.timestamp)
            conversation.additional_properties = {}
            conversations.append(conversation)
        page = new(ActiveConversationPage)
        page.conversations = conversations
        token = decoded.continuationtoken
        page.continuationtoken = UNSET if isinstance(token, msgspec.UnsetType) else token
        page.additional_properties = {}
        return page

    return decode


# --- listings over loopback --------------------------------------------------------------------


def _bare_listing(base_url: str, workspace: str, limit: int = PAGE_SIZE) -> int:
    """httpx and ``json.loads``, nothing checked: the least any client can do."""
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


def _bare_pydantic_listing(base_url: str, workspace: str, page_model: Any, limit: int = PAGE_SIZE) -> int:
    """httpx and pydantic's ``model_validate_json``: what a user would write without this package."""
    count, token = 0, None
    validate_json = page_model.model_validate_json
    with httpx.Client(base_url=base_url, headers=AUTH) as client:
        while True:
            params: dict[str, Any] = {"limit": limit}
            if token:
                params["pageToken"] = token
            page = validate_json(client.get(_path(workspace), params=params).content)
            count += len(page.results)
            token = page.nextPageToken
            if not isinstance(token, str) or not token:  # absent is pydantic's MISSING
                return count


def _client_listing(
    base_url: str,
    workspace: str,
    limit: int | None = PAGE_SIZE,
    *,
    prefetch: bool | Literal["always"] = True,
    work: float = 0.0,
) -> int:
    with BirdClient(SANDBOX_BIRD_ACCESS_KEY, base_url=base_url, retry_policy=NO_RETRIES, prefetch=prefetch) as bird:
        if not work:
            return sum(1 for _ in bird.list_conversations(workspace, limit=limit))
        count = 0
        for page in bird.list_conversations(workspace, limit=limit).pages():
            count += len(page.items)
            time.sleep(work)  # the consumer's own work on the page
        return count


def _listing_pages(quick: bool) -> int:
    return 20 if quick else 100


def bench_listing_pydantic(quick: bool) -> dict[str, Any]:
    """Client CPU listing 100 pages of 100 over loopback (prefetch on, the default), against a
    bare httpx + pydantic loop over the same pages."""
    from pydantic_baseline import BIRD, page_model

    model = page_model(BIRD)
    pages = _listing_pages(quick)
    total = pages * PAGE_SIZE
    with served_elsewhere(conversations_per_workspace=total) as base_url:
        assert _bare_pydantic_listing(base_url, SANDBOX_WORKSPACE_ID, model) == total
        assert _client_listing(base_url, SANDBOX_WORKSPACE_ID) == total
        base, base_paused, ours = _best_of_each(
            _cpu_rounds(quick),
            lambda: _bare_pydantic_listing(base_url, SANDBOX_WORKSPACE_ID, model),
            _collector_paused(lambda: _bare_pydantic_listing(base_url, SANDBOX_WORKSPACE_ID, model)),
            lambda: _client_listing(base_url, SANDBOX_WORKSPACE_ID),
            clock=CPU,
        )
    return {
        "name": f"list {total:,} ({pages} pages of 100) over loopback",
        "baseline": "bare httpx + pydantic",
        "measure": "CPU",
        "baseline_s": base,
        "ours_s": ours,
        "target": 1.0,
        "reference": {"ours / the pydantic loop with the collector paused": ours / base_paused},
    }


def bench_listing_json(quick: bool) -> dict[str, Any]:
    """As :func:`bench_listing_pydantic`, against a bare httpx + ``json.loads`` loop (nothing checked)."""
    pages = _listing_pages(quick)
    total = pages * PAGE_SIZE
    with served_elsewhere(conversations_per_workspace=total) as base_url:
        assert _bare_listing(base_url, SANDBOX_WORKSPACE_ID) == total
        assert _client_listing(base_url, SANDBOX_WORKSPACE_ID) == total
        base, ours = _best_of_each(
            _cpu_rounds(quick),
            lambda: _bare_listing(base_url, SANDBOX_WORKSPACE_ID),
            lambda: _client_listing(base_url, SANDBOX_WORKSPACE_ID),
            clock=CPU,
        )
    return {
        "name": f"list {total:,} ({pages} pages of 100) over loopback",
        "baseline": "bare httpx + json.loads",
        "measure": "CPU",
        "baseline_s": base,
        "ours_s": ours,
        "target": None,  # issue 11 sets none here (it measured 2.5), only a stretch goal
        "stretch": 1.3,
    }


# --- prefetch ----------------------------------------------------------------------------------


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


def bench_prefetch_cpu_sync(quick: bool) -> dict[str, Any]:
    """What prefetch costs in CPU when there is nothing to hide: BirdClient, prefetch on (the
    default) against off, 100 pages of 100 from a server that answers at once (about 0.5 ms a
    page). The default waits for a page's fetch to keep the listing waiting 2 ms before it
    starts (``pagination.PrefetchGate``); ``prefetch="always"``, which starts on the first page
    whatever the server, is shown as a reference: what the hand-off between threads costs."""
    pages = _listing_pages(quick)
    total = pages * PAGE_SIZE
    with served_elsewhere(conversations_per_workspace=total) as base_url:
        assert _client_listing(base_url, SANDBOX_WORKSPACE_ID, prefetch=True) == total
        off, on, always = _best_of_each(
            _cpu_rounds(quick),
            lambda: _client_listing(base_url, SANDBOX_WORKSPACE_ID, prefetch=False),
            lambda: _client_listing(base_url, SANDBOX_WORKSPACE_ID, prefetch=True),
            lambda: _client_listing(base_url, SANDBOX_WORKSPACE_ID, prefetch="always"),
            clock=CPU,
        )
    return {
        "name": f"prefetch on, sync, {pages} pages of 100",
        "baseline": "prefetch off",
        "measure": "CPU",
        "baseline_s": off,
        "ours_s": on,
        "target": 1.05,
        "reference": {'prefetch="always" / off': always / off},
    }


def bench_prefetch_cpu_async(quick: bool) -> dict[str, Any]:
    """As :func:`bench_prefetch_cpu_sync`, with AsyncBirdClient."""
    pages = _listing_pages(quick)
    total = pages * PAGE_SIZE
    workspace = [SANDBOX_WORKSPACE_ID]
    with served_elsewhere(conversations_per_workspace=total) as base_url:
        assert asyncio.run(_async_listing(base_url, workspace, prefetch=True)) == total
        off, on = _best_of_each(
            _cpu_rounds(quick),
            lambda: asyncio.run(_async_listing(base_url, workspace, prefetch=False)),
            lambda: asyncio.run(_async_listing(base_url, workspace, prefetch=True)),
            clock=CPU,
        )
    return {
        "name": f"prefetch on, async, {pages} pages of 100",
        "baseline": "prefetch off",
        "measure": "CPU",
        "baseline_s": off,
        "ours_s": on,
        "target": 1.05,
    }


def _slow_consumer_row(quick: bool, kind: str, listing: Callable[[str, bool, float], int]) -> dict[str, Any]:
    """A consumer as slow as the server (20 ms a page each): ``listing(base_url, prefetch, work)``
    with prefetch on against off, wall time. Prefetch overlaps the two, so about 0.5 is expected."""
    pages, delay = (5 if quick else 20), 0.02
    with served_elsewhere(conversations_per_workspace=pages * PAGE_SIZE, faults={"latency": delay}) as base_url:
        base, ours = _best_of_each(
            _rounds(quick), lambda: listing(base_url, False, delay), lambda: listing(base_url, True, delay)
        )
    return {
        "name": f"prefetch, {kind}consumer as slow as the server, {pages} pages",
        "baseline": "prefetch off",
        "measure": "wall",
        "baseline_s": base,
        "ours_s": ours,
        "target": 0.6,
        "target_note": "about 0.5",
    }


def bench_prefetch_slow(quick: bool) -> dict[str, Any]:
    """A consumer as slow as the server, AsyncBirdClient (:func:`_slow_consumer_row`)."""
    return _slow_consumer_row(
        quick,
        "",
        lambda base_url, prefetch, work: asyncio.run(
            _async_listing(base_url, [SANDBOX_WORKSPACE_ID], prefetch=prefetch, work=work)
        ),
    )


def bench_prefetch_slow_sync(quick: bool) -> dict[str, Any]:
    """As :func:`bench_prefetch_slow`, with BirdClient: the default prefetch starts once page 1
    has kept the listing waiting, so every page after it overlaps the consumer's work."""
    return _slow_consumer_row(
        quick,
        "sync, ",
        lambda base_url, prefetch, work: _client_listing(base_url, SANDBOX_WORKSPACE_ID, prefetch=prefetch, work=work),
    )


# --- latency, memory, fan-out ------------------------------------------------------------------


def bench_latency_bound(quick: bool) -> dict[str, Any]:
    """Every page delayed 20 ms: BirdClient's wall time against a bare httpx + json.loads loop
    over the same pages, and both against the floor, pages x delay.

    At the client's default page size (Bird's, 10), so that the latency is what bounds the listing.
    """
    pages, delay = (10 if quick else 50), 0.02
    with served_elsewhere(conversations_per_workspace=pages * DEFAULT_LIMIT, faults={"latency": delay}) as base_url:
        bare, ours = _best_of_each(
            _rounds(quick),
            lambda: _bare_listing(base_url, SANDBOX_WORKSPACE_ID, DEFAULT_LIMIT),
            lambda: _client_listing(base_url, SANDBOX_WORKSPACE_ID, None),
        )
    floor = pages * delay
    return {
        "name": f"{pages} pages of 10, each delayed 20 ms",
        "baseline": "bare httpx + json.loads",
        "measure": "wall",
        "baseline_s": bare,
        "ours_s": ours,
        "target": 1.05,
        "reference": {f"ours / {pages} x 20 ms": ours / floor, f"bare / {pages} x 20 ms": bare / floor},
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
    """Peak memory streaming 10x more items (traced in the client's process only).

    50,000 against 5,000 (500 pages of 100 against 50): tracing every allocation makes a
    listing about eight times slower, and a leak of 20 bytes an item (1 MB) would still show.
    """
    small = 500 if quick else 5_000
    return {
        "name": f"peak memory, {small * 10:,} vs {small:,} items",
        "baseline": f"{small:,} items",
        "measure": "peak",
        "baseline_s": _peak_streaming(small),
        "ours_s": _peak_streaming(small * 10),
        "target": 1.2,
        "unit": "bytes",
    }


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
            _cpu_rounds(quick),
            lambda: asyncio.run(_async_listing(base_url, workspaces[:1], limit=None)),
            lambda: asyncio.run(_async_listing(base_url, workspaces, limit=None)),
        )
    return {
        "name": f"20 workspaces at once, {pages} pages of 10 each",
        "baseline": "1 workspace",
        "measure": "wall",
        "baseline_s": base,
        "ours_s": ours,
        "target": 2.0,
    }


#: The rows, in the order they run and print.
ROWS: list[Row] = [
    bench_parse_bird,
    bench_parse_omnichannel,
    bench_listing_pydantic,
    bench_listing_json,
    bench_prefetch_cpu_sync,
    bench_prefetch_cpu_async,
    bench_prefetch_slow,
    bench_prefetch_slow_sync,
    bench_latency_bound,
    bench_memory,
    bench_fan_out,
]


# --- the runner ----------------------------------------------------------------------------------


def row_key(row: Row) -> str:
    """The name ``--only`` knows a row by: its function's name without ``bench_``, dashed.

    >>> row_key(bench_parse_bird)
    'parse-bird'
    """
    return row.__name__.removeprefix("bench_").replace("_", "-")


def discover_rows(folder: Path) -> list[Row]:
    """:data:`ROWS`, then the rows of each ``bench_*.py`` file in ``folder``, by file name.

    A file's rows are its ``ROWS`` list if it has one, else its functions named ``bench_*``
    (defined in the file itself, not imported into it), in the order they are defined.
    """
    sys.modules.setdefault("bench", sys.modules[__name__])  # `import bench` there: this very module
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    rows = list(ROWS)
    for path in sorted(folder.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        found = getattr(module, "ROWS", None)
        if found is None:
            found = [
                value
                for name, value in vars(module).items()
                if name.startswith("bench_")
                and callable(value)
                and getattr(value, "__module__", None) == module.__name__
            ]
        rows.extend(row for row in found if row not in rows)
    return rows


def select(rows: Sequence[Row], only: Sequence[str] | None) -> list[Row]:
    """The rows ``--only`` names: a key, or the start of keys up to a dash.

    >>> [row_key(row) for row in select(ROWS, ["parse", "memory"])]
    ['parse-bird', 'parse-omnichannel', 'memory']
    >>> select(ROWS, ["pars"])
    Traceback (most recent call last):
    ...
    ValueError: no row is called 'pars' (rows: parse-bird, parse-omnichannel, listing-pydantic, listing-json, prefetch-cpu-sync, prefetch-cpu-async, prefetch-slow, prefetch-slow-sync, latency-bound, memory, fan-out)
    """
    if not only:
        return list(rows)
    keys = [row_key(row) for row in rows]
    for name in only:
        if not any(key == name or key.startswith(name + "-") for key in keys):
            raise ValueError(f"no row is called {name!r} (rows: {', '.join(keys)})")
    return [row for row, key in zip(rows, keys, strict=True) if any(key == n or key.startswith(n + "-") for n in only)]


def judged(row: dict[str, Any], key: str) -> dict[str, Any]:
    """A row function's result with its key, its ratio and whether the target (and stretch) hold.

    A target of None means the row has only a stretch goal (it "holds" whatever the ratio).

    >>> judged({"name": "x", "baseline_s": 2.0, "ours_s": 1.8, "target": 1.0, "stretch": 0.8}, "x")["verdict"]
    'holds (stretch 0.8 not met)'
    """
    ratio = row["ours_s"] / row["baseline_s"]
    target, stretch = row["target"], row.get("stretch")
    holds = target is None or ratio <= target
    stretch_met = stretch is not None and ratio <= stretch
    if not holds:
        verdict = "MISSED"
    elif stretch is None:
        verdict = "holds"
    elif target is None:
        verdict = "stretch met" if stretch_met else "stretch not met"
    else:
        verdict = "holds, stretch met" if stretch_met else f"holds (stretch {stretch} not met)"
    return {"key": key, **row, "ratio": ratio, "holds": holds, "stretch_met": stretch_met, "verdict": verdict}


def target_text(row: dict[str, Any]) -> str:
    """The target as the table shows it.

    >>> target_text({"target": 1.0, "stretch": 0.8})
    '<= 1.0 (stretch 0.8)'
    >>> target_text({"target": 0.6, "target_note": "about 0.5"})
    'about 0.5 (<= 0.6)'
    >>> target_text({"target": None, "stretch": 1.3})
    'stretch <= 1.3'
    """
    if "target_note" in row:
        return f"{row['target_note']} (<= {row['target']})"
    if row["target"] is None:
        return f"stretch <= {row['stretch']}"
    stretch = f" (stretch {row['stretch']})" if row.get("stretch") is not None else ""
    return f"<= {row['target']}{stretch}"


def _amount(row: dict[str, Any], value: float) -> str:
    if row.get("unit") == "bytes":
        return f"{value / 1e6:.2f} MB"
    return f"{value * 1e3:.3f} ms" if value < 0.01 else f"{value * 1e3:.1f} ms"


TABLE_HEADER = (
    "| row | benchmark | measure | baseline | baseline's | ours | ratio | target | verdict | also |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def table_line(row: dict[str, Any]) -> str:
    """One row of the results table."""
    if "error" in row:
        return f"| {row['key']} | | | | | | | | ERROR: {row['error']} | |"
    also = "; ".join(f"{label} {ratio:.2f}" for label, ratio in row.get("reference", {}).items())
    return (
        f"| {row['key']} | {row['name']} | {row.get('measure', 'wall')} | {row.get('baseline', '')} "
        f"| {_amount(row, row['baseline_s'])} | {_amount(row, row['ours_s'])} | {row['ratio']:.2f} "
        f"| {target_text(row)} | {row['verdict']} | {also} |"
    )


def summary(runs: Sequence[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each row's range over the runs: ratio min and max, and in how many runs its target held.

    >>> runs = [[{"key": "a", "name": "A", "ratio": 0.9, "holds": True, "stretch_met": False, "target": 1.0}],
    ...         [{"key": "a", "name": "A", "ratio": 1.1, "holds": False, "stretch_met": False, "target": 1.0}]]
    >>> [(s["key"], s["ratio_min"], s["ratio_max"], s["held"], s["runs"]) for s in summary(runs)]
    [('a', 0.9, 1.1, 1, 2)]
    """
    keys: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        for row in run:
            keys.setdefault(row["key"], []).append(row)
    result = []
    for key, rows in keys.items():
        measured = [row for row in rows if "error" not in row]
        ratios = [row["ratio"] for row in measured]
        first = measured[0] if measured else rows[0]
        references: dict[str, list[float]] = {}
        for row in measured:
            for label, ratio in row.get("reference", {}).items():
                references.setdefault(label, []).append(ratio)
        result.append(
            {
                "key": key,
                "name": first.get("name", ""),
                "target": first.get("target"),
                "target_text": target_text(first) if measured else "",
                "ratio_min": min(ratios) if ratios else None,
                "ratio_max": max(ratios) if ratios else None,
                "ratios": ratios,
                "reference_ranges": {label: [min(values), max(values)] for label, values in references.items()},
                "held": sum(1 for row in measured if row["holds"]),
                "has_target": first.get("target") is not None,
                "stretch_met": sum(1 for row in measured if row["stretch_met"]) if first.get("stretch") else None,
                "runs": len(rows),
                "errors": len(rows) - len(measured),
            }
        )
    return result


def summary_line(entry: dict[str, Any]) -> str:
    """One row of the ranges table."""
    if entry["ratio_min"] is None:
        return f"| {entry['key']} | | | | failed in every run | |"
    ratio = f"{entry['ratio_min']:.2f}" + (
        f"–{entry['ratio_max']:.2f}" if f"{entry['ratio_max']:.2f}" != f"{entry['ratio_min']:.2f}" else ""
    )
    verdicts = [f"held in {entry['held']} of {entry['runs']}"] if entry["has_target"] else []
    if entry["stretch_met"] is not None:
        verdicts.append(f"stretch met in {entry['stretch_met']} of {entry['runs']}")
    held = ", ".join(verdicts) + (f" ({entry['errors']} failed)" if entry["errors"] else "")
    also = "; ".join(f"{label} {low:.2f}–{high:.2f}" for label, (low, high) in entry["reference_ranges"].items())
    return f"| {entry['key']} | {entry['name']} | {ratio} | {entry['target_text']} | {held} | {also} |"


def run_row(row: Row, quick: bool) -> dict[str, Any]:
    """Run one row; a row that fails is reported as such (the other rows still run)."""
    started = time.perf_counter()
    try:
        result = judged(row(quick), row_key(row))
    except Exception as error:  # a broken row must not cost the rest of a long run
        traceback.print_exc()
        result = {"key": row_key(row), "error": f"{type(error).__name__}: {error}"}
    return {**result, "took_s": time.perf_counter() - started}


def main(argv: Sequence[str] | None = None, rows: Sequence[Row] | None = None) -> int:
    """Run the selected rows ``--runs`` times; print the tables and write the JSON file.

    Returns 1 when a row failed to run, else 0 (a missed target is a result, not a failure).
    """
    available = discover_rows(Path(__file__).resolve().parent) if rows is None else list(rows)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--runs", type=int, default=1, help="run the selection this many times and print ranges")
    parser.add_argument(
        "--json", type=Path, default=Path(".bench/results.json"), help="where to write every run's rows and the ranges"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="ROW",
        help="run only this row, or the rows whose key starts with it and a dash (repeatable): "
        + ", ".join(row_key(row) for row in available),
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        chosen = select(available, args.only)
    except ValueError as error:
        parser.error(str(error))
    runs: list[list[dict[str, Any]]] = []
    for run in range(args.runs):
        if args.runs > 1:
            print(f"\nrun {run + 1} of {args.runs}")
        print(TABLE_HEADER, flush=True)
        results = []
        for row in chosen:
            results.append(run_row(row, args.quick))
            print(table_line(results[-1]), flush=True)
        runs.append(results)
    ranges = summary(runs)
    if args.runs > 1:
        print(f"\nranges over {args.runs} runs (ratio, ours / baseline)")
        print("| row | benchmark | ratio | target | verdict | also |\n|---|---|---|---|---|---|")
        for entry in ranges:
            print(summary_line(entry))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    document = {"python": sys.version.split()[0], "quick": args.quick, "runs": runs, "ranges": ranges}
    args.json.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nwritten to {args.json}")
    return 1 if any(entry["errors"] for entry in ranges) else 0


if __name__ == "__main__":
    raise SystemExit(main())
