"""The targets a source is given: ids of one kind (workspaces, channels), checked before anything is listed.

Each source takes its targets as a sequence of ids, UUIDs or their text, and lists each one once, in
the order given, under its canonical text (lower case, hyphenated): the key of its part of dlt's
state, and the value of the field that says which target a row came from.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from conversation_clients._checks import require_uuid

__all__ = ["target_ids"]


def target_ids(ids: Sequence[str | uuid.UUID], argument: str, noun: str) -> tuple[str, ...]:
    """``ids`` (the source's ``argument``, ids of ``noun``\\ s) checked: each a UUID, each once, in order, at least one.

    A bare string (one id, not a sequence of them) is a ``TypeError``, no id or a bad one a ``ValueError``.

    >>> target_ids(["5A3D1B0E-7C2F-4E8A-9B61-0D4C2E8F1A01", uuid.UUID("5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01")], "workspace_ids", "workspace")
    ('5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01',)
    >>> target_ids([], "channel_ids", "channel")
    Traceback (most recent call last):
    ...
    ValueError: channel_ids must name at least one channel
    """
    # caller input, checked at run time whatever the annotation says
    if isinstance(ids, str) or not isinstance(ids, Sequence):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a sequence of {noun} ids, not {type(ids).__name__}")
    canonical = [str(require_uuid(value, argument)) for value in ids]
    if not canonical:
        raise ValueError(f"{argument} must name at least one {noun}")
    return tuple(dict.fromkeys(canonical))  # each once, in order
