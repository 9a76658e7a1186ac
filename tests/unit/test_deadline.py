"""Attempt deadlines for blocking I/O (``_deadline``): every wait is cut to the time left."""

from __future__ import annotations

import ssl
import time
import typing
from collections.abc import Iterable

import httpcore
import pytest

from conversation_clients._checks import require_seconds
from conversation_clients._deadline import DeadlineBackend, attempt_deadline, deadline_passed


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
