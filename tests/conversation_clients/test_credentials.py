"""The credentials apart from their httpx flows (:mod:`conversation_clients._credentials`): when a
token needs a refresh, and the token cache against a fake clock.
"""

from __future__ import annotations

import pytest

# white-box tests of the token cache and the refresh decisions
from conversation_clients._credentials import FetchedToken, TokenCache, needs_refresh

SECRET = "s3cr3t-DO-NOT-LEAK"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# -- the token cache, without HTTP ------------------------------------------------------


@pytest.mark.parametrize(
    ("expires_on", "now", "expected"),
    [
        (None, 1e12, False),
        (1_000.0, 0.0, False),
        (1_000.0, 699.0, False),
        (1_000.0, 700.0, True),
        (1_000.0, 1_000.0, True),
        (1_000.0, 5_000.0, True),
    ],
)
def testneeds_refresh(expires_on: float | None, now: float, expected: bool) -> None:
    assert needs_refresh(expires_on, now=now, refresh_margin=300.0) is expected


def test_cache_starts_empty_and_returns_what_was_stored() -> None:
    cache = TokenCache(refresh_margin=10.0, clock=FakeClock(0.0))
    assert cache.usable_token() is None
    assert cache.store(FetchedToken("a", expires_on=100.0)) == "a"
    assert cache.usable_token() == "a"


def test_cache_expires_tokens_by_the_clock() -> None:
    clock = FakeClock(0.0)
    cache = TokenCache(refresh_margin=10.0, clock=clock)
    cache.store(FetchedToken("a", expires_on=100.0))
    clock.now = 89.9
    assert cache.usable_token() == "a"
    clock.now = 90.0
    assert cache.usable_token() is None


def test_cache_drops_a_rejected_token() -> None:
    cache = TokenCache(refresh_margin=0.0, clock=FakeClock(0.0))
    cache.store(FetchedToken("a", expires_on=None))
    assert cache.usable_token(rejected="a") is None
    assert cache.usable_token() is None


def test_cache_offers_a_newer_token_after_a_rejection_of_an_older_one() -> None:
    cache = TokenCache(refresh_margin=0.0, clock=FakeClock(0.0))
    cache.store(FetchedToken("new", expires_on=None))
    assert cache.usable_token(rejected="old") == "new"


def test_fetched_token_repr_hides_the_value() -> None:
    assert SECRET not in repr(FetchedToken(SECRET, expires_on=1.0))
