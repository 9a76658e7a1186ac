"""What the command says: error lines, resume hints and progress, one printable line each."""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Generator, Iterable, Mapping, Sequence
from typing import Final

import attrs

from conversation_clients._redact import scrub_secrets
from conversation_clients.cli.command_errors import (
    CredentialsError,
    ExportWriteError,
    UnknownTargetError,
    UsageError,
    flag_message,
)
from conversation_clients.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ConversationClientError,
    InsecureTransportError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
)

__all__ = [
    "PROG",
    "Target",
    "error_message",
    "flag_message",
    "one_line",
    "progress_text",
    "resumable",
    "resume_hint",
    "scrub",
    "target_name",
    "usage_errors",
]

PROG: Final = "conversation-clients"
_MIN_SCRUBBED_SECRET: Final = 4  # shorter values would mangle ordinary words


@attrs.frozen
class Target:
    """What an error message needs to know about the listing that failed.

    ``credential_source`` names where the credentials came from (an environment variable, a
    credential class, or the sandbox), so that "rejected" says what to check.
    """

    vendor: str
    credential_source: str
    resume_flag: str


def error_message(error: BaseException, target: Target | None = None) -> str:
    """The one-line description of ``error``, without the ``conversation-clients: error:`` prefix.

    >>> target = Target("Bird", "BIRD_ACCESS_KEY", "--page-token")
    >>> error_message(RateLimitError(status_code=429, message="Too Many Requests", retry_after=30), target)
    'rate limited by Bird: 429 Too Many Requests (retry_after=30s); retry in 30 s or later'
    """
    vendor = target.vendor if target else "the API"
    source = target.credential_source if target else "the credentials"
    if isinstance(error, UsageError | CredentialsError):
        text = str(error)
    elif isinstance(error, ExportWriteError):
        advice = "free space (or fix the cause) and run the same command to resume"
        text = f"cannot write {error.path}: {error.reason}; {advice}"
    elif isinstance(error, UnknownTargetError):
        ids = "the id" if error.ids == 1 else "the ids"
        text = f"{error.target} not found (404): check {ids} ({vendor} said: {error.cause})"
    elif isinstance(error, InsecureTransportError):
        text = f"--base-url: {error}"
    elif isinstance(error, AuthenticationError):
        text = f"credentials rejected by {vendor}: {error}; check {source}"
    elif isinstance(error, PermissionDeniedError):
        text = f"permission denied by {vendor}: {error}; the credentials from {source} may not list these conversations"
    elif isinstance(error, RateLimitError):
        when = (
            f"retry in {error.retry_after:g} s or later"
            if error.retry_after is not None
            else "retry later (the server did not say when)"
        )
        text = f"rate limited by {vendor}: {error}; {when}"
    elif isinstance(error, APITimeoutError):
        text = f"timed out talking to {vendor}: {error}"
    elif isinstance(error, APIConnectionError):
        text = f"cannot reach {vendor}: {error} (check --base-url and the network)"
    elif isinstance(error, APIError):
        text = f"{vendor} API error: {error}"
    elif isinstance(error, ResponseValidationError):
        text = f"invalid response from {vendor}: {error}"
    elif isinstance(error, PaginationError):
        text = f"pagination failed: {error}"
    elif isinstance(error, ConversationClientError):
        text = f"{vendor}: {error}"
    elif isinstance(error, KeyboardInterrupt):
        text = "interrupted"
    else:
        detail = str(error)
        text = f"unexpected error: {type(error).__name__}" + (f": {detail}" if detail else "")
    return one_line(text)


def resumable(error: BaseException | None) -> bool:
    """Whether running the command again (or resuming it) can get past ``error``: not after a 404,
    whose id the API does not know (None: no error, nothing in the way).

    >>> resumable(NotFoundError(status_code=404, message="workspace not found"))
    False
    >>> resumable(RateLimitError(status_code=429, message="slow down")), resumable(None)
    (True, True)
    """
    return not isinstance(error, NotFoundError | UnknownTargetError)


def target_name(flags: Sequence[str], ids: Sequence[str]) -> str:
    """An export's target in words, from its options' flags and its ids (the last one first).

    >>> target_name(["--workspace-id"], ["5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"])
    'workspace 5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01'
    >>> target_name(["--organization-id", "--channel-id"], ["o1", "c1"])
    'channel c1 of organization o1'
    """
    named = [
        f"{flag.removeprefix('--').removesuffix('-id').replace('-', ' ')} {value}"
        for flag, value in zip(flags, ids, strict=True)
    ]
    return " of ".join(reversed(named))


def resume_hint(flag: str, token: str | None) -> str:
    """How to go on with a listing cut short, given the token of the page that was not written.

    The token is shell-quoted so that the line can be pasted.

    >>> resume_hint("--page-token", "abc/12+=")
    'resume with: --page-token abc/12+='
    >>> resume_hint("--continuation-token", "a b")
    "resume with: --continuation-token 'a b'"
    >>> resume_hint("--page-token", None)
    'nothing to resume from: the listing stopped at its first page, so it can be restarted from the beginning'
    """
    if token is None:
        return (
            "nothing to resume from: the listing stopped at its first page, so it can be restarted from the beginning"
        )
    if not token.isprintable():
        # Printing it could send terminal control sequences; it cannot be pasted anyway.
        return f"the page token to resume from contains unprintable characters; it is not shown ({flag})"
    return f"resume with: {flag} {shlex.quote(token)}"


def one_line(text: str) -> str:
    """Flatten ``text`` to one printable line (control characters, newlines included, become spaces).

    >>> one_line("bad\\nthing\\x1b[31m")
    'bad thing [31m'
    """
    return " ".join("".join(char if char.isprintable() else " " for char in text).split())


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret in ``text`` with ``***``.

    The last line of defence: a server that echoes the key in its error message, or a key pasted
    into the wrong flag, still never reaches the terminal.

    >>> scrub("invalid key s3cr3t-key", ["s3cr3t-key"])
    'invalid key ***'
    """
    # the library's scrubbing (escaped forms, a cut-off start), longest first, short values left alone
    scrubbed = [secret for secret in sorted(set(secrets), key=len, reverse=True) if len(secret) >= _MIN_SCRUBBED_SECRET]
    return scrub_secrets(text, scrubbed)


@contextlib.contextmanager
def usage_errors(flags: Mapping[str, str]) -> Generator[None]:
    """Turn the clients' argument checks (``ValueError``/``TypeError``) into :class:`UsageError`.

    >>> with usage_errors({"limit": "--limit"}):
    ...     raise ValueError("limit must be positive")
    Traceback (most recent call last):
    ...
    conversation_clients.cli.command_errors.UsageError: --limit must be positive
    """
    try:
        yield
    except InsecureTransportError:
        raise
    except (ValueError, TypeError) as error:
        raise UsageError(flag_message(str(error), flags)) from None


def progress_text(pages: int, items: int, noun: str = "conversation") -> str:
    """The progress line shown on a terminal while listing.

    >>> progress_text(1, 1)
    'conversation-clients: listing… 1 page, 1 conversation'
    >>> progress_text(2, 20, "message")
    'conversation-clients: listing… 2 pages, 20 messages'
    """
    return f"{PROG}: listing… {pages} page{'' if pages == 1 else 's'}, {items} {noun}{'' if items == 1 else 's'}"
