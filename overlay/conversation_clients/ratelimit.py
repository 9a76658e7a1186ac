"""Client-side rate limiting: keep requests under a rate per target and overall, and slow down on 429.

The core is pure: :class:`LimiterState` holds one GCRA schedule (the "generic cell rate
algorithm", a token bucket kept as a single time) per target and one overall, and is handed
the clock reading, like :mod:`conversation_clients.retry`. :class:`RateLimiter` is the thin
shell: a lock (one limiter is shared by every listing of a client, by several clients, by
threads and by event loops), a clock, a blocking :meth:`RateLimiter.wait` and an awaitable
:meth:`RateLimiter.wait_async`. The clients take one as ``rate_limiter=`` and wait before
every attempt, retries included, inside the page's deadline (see ``_flow.request_flow``).

Adaptive, as TCP's congestion control: a 429 multiplies the target's rate by ``decrease``
(and holds the target for the ``Retry-After`` the server asked for); each success adds back
``recovery`` times the configured rate, up to it.

Example::

    limiter = RateLimiter(bird.BIRD_RATE_LIMIT)          # 50 requests/s per workspace
    with BirdClient(key, rate_limiter=limiter) as a, BirdClient(other_key, rate_limiter=limiter) as b:
        ...                                              # both share the same schedule
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

import attrs

__all__ = ["RateLimit", "RateLimiter", "LimiterState", "Schedule", "TargetLimiter"]


def _rate(instance: object, attribute: attrs.Attribute[float | None], value: float | None) -> None:
    if value is None:
        return
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int | float):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{attribute.name} must be a number of requests per second or None, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{attribute.name} must be a finite number > 0 (None: no limit), got {value!r}")


def _burst(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{attribute.name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{attribute.name} must be >= 1, got {value}")


def _open_fraction(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int | float):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{attribute.name} must be a number, got {type(value).__name__}")
    if not (math.isfinite(value) and 0 < value <= 1):
        raise ValueError(f"{attribute.name} must be above 0 and at most 1, got {value!r}")


@attrs.frozen
class RateLimit:
    """How fast to go: ``per_target`` and ``overall`` requests per second (None: no such limit).

    ``burst`` requests may go at once before the spacing of 1/rate applies (1: evenly spaced,
    what a server counting requests in a sliding window needs). A 429 multiplies the target's
    rate by ``decrease``, never below ``min_fraction`` of the configured one; each success adds
    ``recovery`` times the configured rate back, up to it.

    >>> RateLimit(per_target=50.0)
    RateLimit(per_target=50.0, overall=None, burst=1, decrease=0.5, recovery=0.05, min_fraction=0.05)
    >>> RateLimit(per_target=0)
    Traceback (most recent call last):
    ...
    ValueError: per_target must be a finite number > 0 (None: no limit), got 0
    """

    per_target: float | None = attrs.field(default=None, validator=_rate)
    overall: float | None = attrs.field(default=None, validator=_rate)
    burst: int = attrs.field(default=1, validator=_burst)
    decrease: float = attrs.field(default=0.5, validator=_open_fraction)
    recovery: float = attrs.field(default=0.05, validator=_open_fraction)
    min_fraction: float = attrs.field(default=0.05, validator=_open_fraction)

    def __attrs_post_init__(self) -> None:
        if self.per_target is None and self.overall is None:
            raise ValueError("a RateLimit needs per_target or overall (or both)")


@attrs.define
class Schedule:
    """One GCRA schedule: the configured rate, the rate in force, and when the next request may go.

    ``ready_at`` is the "theoretical arrival time": a request may go at ``ready_at`` minus the
    burst allowance, and each one pushes ``ready_at`` on by 1/``rate``. ``held_until`` is the end
    of a 429's ``Retry-After`` hold: nothing goes before it, whatever the burst allowance.

    >>> schedule = Schedule(configured=2.0)
    >>> schedule.earliest(now=10.0, burst=1), schedule.take(at=10.0), schedule.earliest(now=10.0, burst=1)
    (10.0, None, 10.5)
    """

    configured: float
    ready_at: float = float("-inf")
    held_until: float = float("-inf")
    rate: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.rate = self.configured  # until a 429 says otherwise

    def earliest(self, *, now: float, burst: int) -> float:
        """The earliest time a request may go, given the clock reads ``now``.

        The burst allowance lets a request go before ``ready_at``, never before ``held_until``: a
        server's ``Retry-After`` is a time, not a count of slots to spend at once.
        """
        return max(now, self.ready_at - (burst - 1) / self.rate, self.held_until)

    def take(self, *, at: float) -> None:
        """Count a request sent at ``at``."""
        self.ready_at = max(self.ready_at, at) + 1 / self.rate

    def slow_down(self, limit: RateLimit, *, now: float, hold: float | None) -> None:
        """A 429: multiply the rate by ``decrease``, and send nothing before ``now + hold``."""
        self.rate = max(self.configured * limit.min_fraction, self.rate * limit.decrease)
        if hold is not None:
            # Kept apart from ready_at: earliest() subtracts the burst allowance from ready_at,
            # and a hold must not be cut short by it.
            self.held_until = max(self.held_until, now + hold)

    def recover(self, limit: RateLimit) -> None:
        """A success: add ``recovery`` times the configured rate back, up to it."""
        self.rate = min(self.configured, self.rate + self.configured * limit.recovery)


@attrs.define
class LimiterState:
    """Every target's schedule and the overall one; pure (the clock reading is passed in), not locked.

    >>> state = LimiterState(RateLimit(per_target=1.0))
    >>> state.reserve("a", now=0.0), state.reserve("a", now=0.0), state.reserve("b", now=0.0)
    (0.0, 1.0, 0.0)
    >>> state.reserve("a", now=0.0, within=1.5) is None  # would wait 2 s: not taken
    True
    """

    limit: RateLimit
    _targets: dict[str, Schedule] = attrs.field(init=False, factory=lambda: dict[str, Schedule]())
    _overall: Schedule | None = attrs.field(init=False, default=None)

    def __attrs_post_init__(self) -> None:
        if self.limit.overall is not None:
            self._overall = Schedule(configured=self.limit.overall)

    def schedules(self, target: str) -> list[Schedule]:
        """The schedules a request to ``target`` goes through (its own, then the overall one)."""
        found: list[Schedule] = []
        if self.limit.per_target is not None:
            schedule = self._targets.get(target)
            if schedule is None:
                schedule = self._targets[target] = Schedule(configured=self.limit.per_target)
            found.append(schedule)
        if self._overall is not None:
            found.append(self._overall)
        return found

    def reserve(self, target: str, *, now: float, within: float | None = None) -> float | None:
        """Book the next slot for a request to ``target``: how long to wait before sending.

        None, and nothing booked, when the wait would be ``within`` seconds or more (a page
        deadline it must not cross).
        """
        schedules = self.schedules(target)
        at = max((schedule.earliest(now=now, burst=self.limit.burst) for schedule in schedules), default=now)
        wait = at - now
        if within is not None and wait >= within:
            return None
        for schedule in schedules:
            schedule.take(at=at)
        return wait

    def record(self, target: str, status: int, *, now: float, retry_after: float | None = None) -> None:
        """Learn from a response: a 429 slows ``target`` (the overall schedule without a per-target
        one) and holds it for ``retry_after``; a 2xx lets it recover."""
        schedules = self.schedules(target)
        if status == 429:
            schedules[0].slow_down(self.limit, now=now, hold=retry_after)
        elif 200 <= status < 300:
            for schedule in schedules:
                schedule.recover(self.limit)

    def rate_of(self, target: str) -> float:
        """The rate in force for ``target``, in requests per second (the slowest of its schedules)."""
        return min(schedule.rate for schedule in self.schedules(target))


class RateLimiter:
    """A shared, thread-safe limiter: pass the same one to several clients (``rate_limiter=``).

    ``clock`` is a monotonic clock in seconds (tests pass a fake one).

    >>> now = [0.0]
    >>> limiter = RateLimiter(RateLimit(per_target=2.0, overall=3.0), clock=lambda: now[0])
    >>> [round(limiter.reserve(target) or 0.0, 3) for target in ("a", "a", "b", "c")]  # 3/s overall binds
    [0.0, 0.5, 0.833, 1.167]
    """

    def __init__(self, limit: RateLimit, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not isinstance(limit, RateLimit):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"limit must be a RateLimit, not {type(limit).__name__}")
        self._state = LimiterState(limit)
        self._clock = clock
        self._lock = threading.Lock()

    @property
    def limit(self) -> RateLimit:
        """What the limiter was built with."""
        return self._state.limit

    def reserve(self, target: str, *, within: float | None = None) -> float | None:
        """Book a slot for ``target`` and say how long to wait for it (None: not within ``within`` s)."""
        with self._lock:
            return self._state.reserve(target, now=self._clock(), within=within)

    def record(self, target: str, status: int, *, retry_after: float | None = None) -> None:
        """Tell the limiter how a request to ``target`` went (429: slow down; 2xx: recover)."""
        with self._lock:
            self._state.record(target, status, now=self._clock(), retry_after=retry_after)

    def rate_of(self, target: str) -> float:
        """The rate now in force for ``target``, in requests per second."""
        with self._lock:
            return self._state.rate_of(target)

    def wait(self, target: str) -> None:
        """Block until a request to ``target`` may go (for code of one's own; the clients wait themselves)."""
        wait = self.reserve(target)
        if wait:
            time.sleep(wait)

    async def wait_async(self, target: str) -> None:
        """Await until a request to ``target`` may go."""
        wait = self.reserve(target)
        if wait:
            import asyncio  # loaded already: this runs in an event loop

            await asyncio.sleep(wait)

    def for_target(self, target: str) -> TargetLimiter:
        """This limiter seen from one target: what a request flow holds."""
        return TargetLimiter(self, target)

    def __repr__(self) -> str:
        return f"RateLimiter({self._state.limit!r})"


@attrs.frozen
class TargetLimiter:
    """A :class:`RateLimiter` bound to one target (``_flow.request_flow`` takes one).

    >>> bound = RateLimiter(RateLimit(per_target=10.0)).for_target("w1")
    >>> bound.reserve(within=1.0)
    0.0
    """

    limiter: RateLimiter
    target: str

    def reserve(self, *, within: float | None = None) -> float | None:
        """See :meth:`RateLimiter.reserve`."""
        return self.limiter.reserve(self.target, within=within)

    def record(self, status: int, *, retry_after: float | None = None) -> None:
        """See :meth:`RateLimiter.record`."""
        self.limiter.record(self.target, status, retry_after=retry_after)


def require_rate_limiter(value: RateLimiter | None) -> RateLimiter | None:
    """``value`` if it is a :class:`RateLimiter` or None (a client option, checked when the client is built).

    >>> require_rate_limiter(RateLimit(per_target=1.0))
    Traceback (most recent call last):
    ...
    TypeError: rate_limiter must be a RateLimiter or None, not RateLimit (build one: RateLimiter(RateLimit(...)))
    """
    # caller input, checked at run time whatever the annotation says
    if value is not None and not isinstance(value, RateLimiter):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(
            f"rate_limiter must be a RateLimiter or None, not {type(value).__name__} "
            "(build one: RateLimiter(RateLimit(...)))"
        )
    return value
