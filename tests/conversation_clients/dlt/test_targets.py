"""The targets a source is given (:mod:`conversation_clients.dlt._targets`): ids checked before anything
is listed, each under its canonical text, once, in the order given."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from conversation_clients.dlt._targets import target_ids

FIRST = "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"
SECOND = "2b9e4d1c-8f7a-4c3b-9e2d-1a0f8e7d6c06"


def test_each_id_is_kept_once_in_canonical_text_in_the_order_given() -> None:
    given: list[str | uuid.UUID] = [SECOND, FIRST.upper(), uuid.UUID(SECOND), f"{{{FIRST}}}"]
    assert target_ids(given, "workspace_ids", "workspace") == (SECOND, FIRST)


@pytest.mark.parametrize(
    ("ids", "error", "message"),
    [
        (FIRST, TypeError, "^channel_ids must be a sequence of channel ids, not str$"),
        ({FIRST}, TypeError, "^channel_ids must be a sequence of channel ids, not set$"),
        ([], ValueError, "^channel_ids must name at least one channel$"),
        ([FIRST, "nope"], ValueError, "^channel_ids must be a UUID, got 'nope'$"),
        ([FIRST, 7], TypeError, "^channel_ids must be a UUID or a string, not int$"),
    ],
    ids=["a bare string", "not a sequence", "none", "a bad id", "not an id"],
)
def test_bad_ids_are_refused_naming_the_argument_and_the_kind(ids: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        target_ids(ids, "channel_ids", "channel")
