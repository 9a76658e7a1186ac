"""The command line's own failures, and the message rename that names a flag instead of an argument.

The parser, the credential sources (:mod:`conversation_clients.cli.credential_sources`), the runners
and the export raise them; :mod:`conversation_clients.cli.exit_codes` maps them to exit codes and
:mod:`conversation_clients.cli.wording` words them.
"""

from __future__ import annotations

from collections.abc import Mapping

from conversation_clients.errors import CredentialError

__all__ = ["CredentialsError", "ExportWriteError", "UnknownTargetError", "UsageError", "flag_message"]


class UsageError(Exception):
    """Bad or missing command-line arguments (exit 2). The message names the flag."""


class CredentialsError(CredentialError):
    """Credentials are missing or unusable, or a credential could not produce a token (exit 3).

    A :class:`~conversation_clients.errors.ConversationClientError`, so that one raised by a
    credential mid-listing carries ``resume_token`` like any other listing failure.
    """


class ExportWriteError(Exception):
    """Writing an export's file or its checkpoint failed: disk full, quota, read-only, I/O error (exit 9).

    ``path`` is the file that could not be written, ``reason`` the system's words for why (the
    ``OSError``'s ``strerror``). What was written before stays vouched for by the checkpoint, so
    the same command run again resumes.

    >>> str(ExportWriteError("out/bird-w1.jsonl", "No space left on device"))
    'out/bird-w1.jsonl: No space left on device'
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnknownTargetError(Exception):
    """An export's target the API does not know: a 404 before any of its pages was written.

    ``target`` names it (e.g. ``workspace 5a3d...``), ``ids`` says how many ids it has (``1``:
    "the id", more: "the ids"), ``cause`` is the API's error. Running the export again cannot
    help; checking the id can.

    >>> UnknownTargetError("workspace w1", 1, ValueError("404")).target
    'workspace w1'
    """

    def __init__(self, target: str, ids: int, cause: BaseException) -> None:
        super().__init__(f"{target} not found (404)")
        self.target = target
        self.ids = ids
        self.cause = cause


def flag_message(message: str, flags: Mapping[str, str]) -> str:
    """Rename the Python argument that starts a client's error message to the flag the user typed.

    >>> flag_message("limit must be between 1 and 100, got 500", {"limit": "--limit"})
    '--limit must be between 1 and 100, got 500'
    >>> flag_message("something else", {"limit": "--limit"})
    'something else'
    """
    for argument, flag in flags.items():
        if message.startswith((f"{argument} ", f"{argument}:")):
            return flag + message[len(argument) :]
    return message
