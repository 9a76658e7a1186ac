"""Serving a handler on loopback (:mod:`conversation_clients.loopback`): many connections at once,
request targets that are not paths, bad lengths and chunked bodies, and a stop bounded in time.
"""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from conversation_clients import loopback
from conversation_clients.loopback import serve
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, Sandbox
from tests.support.sandbox_wire import (
    bird_path,
)

STUCK_FOR = 30.0  # how long the injected stall lasts at most: the test's own bound


def test_leaving_serve_does_not_wait_for_a_stuck_serving_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # Stall the serving loop between two polls, as a starved thread on a loaded machine would:
    # socketserver's shutdown() waits for it without a timeout, and `sandbox serve` waited with it.
    release = threading.Event()
    stalled = threading.Event()
    serving = threading.Event()

    def stall_once_serving(self: object) -> None:
        if serving.is_set() and not stalled.is_set():
            stalled.set()
            release.wait(STUCK_FOR)

    monkeypatch.setattr(loopback._Server, "service_actions", stall_once_serving)  # pyright: ignore[reportPrivateUsage]
    monkeypatch.setattr(loopback, "STOP_TIMEOUT", 0.5)
    try:
        with loopback.serve(lambda request: httpx.Response(204)) as base_url:
            assert httpx.get(base_url, timeout=10).status_code == 204
            serving.set()
            assert stalled.wait(10)
            started = time.monotonic()
        elapsed = time.monotonic() - started
    finally:
        release.set()

    assert elapsed < 5, f"leaving serve() took {elapsed:.1f} s"
    with pytest.raises(httpx.ConnectError):  # and the port is closed all the same
        httpx.get(base_url, timeout=2)


# -- Every HTTP method gets the vendor's answer: GET lists, HEAD is GET without a body, the rest 405
# with Allow ---------------------------------------------------------------------------------------


def raw_exchange(base_url: str, request: bytes) -> bytes:
    """Send ``request`` as is on a new connection and read until the server closes it (bounded)."""
    host, port = httpx.URL(base_url).host, httpx.URL(base_url).port
    assert port is not None
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
                assert len(received) < 1_000_000
        except ConnectionResetError:
            pass  # a server closing with input unread resets the connection; what came before counts
    return received


@pytest.mark.parametrize(
    "request_line",
    [b"OPTIONS * HTTP/1.1", b"CONNECT api.bird.com:443 HTTP/1.1", b"TRACE /workspaces HTTP/1.1"],
)
def test_the_loopback_server_answers_targets_that_are_not_paths_without_a_traceback(
    request_line: bytes, capfd: pytest.CaptureFixture[str]
) -> None:
    with Sandbox().serve() as base_url:
        answer = raw_exchange(
            base_url,
            request_line
            + f"\r\nHost: x\r\nAuthorization: AccessKey {SANDBOX_BIRD_ACCESS_KEY}\r\n".encode()
            + b"Connection: close\r\n\r\n",
        )

    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 4"), answer[:200]
    assert b"501" not in status_line and b"<html" not in answer.lower()
    assert "Traceback" not in capfd.readouterr().err


def test_an_absolute_form_target_is_answered_for_its_path() -> None:
    with Sandbox().serve() as base_url:
        answer = raw_exchange(
            base_url,
            f"GET http://api.bird.com{bird_path()}?limit=1 HTTP/1.1\r\nHost: api.bird.com\r\n"
            f"Authorization: AccessKey {SANDBOX_BIRD_ACCESS_KEY}\r\nConnection: close\r\n\r\n".encode(),
        )

    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b'"results":[{' in answer


def test_a_content_length_that_is_not_a_number_gets_a_plain_400() -> None:
    with Sandbox().serve() as base_url:
        answer = raw_exchange(base_url, b"POST /workspaces HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"Connection: close" in answer


def test_a_chunked_body_is_answered_then_the_connection_closed() -> None:
    # The body is not read, so what is left of it must not be taken for a next request: the
    # server answers and closes (raw_exchange reads until it does, bounded by its timeout).
    with Sandbox().serve() as base_url:
        answer = raw_exchange(
            base_url,
            f"POST {bird_path()} HTTP/1.1\r\nHost: x\r\nAuthorization: AccessKey {SANDBOX_BIRD_ACCESS_KEY}\r\n".encode()
            + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n",
        )

    assert answer.startswith(b"HTTP/1.1 405 ")
    assert answer.count(b"HTTP/1.1 ") == 1


# -- The loopback server under the load the clients put on it: many connections at once ------------


CLIENTS = 40


@pytest.mark.loopback
def test_many_clients_connecting_at_once_are_all_served_together() -> None:
    # Every handler waits until all the requests have arrived. socketserver's default listen
    # backlog (5) dropped the connection attempts beyond it, and clients retry a dropped
    # attempt only after a second: the barrier would then break before they got through.
    everyone = threading.Barrier(CLIENTS, timeout=0.9)

    def handler(request: httpx.Request) -> httpx.Response:
        everyone.wait()
        return httpx.Response(200, text="ok")

    answers: list[int] = []
    lock = threading.Lock()

    def client(http: httpx.Client) -> None:
        response = http.get("/")
        with lock:
            answers.append(response.status_code)

    with serve(handler) as base_url, httpx.Client(base_url=base_url, timeout=5) as http:
        threads = [threading.Thread(target=client, args=(http,)) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    assert answers == [200] * CLIENTS
