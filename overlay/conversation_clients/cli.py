"""The ``conversation-clients`` command: list conversations from Bird or Omnichannel.

Commands::

    conversation-clients bird list --workspace-id ID [--limit N] [--max-items N] [--reverse]
        [--resource R] [--page-token T] [--base-url URL] [--sandbox] [--format jsonl|table]
        [--max-retries N]
    conversation-clients omnichannel list --base-url URL --organization-id ID --channel-id ID
        [--since ISO8601] [--page-size N] [--max-items N] [--continuation-token T] [--scope S]
        [--sandbox] [--format jsonl|table] [--max-retries N]
    conversation-clients sandbox serve [--host H] [--port P]
    conversation-clients --version

Credentials come from the environment, never from arguments (arguments end up in shell
history and process listings): ``BIRD_ACCESS_KEY`` for Bird; ``OMNICHANNEL_TOKEN`` for
Omnichannel or, when it is unset and azure-identity is installed (``conversation-clients[azure]``),
``azure.identity.EnvironmentCredential`` with ``--scope``. ``--sandbox`` serves the embedded demo
data on loopback and lists it over real HTTP with the sandbox's own credentials and IDs, so it
works without an account.

Output is JSON Lines on stdout (one conversation per line, the vendor's field names), or an
aligned table with ``--format table``. Each page is flushed as it arrives. Progress goes to
stderr, only when stderr is a terminal. Failures print one line on stderr, prefixed
``conversation-clients: error:``; a listing cut short prints a second line saying how to resume
it (``--page-token`` / ``--continuation-token``). Secrets are never printed.

Exit status::

    0    success
    1    unexpected error (a bug: please report it)
    2    usage: bad or missing arguments, or an http:// --base-url to a non-loopback host
    3    credentials missing, unusable or rejected (401, 403, or no token from azure-identity)
    4    rate limited (429): the message says when to retry if the server said
    5    network: the connection failed or timed out (after the client's retries)
    6    other API error (status, vendor code, message and request id are shown)
    7    invalid response: a body that does not fit the API, or broken pagination
    8    response too large: a body grew past the size cap, so reading stopped
    130  interrupted (Ctrl-C)
    141  the reader closed the output pipe (e.g. ``| head``): exits quietly, like SIGPIPE

The decisions (which exit code an exception gets, what a resume hint or a table row says) are
plain functions below, separate from the I/O in :func:`main`.

Example::

    export BIRD_ACCESS_KEY=...
    conversation-clients bird list --workspace-id "$WORKSPACE" --limit 100 > conversations.jsonl
    conversation-clients omnichannel list --sandbox --format table
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import enum
import importlib
import io
import json
import os
import shlex
import signal
import sys
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from types import FrameType
from typing import Any, Final, NoReturn, TextIO, TypeAlias, TypeVar

import attrs
from bird_conversations.models import Conversation
from omnichannel_messaging.models import ActiveConversation

from conversation_clients import bird, omnichannel
from conversation_clients._arguments import require_aware_datetime
from conversation_clients._body import DEFAULT_MAX_RESPONSE_BYTES
from conversation_clients._deadline import DEFAULT_PAGE_TIMEOUT
from conversation_clients._version import __version__
from conversation_clients.auth import AccessKeyAuth, AccessTokenLike, BearerTokenAuth, BearerTokenSource
from conversation_clients.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
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
from conversation_clients.pagination import Page

__all__ = [
    "CredentialsError",
    "ExitCode",
    "UsageError",
    "error_message",
    "exit_code_for",
    "format_row",
    "main",
    "resume_hint",
]

PROG: Final = "conversation-clients"
BIRD_KEY_ENV: Final = "BIRD_ACCESS_KEY"
OMNICHANNEL_TOKEN_ENV: Final = "OMNICHANNEL_TOKEN"
#: Environment variables whose values are scrubbed from everything printed on stderr.
SECRET_ENV_VARS: Final = (BIRD_KEY_ENV, OMNICHANNEL_TOKEN_ENV, "AZURE_CLIENT_SECRET", "AZURE_PASSWORD")
_MIN_SCRUBBED_SECRET: Final = 4  # shorter values would mangle ordinary words

T = TypeVar("T")


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
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
    ExitCode.BROKEN_PIPE: "the reader closed the output pipe (e.g. ``| head``): exits quietly, like SIGPIPE",
}


def exit_status_table() -> str:
    """The exit codes and their meanings, one per line, as in the module docstring and ``--help``.

    >>> exit_status_table().splitlines()[3]
    '3    credentials missing, unusable or rejected (401, 403, or no token from azure-identity)'
    """
    return "\n".join(f"{int(code):<5}{meaning}" for code, meaning in EXIT_CODE_MEANINGS.items())


# --------------------------------------------------------------------------------------
# Errors of our own, and the decisions about errors
# --------------------------------------------------------------------------------------


class UsageError(Exception):
    """Bad or missing command-line arguments (exit 2). The message names the flag."""


class CredentialsError(CredentialError):
    """Credentials are missing or unusable, or a credential could not produce a token (exit 3).

    A :class:`ConversationClientError`, so that one raised by a credential mid-listing carries
    ``resume_token`` like any other listing failure.
    """


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit status for an exception that ended the command.

    >>> exit_code_for(RateLimitError(status_code=429, message="slow down"))
    <ExitCode.RATE_LIMITED: 4>
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
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(error, BrokenPipeError):
        return ExitCode.BROKEN_PIPE
    return ExitCode.UNEXPECTED


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
        return "nothing to resume from: the listing stopped at its first page, so it can be restarted from the beginning"
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
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= _MIN_SCRUBBED_SECRET:
            text = text.replace(secret, "***")
    return text


def secrets_from_env(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The values of :data:`SECRET_ENV_VARS` that are set, to be scrubbed from output.

    >>> secrets_from_env({"BIRD_ACCESS_KEY": "k-123456", "HOME": "/root"})
    ('k-123456',)
    """
    return tuple(environ[name] for name in SECRET_ENV_VARS if environ.get(name))


def flag_message(message: str, flags: Mapping[str, str]) -> str:
    """Rename the Python argument that starts a client's error message to the flag the user typed.

    >>> flag_message("limit must be between 1 and 100, got 500", {"limit": "--limit"})
    '--limit must be between 1 and 100, got 500'
    >>> flag_message("something else", {"limit": "--limit"})
    'something else'
    """
    for argument, flag in flags.items():
        if message.startswith(f"{argument} ") or message.startswith(f"{argument}:"):
            return flag + message[len(argument) :]
    return message


@contextlib.contextmanager
def usage_errors(flags: Mapping[str, str]) -> Generator[None]:
    """Turn the clients' argument checks (``ValueError``/``TypeError``) into :class:`UsageError`.

    >>> with usage_errors({"limit": "--limit"}):
    ...     raise ValueError("limit must be positive")
    Traceback (most recent call last):
    ...
    conversation_clients.cli.UsageError: --limit must be positive
    """
    try:
        yield
    except InsecureTransportError:
        raise
    except (ValueError, TypeError) as error:
        raise UsageError(flag_message(str(error), flags)) from None


@contextlib.contextmanager
def credential_errors(name: str) -> Generator[None]:
    """Turn a credential's validation error into :class:`CredentialsError` naming where it came from.

    The validation messages never include the value, so neither does ours.

    >>> with credential_errors("BIRD_ACCESS_KEY"):
    ...     raise ValueError("access_key contains whitespace (the value is not shown)")
    Traceback (most recent call last):
    ...
    conversation_clients.cli.CredentialsError: BIRD_ACCESS_KEY contains whitespace (the value is not shown)
    """
    try:
        yield
    except (ValueError, TypeError) as error:
        raise CredentialsError(flag_message(str(error), {"access_key": name, "token": name})) from None


# --------------------------------------------------------------------------------------
# Argument decisions
# --------------------------------------------------------------------------------------


def parse_since(text: str) -> datetime.datetime:
    """Parse ``--since``: an ISO 8601 date-time that must carry a timezone.

    >>> parse_since("2025-04-15T12:00:00+02:00").isoformat()
    '2025-04-15T12:00:00+02:00'
    >>> parse_since("2025-04-15T12:00:00")
    Traceback (most recent call last):
    ...
    ValueError: --since must include a timezone, e.g. 2025-04-15T12:00:00Z or ...+02:00 (or datetime.now(timezone.utc)), got '2025-04-15T12:00:00'
    """
    return require_aware_datetime(text, "--since")


def prefetch_wanted(max_items: int | None) -> bool:
    """Prefetch pages unless ``--max-items`` caps the listing.

    A prefetch asks for the next page before this one is written; under a cap it would ask
    for one page the command then never writes.

    >>> prefetch_wanted(None), prefetch_wanted(5)
    (True, False)
    """
    return max_items is None


def page_size_for(requested: int | None, max_items: int | None, maximum: int) -> int | None:
    """The page size to ask for: the one given, else no more than ``--max-items`` needs.

    >>> page_size_for(None, 3, 100), page_size_for(None, 500, 100), page_size_for(20, 3, 100)
    (3, 100, 20)
    >>> page_size_for(None, None, 100) is None
    True
    """
    if requested is not None:
        return requested
    if max_items is not None:
        return min(max_items, maximum)
    return None


@attrs.frozen
class TokenChoice:
    """Where the Omnichannel bearer token comes from: the environment or azure-identity."""

    source: str  # "env" or "azure"
    scope: str | None = None


def choose_token_source(env_token: str | None, scope: str | None, *, azure_available: bool) -> TokenChoice:
    """Decide where the Omnichannel token comes from, or say clearly why there is none.

    >>> choose_token_source("eyJ...", None, azure_available=False)
    TokenChoice(source='env', scope=None)
    >>> choose_token_source(None, "https://org-c.crm.dynamics.com/.default", azure_available=True).source
    'azure'
    """
    if env_token:
        if scope:
            raise UsageError(
                f"--scope applies only to azure-identity credentials; {OMNICHANNEL_TOKEN_ENV} is set "
                f"and would be used as it is: drop --scope or unset {OMNICHANNEL_TOKEN_ENV}"
            )
        return TokenChoice("env")
    if not azure_available:
        raise CredentialsError(
            f"no credentials: set {OMNICHANNEL_TOKEN_ENV} to a bearer token, or install "
            "conversation-clients[azure] and pass --scope to use azure-identity's EnvironmentCredential "
            "(or try --sandbox)"
        )
    if not scope:
        raise CredentialsError(
            f"no credentials: {OMNICHANNEL_TOKEN_ENV} is not set; to use azure-identity's "
            "EnvironmentCredential instead, pass --scope https://<org-without-dashes>-c.<zone>.dynamics.com/.default"
        )
    return TokenChoice("azure", scope)


# --------------------------------------------------------------------------------------
# Output formatting
# --------------------------------------------------------------------------------------


def json_line(record: Mapping[str, Any]) -> str:
    """One conversation as a JSON Lines record (compact, UTF-8 text kept as is).

    >>> json_line({"id": "1", "name": "Café"})
    '{"id":"1","name":"Café"}'
    """
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes: wide (CJK, most emoji) characters 2, combining marks 0.

    >>> display_width("abc"), display_width("日本"), display_width("e\\u0301")
    (3, 4, 1)
    """
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int, *, pad: bool = True) -> str:
    """Make ``text`` one printable cell of ``width`` terminal columns: cut with ``…``, then padded.

    >>> fit("Re: About your refund", 10)
    'Re: About…'
    >>> fit("ok", 4) + "|"
    'ok  |'
    >>> fit("a\\tb\\x1b", 5, pad=False)
    'a b'
    """
    cleaned = " ".join("".join(char if char.isprintable() else " " for char in text).split())
    if display_width(cleaned) > width:
        kept: list[str] = []
        used = 0
        for char in cleaned:
            char_width = _char_width(char)
            if used + char_width > width - 1:
                break
            kept.append(char)
            used += char_width
        cleaned = "".join(kept).rstrip() + "…"
    if not pad:
        return cleaned
    return cleaned + " " * (width - display_width(cleaned))


@attrs.frozen
class Column:
    """A table column: its heading and its width in terminal cells (the last one is not padded)."""

    title: str
    width: int


COLUMN_GAP: Final = "  "


def format_row(cells: Sequence[str], columns: Sequence[Column]) -> str:
    """One aligned table line; every cell is cut to its column, the last one is not padded.

    >>> columns = (Column("ID", 4), Column("NAME", 8))
    >>> format_row(["1", "A very long name"], columns)
    '1     A very…'
    """
    if len(cells) != len(columns):
        raise ValueError(f"expected {len(columns)} cells, got {len(cells)}")
    last = len(columns) - 1
    return COLUMN_GAP.join(
        fit(cell, column.width, pad=index != last) for index, (cell, column) in enumerate(zip(cells, columns))
    ).rstrip()


def format_when(moment: datetime.datetime) -> str:
    """A date-time for people: UTC, to the second.

    >>> format_when(datetime.datetime(2025, 4, 15, 14, 36, 40, 904959, tzinfo=datetime.timezone(datetime.timedelta(hours=2))))
    '2025-04-15 12:36:40'
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


BIRD_COLUMNS: Final = (
    Column("ID", 36),
    Column("CREATED (UTC)", 19),
    Column("STATUS", 8),
    Column("PLATFORM", 15),
    Column("NAME", 60),
)
OMNICHANNEL_COLUMNS: Final = (Column("CONVERSATION ID", 36), Column("CREATED (UTC)", 19))


def bird_cells(conversation: Conversation) -> list[str]:
    """The table cells of a Bird conversation: id, creation time, status, platform style, name."""
    return [
        str(conversation.id),
        format_when(conversation.created_at),
        str(conversation.status.value),
        str(conversation.platform_style.value),
        conversation.name,
    ]


def omnichannel_cells(conversation: ActiveConversation) -> list[str]:
    """The table cells of an Omnichannel conversation: id and creation time."""
    return [str(conversation.conversationid), format_when(conversation.timestamp)]


def progress_text(pages: int, items: int) -> str:
    """The progress line shown on a terminal while listing.

    >>> progress_text(1, 1)
    'conversation-clients: listing… 1 page, 1 conversation'
    """
    return (
        f"{PROG}: listing… {pages} page{'' if pages == 1 else 's'}, "
        f"{items} conversation{'' if items == 1 else 's'}"
    )


def sandbox_banner(
    base_url: str,
    *,
    bird_access_key: str,
    omnichannel_token: str,
    workspace_id: str,
    organization_id: str,
    channel_id: str,
    missing_id: str,
) -> list[str]:
    """What ``sandbox serve`` prints on stderr, one fact a line.

    >>> sandbox_banner("http://127.0.0.1:1", bird_access_key="k", omnichannel_token="t",
    ...     workspace_id="w", organization_id="o", channel_id="c", missing_id="m")[1]
    'sandbox credential (demo only, not a real secret): BIRD_ACCESS_KEY=k'
    """
    return [
        f"sandbox base URL: {base_url}",
        f"sandbox credential (demo only, not a real secret): {BIRD_KEY_ENV}={bird_access_key}",
        f"sandbox credential (demo only, not a real secret): {OMNICHANNEL_TOKEN_ENV}={omnichannel_token}",
        f"sandbox Bird workspace ID (--workspace-id): {workspace_id}",
        f"sandbox Omnichannel organization ID (--organization-id): {organization_id}",
        f"sandbox Omnichannel channel ID (--channel-id): {channel_id}",
        f"sandbox ID that is not found (any other is served): {missing_id}",
        "sandbox serving until Ctrl-C or SIGTERM",
    ]


# --------------------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------------------

OutputFormat: TypeAlias = str  # "jsonl" or "table"


@attrs.frozen
class BirdList:
    """``bird list``, as parsed."""

    workspace_id: str | None
    limit: int | None
    max_items: int | None
    reverse: bool
    resource: str | None
    page_token: str | None
    base_url: str | None
    sandbox: bool
    output_format: OutputFormat
    max_retries: int
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    page_timeout: float = DEFAULT_PAGE_TIMEOUT


@attrs.frozen
class OmnichannelList:
    """``omnichannel list``, as parsed."""

    base_url: str | None
    organization_id: uuid.UUID | None
    channel_id: uuid.UUID | None
    since: datetime.datetime | None
    page_size: int | None
    max_items: int | None
    continuation_token: str | None
    scope: str | None
    sandbox: bool
    output_format: OutputFormat
    max_retries: int
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    page_timeout: float = DEFAULT_PAGE_TIMEOUT


@attrs.frozen
class SandboxServe:
    """``sandbox serve``, as parsed."""

    host: str
    port: int


Command: TypeAlias = BirdList | OmnichannelList | SandboxServe

BIRD_FLAGS: Final = {
    "workspace_id": "--workspace-id",
    "limit": "--limit",
    "resource": "--resource",
    "reverse": "--reverse",
    "page_token": "--page-token",
    "base_url": "--base-url",
}
OMNICHANNEL_FLAGS: Final = {
    "organization_id": "--organization-id",
    "channel_id": "--channel-id",
    "start_timestamp": "--since",
    "page_size": "--page-size",
    "continuation_token": "--continuation-token",
    "base_url": "--base-url",
    "scopes": "--scope",
    "scope": "--scope",
}


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises :class:`UsageError` instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _positive_int(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text[:32]!r}")
    return value


def _non_negative_int(text: str) -> int:
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text[:32]!r}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text[:32]!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds above 0, got {text[:32]!r}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text[:32]!r}") from None


def _guid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a GUID: {text[:64]!r}") from None


def _since(text: str) -> datetime.datetime:
    try:
        return parse_since(text)
    except ValueError as error:
        # argparse would replace a ValueError's message with "invalid value"; keep ours.
        raise argparse.ArgumentTypeError(str(error).removeprefix("--since ")) from None


_ENVIRONMENT_HELP: Final = f"""\
environment:
  {BIRD_KEY_ENV}      Bird access key (bird list)
  {OMNICHANNEL_TOKEN_ENV}    Omnichannel bearer token (omnichannel list); when unset and
                       azure-identity is installed (conversation-clients[azure]), a token is
                       fetched with azure.identity.EnvironmentCredential for --scope
  --sandbox needs none of these: it lists the embedded demo data over loopback HTTP.
"""
_RESUME_HELP: Final = """\
resuming: a listing cut short by an error prints a second line such as
  conversation-clients: resume with: --page-token TOKEN   (Bird; --continuation-token for Omnichannel)
  Run the same command with that option to go on, with nothing lost or repeated.
"""
EPILOG: Final = f"{_ENVIRONMENT_HELP}\n{_RESUME_HELP}\nexit status:\n" + "\n".join(
    f"  {line}" for line in exit_status_table().splitlines()
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the whole command."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=PROG,
        description="List conversations from Bird or Dynamics 365 Contact Center (Omnichannel).",
        epilog=EPILOG,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    vendors = parser.add_subparsers(dest="vendor", metavar="{bird,omnichannel,sandbox}", required=True)

    bird_parser = vendors.add_parser("bird", help="Bird Conversations API", epilog=EPILOG, formatter_class=formatter)
    bird_actions = bird_parser.add_subparsers(dest="action", metavar="{list}", required=True)
    bird_list = bird_actions.add_parser(
        "list",
        help="list a workspace's conversations",
        description=f"List a Bird workspace's conversations. Credentials: {BIRD_KEY_ENV}.",
        epilog=EPILOG,
        formatter_class=formatter,
    )
    bird_list.add_argument("--workspace-id", metavar="ID", help="the workspace (a UUID); optional with --sandbox")
    bird_list.add_argument("--limit", type=_int, metavar="N", help="page size, 1 to 100 (Bird's default: 10)")
    bird_list.add_argument("--reverse", action="store_true", help="send reverse=true (Bird does not document its effect)")
    bird_list.add_argument("--resource", metavar="R", help="only conversations of this resource, e.g. task:<uuid>")
    bird_list.add_argument("--page-token", metavar="T", help="resume a listing from this page token")
    bird_list.add_argument("--base-url", metavar="URL", help=f"API base URL (default: {bird.BIRD_BASE_URL})")
    _add_common_list_arguments(bird_list)

    omni_parser = vendors.add_parser(
        "omnichannel", help="Dynamics 365 Contact Center Messaging API", epilog=EPILOG, formatter_class=formatter
    )
    omni_actions = omni_parser.add_subparsers(dest="action", metavar="{list}", required=True)
    omni_list = omni_actions.add_parser(
        "list",
        help="list a custom channel's active conversations",
        description=(
            "List the active conversations of a Dynamics 365 Contact Center custom channel. "
            f"Credentials: {OMNICHANNEL_TOKEN_ENV}, or azure-identity's EnvironmentCredential with --scope. "
            "Not for polling: Microsoft asks for webhooks instead."
        ),
        epilog=EPILOG,
        formatter_class=formatter,
    )
    omni_list.add_argument(
        "--base-url", metavar="URL", help="https://m-<org>.<geo>.omnichannelengagementhub.com; optional with --sandbox"
    )
    omni_list.add_argument("--organization-id", type=_guid, metavar="ID", help="organization GUID; optional with --sandbox")
    omni_list.add_argument("--channel-id", type=_guid, metavar="ID", help="custom channel GUID; optional with --sandbox")
    omni_list.add_argument(
        "--since", type=_since, metavar="ISO8601", help="only conversations created after this (timezone required)"
    )
    omni_list.add_argument("--page-size", type=_int, metavar="N", help="page size, 1 to 250 (default: 50)")
    omni_list.add_argument("--continuation-token", metavar="T", help="resume a listing from this token")
    omni_list.add_argument(
        "--scope", metavar="S", help="token scope for azure-identity, e.g. https://<org>-c.<zone>.dynamics.com/.default"
    )
    _add_common_list_arguments(omni_list)

    sandbox_parser = vendors.add_parser(
        "sandbox", help="a local demo server for both APIs", epilog=EPILOG, formatter_class=formatter
    )
    sandbox_actions = sandbox_parser.add_subparsers(dest="action", metavar="{serve}", required=True)
    serve = sandbox_actions.add_parser(
        "serve",
        help="serve the demo data until Ctrl-C",
        description=(
            "Serve the embedded demo data set (both APIs) over plain HTTP, print its base URL, its "
            "sandbox credentials and IDs on stderr, and block until Ctrl-C or SIGTERM."
        ),
        epilog=EPILOG,
        formatter_class=formatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_non_negative_int, default=0, help="port (default: 0, any free port)")
    return parser


def _add_common_list_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-items",
        type=_positive_int,
        metavar="N",
        help="stop after N conversations (pages are then fetched one at a time, none beyond the last needed)",
    )
    parser.add_argument(
        "--format", dest="output_format", choices=("jsonl", "table"), default="jsonl",
        help="jsonl (default): one JSON object a line, the vendor's field names; table: for people",
    )  # fmt: skip
    parser.add_argument(
        "--sandbox", action="store_true",
        help="list the embedded demo data over loopback HTTP, with the sandbox's credentials and IDs",
    )  # fmt: skip
    parser.add_argument(
        "--max-retries", type=_non_negative_int, default=2, metavar="N",
        help="retries on connection errors, timeouts, 408, 429 and 5xx (default: 2; 0 disables)",
    )  # fmt: skip
    parser.add_argument(
        "--max-response-bytes", type=_positive_int, default=DEFAULT_MAX_RESPONSE_BYTES, metavar="N",
        help=f"stop reading a response body past N bytes, compressed or not; exit code 8 (default: {DEFAULT_MAX_RESPONSE_BYTES})",
    )  # fmt: skip
    parser.add_argument(
        "--page-timeout", type=_positive_seconds, default=DEFAULT_PAGE_TIMEOUT, metavar="S",
        help=f"give up a page after S seconds, retries and waits included; exit code 5 (default: {DEFAULT_PAGE_TIMEOUT:g})",
    )  # fmt: skip


def parse_arguments(argv: Sequence[str]) -> Command:
    """Parse the command line; raises :class:`UsageError` (or ``SystemExit`` for ``--help``).

    >>> parse_arguments(["sandbox", "serve", "--port", "8080"])
    SandboxServe(host='127.0.0.1', port=8080)
    """
    namespace = build_parser().parse_args(argv)
    values = vars(namespace)
    if namespace.vendor == "bird":
        return BirdList(**{field.name: values[field.name] for field in attrs.fields(BirdList)})
    if namespace.vendor == "omnichannel":
        return OmnichannelList(**{field.name: values[field.name] for field in attrs.fields(OmnichannelList)})
    return SandboxServe(host=namespace.host, port=namespace.port)


# --------------------------------------------------------------------------------------
# I/O: the console on stderr, the writers on stdout
# --------------------------------------------------------------------------------------


class Console:
    """Everything written to stderr: error lines, hints and the progress line.

    Every line goes through :func:`scrub`, so the secrets found in the environment are never
    printed, whatever the error says. Progress is shown only on a terminal.
    """

    def __init__(self, stream: TextIO, *, secrets: Sequence[str], show_progress: bool) -> None:
        self._stream = stream
        self._secrets = tuple(secrets)
        self._show_progress = show_progress
        self._progress_shown = False

    def line(self, text: str) -> None:
        """Print one line prefixed with the program name."""
        self.clear_progress()
        self._stream.write(f"{PROG}: {one_line(scrub(text, self._secrets))}\n")
        self._stream.flush()

    def fail(self, error: BaseException, *, target: Target | None = None, resume: tuple[str, str | None] | None = None) -> int:
        """Report ``error`` (and, for a listing cut short, how to resume); return the exit status."""
        code = exit_code_for(error)
        if code is ExitCode.BROKEN_PIPE:
            return code
        self.line(f"error: {error_message(error, target)}")
        if resume is not None:
            self.line(resume_hint(*resume))
        return code

    def progress(self, pages: int, items: int) -> None:
        """Show (or overwrite) the progress line."""
        if not self._show_progress:
            return
        self._stream.write(f"\r{progress_text(pages, items)}\x1b[K")
        self._stream.flush()
        self._progress_shown = True

    def clear_progress(self) -> None:
        """Erase the progress line, if one is shown."""
        if self._progress_shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._progress_shown = False


class JsonLinesWriter:
    """Writes conversations as JSON Lines."""

    def __init__(self, stream: TextIO, to_record: Callable[[Any], Mapping[str, Any]]) -> None:
        self._stream = stream
        self._to_record = to_record

    def write(self, items: Sequence[Any]) -> None:
        """Write one page's conversations and flush, so that a pipe sees them now."""
        self._stream.write("".join(json_line(self._to_record(item)) + "\n" for item in items))
        self._stream.flush()


class TableWriter:
    """Writes conversations as an aligned table; the heading comes with the first page."""

    def __init__(self, stream: TextIO, columns: Sequence[Column], to_cells: Callable[[Any], Sequence[str]]) -> None:
        self._stream = stream
        self._columns = columns
        self._to_cells = to_cells
        self._heading_written = False

    def write(self, items: Sequence[Any]) -> None:
        """Write one page's rows (after the heading, the first time) and flush."""
        lines = [format_row(self._to_cells(item), self._columns) for item in items]
        if not self._heading_written:
            lines.insert(0, format_row([column.title for column in self._columns], self._columns))
            self._heading_written = True
        self._stream.write("".join(line + "\n" for line in lines))
        self._stream.flush()


Writer: TypeAlias = JsonLinesWriter | TableWriter


def _writer(output_format: OutputFormat, stream: TextIO, columns: Sequence[Column], cells: Callable[[Any], Sequence[str]]) -> Writer:
    if output_format == "table":
        # For people: a character the terminal's encoding lacks becomes "?" rather than an error.
        _reconfigure(stream, errors="replace")
        return TableWriter(stream, columns, cells)
    # JSON Lines is UTF-8 by definition, whatever the locale says.
    if stream.encoding.lower().replace("-", "") != "utf8":
        _reconfigure(stream, encoding="utf-8")
    return JsonLinesWriter(stream, lambda item: item.to_dict())


def _reconfigure(stream: TextIO, *, encoding: str | None = None, errors: str | None = None) -> None:
    if isinstance(stream, io.TextIOWrapper):
        with contextlib.suppress(io.UnsupportedOperation, ValueError):
            stream.reconfigure(encoding=encoding, errors=errors)


def write_listing(
    pages: Iterator[Page[T]],
    writer: Writer,
    console: Console,
    *,
    max_items: int | None,
    target: Target,
    start_token: str | None,
) -> int:
    """Write pages as they arrive, stop after ``max_items``; report a failure with its resume hint.

    Stopping closes the page iterator, so no page past the last one needed is fetched.
    """
    written = pages_seen = 0
    # The token of the first page not yet written in full: what an interruption resumes from.
    pending = start_token
    console.progress(0, 0)
    try:
        for page in pages:
            items = page.items if max_items is None else page.items[: max_items - written]
            console.clear_progress()
            writer.write(items)
            written += len(items)
            pages_seen += 1
            pending = page.next_token
            if max_items is not None and written >= max_items:
                break
            console.progress(pages_seen, written)
    except ConversationClientError as error:
        return console.fail(error, target=target, resume=(target.resume_flag, error.resume_token))
    except KeyboardInterrupt as error:
        return console.fail(error, target=target, resume=(target.resume_flag, pending))
    finally:
        close = getattr(pages, "close", None)
        if callable(close):
            close()  # a generator: ends the listing here, nothing more is fetched
    console.clear_progress()
    return ExitCode.OK


# --------------------------------------------------------------------------------------
# The commands
# --------------------------------------------------------------------------------------


@attrs.frozen
class SandboxSettings:
    """The embedded sandbox's credentials and IDs (demo values, not secrets)."""

    bird_access_key: str
    omnichannel_token: str
    workspace_id: str
    organization_id: str
    channel_id: str
    missing_id: str

    @classmethod
    def load(cls) -> SandboxSettings:
        """Import the sandbox (only when asked for: it is not needed against a real API)."""
        from conversation_clients import sandbox

        return cls(
            bird_access_key=str(sandbox.SANDBOX_BIRD_ACCESS_KEY),
            omnichannel_token=str(sandbox.SANDBOX_OMNICHANNEL_TOKEN),
            workspace_id=str(sandbox.SANDBOX_WORKSPACE_ID),
            organization_id=str(sandbox.SANDBOX_ORGANIZATION_ID),
            channel_id=str(sandbox.SANDBOX_CHANNEL_ID),
            missing_id=str(sandbox.SANDBOX_MISSING_ID),
        )


@contextlib.contextmanager
def serve_sandbox(*, host: str = "127.0.0.1", port: int = 0) -> Generator[str]:
    """Serve the default sandbox on loopback and yield its base URL."""
    from conversation_clients.sandbox import default_sandbox

    with default_sandbox().serve(host=host, port=port) as base_url:
        yield base_url


def _require(value: T | None, flag: str) -> T:
    if value is None:
        raise UsageError(f"{flag} is required (or use --sandbox to try the embedded demo data)")
    return value


def _refuse_with_sandbox(command: BirdList | OmnichannelList, *flags: tuple[str, object]) -> None:
    if not command.sandbox:
        return
    for flag, value in flags:
        if value is not None:
            raise UsageError(f"{flag} cannot be combined with --sandbox, which serves its own")


def run_bird_list(command: BirdList, environ: Mapping[str, str], stdout: TextIO, console: Console) -> int:
    """``bird list``: check the arguments, then the credentials, then list."""
    _refuse_with_sandbox(command, ("--base-url", command.base_url))
    sandbox = SandboxSettings.load() if command.sandbox else None
    if sandbox is not None:
        workspace_id = command.workspace_id or sandbox.workspace_id
    else:
        workspace_id = _require(command.workspace_id, "--workspace-id")
    limit = page_size_for(command.limit, command.max_items, bird.MAX_LIMIT)
    list_arguments: dict[str, Any] = {
        "limit": limit,
        "reverse": True if command.reverse else None,
        "resource": command.resource,
        "page_token": command.page_token,
    }
    with usage_errors(BIRD_FLAGS):
        bird.conversations_listing(workspace_id, **list_arguments)  # every check, before anything else

    with contextlib.ExitStack() as stack:
        if sandbox is not None:
            access_key, source = sandbox.bird_access_key, "the sandbox credentials"
            base_url = stack.enter_context(serve_sandbox())
        else:
            access_key, source = environ.get(BIRD_KEY_ENV, ""), BIRD_KEY_ENV
            if not access_key:
                raise CredentialsError(f"no credentials: set {BIRD_KEY_ENV} to a Bird access key (or try --sandbox)")
            base_url = command.base_url or bird.BIRD_BASE_URL
        with credential_errors(BIRD_KEY_ENV):
            AccessKeyAuth(access_key)
        with usage_errors(BIRD_FLAGS):
            client = stack.enter_context(
                bird.BirdClient(
                    access_key,
                    base_url=base_url,
                    max_retries=command.max_retries,
                    max_response_bytes=command.max_response_bytes,
                    page_timeout=command.page_timeout,
                    prefetch=prefetch_wanted(command.max_items),
                )
            )
            pager = client.list_conversations(workspace_id, **list_arguments)
        target = Target("Bird", source, "--page-token")
        writer = _writer(command.output_format, stdout, BIRD_COLUMNS, bird_cells)
        return write_listing(
            pager.pages(), writer, console, max_items=command.max_items, target=target, start_token=command.page_token or None
        )
    raise AssertionError("unreachable")  # pragma: no cover - ExitStack does not swallow exceptions


class GuardedCredential:
    """Wraps an azure-identity credential so that its failures become :class:`CredentialsError`.

    azure-identity raises its own exception classes (``CredentialUnavailableError``,
    ``ClientAuthenticationError``); the command reports them as credential problems (exit 3)
    in one line.
    """

    def __init__(self, inner: Any, name: str) -> None:
        self._inner = inner
        self._name = name

    def get_token(self, *scopes: str) -> AccessTokenLike:
        """Ask the wrapped credential for a token."""
        try:
            token: AccessTokenLike = self._inner.get_token(*scopes)
        except Exception as error:  # noqa: BLE001 - any failure of the credential is a credential problem
            detail = str(error).split("\n", 1)[0]
            raise CredentialsError(
                f"no token from {self._name}: {type(error).__name__}" + (f": {detail}" if detail else "")
            ) from None
        return token

    def close(self) -> None:
        """Close the wrapped credential, if it can be closed."""
        close = getattr(self._inner, "close", None)
        if callable(close):
            close()


def _azure_identity() -> Any | None:
    try:
        return importlib.import_module("azure.identity")
    except ImportError:
        return None


def run_omnichannel_list(command: OmnichannelList, environ: Mapping[str, str], stdout: TextIO, console: Console) -> int:
    """``omnichannel list``: check the arguments, then the credentials, then list."""
    _refuse_with_sandbox(command, ("--base-url", command.base_url), ("--scope", command.scope))
    sandbox = SandboxSettings.load() if command.sandbox else None
    given_base_url = "" if sandbox is not None else _require(command.base_url, "--base-url")
    if sandbox is not None:
        organization_id = command.organization_id or uuid.UUID(sandbox.organization_id)
        channel_id = command.channel_id or uuid.UUID(sandbox.channel_id)
    else:
        organization_id = _require(command.organization_id, "--organization-id")
        channel_id = _require(command.channel_id, "--channel-id")
    page_size = page_size_for(command.page_size, command.max_items, omnichannel.MAX_PAGE_SIZE)
    list_arguments: dict[str, Any] = {
        "start_timestamp": command.since,
        "page_size": page_size,
        "continuation_token": command.continuation_token,
    }
    with usage_errors(OMNICHANNEL_FLAGS):
        omnichannel.conversations_listing(organization_id=organization_id, channel_id=channel_id, **list_arguments)

    with contextlib.ExitStack() as stack:
        token: BearerTokenSource
        scope: str | None = None
        if sandbox is not None:
            token, source = sandbox.omnichannel_token, "the sandbox credentials"
            base_url = stack.enter_context(serve_sandbox())
        else:
            base_url = given_base_url
            env_token = environ.get(OMNICHANNEL_TOKEN_ENV) or None
            identity = None if env_token else _azure_identity()
            choice = choose_token_source(env_token, command.scope, azure_available=identity is not None)
            if choice.source == "env" and env_token is not None:
                token, source = env_token, OMNICHANNEL_TOKEN_ENV
            else:
                assert identity is not None
                source = "azure-identity's EnvironmentCredential"
                try:
                    credential = identity.EnvironmentCredential()
                except Exception as error:  # noqa: BLE001 - azure-identity's own exception classes
                    raise CredentialsError(f"azure-identity's EnvironmentCredential: {type(error).__name__}") from None
                guarded = GuardedCredential(credential, "EnvironmentCredential")
                stack.callback(guarded.close)
                token, scope = guarded, choice.scope
        if isinstance(token, str):
            with credential_errors(OMNICHANNEL_TOKEN_ENV if not command.sandbox else "the sandbox token"):
                BearerTokenAuth(token)
        with usage_errors(OMNICHANNEL_FLAGS):
            client = stack.enter_context(
                omnichannel.OmnichannelClient(
                    base_url,
                    organization_id=organization_id,
                    channel_id=channel_id,
                    token=token,
                    scope=scope,
                    max_retries=command.max_retries,
                    max_response_bytes=command.max_response_bytes,
                    page_timeout=command.page_timeout,
                    prefetch=prefetch_wanted(command.max_items),
                )
            )
            pager = client.list_conversations(**list_arguments)
        target = Target("Omnichannel", source, "--continuation-token")
        writer = _writer(command.output_format, stdout, OMNICHANNEL_COLUMNS, omnichannel_cells)
        return write_listing(
            pager.pages(),
            writer,
            console,
            max_items=command.max_items,
            target=target,
            start_token=command.continuation_token or None,
        )
    raise AssertionError("unreachable")  # pragma: no cover


class _Stop(Exception):
    """Raised by the SIGINT and SIGTERM handlers to end ``sandbox serve``."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


# SIGINT is handled here too, not left to Python's KeyboardInterrupt: Python installs that only
# when SIGINT was not ignored at start, and a shell script's background job (cmd &), a CI runner
# or nohup-like wrappers start commands with SIGINT ignored; `kill -INT` then did nothing and the
# command served for ever.
_STOP_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _stopped_by_signals() -> Generator[None]:
    """SIGINT and SIGTERM raise :class:`_Stop` inside the block (main thread only), restored after it."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal.signal works on the main thread alone; an embedding program keeps its own
        return
    previous = {signum: signal.signal(signum, _raise_stop) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler not set from Python, which cannot be put back; the default is closest
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def run_sandbox_serve(command: SandboxServe, console: Console) -> int:
    """``sandbox serve``: serve the demo data set until Ctrl-C, SIGINT or SIGTERM.

    A signal at any moment ends it: during start-up or while serving, and a second one during the
    shutdown (itself bounded, see :func:`conversation_clients.loopback.serve`) ends it at once.
    """
    sandbox = SandboxSettings.load()
    with _stopped_by_signals():
        try:
            with contextlib.ExitStack() as stack:
                try:
                    base_url = stack.enter_context(serve_sandbox(host=command.host, port=command.port))
                except OSError as error:
                    raise UsageError(
                        f"cannot listen on {command.host}:{command.port}: {error.strerror or error} "
                        "(choose another --host or --port; --port 0 picks a free one)"
                    ) from None
                banner = sandbox_banner(
                    base_url,
                    bird_access_key=sandbox.bird_access_key,
                    omnichannel_token=sandbox.omnichannel_token,
                    workspace_id=sandbox.workspace_id,
                    organization_id=sandbox.organization_id,
                    channel_id=sandbox.channel_id,
                    missing_id=sandbox.missing_id,
                )
                for text in banner:
                    console.line(text)
                while True:
                    time.sleep(3600)
        except (KeyboardInterrupt, _Stop):
            pass
    console.line("sandbox stopped")
    return ExitCode.OK


def _quiet_stdout() -> None:
    # After a broken pipe, point stdout at /dev/null so that the interpreter's final flush
    # does not print "Exception ignored ... BrokenPipeError".
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    Never raises (short of ``SystemExit``): every failure is one line on stderr and a status
    from :class:`ExitCode`.
    """
    return int(_main(argv))


def _main(argv: Sequence[str] | None) -> int:
    stdout, stderr = sys.stdout, sys.stderr
    environ = os.environ
    console = Console(stderr, secrets=secrets_from_env(environ), show_progress=_is_terminal(stderr))
    try:
        try:
            command = parse_arguments(sys.argv[1:] if argv is None else list(argv))
        except SystemExit as finished:  # --help, --version
            return finished.code if isinstance(finished.code, int) else ExitCode.OK
        if isinstance(command, BirdList):
            return run_bird_list(command, environ, stdout, console)
        if isinstance(command, OmnichannelList):
            return run_omnichannel_list(command, environ, stdout, console)
        return run_sandbox_serve(command, console)
    except BrokenPipeError:
        _quiet_stdout()
        return ExitCode.BROKEN_PIPE
    except (Exception, KeyboardInterrupt) as error:
        try:
            return console.fail(error)
        except BrokenPipeError:  # stderr is gone too: nothing left to tell anyone
            return exit_code_for(error)
