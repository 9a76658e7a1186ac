"""Attempt deadlines for blocking I/O (:mod:`conversation_clients._deadline`): every wait is cut
to the time left, a dripping server meets the attempt deadline, and closing a client ends a read
that another thread is blocked in.
"""

from __future__ import annotations

import contextvars
import socket
import ssl
import threading
import time
import typing
from collections.abc import Iterable

import httpcore
import httpx
import pytest

from conversation_clients import BirdClient
from conversation_clients._checks import require_seconds
from conversation_clients._deadline import DeadlineBackend, WireCutter, attempt_deadline, cut_off_with, deadline_passed
from conversation_clients.loopback import serve as serve_loopback
from tests.support.hostile.harness import run_listing
from tests.support.hostile.pages import MODES, VENDOR_NAMES, item_id, page_body
from tests.support.hostile.server import (
    Behaviour,
    drip_chunked_body,
    drip_headers,
    drip_status_line,
    endless_continue,
    json_page,
    serve,
)
from tests.support.scripted import ACCESS_KEY, WORKSPACE_ID


class RecordingStream(httpcore.NetworkStream):
    def __init__(self, seen: list[tuple[str, float | None]]) -> None:
        self.seen = seen

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.seen.append(("read", timeout))
        return b"x"

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.seen.append(("write", timeout))

    def close(self) -> None:
        self.seen.append(("close", None))

    def start_tls(
        self, ssl_context: typing.Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        self.seen.append(("start_tls", timeout))
        return self

    def get_extra_info(self, info: str) -> typing.Any:
        return info


class RecordingBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self.seen: list[tuple[str, float | None]] = []

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        self.seen.append(("connect_tcp", timeout))
        return RecordingStream(self.seen)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[typing.Any] | None = None
    ) -> httpcore.NetworkStream:
        self.seen.append(("connect_unix_socket", timeout))
        return RecordingStream(self.seen)

    def sleep(self, seconds: float) -> None:
        self.seen.append(("sleep", seconds))


def test_outside_an_attempt_the_timeouts_pass_unchanged() -> None:
    inner = RecordingBackend()
    stream = DeadlineBackend(inner).connect_tcp("127.0.0.1", 1, timeout=5.0)
    stream.read(10, timeout=None)
    stream.write(b"x", timeout=30.0)
    assert inner.seen == [("connect_tcp", 5.0), ("read", None), ("write", 30.0)]
    assert not deadline_passed()


def test_within_an_attempt_every_wait_is_cut_to_the_time_left() -> None:
    inner = RecordingBackend()
    with attempt_deadline(time.monotonic() + 2.0):
        stream = DeadlineBackend(inner).connect_tcp("127.0.0.1", 1, timeout=5.0)
        stream = stream.start_tls(ssl.create_default_context(), "host", timeout=None)
        stream.read(10, timeout=None)
        stream.write(b"x", timeout=1.0)
        DeadlineBackend(inner).connect_unix_socket("/tmp/socket", timeout=None)
        assert stream.get_extra_info("peer") == "peer"
        stream.close()
    waits = dict((name, timeout) for name, timeout in inner.seen if name != "close")
    assert all(timeout is not None and 1.0 <= timeout <= 2.0 for timeout in waits.values()), waits
    assert waits["write"] == 1.0  # a shorter timeout of the caller's stays


@pytest.mark.parametrize(
    ("operation", "error"),
    [
        ("read", httpcore.ReadTimeout),
        ("write", httpcore.WriteTimeout),
        ("connect", httpcore.ConnectTimeout),
    ],
)
def test_past_the_deadline_every_wait_fails_at_once(operation: str, error: type[Exception]) -> None:
    backend = DeadlineBackend(RecordingBackend())
    stream = backend.connect_tcp("127.0.0.1", 1)
    with attempt_deadline(time.monotonic() - 0.001):
        assert deadline_passed()
        with pytest.raises(error, match="deadline"):
            if operation == "read":
                stream.read(10)
            elif operation == "write":
                stream.write(b"x")
            else:
                backend.connect_tcp("127.0.0.1", 1)


def test_sleep_is_passed_on() -> None:
    inner = RecordingBackend()
    DeadlineBackend(inner).sleep(0.0)
    assert inner.seen == [("sleep", 0.0)]


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), True, "5", None])
def test_deadlines_are_finite_positive_seconds(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        require_seconds(value, "attempt_timeout")


# -- Item 2 of issue 9: every attempt has a total deadline, every page fetch a budget --------------


ATTEMPT = 1.0
#: What a loaded machine may add to a deadline (child start-up is not counted: the child times itself).
SLACK = 1.5
QUICK = {"attempt_timeout": ATTEMPT, "timeout": 5.0}
DRIPS: dict[str, Behaviour] = {
    "status line": drip_status_line(0.2),
    "headers": drip_headers(0.2),
    "chunked body": drip_chunked_body(0.2),
    "endless 100 Continue": endless_continue(0.2),
}


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@pytest.mark.parametrize("drip", list(DRIPS))
def test_a_dripping_server_meets_the_attempt_deadline(drip: str, vendor: str, mode: str) -> None:
    with serve(DRIPS[drip]) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=QUICK, timeout=30)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert ATTEMPT * 0.9 < outcome.elapsed < ATTEMPT + SLACK


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_drip_mid_listing_carries_the_token_of_the_page_that_failed(vendor: str, mode: str) -> None:
    with serve(json_page(page_body(vendor, [1], "page-2")), drip_chunked_body(0.2)) as server:
        outcome = run_listing(vendor, mode, server.base_url, client_options=QUICK, timeout=30)
    assert outcome.items == (item_id(1),)
    assert outcome.error_type == "APITimeoutError", outcome.error_message
    assert outcome.resume_token == "page-2"


@pytest.mark.loopback
def test_closing_a_client_ends_the_prefetch_blocked_reading_its_connection() -> None:
    # A sync listing left while its prefetched page is on the way leaves that request to finish
    # on the worker thread; a client closed then must wake the read (close() alone does not on
    # Linux: the thread would wait for its attempt's deadline, 60 s by default, and a test that
    # counts prefetch threads would see it still alive).
    asked_for_page_two = threading.Event()
    release = threading.Event()

    def answer(request: httpx.Request) -> httpx.Response:
        if "pageToken" not in request.url.params:
            return httpx.Response(200, json={"results": [], "nextPageToken": "t2"})
        asked_for_page_two.set()
        release.wait(timeout=30)  # held: the prefetch's read blocks until its connection is closed
        return httpx.Response(200, json={"results": []})

    def prefetch_threads() -> set[threading.Thread]:
        return {thread for thread in threading.enumerate() if thread.name == "conversation-clients-prefetch"}

    before = prefetch_threads()
    with serve_loopback(answer) as base_url:
        try:
            with BirdClient(ACCESS_KEY, base_url=base_url, prefetch="always") as bird:
                pages = bird.list_conversations(WORKSPACE_ID).pages()
                next(pages)
                assert asked_for_page_two.wait(timeout=10)
                (worker,) = prefetch_threads() - before  # reading page 2's answer, which is held
                pages.close()  # the worker ends once that fetch returns...
            worker.join(timeout=2.0)  # ...which closing the client makes it do, at once
            assert not worker.is_alive()
        finally:
            release.set()


#: The longest a test waits for the other end of a socket pair to see something.
GUARD = 10.0


class _SocketStream(RecordingStream):
    """A stream over a real socket, as httpcore's are: what a cut shuts down."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__([])
        self.sock = sock

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.sock.sendall(buffer)

    def get_extra_info(self, info: str) -> typing.Any:
        return self.sock if info == "socket" else None


class _SocketBackend(RecordingBackend):
    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self.sock = sock

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _SocketStream(self.sock)


def test_a_cut_hangs_up_the_connection_in_use_and_every_one_used_after() -> None:
    near, far = socket.socketpair()
    later_near, later_far = socket.socketpair()
    with near, far, later_near, later_far:
        far.settimeout(GUARD)
        later_far.settimeout(GUARD)
        cutter = WireCutter()
        cutter.using(_SocketStream(near))
        cutter.cut()
        assert far.recv(1) == b""  # the other end sees the hang-up
        cutter.using(_SocketStream(later_near))  # a retry's connection, after the cut
        assert later_far.recv(1) == b""


def test_a_connection_released_is_left_to_its_pool() -> None:
    near, far = socket.socketpair()
    with near, far:
        far.settimeout(GUARD)
        cutter = WireCutter()
        cutter.using(_SocketStream(near))
        cutter.release()  # the request is over: its connection went back to the pool
        cutter.cut()
        near.sendall(b"x")
        assert far.recv(1) == b"x"


def test_a_connection_the_deadline_backend_makes_under_a_cutter_can_be_cut() -> None:
    near, far = socket.socketpair()
    with near, far:
        far.settimeout(GUARD)
        cutter = WireCutter()

        def connect() -> None:
            cut_off_with(cutter)  # in a context of its own, as a prefetch thread's fetch is
            stream = DeadlineBackend(_SocketBackend(near)).connect_tcp("127.0.0.1", 1)
            stream.write(b"GET")

        contextvars.copy_context().run(connect)
        assert far.recv(3) == b"GET"
        cutter.cut()
        assert far.recv(1) == b""
