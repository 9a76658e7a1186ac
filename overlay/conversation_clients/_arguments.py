"""Checks of caller arguments shared by both vendors, run before any request is sent.

Each raises ``TypeError`` (wrong kind of value) or ``ValueError`` (out of range) naming the
argument, so the mistake is reported where it was made rather than as a vendor's 400.
"""

from __future__ import annotations

import datetime
import uuid

from dateutil.parser import isoparse

__all__ = ["require_aware_datetime", "require_page_size", "require_uuid"]


def require_uuid(value: str | uuid.UUID, argument: str) -> uuid.UUID:
    """``value`` as a UUID.

    >>> require_uuid("E58899BF-1E8D-4FF7-B9DB-A60BEFAF90D2", "workspace_id")
    UUID('e58899bf-1e8d-4ff7-b9db-a60befaf90d2')
    >>> require_uuid("nope", "workspace_id")
    Traceback (most recent call last):
    ...
    ValueError: workspace_id must be a UUID, got 'nope'
    """
    if isinstance(value, uuid.UUID):
        return value
    # caller input, checked at run time whatever the annotation says
    if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a UUID or a string, not {type(value).__name__}")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValueError(f"{argument} must be a UUID, got {value[:64]!r}") from None


def require_page_size(value: int | None, argument: str, *, maximum: int) -> None:
    """Check an optional page size against 1..``maximum`` (the vendor's documented maximum).

    >>> require_page_size(500, "limit", maximum=100)
    Traceback (most recent call last):
    ...
    ValueError: limit must be between 1 and 100 (the API's maximum page size), got 500
    """
    if value is None:
        return
    # caller input, checked at run time whatever the annotation says
    if isinstance(value, bool) or not isinstance(value, int):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be an int, not {type(value).__name__}")
    if not 1 <= value <= maximum:
        raise ValueError(f"{argument} must be between 1 and {maximum} (the API's maximum page size), got {value}")


def require_aware_datetime(value: datetime.datetime | str, argument: str) -> datetime.datetime:
    """``value`` (a datetime, or ISO 8601 text) as a timezone-aware datetime.

    A naive time is refused: it is sent with its offset, and without one it is ambiguous.

    >>> require_aware_datetime("2025-04-15T12:00:00+02:00", "since").isoformat()
    '2025-04-15T12:00:00+02:00'
    >>> require_aware_datetime("2025-04-15T12:00:00", "since")
    Traceback (most recent call last):
    ...
    ValueError: since must include a timezone, e.g. 2025-04-15T12:00:00Z or ...+02:00 (or datetime.now(timezone.utc)), got '2025-04-15T12:00:00'
    """
    if isinstance(value, str):
        text = value
        try:
            value = isoparse(text)
        except (ValueError, OverflowError):
            raise ValueError(f"{argument} is not an ISO 8601 date-time: {text[:64]!r}") from None
    # caller input, checked at run time whatever the annotation says
    if not isinstance(value, datetime.datetime):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a datetime or an ISO 8601 string, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{argument} must include a timezone, e.g. 2025-04-15T12:00:00Z or ...+02:00 "
            f"(or datetime.now(timezone.utc)), got {value.isoformat()[:64]!r}"
        )
    return value
