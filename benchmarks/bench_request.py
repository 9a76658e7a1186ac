"""Per-request CPU: a one-page listing over an in-memory transport, against a bare httpx GET plus ``json.loads``.

Two rows in the shape of ``bench.py``'s (found by it: ``bench_<key>(quick)``), one per vendor
(``--only request-cpu`` runs both), each against the least a caller could write for the same
request (issue 20: at most 1.25 times):

- ours: ``list(client.list_conversations(...))`` on ``httpx.MockTransport``, a listing whose one
  page is ``PAGE_ITEMS`` conversations as the sandbox sends them (no next token): the client's
  request building, retry flow, body cap, deadlines, hooks and spans (none set), page metadata,
  pager and models;
- baseline: ``json.loads(http.get(path, params=...).content)`` with an ``httpx.Client`` on the same
  transport, the same base URL, credential header and query, answered with the same body.

The transport answers at once and does no I/O, so what is measured is the work each side does
per request (``time.process_time``, per request, best of the rounds, the two taking turns). The
page holds no conversation by default: building models is what the parse rows measure, and each
conversation costs the same however many requests bring it; ``reference`` shows ours with one
conversation a page, and ours without the ``speedups`` extra (``json.loads`` for the body too).

    python benchmarks/bench_request.py [--quick]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

import httpx
from bench import CPU, _best_of_each, _without_fast_decoder

from conversation_clients.sandbox import SANDBOX_WORKSPACE_ID, Sandbox

TARGET = 1.25
#: Conversations on the page of the measured listing (see the module's docstring), and of the reference's.
PAGE_ITEMS = 0
REFERENCE_ITEMS = 1
REQUESTS = 2000
QUICK_REQUESTS = 200
ROUNDS = 5
QUICK_ROUNDS = 3


class _Recorder(httpx.BaseTransport):
    """The sandbox's transport, keeping each request and response body it sees."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.requests.append(request)
        self.bodies.append(response.read())
        return response


def _answering(body: bytes) -> httpx.MockTransport:
    headers = {"Content-Type": "application/json"}
    return httpx.MockTransport(lambda request: httpx.Response(200, content=body, headers=headers))


class _Vendor:
    """One vendor's listing, as the client makes it and as a bare httpx loop would."""

    def __init__(self, name: str, listing: Callable[[Any], Any], client: Callable[[Sandbox, Any], Any]) -> None:
        self.name, self.listing, self.client = name, listing, client

    def recorded(self, items: int) -> tuple[httpx.Request, bytes]:
        """The request the client sends for a one-page listing of ``items``, and the sandbox's answer."""
        sandbox = Sandbox(conversations_per_workspace=items)
        recorder = _Recorder(sandbox.transport())
        with self.client(sandbox, recorder) as client:
            assert sum(1 for _ in self.listing(client)) == items
        assert len(recorder.requests) == 1, "the page must be the listing's only one"
        return recorder.requests[0], recorder.bodies[0]

    def ours(self, body: bytes) -> tuple[Callable[[], int], Callable[[], None]]:
        """One listing per call, and how to close its client."""
        client = self.client(Sandbox(), _answering(body))
        return (lambda: sum(1 for _ in self.listing(client))), client.close

    def bare(self, request: httpx.Request, body: bytes) -> tuple[Callable[[], int], Callable[[], None]]:
        """The same GET with a plain ``httpx.Client``: base URL, credential and ``Accept`` on it, the query as params."""
        url = request.url
        headers = {name: request.headers[name] for name in ("Authorization", "Accept") if name in request.headers}
        headers.update({name: request.headers[name] for name in HELD_HEADERS.get(self.name, ())})
        http = httpx.Client(
            base_url=f"{url.scheme}://{url.netloc.decode()}", headers=headers, transport=_answering(body)
        )
        path, params = url.path, dict(url.params) or None
        key = ITEMS_FIELD[self.name]
        return (lambda: len(json.loads(http.get(path, params=params).content)[key])), http.close


ITEMS_FIELD = {"bird": "results", "omnichannel": "conversations"}
#: Omnichannel's organization and channel go in headers: a bare loop sends them too.
HELD_HEADERS = {"omnichannel": ("organization-id", "channel-id")}

BIRD = _Vendor(
    "bird",
    lambda bird: bird.list_conversations(SANDBOX_WORKSPACE_ID),
    lambda sandbox, transport: sandbox.bird_client(transport=transport),
)
OMNICHANNEL = _Vendor(
    "omnichannel",
    lambda omnichannel: omnichannel.list_conversations(),
    lambda sandbox, transport: sandbox.omnichannel_client(transport=transport),
)


def _request_row(quick: bool, vendor: _Vendor) -> dict[str, Any]:
    requests = QUICK_REQUESTS if quick else REQUESTS
    request, body = vendor.recorded(PAGE_ITEMS)
    _, reference_body = vendor.recorded(REFERENCE_ITEMS)
    ours, close_ours = vendor.ours(body)
    bare, close_bare = vendor.bare(request, body)
    ours_one, close_ours_one = vendor.ours(reference_body)
    bare_one, close_bare_one = vendor.bare(request, reference_body)
    try:
        assert ours() == bare() == PAGE_ITEMS and ours_one() == bare_one() == REFERENCE_ITEMS

        def repeated(run: Callable[[], int]) -> Callable[[], None]:
            def many() -> None:
                for _ in range(requests):
                    run()

            return many

        base, mine, mine_plain, base_one, mine_one = _best_of_each(
            QUICK_ROUNDS if quick else ROUNDS,
            repeated(bare),
            repeated(ours),
            _without_fast_decoder(repeated(ours)),
            repeated(bare_one),
            repeated(ours_one),
            clock=CPU,
        )
    finally:
        for close in (close_ours, close_bare, close_ours_one, close_bare_one):
            close()
    return {
        "name": f"{vendor.name}: a one-page listing ({PAGE_ITEMS} items), in-memory transport, per request",
        "baseline": "bare httpx GET + json.loads",
        "measure": "CPU",
        "baseline_s": base / requests,
        "ours_s": mine / requests,
        "target": TARGET,
        "reference": {
            "ours without msgspec": mine_plain / base,
            f"with {REFERENCE_ITEMS} conversation a page": mine_one / base_one,
        },
    }


def bench_request_cpu_bird(quick: bool) -> dict[str, Any]:
    """Bird: a one-page listing's CPU per request, against a bare httpx GET and ``json.loads``."""
    return _request_row(quick, BIRD)


def bench_request_cpu_omnichannel(quick: bool) -> dict[str, Any]:
    """Omnichannel: a one-page listing's CPU per request, against a bare httpx GET and ``json.loads``."""
    return _request_row(quick, OMNICHANNEL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REQUESTS} requests a round instead of {REQUESTS}")
    args = parser.parse_args(argv)
    for row in (bench_request_cpu_bird(args.quick), bench_request_cpu_omnichannel(args.quick)):
        ratio = row["ours_s"] / row["baseline_s"]
        also = "; ".join(f"{label} {value:.2f}" for label, value in row["reference"].items())
        print(
            f"| {row['name']} | {row['baseline_s'] * 1e6:.0f} us | {row['ours_s'] * 1e6:.0f} us | {ratio:.2f} "
            f"| <= {row['target']} | {'ok' if ratio <= row['target'] else 'MISSED'} | {also} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
