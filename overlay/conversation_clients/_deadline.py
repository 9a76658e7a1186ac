"""Total deadlines for an attempt, where httpx only has per-read timeouts.

A server that sends one byte every few seconds never trips a read timeout. The async driver
wraps each attempt in ``asyncio.timeout``. A blocking read cannot be interrupted from outside,
so the sync clients install :class:`DeadlineBackend` in the httpx transport they build: every
connect, read and write of an attempt is given at most the time left before the attempt's
deadline (kept in a context variable by :func:`attempt_deadline`), and fails once it has
passed. With a ``transport=`` of the caller's, only the clock between body chunks is checked
(:func:`deadline_passed`): a weaker bound, documented on the clients.

>>> with attempt_deadline(None):
...     deadline_passed()
False
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
import time
import typing
from collections.abc import Iterable

import httpcore
import httpx

from conversation_clients._defaults import DEFAULT_ATTEMPT_TIMEOUT as DEFAULT_ATTEMPT_TIMEOUT
from conversation_clients._defaults import DEFAULT_PAGE_TIMEOUT as DEFAULT_PAGE_TIMEOUT

__all__ = [
    "DEFAULT_ATTEMPT_TIMEOUT",
    "DEFAULT_PAGE_TIMEOUT",
    "AttemptTimedOut",
    "DeadlineBackend",
    "WireCutter",
    "attempt_deadline",
    "cut_off_with",
    "deadline_passed",
    "install_deadline_backend",
]


_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "conversation_clients_attempt_deadline", default=None
)
# Set where another thread may hang up the connection an attempt is using (a sync prefetch).
_cutter: contextvars.ContextVar[WireCutter | None] = contextvars.ContextVar(
    "conversation_clients_wire_cutter", default=None
)


class AttemptTimedOut(httpx.TimeoutException):
    """An attempt ran past its total deadline (``attempt_timeout``, or what the page budget left)."""


class attempt_deadline:  # noqa: N801 - used as a function, in a with statement
    """Within the block, network operations end by ``deadline`` (``time.monotonic()``; None: no deadline).

    A class, not a generator-based context manager: the drivers enter one on every attempt.
    """

    __slots__ = ("_deadline", "_token")

    def __init__(self, deadline: float | None) -> None:
        self._deadline = deadline
        self._token: contextvars.Token[float | None] | None = None

    def __enter__(self) -> None:
        self._token = _deadline.set(self._deadline)

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            _deadline.reset(self._token)
            self._token = None


def deadline_passed() -> bool:
    """True when the current attempt's deadline has passed."""
    deadline = _deadline.get()
    return deadline is not None and time.monotonic() >= deadline


class WireCutter:
    """Hangs up, from another thread, the connection that requests made under it are using.

    A blocking read cannot be interrupted, but the socket under it can be shut down: the read
    wakes at once, the attempt fails with a transport error on its own thread, and httpcore closes
    that connection there (nothing but the shutdown happens on the thread that cuts). The server
    sees the hang-up at once. A sync pager's prefetch runs under one (:func:`cut_off_with`); closing
    the pager cuts it. Only connections made by :class:`DeadlineBackend` (the sync clients' own
    transport) can be cut; elsewhere :meth:`cut` leaves the request to finish.

    >>> cutter = WireCutter()
    >>> cutter.cut(); cutter.cut()  # no connection in use: nothing to hang up, and none to come
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stream: httpcore.NetworkStream | None = None
        self._cut = False

    def using(self, stream: httpcore.NetworkStream) -> None:
        """A request under this cutter reads or writes ``stream``: hung up at once if cut already."""
        with self._lock:
            self._stream = stream
            if self._cut:
                _hang_up(stream)

    def release(self) -> None:
        """The requests under this cutter are over: their connection, back in the pool, is not cut."""
        with self._lock:
            self._stream = None

    def cut(self) -> None:
        """Hang up the connection in use, if any, and every one used under this cutter from now on."""
        with self._lock:  # not while release() hands the connection back to the pool
            self._cut = True
            if self._stream is not None:
                _hang_up(self._stream)


def cut_off_with(cutter: WireCutter) -> None:
    """The requests this context goes on to make can be hung up by ``cutter`` (see :class:`WireCutter`)."""
    _cutter.set(cutter)


def _hang_up(stream: httpcore.NetworkStream) -> None:
    # the socket's own shutdown, even under TLS: SSLSocket.shutdown would first drop the SSL object
    # that a read on another thread is using
    sock = stream.get_extra_info("socket")
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):  # already shut down, or never connected
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise timeout_error("the attempt's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        cutter = _cutter.get()
        if cutter is not None:
            cutter.using(self._stream)
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        cutter = _cutter.get()
        if cutter is not None:
            cutter.using(self._stream)
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        # close() alone does not wake a thread blocked reading this socket (a sync listing's
        # prefetch, when its client is closed while that page is on the way): it would wait for
        # its attempt's deadline. shutdown() wakes it, and its listing, left, sends nothing more.
        _hang_up(self._stream)
        self._stream.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(stream)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """An httpcore network backend whose streams never wait past the current attempt's deadline."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        cutter = _cutter.get()
        if cutter is not None:  # a TLS handshake to come can be cut too
            cutter.using(stream)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[typing.Any] | None = None
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_unix_socket(path, _bounded(timeout, httpcore.ConnectTimeout), socket_options)
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def install_deadline_backend(client: httpx.Client) -> bool:
    """Put :class:`DeadlineBackend` under the connection pools httpx built for ``client``.

    httpx has no public hook for an httpcore network backend, so this reaches into its
    transports; it returns False (and changes nothing) where they are not the ones expected,
    e.g. a ``transport=`` of the caller's.
    """
    transports: list[object] = [getattr(client, "_transport", None)]
    transports.extend(getattr(client, "_mounts", {}).values())
    installed = False
    for transport in transports:
        if not isinstance(transport, httpx.HTTPTransport):
            continue
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, DeadlineBackend):
            # setattr: the pool is httpcore's, untyped here, and the attribute private
            setattr(pool, "_network_backend", DeadlineBackend(backend))  # noqa: B010
            installed = True
    return installed
