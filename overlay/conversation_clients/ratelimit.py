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

Bounded: a target whose schedule has become indistinguishable from a new one (back at its
configured rate, its burst refilled, no hold pending) is forgotten, a few at each booking, and
built afresh at its next request. A long-running limiter holds the targets that are still
spacing, held or slowed down, not every target it ever saw.

Example::

    limiter = RateLimiter(bird.BIRD_RATE_LIMIT)          # 50 requests/s per workspace
    with BirdClient(key, rate_limiter=limiter) as a, BirdClient(other_key, rate_limiter=limiter) as b:
        ...                                              # both share the same schedule
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
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

    def as_new_at(self, now: float) -> bool:
        """Whether, from ``now`` on, this schedule behaves exactly as a new one: at its configured
        rate, its burst refilled (``ready_at`` passed) and no hold pending.

        Then :meth:`earliest` is ``now`` whatever the burst, :meth:`take` starts from the time
        it is given, and :meth:`slow_down` and :meth:`recover` start from the configured rate,
        as on a new schedule, for any time not before ``now``.

        >>> schedule = Schedule(configured=2.0)
        >>> schedule.take(at=10.0)
        >>> schedule.as_new_at(10.4), schedule.as_new_at(10.5)
        (False, True)
        """
        return self.rate == self.configured and self.ready_at <= now and self.held_until <= now


#: How many of the oldest targets a booking that adds one examines: those behaving as new
#: (:meth:`Schedule.as_new_at`) are forgotten, the others go to the back. Two for each one added
#: keep at most about twice as many targets as are in use (spaced, held or slowed down).
_FORGET_PER_NEW_TARGET = 2
#: Up to this many targets, none is forgotten: a few hundred bytes each, they cost less kept than
#: rebuilt at every request of a target used less often than its rate allows.
_ALWAYS_KEPT = 1024


@attrs.define
class LimiterState:
    """Every target's schedule and the overall one; pure (the clock reading is passed in), not locked.

    ``now`` never goes back from one call to the next (a monotonic clock). A target whose schedule
    behaves as a new one (:meth:`Schedule.as_new_at`: its configured rate, its burst refilled, no
    hold pending) may be forgotten, and is built afresh at its next request: it is booked exactly
    as if it had been kept. ``targets_held`` stays at about twice the targets still in use
    (spaced, held or slowed down), or 1,024 if that is more, however many the limiter has seen.
    A request in flight needs no entry of its own: what it reports (:meth:`record`) acts on a new
    schedule as on one that was kept.

    >>> state = LimiterState(RateLimit(per_target=1.0))
    >>> state.reserve("a", now=0.0), state.reserve("a", now=0.0), state.reserve("b", now=0.0)
    (0.0, 1.0, 0.0)
    >>> state.reserve("a", now=0.0, within=1.5) is None  # would wait 2 s: not taken
    True
    >>> for n in range(5000):  # a new target a second, the one before back to new: forgettable
    ...     _ = state.reserve(f"t{n}", now=10.0 + n)
    >>> state.targets_held <= 1024
    True
    """

    limit: RateLimit
    # in the order forgetting examines them, from the front: added, or last examined and kept
    _targets: OrderedDict[str, Schedule] = attrs.field(init=False, factory=lambda: OrderedDict[str, Schedule]())
    _overall: Schedule | None = attrs.field(init=False, default=None)
    _forget_per_new_target: int = attrs.field(init=False, default=_FORGET_PER_NEW_TARGET)
    _always_kept: int = attrs.field(init=False, default=_ALWAYS_KEPT)

    def __attrs_post_init__(self) -> None:
        if self.limit.overall is not None:
            self._overall = Schedule(configured=self.limit.overall)

    @property
    def targets_held(self) -> int:
        """How many targets have a schedule held: those in use, and some not yet forgotten."""
        return len(self._targets)

    def schedules(self, target: str) -> list[Schedule]:
        """The schedules a request to ``target`` goes through (its own, then the overall one).

        The target's own is built if it has none (new, or forgotten).
        """
        found: list[Schedule] = []
        per_target = self.limit.per_target
        if per_target is not None:
            schedule = self._targets.get(target)
            if schedule is None:
                schedule = self._targets[target] = Schedule(configured=per_target)
            found.append(schedule)
        if self._overall is not None:
            found.append(self._overall)
        return found

    def reserve(self, target: str, *, now: float, within: float | None = None) -> float | None:
        """Book the next slot for a request to ``target``: how long to wait before sending.

        None, and nothing booked, when the wait would be ``within`` seconds or more (a page
        deadline it must not cross).
        """
        # what schedules() and max() over them would do, without their allocations: this runs
        # before every attempt of every client sharing the limiter
        targets = self._targets
        held = len(targets)
        own: Schedule | None = None
        per_target = self.limit.per_target
        if per_target is not None:
            own = targets.get(target)
            if own is None:
                own = targets[target] = Schedule(configured=per_target)
        overall = self._overall
        burst = self.limit.burst
        at = now if own is None else own.earliest(now=now, burst=burst)
        if overall is not None:
            at = overall.earliest(now=at, burst=burst)  # earliest(now=a) is max(a, ...): the later of the two
        wait: float | None = at - now
        if within is not None and at - now >= within:
            wait = None
        else:
            if own is not None:
                own.take(at=at)
            if overall is not None:
                overall.take(at=at)
        if held >= self._always_kept and len(targets) > held:  # after take: the one added is not new
            self._forget_idle(now)
        return wait

    def record(self, target: str, status: int, *, now: float, retry_after: float | None = None) -> None:
        """Learn from a response: a 429 slows ``target`` (the overall schedule without a per-target
        one) and holds it for ``retry_after``; a 2xx lets it recover."""
        if status == 429:
            held = len(self._targets)
            self.schedules(target)[0].slow_down(self.limit, now=now, hold=retry_after)
            if held >= self._always_kept and len(self._targets) > held:
                self._forget_idle(now)
        elif 200 <= status < 300:
            # a target forgotten (or never seen) is at its configured rate: nothing to recover
            for schedule in self._held_schedules(target):
                schedule.recover(self.limit)

    def rate_of(self, target: str) -> float:
        """The rate in force for ``target``, in requests per second (the slowest of its schedules)."""
        rates = [schedule.rate for schedule in self._held_schedules(target)]
        if self.limit.per_target is not None and target not in self._targets:
            rates.append(self.limit.per_target)  # as a new schedule would have it
        return min(rates)

    def _held_schedules(self, target: str) -> list[Schedule]:
        """:meth:`schedules` without building one for a target that has none."""
        schedule = self._targets.get(target)
        found = [] if schedule is None else [schedule]
        if self._overall is not None:
            found.append(self._overall)
        return found

    def _forget_idle(self, now: float) -> None:
        # O(1), run when a target was added: the oldest few are examined, those behaving as new
        # dropped, the others sent to the back. Every entry comes up again within about
        # len / _FORGET_PER_NEW_TARGET additions, so entries no longer in use cannot pile up,
        # and a limiter whose targets are all known does no work here.
        targets = self._targets
        for _ in range(min(self._forget_per_new_target, len(targets))):
            target, schedule = targets.popitem(last=False)
            if not schedule.as_new_at(now):
                targets[target] = schedule


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

    @property
    def targets_held(self) -> int:
        """How many targets the limiter holds a schedule for (see :class:`LimiterState`): bounded
        by the targets in use, not by every target it has seen.

        >>> limiter = RateLimiter(RateLimit(per_target=50.0))
        >>> limiter.reserve("w1"), limiter.targets_held
        (0.0, 1)
        """
        with self._lock:
            return self._state.targets_held

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
