"""The targets a load could not finish: each with its error, while the others load and move on.

A source given a :class:`LoadFailures` keeps going when one target (a workspace, a conversation's
messages, a channel) fails: what that target yielded before failing is loaded, its cursor stays
where it was (nothing of it is skipped next time, nothing reset), and every other target loads
and moves its own cursor on. Without one, the first failure ends the whole run, and dlt commits
nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from conversation_clients.errors import ConversationClientError

__all__ = ["LoadFailure", "LoadFailures"]


@attrs.frozen
class LoadFailure:
    """One target that did not finish, and why (the error carries its ``resume_token`` and request id, if any)."""

    target: str
    error: ConversationClientError


class LoadFailures:
    """The targets that did not finish, in the order they failed.

    >>> from conversation_clients.errors import APIConnectionError
    >>> failures = LoadFailures()
    >>> bool(failures)
    False
    >>> failures.record("workspace w1", APIConnectionError("connection refused"))
    >>> [failure.target for failure in failures], failures.first_error is not None
    (['workspace w1'], True)
    """

    def __init__(self) -> None:
        self._failures: list[LoadFailure] = []

    def record(self, target: str, error: ConversationClientError) -> None:
        """Record that ``target`` did not finish because of ``error``."""
        self._failures.append(LoadFailure(target, error))

    @property
    def first_error(self) -> ConversationClientError | None:
        """The first failure's error (None: every target finished)."""
        return self._failures[0].error if self._failures else None

    def __iter__(self) -> Iterator[LoadFailure]:
        return iter(tuple(self._failures))

    def __len__(self) -> int:
        return len(self._failures)

    def __bool__(self) -> bool:
        return bool(self._failures)

    def __repr__(self) -> str:
        return f"LoadFailures({[failure.target for failure in self._failures]!r})"
