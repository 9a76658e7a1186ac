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
    "attempt_deadline",
    "deadline_passed",
    "install_deadline_backend",
]


_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "conversation_clients_attempt_deadline", default=None
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
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        # close() alone does not wake a thread blocked reading this socket (a sync listing's
        # prefetch, when its client is closed while that page is on the way): it would wait for
        # its attempt's deadline. shutdown() wakes it, and its listing, left, sends nothing more.
        sock = self._stream.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):  # already shut down, or never connected
                sock.shutdown(socket.SHUT_RDWR)
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
