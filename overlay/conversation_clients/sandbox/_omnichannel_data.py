"""The sandbox's Omnichannel demo data: active conversation ``i`` of a channel, computed on demand.

Each conversation is a pure function of (seed, channel, index) (see
:mod:`~conversation_clients.sandbox._seeds`). Creation times increase with the index (index 0
is the oldest), which lets a time filter find its first match by bisection instead of a scan.
Times are .NET's: ticks of 100 ns, written with 7 fractional digits.

>>> omnichannel_conversation(0, "c4b8e1f2-6a0d-4f3b-a7e9-52d1c0b8f603", 0)["timestamp"]
'2025-04-15T08:00:25.3426044Z'
"""

from __future__ import annotations

import bisect
import datetime
import re
import uuid
from typing import Any, Final

from conversation_clients.sandbox._seeds import canonical_id, stable_digest
from omnichannel_messaging.models import ActiveConversation
from omnichannel_messaging.types import parse_datetime

__all__ = [
    "dotnet_timestamp",
    "first_omnichannel_index_after",
    "omnichannel_conversation",
    "omnichannel_created_ticks",
    "ticks_from_timestamp",
]

_UNIX_EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
#: .NET counts time in ticks of 100 ns; the sandbox counts them from the Unix epoch.
TICKS_PER_SECOND: Final = 10_000_000
# Omnichannel: conversation 0 of every channel is the oldest; each next one 90 to 135 s younger.
OMNICHANNEL_OLDEST_TICKS: Final = 1_744_704_000 * TICKS_PER_SECOND  # 2025-04-15T08:00:00Z
OMNICHANNEL_SPACING_TICKS: Final = 90 * TICKS_PER_SECOND


def omnichannel_created_ticks(seed: int, channel_id: str, index: int) -> int:
    """When active conversation ``index`` of a channel was created (ticks since the epoch); increasing.

    >>> channel = "c4b8e1f2-6a0d-4f3b-a7e9-52d1c0b8f603"
    >>> omnichannel_created_ticks(0, channel, 0) < omnichannel_created_ticks(0, channel, 1)
    True
    """
    digest = stable_digest("omnichannel-created", seed, canonical_id(channel_id), index)
    jitter = int.from_bytes(digest[:8]) % (OMNICHANNEL_SPACING_TICKS // 2)
    return OMNICHANNEL_OLDEST_TICKS + index * OMNICHANNEL_SPACING_TICKS + jitter


def dotnet_timestamp(ticks: int) -> str:
    """Ticks since the epoch written as .NET's round-trip format: 7 fractional digits and ``Z``.

    >>> dotnet_timestamp(17_447_206_009_049_594)
    '2025-04-15T12:36:40.9049594Z'
    """
    seconds, fraction = divmod(ticks, TICKS_PER_SECOND)
    moment = _UNIX_EPOCH + datetime.timedelta(seconds=seconds)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{fraction:07d}Z"


# After the seconds of an ISO 8601 time: the fraction, whose digits past the sixth datetime drops.
_FRACTION: Final = re.compile(r"T\d\d:?\d\d:?\d\d[.,](\d+)", re.IGNORECASE)


def ticks_from_timestamp(text: str) -> int | None:
    """Ticks since the epoch for an ISO 8601 date-time, to the 100 ns; None if it is not one.

    A time without an offset is taken as UTC (.NET would take it as the server's local time,
    which in Azure is UTC).

    >>> ticks_from_timestamp("2025-04-15T12:36:40.9049594Z")
    17447206009049594
    >>> ticks_from_timestamp("2025-04-15T14:36:40.9049594+02:00")
    17447206009049594
    >>> ticks_from_timestamp("yesterday") is None
    True
    """
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    whole_seconds = (moment.replace(microsecond=0) - _UNIX_EPOCH) // datetime.timedelta(seconds=1)
    fraction = _FRACTION.search(text)
    digits = fraction.group(1)[:7].ljust(7, "0") if fraction else "0"
    return whole_seconds * TICKS_PER_SECOND + int(digits)


def omnichannel_conversation(seed: int, channel_id: str, index: int) -> dict[str, Any]:
    """Active conversation ``index`` of a channel as Omnichannel sends it.

    >>> sorted(omnichannel_conversation(0, "c4b8e1f2-6a0d-4f3b-a7e9-52d1c0b8f603", 7))
    ['conversationid', 'timestamp']
    """
    channel = canonical_id(channel_id)
    timestamp = dotnet_timestamp(omnichannel_created_ticks(seed, channel, index))
    conversation_id = uuid.UUID(bytes=stable_digest("omnichannel", seed, channel, index), version=4)
    # parse_datetime keeps the 7-digit text, so the model writes it back exactly as .NET would
    return ActiveConversation(conversationid=conversation_id, timestamp=parse_datetime(timestamp)).to_dict()


def first_omnichannel_index_after(seed: int, channel_id: str, count: int, ticks: int) -> int:
    """The first index (of ``count``) created strictly after ``ticks``: ``count`` if none is.

    Bisects, since creation times increase with the index.

    >>> first = omnichannel_created_ticks(0, "c4b8e1f2-6a0d-4f3b-a7e9-52d1c0b8f603", 10)
    >>> first_omnichannel_index_after(0, "c4b8e1f2-6a0d-4f3b-a7e9-52d1c0b8f603", 200_000, first)
    11
    """
    channel = canonical_id(channel_id)
    return bisect.bisect_right(range(count), ticks, key=lambda index: omnichannel_created_ticks(seed, channel, index))
