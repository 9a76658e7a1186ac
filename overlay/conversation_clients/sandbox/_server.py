"""The sandbox's core: every registered vendor's fake API behind one dispatch, with faults.

:class:`SandboxServer` builds the fake API of each vendor registered in the sandbox's registry
(:mod:`conversation_clients.sandbox._fake_registry`), in registration order, and sends each request to
the first that serves its path. Every way in (the in-process transports,
:meth:`SandboxServer.handle` and the loopback server of :meth:`SandboxServer.serve`) goes through
:meth:`SandboxServer.reply`, which decides the answer without I/O; the ways in only sleep and
send. A HEAD is answered there too, as the GET would be without its body, so that every way in
answers it alike. :class:`~conversation_clients.sandbox.Sandbox` adds the vendors' own
conveniences (their ids, credentials and clients). Nothing here names a vendor.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Generator, Iterable
from contextlib import contextmanager
from typing import Final, TypeVar

import attrs
import httpx

from conversation_clients.loopback import DropConnection
from conversation_clients.loopback import serve as serve_on_loopback
from conversation_clients.sandbox._fake import SandboxSetup, VendorApi, VendorFake
from conversation_clients.sandbox._fake_registry import vendor_fakes
from conversation_clients.sandbox._faults import FaultDecider, Faults
from conversation_clients.sandbox._responses import head_response

__all__ = ["NO_FAULTS", "Reply", "SandboxServer", "vendor_apis"]

#: The default: no faults (a frozen value, so one instance serves every sandbox).
NO_FAULTS: Final = Faults()
_DROPPED: Final = "Server disconnected without sending a response."  # httpcore's words for it

ApiT = TypeVar("ApiT")


@attrs.frozen
class Reply:
    """The sandbox's answer to one request: ``response`` after ``delay`` seconds.

    ``response`` is None when the connection is to be closed without any response.

    >>> Reply(response=None, delay=0.0).dropped
    True
    """

    response: httpx.Response | None
    delay: float

    @property
    def dropped(self) -> bool:
        """True when the connection is closed instead of answered."""
        return self.response is None


def vendor_apis(setup: SandboxSetup, fakes: Iterable[VendorFake]) -> tuple[VendorApi, ...]:
    """The fake API of each of ``fakes``, built from ``setup``, in their order.

    >>> from conversation_clients.sandbox._tokens import PageTokens
    >>> apis = vendor_apis(SandboxSetup(seed=0, tokens=PageTokens.for_seed(0), conversations=3), vendor_fakes().values())
    >>> len(apis) == len(vendor_fakes())
    True
    """
    return tuple(fake.api(setup) for fake in fakes)


class SandboxServer:
    """Every registered vendor's fake API (or those of ``fakes``), in-process or on loopback, with faults.

    Each request goes to the first fake that serves its path; a path none serves gets the last
    one's answer (its 401 or 404). The rate limit and the faults apply to every vendor alike.

    >>> from conversation_clients.sandbox._tokens import PageTokens
    >>> server = SandboxServer(SandboxSetup(seed=0, tokens=PageTokens.for_seed(0), conversations=3))
    >>> server.handle(httpx.Request("GET", "https://x/nowhere")).status_code
    401
    """

    def __init__(
        self, setup: SandboxSetup, *, faults: Faults = NO_FAULTS, fakes: Iterable[VendorFake] | None = None
    ) -> None:
        self._fakes = tuple(vendor_fakes().values() if fakes is None else fakes)
        self._apis = vendor_apis(setup, self._fakes)
        if not self._apis:
            raise ValueError("no vendor's fake is registered (sandbox._fake_registry.FAKE_MODULES)")
        self._setup = setup
        self._growth_lock = threading.Lock()
        self._faults = faults
        self._decider = FaultDecider(faults)
        self._count_lock = threading.Lock()
        self._request_count = 0

    @property
    def apis(self) -> tuple[VendorApi, ...]:
        """The vendors' fake APIs, in the order requests are offered to them."""
        return self._apis

    def api_of(self, kind: type[ApiT]) -> ApiT:
        """The fake API of class ``kind`` (``LookupError`` if no registered vendor has one)."""
        for api in self._apis:
            if isinstance(api, kind):
                return api
        raise LookupError(f"no registered vendor's sandbox is a {kind.__name__}")

    @property
    def faults(self) -> Faults:
        """The faults injected."""
        return self._faults

    @property
    def seed(self) -> int:
        """The seed of the data and the page tokens."""
        return self._setup.seed

    @property
    def conversations(self) -> int:
        """How many conversations each target (workspace, channel...) holds now."""
        return self._setup.conversations

    def add_conversations(self, count: int) -> None:
        """Give every target ``count`` more conversations, each listed after those it had.

        Every vendor's fake is built again from the setup with the larger count, the rest of it
        unchanged: the conversations it had stay as they were (same ids, same data, and page
        tokens handed out before still resume), and the new ones come after them in each listing.
        A request already being answered gets the old answer; every later one, the new. Where a
        listing comes oldest first (Omnichannel) the new conversations are the newest; where it
        comes newest first (Bird) they are older than the others, as if history had been
        imported, and they have their messages.

        >>> from conversation_clients.sandbox._tokens import PageTokens
        >>> server = SandboxServer(SandboxSetup(seed=0, tokens=PageTokens.for_seed(0), conversations=3))
        >>> server.add_conversations(2)
        >>> server.conversations
        5
        """
        # caller input, checked at run time whatever the annotation says
        if isinstance(count, bool) or not isinstance(count, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"count must be an int, not {type(count).__name__}")
        if count < 0:
            raise ValueError(f"count must be 0 or more, got {count}")
        with self._growth_lock:  # two callers at once both count
            setup = attrs.evolve(self._setup, conversations=self._setup.conversations + count)
            apis = vendor_apis(setup, self._fakes)
            # one assignment each: a request reads the tuple once (_api_for)
            self._setup, self._apis = setup, apis

    # -- answering ---------------------------------------------------------------------------

    @property
    def request_count(self) -> int:
        """How many requests the sandbox has answered (faults and drops included)."""
        with self._count_lock:
            return self._request_count

    def reset_counts(self) -> None:
        """Set :attr:`request_count` back to 0 (faults and rate limiting keep their state)."""
        with self._count_lock:
            self._request_count = 0

    def reply(self, request: httpx.Request, *, now: float | None = None) -> Reply:
        """Decide the answer to ``request``, without sleeping or sending anything.

        Order: the rate limit (every request counts, as at a gateway), then the vendor's own
        checks and answer, then, only for an answer that would have succeeded, a random fault.
        A HEAD gets whatever a GET would have got, without the body (its Content-Length kept).
        ``now`` is the monotonic clock reading for the rate limit (default: now).

        >>> from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_WORKSPACE_ID, Sandbox
        >>> sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("drop",)))
        >>> request = httpx.Request("GET", f"https://x/workspaces/{SANDBOX_WORKSPACE_ID}/conversations",
        ...                         headers={"Authorization": f"AccessKey {SANDBOX_BIRD_ACCESS_KEY}"})
        >>> sandbox.reply(request).dropped
        True
        """
        with self._count_lock:
            self._request_count += 1
        response = self._answer(request, now=time.monotonic() if now is None else now)
        if response is not None and request.method == "HEAD":
            response = head_response(response)
        return Reply(response, self._faults.latency)

    def _answer(self, request: httpx.Request, *, now: float) -> httpx.Response | None:
        api = self._api_for(request.url.path)
        wait = self._decider.admit(now=now)
        if wait is not None:
            return api.rate_limited(wait)
        response = api.answer(request)
        if response.status_code == 200:
            kind = self._decider.draw()
            if kind == "drop":
                return None
            if kind is not None:
                response = api.fault(kind, retry_after_seconds=self._faults.retry_after_seconds)
        return response

    def _api_for(self, path: str) -> VendorApi:
        # A path no vendor claims gets the last vendor's answer (its 401 or 404).
        apis = self._apis
        return next((api for api in apis if api.serves(path)), apis[-1])

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request``, sleeping for the latency first; blocks the calling thread.

        Raises :class:`~conversation_clients.loopback.DropConnection` when the fault is a
        dropped connection. This is the handler :meth:`serve` runs.

        >>> from conversation_clients.sandbox import Sandbox
        >>> Sandbox().handle(httpx.Request("GET", "https://x/nowhere")).status_code
        401
        """
        reply = self.reply(request)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.response is None:
            raise DropConnection
        return reply.response

    def transport(self) -> httpx.BaseTransport:
        """An in-process transport for ``httpx.Client``; a dropped connection raises ``httpx.RemoteProtocolError``.

        >>> from conversation_clients.sandbox import Sandbox
        >>> with httpx.Client(transport=Sandbox().transport()) as http:
        ...     http.get("https://any.host/workspaces").json()["code"]
        'Unauthorized'
        """
        return _SandboxTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """An in-process transport for ``httpx.AsyncClient``; latency is an ``asyncio.sleep``.

        Example::

            async with httpx.AsyncClient(transport=sandbox.async_transport()) as http:
                response = await http.get("https://any.host/api/v1.0/consumer/conversations")
        """
        return _AsyncSandboxTransport(self)

    @contextmanager
    def serve(self, *, host: str = "127.0.0.1", port: int = 0) -> Generator[str, None, None]:
        """Serve the sandbox over real HTTP on loopback and yield the base URL (port 0: any free one).

        >>> from conversation_clients.sandbox import Sandbox
        >>> with Sandbox().serve() as base_url:
        ...     httpx.get(f"{base_url}/api/v1.0/consumer/conversations").status_code
        401
        """
        with serve_on_loopback(self.handle, host=host, port=port) as base_url:
            yield base_url


# What httpcore reports through a request's "trace" extension once a request has been written
# out; the in-process transports report it too, before the latency, as a network would.
_REQUEST_WRITTEN = ("http11.send_request_headers.complete", "http11.send_request_body.complete")


class _SandboxTransport(httpx.BaseTransport):
    def __init__(self, sandbox: SandboxServer) -> None:
        self._sandbox = sandbox

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        trace = request.extensions.get("trace")
        if trace is not None:
            for event in _REQUEST_WRITTEN:
                trace(event, {})
        try:
            return self._sandbox.handle(request)
        except DropConnection:
            raise httpx.RemoteProtocolError(_DROPPED, request=request) from None


class _AsyncSandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, sandbox: SandboxServer) -> None:
        self._sandbox = sandbox

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        trace = request.extensions.get("trace")
        if trace is not None:
            for event in _REQUEST_WRITTEN:
                await trace(event, {})
        reply = self._sandbox.reply(request)
        if reply.delay:
            await asyncio.sleep(reply.delay)  # never time.sleep here: it would stall the event loop
        if reply.response is None:
            raise httpx.RemoteProtocolError(_DROPPED, request=request)
        return reply.response
