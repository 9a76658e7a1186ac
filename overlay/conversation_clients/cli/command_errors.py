"""The command line's own failures, and the message rename that names a flag instead of an argument.

The parser, the credential sources (:mod:`conversation_clients.cli.credential_sources`) and the runners
raise them; :mod:`conversation_clients.cli.exit_codes` maps them to exit codes.
"""

from __future__ import annotations

from collections.abc import Mapping

from conversation_clients.errors import CredentialError

__all__ = ["CredentialsError", "UsageError", "flag_message"]


class UsageError(Exception):
    """Bad or missing command-line arguments (exit 2). The message names the flag."""


class CredentialsError(CredentialError):
    """Credentials are missing or unusable, or a credential could not produce a token (exit 3).

    A :class:`~conversation_clients.errors.ConversationClientError`, so that one raised by a
    credential mid-listing carries ``resume_token`` like any other listing failure.
    """


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
