"""A raw-socket HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose.

Each request is answered by a *behaviour*: a function that gets the :class:`Request` (request
line and headers) and a :class:`Connection` to write raw bytes, sleep, drip, close or reset.
Behaviours are used in order, one per request; the last one answers every request after it,
so ``serve(json_page(page1), drip_headers())`` answers page 1, then drips on every retry.
Every connection is closed after its one response (``Connection: close``).

The server runs on a thread of the process that starts it; the client under test runs in a
child process (see :mod:`tests.support.hostile.harness`), so a bomb cannot exhaust the test runner.

>>> import httpx
>>> with serve(json_page({"results": []})) as server:
...     httpx.get(server.base_url + "/x").json()
{'results': []}
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import attrs

from tests.support.hostile.bombs import deflate_zeros, gzip_twice, gzip_zeros

__all__ = [
    "Behaviour",
    "Connection",
    "ClientGone",
    "HostileServer",
    "Request",
    "big_plain",
    "deflate_bomb",
    "drip_chunked_body",
    "drip_headers",
    "drip_status_line",
    "endless_continue",
    "gzip_bomb",
    "held_until_hangup",
    "json_page",
    "raw",
    "response",
    "serve",
    "stall",
]

_MAX_REQUEST_HEAD = 64 * 1024


class ClientGone(Exception):
    """The client hung up (or the server is stopping): the behaviour ends quietly."""


@attrs.frozen
class Request:
    """What the client sent: ``target`` is the path with its query; header names are lower case."""

    method: str
    target: str
    headers: Mapping[str, str]


class Connection:
    """What a behaviour may do with its connection."""

    def __init__(self, sock: socket.socket, stopping: threading.Event) -> None:
        self._sock = sock
        self._stopping = stopping

    def write(self, data: bytes) -> None:
        """Send ``data`` whole; raises :class:`ClientGone` when the client has hung up."""
        if self._stopping.is_set():
            raise ClientGone
        try:
            self._sock.sendall(data)
        except OSError as error:
            raise ClientGone from error

    def sleep(self, seconds: float) -> None:
        """Wait, ending early (:class:`ClientGone`) when the server stops."""
        if self._stopping.wait(seconds):
            raise ClientGone

    def drip(self, data: Iterable[int] | bytes, interval: float) -> None:
        """Send ``data`` one byte at a time, ``interval`` seconds apart (``data`` may be endless)."""
        for byte in data:
            self.write(bytes((byte,)))
            self.sleep(interval)

    def close(self) -> None:
        """Close the connection (a FIN)."""
        self._sock.close()

    def wait_for_hangup(self, seconds: float) -> bool:
        """Whether the client closes its end within ``seconds`` (what it sends meanwhile is read and dropped)."""
        deadline = time.monotonic() + seconds
        self._sock.settimeout(0.05)
        while time.monotonic() < deadline and not self._stopping.is_set():
            try:
                if not self._sock.recv(4096):
                    return True
            except TimeoutError:
                continue
            except OSError:  # a reset: hung up too
                return True
        return False

    def reset(self) -> None:
        """Close with SO_LINGER 0: the client sees a TCP reset."""
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._sock.close()


Behaviour = Callable[[Connection, Request], None]


class HostileServer:
    """Answers requests with behaviours (see the module docstring); records every request."""

    def __init__(self, behaviours: Iterable[Behaviour]) -> None:
        self._behaviours = list(behaviours)
        if not self._behaviours:
            raise ValueError("give at least one behaviour")
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self._listener.settimeout(0.1)
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, name="hostile-server", daemon=True)
        port = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        """Start accepting connections."""
        self._acceptor.start()

    def stop(self) -> None:
        """Stop accepting, end every behaviour at its next write or sleep, and wait for them."""
        self._stopping.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _next_behaviour(self, request: Request) -> Behaviour:
        with self._lock:
            self.requests.append(request)
            index = min(len(self.requests), len(self._behaviours)) - 1
            return self._behaviours[index]

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._handle, args=(sock,), name="hostile-connection", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _handle(self, sock: socket.socket) -> None:
        sock.settimeout(None)
        connection = Connection(sock, self._stopping)
        try:
            request = _read_request(sock)
            if request is None:
                return
            self._next_behaviour(request)(connection, request)
        except (ClientGone, OSError):
            pass
        finally:
            sock.close()


def _read_request(sock: socket.socket) -> Request | None:
    sock.settimeout(10)
    head = b""
    while b"\r\n\r\n" not in head:
        data = sock.recv(4096)
        if not data or len(head) > _MAX_REQUEST_HEAD:
            return None
        head += data
    sock.settimeout(None)
    lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method=method, target=target, headers=headers)


@contextmanager
def serve(*behaviours: Behaviour) -> Generator[HostileServer, None, None]:
    """Run a :class:`HostileServer` for the ``with`` block; yields it (``.base_url``, ``.requests``)."""
    server = HostileServer(behaviours)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- ready-made behaviours ------------------------------------------------------------------


def _head(status: int, headers: Mapping[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} Status"] + [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def response(status: int, body: bytes, headers: Mapping[str, str] | None = None) -> Behaviour:
    """A well-formed response with ``Content-Length``."""
    all_headers = {"Content-Length": str(len(body)), "Connection": "close", **(headers or {})}

    def behave(connection: Connection, request: Request) -> None:
        connection.write(_head(status, all_headers) + body)

    return behave


def json_page(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Behaviour:
    """``body`` as JSON, with ``Content-Type: application/json``."""
    return response(status, json.dumps(body).encode(), {"Content-Type": "application/json", **(headers or {})})


def raw(data: bytes) -> Behaviour:
    """Write ``data`` as it is (status line included), then close."""

    def behave(connection: Connection, request: Request) -> None:
        connection.write(data)

    return behave


def held_until_hangup(hung_up: threading.Event, seconds: float = 30.0) -> Behaviour:
    """Read the request, answer nothing, and set ``hung_up`` once the client closes the connection."""

    def behave(connection: Connection, request: Request) -> None:
        if connection.wait_for_hangup(seconds):
            hung_up.set()

    return behave


def stall(seconds: float = 3600.0) -> Behaviour:
    """Read the request and say nothing for ``seconds``."""

    def behave(connection: Connection, request: Request) -> None:
        connection.sleep(seconds)

    return behave


def _streamed(status: int, parts: Iterable[bytes], headers: Mapping[str, str], length: int | None) -> Behaviour:
    def behave(connection: Connection, request: Request) -> None:
        all_headers = {"Connection": "close", "Content-Type": "application/json", **headers}
        if length is not None:
            all_headers["Content-Length"] = str(length)
        connection.write(_head(status, all_headers))
        for part in parts:
            connection.write(part)

    return behave


def gzip_bomb(
    size: int = 4 << 30, *, layers: int = 2, status: int = 200, headers: Mapping[str, str] | None = None
) -> Behaviour:
    """A body of ``size`` zero bytes behind ``layers`` of gzip (2: about 10 KB for 4 GB; 1: 1 MB per GB)."""
    if layers not in (1, 2):
        raise ValueError("layers is 1 or 2")
    body = gzip_twice(size) if layers == 2 else gzip_zeros(size)
    encoding = ", ".join(["gzip"] * layers)
    return response(status, body, {"Content-Type": "application/json", "Content-Encoding": encoding, **(headers or {})})


def deflate_bomb(size: int = 1 << 30, *, status: int = 200, raw_deflate: bool = False) -> Behaviour:
    """``Content-Encoding: deflate`` over ``size`` zero bytes (zlib container, or raw deflate)."""
    body = b"".join(deflate_zeros(size, container="raw" if raw_deflate else "zlib"))
    return response(status, body, {"Content-Type": "application/json", "Content-Encoding": "deflate"})


def big_plain(size: int = 300 << 20, *, status: int = 200, chunked: bool = False) -> Behaviour:
    """A plain body of ``size`` bytes (JSON-ish spaces), streamed 64 KiB at a time."""
    block = b" " * (64 * 1024)

    def parts() -> Iterator[bytes]:
        whole, rest = divmod(size, len(block))
        for _ in range(whole):
            yield b"%x\r\n%s\r\n" % (len(block), block) if chunked else block
        if rest:
            yield b"%x\r\n%s\r\n" % (rest, block[:rest]) if chunked else block[:rest]
        if chunked:
            yield b"0\r\n\r\n"

    headers = {"Transfer-Encoding": "chunked"} if chunked else {}
    return _streamed(status, parts(), headers, None if chunked else size)


def _forever(data: bytes) -> Iterator[int]:
    while True:
        yield from data


def drip_status_line(interval: float = 0.2) -> Behaviour:
    """The status line one byte per ``interval``; then headers, likewise, without end."""

    def behave(connection: Connection, request: Request) -> None:
        connection.drip(b"HTTP/1.1 200 OK\r\n", interval)
        connection.drip(_forever(b"X-Drip: a\r\n"), interval)

    return behave


def drip_headers(interval: float = 0.2) -> Behaviour:
    """The status line at once, then one header byte per ``interval``, without end."""

    def behave(connection: Connection, request: Request) -> None:
        connection.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        connection.drip(_forever(b"X-Drip: a\r\n"), interval)

    return behave


def drip_chunked_body(interval: float = 0.2, *, status: int = 200) -> Behaviour:
    """Headers at once, then a one-byte chunk every ``interval``, without end."""

    def behave(connection: Connection, request: Request) -> None:
        connection.write(_head(status, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}))
        connection.write(b"1\r\n{\r\n")
        while True:
            connection.sleep(interval)
            connection.write(b"1\r\n \r\n")

    return behave


def endless_continue(interval: float = 0.2) -> Behaviour:
    """``100 Continue`` every ``interval``, without end (a final response never comes)."""

    def behave(connection: Connection, request: Request) -> None:
        while True:
            connection.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            connection.sleep(interval)

    return behave
