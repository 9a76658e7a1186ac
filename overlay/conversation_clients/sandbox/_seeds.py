"""What the sandbox's demo data is derived from: stable digests, seeded generators, canonical ids.

Nothing of the demo data is stored. Each conversation is a pure function of (seed, workspace or
channel, index), drawn from a generator seeded with those alone (:func:`seeded_random`), so a
workspace of 200,000 conversations costs no memory and its last page is as cheap as its first.
Each vendor's data (:mod:`~conversation_clients.sandbox._bird_data`,
:mod:`~conversation_clients.sandbox._omnichannel_data`) is computed from these.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Iterable, Sequence
from typing import TypeVar

__all__ = [
    "canonical_id",
    "canonical_id_set",
    "canonical_ids",
    "seeded_random",
    "stable_digest",
    "weighted_choice",
]

T = TypeVar("T")


def stable_digest(*parts: object) -> bytes:
    """16 bytes that depend on ``parts`` alone, the same in every process (unlike ``hash``).

    >>> stable_digest("bird", 0, 1) == stable_digest("bird", 0, 1) != stable_digest("bird", 0, 2)
    True
    """
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).digest()


def seeded_random(*parts: object) -> random.Random:
    """A random generator seeded from ``parts`` alone (see :func:`stable_digest`).

    >>> seeded_random("bird", 0, 1).random() == seeded_random("bird", 0, 1).random()
    True
    """
    # One generator per conversation, seeded from its identity alone: conversation i never
    # depends on conversations before it, which is what lets any page be computed on its own.
    return random.Random(int.from_bytes(stable_digest(*parts)))


def weighted_choice(rng: random.Random, choices: Sequence[tuple[T, int]]) -> T:
    """One value of ``(value, weight)`` pairs, drawn as often as its weight says.

    >>> weighted_choice(random.Random(0), (("always", 1), ("never", 0)))
    'always'
    """
    return rng.choices([value for value, _ in choices], [weight for _, weight in choices])[0]


def canonical_id(identifier: str) -> str:
    """The one spelling of a UUID the data is keyed on: "ABC..." and "abc..." are the same workspace.

    >>> canonical_id("5A3D1B0E7C2F4E8A9B610D4C2E8F1A01")
    '5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01'
    """
    return str(uuid.UUID(identifier))


def canonical_ids(identifiers: Iterable[str]) -> tuple[str, ...]:
    """:func:`canonical_id` of each."""
    return tuple(canonical_id(identifier) for identifier in identifiers)


def canonical_id_set(identifiers: Iterable[str]) -> frozenset[str]:
    """:func:`canonical_id` of each, as a set to look ids up in."""
    return frozenset(canonical_ids(identifiers))
