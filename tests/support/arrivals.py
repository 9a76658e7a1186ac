"""When a loopback server saw each request, for the rate-limit tests."""

from __future__ import annotations

import threading
import time
from typing import Any

from tests.support.hostile.server import Behaviour, Connection, Request

BOUNDED: dict[str, Any] = {"timeout": 5.0, "attempt_timeout": 5.0, "page_timeout": 10.0, "prefetch": False}


class Arrivals:
    """Wraps behaviours to note when each request's head arrived (``time.monotonic``), and its path."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.targets: list[str] = []
        self._lock = threading.Lock()

    def timed(self, behaviour: Behaviour) -> Behaviour:
        def behave(connection: Connection, request: Request) -> None:
            with self._lock:
                self.times.append(time.monotonic())
                self.targets.append(request.target)
            behaviour(connection, request)

        return behave

    def gaps(self) -> list[float]:
        """The time between each request and the one before it, in arrival order."""
        ordered = sorted(self.times)
        return [later - earlier for earlier, later in zip(ordered, ordered[1:], strict=False)]
