"""The targets a load could not finish (:mod:`conversation_clients.dlt._failures`)."""

from __future__ import annotations

from conversation_clients.dlt import LoadFailure, LoadFailures
from conversation_clients.errors import APIConnectionError, RateLimitError


def test_failures_keep_their_order_and_the_first_error_is_the_first_recorded() -> None:
    failures = LoadFailures()
    assert not failures and len(failures) == 0 and failures.first_error is None
    refused, limited = APIConnectionError("refused"), RateLimitError(status_code=429, message="slow down")
    failures.record("workspace w1", refused)
    failures.record("channel c2", limited)
    assert list(failures) == [LoadFailure("workspace w1", refused), LoadFailure("channel c2", limited)]
    assert failures.first_error is refused and len(failures) == 2 and failures
    assert repr(failures) == "LoadFailures(['workspace w1', 'channel c2'])"


def test_iterating_gives_a_snapshot_that_a_later_record_does_not_change() -> None:
    failures = LoadFailures()
    failures.record("workspace w1", APIConnectionError("refused"))
    snapshot = iter(failures)
    failures.record("workspace w2", APIConnectionError("refused"))
    assert [failure.target for failure in snapshot] == ["workspace w1"]
