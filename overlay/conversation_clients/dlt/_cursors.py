"""The cursors of an incremental load: instants compared from their text, and a row's fingerprint.

A cursor is kept as the text the server sent (Omnichannel's seven fractional digits, ticks of
100 ns, included), never as a ``datetime``, which holds microseconds: a cursor cut to the
microsecond would ask again for what was already loaded. :func:`instant` reads such a text as a
value that compares to the nanosecond, whatever its offset. :func:`fingerprint` tells whether a
row changed since it was loaded, for listings with no "changed since" filter.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["fingerprint", "instant", "is_after", "latest"]

# an ISO 8601 date-time: its seconds, its fraction (any number of digits) and its offset
_DATE_TIME: Final = re.compile(r"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d)(?:[.,](\d+))?(Z|z|[+-]\d\d:?\d\d)")


def instant(text: str) -> tuple[datetime.datetime, int]:
    """The instant ``text`` names, comparable to the nanosecond: its whole second in UTC, and the nanoseconds after it.

    ``ValueError`` for anything but an ISO 8601 date-time with its offset.

    >>> instant("2025-04-15T12:36:40.9049594Z") > instant("2025-04-15T12:36:40.9049593Z")
    True
    >>> instant("2025-04-15T14:36:40.9049594+02:00") == instant("2025-04-15T12:36:40.9049594Z")
    True
    >>> instant("2025-04-15T12:36:40Z")[1], instant("2025-06-02T09:30:00.123+00:00")[1]
    (0, 123000000)
    """
    match = _DATE_TIME.fullmatch(text) if isinstance(text, str) else None  # pyright: ignore[reportUnnecessaryIsInstance]
    if match is None:
        raise ValueError(f"not a date-time with an offset: {str(text)[:64]!r}")
    seconds, fraction, offset = match.groups()
    try:
        moment = datetime.datetime.fromisoformat(seconds + ("+00:00" if offset in ("Z", "z") else offset))
    except ValueError:
        raise ValueError(f"not a date-time with an offset: {text[:64]!r}") from None
    # digits past the ninth are below a nanosecond: dropped, as Go and .NET read them
    return moment.astimezone(datetime.UTC), int((fraction or "0")[:9].ljust(9, "0"))


def is_after(text: str, cursor: str | None) -> bool:
    """Whether ``text`` names an instant after ``cursor`` (every one is after no cursor).

    >>> is_after("2025-04-15T12:36:40.9049594Z", "2025-04-15T12:36:40.904959Z")
    True
    >>> is_after("2025-04-15T12:36:40Z", None), is_after("2025-04-15T12:36:40Z", "2025-04-15T12:36:40.000Z")
    (True, False)
    """
    return cursor is None or instant(text) > instant(cursor)


def latest(cursor: str | None, text: str) -> str:
    """The later of ``cursor`` and ``text``, as it was written (``cursor`` when they name the same instant).

    >>> latest(None, "2025-04-15T12:36:40Z")
    '2025-04-15T12:36:40Z'
    >>> latest("2025-04-15T12:36:41.0000001Z", "2025-04-15T12:36:41Z")
    '2025-04-15T12:36:41.0000001Z'
    """
    return text if is_after(text, cursor) else str(cursor)


def fingerprint(row: Mapping[str, Any]) -> str:
    """A short digest of a row's JSON (its keys in any order): equal for equal rows, different once anything changed.

    >>> fingerprint({"id": "c1", "status": "active"}) == fingerprint({"status": "active", "id": "c1"})
    True
    >>> fingerprint({"id": "c1", "status": "active"}) == fingerprint({"id": "c1", "status": "closed"})
    False
    """
    text = json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    # 64 bits: a change missed by a collision would take billions of changes of one row
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
