"""Runs one listing (or the command line) in a child process with an address-space limit.

Started by :mod:`tests.support.hostile.harness`, never imported by a test: ``python -m
tests.support.hostile.child listing '<spec as JSON>'`` prints one JSON outcome as its last stdout line;
``python -m tests.support.hostile.child cli <memory_mb> <arguments...>`` runs ``python -m
conversation_clients <arguments...>`` under the same limit.

Things JSON cannot carry are NAMED fixtures: add a credential behaviour to :data:`CREDENTIALS`
(a factory taking the spec's ``credential_options`` dict) and pass its name as ``credential=``.
"""

from __future__ import annotations

import resource
import sys


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


if __name__ == "__main__" and len(sys.argv) > 2 and sys.argv[1] == "cli":
    _limit_memory(int(sys.argv[2]))  # before anything else is imported
elif __name__ == "__main__" and len(sys.argv) > 2 and sys.argv[1] == "listing":
    import json as _json

    _limit_memory(int(_json.loads(sys.argv[2]).get("memory_mb", 768)))

import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import runpy  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any, NamedTuple  # noqa: E402

from conversation_clients import AsyncBirdClient, AsyncOmnichannelClient, BirdClient, OmnichannelClient  # noqa: E402
from conversation_clients.auth import BearerTokenSource  # noqa: E402
from conversation_clients.pagination import AsyncPager, Page, SyncPager  # noqa: E402
from conversation_clients.retry import RetryPolicy  # noqa: E402

ACCESS_KEY = "bird-key-s3cr3t-DO-NOT-LEAK"
BEARER_TOKEN = "entra-token-s3cr3t-DO-NOT-LEAK"
WORKSPACE_ID = "e58899bf-1e8d-4ff7-b9db-a60befaf90d2"
ORGANIZATION_ID = "11111111-2222-3333-4444-555555555555"
CHANNEL_ID = "66666666-7777-8888-9999-000000000000"

#: Error attributes copied into the outcome when the error has them.
ERROR_ATTRIBUTES = ("status_code", "field", "limit", "reason", "retry_after")


class _Token(NamedTuple):
    token: str
    expires_on: int


def _slow_after_first(options: dict[str, Any]) -> BearerTokenSource:
    """``get_token`` answers at once the first time, then blocks ``seconds`` each time; tokens
    expire at once (``expires_on`` now), so every request fetches one."""
    seconds = float(options.get("seconds", 6.0))
    calls = 0
    lock = threading.Lock()

    class SlowCredential:
        def get_token(self, *scopes: str) -> _Token:
            nonlocal calls
            with lock:
                calls += 1
                first = calls == 1
            if not first:
                time.sleep(seconds)
            return _Token(BEARER_TOKEN, int(time.time()))

    return SlowCredential()


def _async_slow_after_first(options: dict[str, Any]) -> BearerTokenSource:
    """The async twin of ``slow_after_first``: ``get_token`` awaits ``seconds`` after the first call."""
    seconds = float(options.get("seconds", 6.0))
    calls = 0

    class AsyncSlowCredential:
        async def get_token(self, *scopes: str) -> _Token:
            nonlocal calls
            calls += 1
            if calls > 1:
                await asyncio.sleep(seconds)
            return _Token(BEARER_TOKEN, int(time.time()))

    return AsyncSlowCredential()


def _failing_after(options: dict[str, Any]) -> BearerTokenSource:
    """``get_token`` answers ``options["good"]`` times (default 1; tokens expire at once, so every
    request asks), then fails as ``options["failure"]`` says: "raises" (RuntimeError), "nan"
    (``expires_on`` NaN) or "not_a_string" (``.token`` an int)."""
    good, failure = int(options.get("good", 1)), str(options.get("failure", "raises"))
    calls = 0
    lock = threading.Lock()

    class FailingCredential:
        def get_token(self, *scopes: str) -> Any:
            nonlocal calls
            with lock:
                calls += 1
                failing = calls > good
            if not failing:
                return _Token(BEARER_TOKEN, int(time.time()))
            if failure == "nan":
                return _NumberToken(BEARER_TOKEN, float("nan"))
            if failure == "not_a_string":
                return _NumberToken(12345, time.time())  # type: ignore[arg-type]
            raise RuntimeError("the token service is down")

    return FailingCredential()


def _async_failing_after(options: dict[str, Any]) -> BearerTokenSource:
    """The async twin of ``failing_after``."""
    inner: Any = _failing_after(options)

    class AsyncFailingCredential:
        async def get_token(self, *scopes: str) -> Any:
            await asyncio.sleep(0)
            return inner.get_token(*scopes)

    return AsyncFailingCredential()


class _NumberToken(NamedTuple):
    token: str
    expires_on: float


def _new_token_each_call(options: dict[str, Any]) -> BearerTokenSource:
    """A token callable giving a new token each call: after a 401 the client refreshes and retries."""
    calls = 0

    def token() -> str:
        nonlocal calls
        calls += 1
        return f"{BEARER_TOKEN}-{calls}"

    return token


#: Credential behaviours by name; each factory takes the spec's ``credential_options``.
CREDENTIALS: dict[str, Callable[[dict[str, Any]], BearerTokenSource]] = {
    "static": lambda options: BEARER_TOKEN,
    "new_token_each_call": _new_token_each_call,
    "slow_after_first": _slow_after_first,
    "async_slow_after_first": _async_slow_after_first,
    "failing_after": _failing_after,
    "async_failing_after": _async_failing_after,
}


def _client(spec: dict[str, Any]) -> Any:
    options: dict[str, Any] = dict(spec.get("client_options") or {})
    if isinstance(options.get("retry_policy"), dict):
        options["retry_policy"] = RetryPolicy(**options["retry_policy"])
    options.setdefault("retry_policy", RetryPolicy(max_retries=0))
    sync = spec["mode"] == "sync"
    if spec["vendor"] == "bird":
        return (BirdClient if sync else AsyncBirdClient)(ACCESS_KEY, base_url=spec["base_url"], **options)
    credential = CREDENTIALS[spec.get("credential") or "static"](spec.get("credential_options") or {})
    omni = OmnichannelClient if sync else AsyncOmnichannelClient
    options.setdefault("polling_warning_interval", None)
    if not isinstance(credential, str) and not callable(credential):
        options.setdefault("scope", "https://example/.default")  # scopes go with credentials only
    return omni(spec["base_url"], organization_id=ORGANIZATION_ID, channel_id=CHANNEL_ID, token=credential, **options)


def _pager(client: Any, spec: dict[str, Any]) -> Any:
    listing: dict[str, Any] = dict(spec.get("listing_options") or {})
    if spec["vendor"] == "bird":
        listing.setdefault("workspace_id", WORKSPACE_ID)
    return client.list_conversations(**listing)


def _item_id(item: Any) -> str:
    return str(getattr(item, "id", None) or getattr(item, "conversationid", ""))


def _record_page(outcome: dict[str, Any], page: Page[Any], started: float) -> None:
    outcome["items"].extend(_item_id(item) for item in page.items)
    outcome["pages"].append(
        {"token": page.token, "next_token": page.next_token, "count": len(page.items), "at": time.monotonic() - started}
    )


def _run_sync(spec: dict[str, Any], outcome: dict[str, Any], started: float) -> None:
    with _client(spec) as client:
        pager: SyncPager[Any] = _pager(client, spec)
        for page in pager.pages():
            _record_page(outcome, page, started)


async def _run_async(spec: dict[str, Any], outcome: dict[str, Any], started: float) -> None:
    async with _client(spec) as client:
        pager: AsyncPager[Any] = _pager(client, spec)
        async for page in pager.pages():
            _record_page(outcome, page, started)


def run_listing(spec: dict[str, Any]) -> dict[str, Any]:
    """List as ``spec`` says; return the outcome (see ``harness.ListingOutcome``)."""
    outcome: dict[str, Any] = {"items": [], "pages": [], "error_type": None, "error_message": None,
                               "resume_token": None, "error_attributes": {}}  # fmt: skip
    started = time.monotonic()
    # the library's debug log lines go to stderr, where tests look for leaked secrets
    library_logger = logging.getLogger("conversation_clients")
    library_logger.setLevel(logging.DEBUG)
    library_logger.addHandler(logging.StreamHandler(sys.stderr))
    try:
        if spec["mode"] == "sync":
            _run_sync(spec, outcome, started)
        else:
            asyncio.run(_run_async(spec, outcome, started))
    except Exception as error:  # noqa: BLE001 - the outcome reports it
        sys.stderr.write(f"error repr: {error!r}\n")  # for the tests that look for leaked secrets
        outcome["error_type"] = type(error).__name__
        outcome["error_message"] = str(error)
        outcome["resume_token"] = getattr(error, "resume_token", None)
        outcome["error_attributes"] = {
            name: _jsonable(getattr(error, name)) for name in ERROR_ATTRIBUTES if hasattr(error, name)
        }
    outcome["elapsed"] = time.monotonic() - started
    outcome["peak_rss_mb"] = peak_rss_mb()
    return outcome


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MB.

    Read from ``VmHWM``, the high-water mark of this process image, not from ``ru_maxrss``:
    Linux carries ``ru_maxrss`` over from the parent through fork and exec, so under a test run
    that had grown to 350 MB every child reported at least that much.

    >>> 0 < peak_rss_mb() < 10_000
    True
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no procfs: an upper bound


def _jsonable(value: object) -> object:
    return value if value is None or isinstance(value, (str, int, float, bool)) else repr(value)


def main() -> None:
    """Entry point: ``listing <spec>`` or ``cli <memory_mb> <arguments...>``."""
    if sys.argv[1] == "cli":
        sys.argv = ["conversation-clients", *sys.argv[3:]]
        runpy.run_module("conversation_clients", run_name="__main__", alter_sys=True)
        return
    outcome = run_listing(json.loads(sys.argv[2]))
    sys.stdout.write(json.dumps(outcome) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
