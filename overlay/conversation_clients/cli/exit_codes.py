"""The exit status of the command: one per kind of failure, and which exception gets which."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Final

from conversation_clients.cli.command_errors import CredentialsError, ExportWriteError, UsageError
from conversation_clients.errors import (
    APIConnectionError,
    AuthenticationError,
    ConversationClientError,
    CredentialError,
    InsecureTransportError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
)

__all__ = [
    "EXIT_CODES_DOCUMENT",
    "EXIT_CODE_MEANINGS",
    "CredentialsError",
    "ExitCode",
    "UsageError",
    "exit_code_for",
    "exit_code_summary",
    "exit_status_table",
]


class ExitCode(enum.IntEnum):
    """The exit status of the command, one per kind of failure."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    CREDENTIALS = 3
    RATE_LIMITED = 4
    NETWORK = 5
    API_ERROR = 6
    INVALID_RESPONSE = 7
    RESPONSE_TOO_LARGE = 8
    WRITE_FAILED = 9
    INTERRUPTED = 130
    BROKEN_PIPE = 141


EXIT_CODE_MEANINGS: Final[Mapping[ExitCode, str]] = {
    ExitCode.OK: "success",
    ExitCode.UNEXPECTED: "unexpected error (a bug: please report it)",
    ExitCode.USAGE: "usage: bad or missing arguments, or an http:// --base-url to a non-loopback host",
    ExitCode.CREDENTIALS: "credentials missing, unusable or rejected (401, 403, or no token from azure-identity)",
    ExitCode.RATE_LIMITED: "rate limited (429): the message says when to retry if the server said",
    ExitCode.NETWORK: "network: the connection failed or timed out (after the client's retries)",
    ExitCode.API_ERROR: "other API error (status, vendor code, message and request id are shown)",
    ExitCode.INVALID_RESPONSE: "invalid response: a body that does not fit the API, or broken pagination",
    ExitCode.RESPONSE_TOO_LARGE: "response too large: a body grew past the size cap, so reading stopped",
    ExitCode.WRITE_FAILED: (
        "write failed: an export's file or checkpoint (disk full, quota, read-only, I/O); rerun resumes"
    ),
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
    ExitCode.BROKEN_PIPE: "the reader closed the output pipe (e.g. ``| head``): exits quietly, like SIGPIPE",
}


#: An export lists many targets: when some do not finish, which code it ends with.
EXPORT_EXIT_NOTE: Final = (
    "an export whose targets did not all finish exits with its first failure's code "
    "(9 if a write failed, 130 if interrupted)"
)


def exit_status_table() -> str:
    """The exit codes and their meanings, one per line, then the export's rule, as in the package docstring and ``--help``.

    >>> exit_status_table().splitlines()[3]
    '3    credentials missing, unusable or rejected (401, 403, or no token from azure-identity)'
    """
    codes = [f"{int(code):<5}{meaning}" for code, meaning in EXIT_CODE_MEANINGS.items()]
    return "\n".join([*codes, EXPORT_EXIT_NOTE])


#: Where the exit codes' table is, with what each means (``--help`` shows their names only).
EXIT_CODES_DOCUMENT: Final = "docs/cli.md#exit-codes"
# The words of a code's name kept in capitals in the summary ("API error").
_ACRONYMS: Final = frozenset({"OK", "API"})


def exit_code_summary() -> str:
    """Every exit code in one line, each by its name, for ``--help``; the meanings are in :data:`EXIT_CODES_DOCUMENT`.

    >>> exit_code_summary().startswith("exit codes: 0 OK, 1 unexpected, 2 usage, 3 credentials, 4 rate limited, ")
    True
    """
    named = ", ".join(
        f"{int(code)} {' '.join(word if word in _ACRONYMS else word.lower() for word in code.name.split('_'))}"
        for code in ExitCode
    )
    return f"exit codes: {named} (what each means: {EXIT_CODES_DOCUMENT})"


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit status for an exception that ended the command.

    >>> exit_code_for(RateLimitError(status_code=429, message="slow down"))
    <ExitCode.RATE_LIMITED: 4>
    >>> exit_code_for(ExportWriteError("out/bird-w1.jsonl", "No space left on device"))
    <ExitCode.WRITE_FAILED: 9>
    >>> exit_code_for(RuntimeError("bug"))
    <ExitCode.UNEXPECTED: 1>
    """
    # Order matters: subclasses before the classes they derive from.
    if isinstance(error, UsageError | InsecureTransportError):
        return ExitCode.USAGE
    if isinstance(error, CredentialError | AuthenticationError | PermissionDeniedError):
        return ExitCode.CREDENTIALS
    if isinstance(error, RateLimitError):
        return ExitCode.RATE_LIMITED
    if isinstance(error, ResponseTooLargeError):
        return ExitCode.RESPONSE_TOO_LARGE
    if isinstance(error, APIConnectionError):  # APITimeoutError included
        return ExitCode.NETWORK
    if isinstance(error, ResponseValidationError | PaginationError):
        return ExitCode.INVALID_RESPONSE
    if isinstance(error, ConversationClientError):  # APIError and any future client error
        return ExitCode.API_ERROR
    if isinstance(error, ExportWriteError):
        return ExitCode.WRITE_FAILED
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(error, BrokenPipeError):
        return ExitCode.BROKEN_PIPE
    return ExitCode.UNEXPECTED
