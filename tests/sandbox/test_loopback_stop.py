"""Stopping the loopback server is bounded in time, whatever its serving loop is doing."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from conversation_clients import loopback

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
