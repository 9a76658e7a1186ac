"""Fault injection: what to configure (:class:`Faults`) and the per-request decisions.

The decisions are made here without I/O: :class:`FaultDecider` holds the seeded random
generator and the rate-limit window behind a lock and is handed the clock reading, so the
same seed and the same sequence of requests always give the same faults. Sleeping and closing
connections is left to the transports and the server.
"""

from __future__ import annotations

import collections
import math
import random
import threading
from collections.abc import Iterable
from typing import Final

import attrs

__all__ = ["FAULT_KINDS", "FaultDecider", "Faults", "retry_after_header"]

#: Every kind of fault :class:`Faults` can inject.
FAULT_KINDS: Final = ("429", "429-retry-after", "500", "503", "520", "drop")


def _number(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int | float):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{attribute.name} must be a number, got {type(value).__name__}")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{attribute.name} must be a finite number >= 0, got {value!r}")


def _fraction(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    _number(instance, attribute, value)
    if value > 1:
        raise ValueError(f"{attribute.name} must be between 0 and 1, got {value!r}")


def _as_tuple(kinds: Iterable[str]) -> tuple[str, ...]:
    return tuple(kinds)


def _known_kinds(instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]) -> None:
    unknown = [kind for kind in value if kind not in FAULT_KINDS]
    if unknown:
        raise ValueError(f"{attribute.name}: unknown fault kinds {unknown!r}; known: {', '.join(FAULT_KINDS)}")


def _rate(instance: object, attribute: attrs.Attribute[float | None], value: float | None) -> None:
    if value is None:
        return
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int | float):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{attribute.name} must be a number or None, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{attribute.name} must be a finite number > 0 (None disables the rate limit), got {value!r}")


def _seed(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{attribute.name} must be an int, got {type(value).__name__}")


@attrs.frozen
class Faults:
    """The trouble a :class:`~conversation_clients.sandbox.Sandbox` makes.

    * ``failure_rate``: the fraction of responses replaced by a fault, whose kind is drawn
      uniformly from ``kinds`` (repeat a kind to make it likelier). ``"429"`` is a rate-limit
      answer without ``Retry-After``; ``"429-retry-after"`` sends ``Retry-After:
      <retry_after_seconds>``; ``"500"``, ``"503"`` carry the vendor's error body; ``"520"`` is
      the HTML page a CDN sends when the origin misbehaved; ``"drop"`` closes the connection
      without a response.
    * ``latency``: seconds added to every answer.
    * ``requests_per_second``: above it, 429 with ``Retry-After`` saying when a slot frees.
    * ``seed``: seeds the draws, so a run is repeatable.

    Which requests they touch: the rate limit counts and answers every request, as a gateway
    would; random faults only replace answers that would have succeeded, so a test of an
    error (bad key, bad token, unknown workspace) gets that error whatever ``failure_rate``.

    >>> Faults(failure_rate=0.2, kinds=["503", "drop"]).kinds
    ('503', 'drop')
    >>> Faults(failure_rate=1.5)
    Traceback (most recent call last):
    ...
    ValueError: failure_rate must be between 0 and 1, got 1.5
    """

    failure_rate: float = attrs.field(default=0.0, validator=_fraction)
    kinds: tuple[str, ...] = attrs.field(default=FAULT_KINDS, converter=_as_tuple, validator=_known_kinds)
    latency: float = attrs.field(default=0.0, validator=_number)
    requests_per_second: float | None = attrs.field(default=None, validator=_rate)
    seed: int = attrs.field(default=0, validator=_seed)
    retry_after_seconds: float = attrs.field(default=0.0, validator=_number)

    def __attrs_post_init__(self) -> None:
        if self.failure_rate > 0 and not self.kinds:
            raise ValueError("kinds must name at least one fault kind when failure_rate > 0")


def retry_after_header(seconds: float) -> str:
    """A ``Retry-After`` value: whole seconds when whole, else rounded up to the millisecond.

    HTTP wants whole seconds, but a sandbox that makes tests wait a full second for a slot
    that frees in 30 ms would make them slow; the clients read fractions.

    >>> [retry_after_header(s) for s in (0.0, 2.0, 0.25, 0.0301)]
    ['0', '2', '0.25', '0.031']
    """
    millis = max(0, math.ceil(round(seconds * 1000, 6)))
    whole, fraction = divmod(millis, 1000)
    return str(whole) if fraction == 0 else f"{whole}.{fraction:03d}".rstrip("0")


@attrs.define
class FaultDecider:
    """Decides, request by request, whether to rate-limit and which fault to inject.

    Thread-safe: one lock guards the random generator and the window of admitted requests.

    >>> decider = FaultDecider(Faults(requests_per_second=2))
    >>> [decider.admit(now=10.0) for _ in range(3)]
    [None, None, 1.0]
    >>> decider.admit(now=11.0) is None
    True
    """

    faults: Faults
    _random: random.Random = attrs.field(init=False)
    _admitted: collections.deque[float] = attrs.field(init=False, factory=collections.deque[float])
    _lock: threading.Lock = attrs.field(init=False, factory=threading.Lock)

    def __attrs_post_init__(self) -> None:
        self._random = random.Random(self.faults.seed)

    def admit(self, *, now: float) -> float | None:
        """Count a request at ``now`` (monotonic seconds): None if admitted, else the wait.

        ``requests_per_second`` of r allows ``max(1, floor(r))`` requests in any window of
        that many / r seconds: r requests in the last second for a whole r, and also
        meaningful for r below 1 (0.5: one request every 2 s). Refused requests do not count,
        so a client that waits as told gets in.
        """
        rate = self.faults.requests_per_second
        if rate is None:
            return None
        capacity = max(1, math.floor(rate))
        window = capacity / rate
        with self._lock:
            while self._admitted and self._admitted[0] <= now - window:
                self._admitted.popleft()
            if len(self._admitted) < capacity:
                self._admitted.append(now)
                return None
            return self._admitted[0] + window - now

    def draw(self) -> str | None:
        """The fault to inject into a response that would have succeeded, or None.

        >>> decider = FaultDecider(Faults(failure_rate=1.0, kinds=("503",)))
        >>> decider.draw()
        '503'
        """
        faults = self.faults
        if faults.failure_rate == 0:
            return None
        with self._lock:
            if self._random.random() >= faults.failure_rate:
                return None
            return faults.kinds[self._random.randrange(len(faults.kinds))]
