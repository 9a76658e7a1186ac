"""The ``conversation-clients`` command: list conversations from Bird or Omnichannel, and Bird's messages.

Commands::

    conversation-clients bird list --workspace-id ID [--limit N] [--max-items N] [--reverse]
        [--resource R] [--page-token T] [--base-url URL] [--sandbox] [--format jsonl|table]
        [--max-retries N]
    conversation-clients bird messages --workspace-id ID --conversation-id ID [--limit N]
        [--reverse] [--date-from ISO8601] [--page-token T] [--max-items N] ... (as bird list)
    conversation-clients omnichannel list --base-url URL --organization-id ID --channel-id ID
        [--since ISO8601] [--page-size N] [--max-items N] [--continuation-token T] [--scope S]
        [--sandbox] [--format jsonl|table] [--max-retries N]
    conversation-clients bird export --workspace-id ID [--workspace-id ID ...]
        [--workspace-ids-file FILE] --out DIR [--limit N] [--concurrency N] [--sandbox] ...
    conversation-clients omnichannel export --base-url URL --organization-id ID
        --channel-id ID [--channel-id ID ...] [--channel-ids-file FILE] --out DIR ...
    conversation-clients sandbox serve [--host H] [--port P]
    conversation-clients --version

Credentials come from the environment, never from arguments (arguments end up in shell
history and process listings): ``BIRD_ACCESS_KEY`` for Bird; ``OMNICHANNEL_TOKEN`` for
Omnichannel or, when it is unset and azure-identity is installed (``conversation-clients[azure]``),
``azure.identity.EnvironmentCredential`` with ``--scope``. ``--sandbox`` serves the embedded demo
data on loopback and lists it over real HTTP with the sandbox's own credentials and IDs, so it
works without an account.

Output is JSON Lines on stdout (one item per line, the vendor's field names), or an
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
    an export whose targets did not all finish exits with its first failure's code (130 if interrupted)

The package, one module a job: :mod:`~conversation_clients.cli.exit_codes` (the status and which
exception gets which), :mod:`~conversation_clients.cli.messages` (error lines, resume hints),
:mod:`~conversation_clients.cli.tables` (rows cut to terminal cells; an item type's columns
declared once), :mod:`~conversation_clients.cli.arguments` (value parsing and decisions),
:mod:`~conversation_clients.cli.credentials` (the environment, azure-identity, the sandbox),
:mod:`~conversation_clients.cli.commands` (the registered vendors' listing commands, each declared as
data in its vendor's profile: options, operation, columns, credentials; the values live in
:mod:`conversation_clients._commands`, which a vendor module imports without importing this
package), :mod:`~conversation_clients.cli.vendors` (the names the commands had, kept),
:mod:`~conversation_clients.cli.parser` (argparse, built from the declarations),
:mod:`~conversation_clients.cli.console` (stderr and the writers on stdout),
:mod:`~conversation_clients.cli.runners` (the one generic listing runner, and :func:`main`),
:mod:`~conversation_clients.cli.export` (the one export runner: fan-out into files, a checkpoint) and
:mod:`~conversation_clients.cli.serving` (``sandbox serve``). The decisions are plain functions,
separate from the I/O.

Example::

    export BIRD_ACCESS_KEY=...
    conversation-clients bird list --workspace-id "$WORKSPACE" --limit 100 > conversations.jsonl
    conversation-clients omnichannel list --sandbox --format table
"""

from __future__ import annotations

import functools
from typing import Final

from conversation_clients.cli import credentials, serving
from conversation_clients.cli.arguments import page_size_for, parse_since
from conversation_clients.cli.commands import ClientSettings, CommandGroup, ListCommand, Option, Role, command_groups
from conversation_clients.cli.console import Console, JsonLinesWriter, TableWriter, Writer, write_listing, writer_for
from conversation_clients.cli.credentials import (
    SECRET_ENV_VARS,
    GuardedCredential,
    TokenChoice,
    credential_errors,
    secrets_from_env,
)
from conversation_clients.cli.exit_codes import (
    EXIT_CODE_MEANINGS,
    CredentialsError,
    ExitCode,
    UsageError,
    exit_code_for,
    exit_status_table,
)
from conversation_clients.cli.messages import (
    PROG,
    Target,
    error_message,
    flag_message,
    one_line,
    progress_text,
    resume_hint,
    scrub,
    usage_errors,
)
from conversation_clients.cli.parser import (
    EPILOG,
    Command,
    ListArguments,
    SandboxServe,
    build_parser,
    list_arguments,
    parse_arguments,
)
from conversation_clients.cli.runners import main, run_listing
from conversation_clients.cli.serving import SandboxSettings, run_sandbox_serve, sandbox_banner, serve_sandbox
from conversation_clients.cli.tables import (
    COLUMN_GAP,
    Column,
    Field,
    ItemTable,
    display_width,
    fit,
    format_row,
    format_when,
    item_table,
    json_line,
)
from conversation_clients.cli.vendors import (
    BIRD_CONVERSATIONS,
    BIRD_KEY_ENV,
    BIRD_LIST,
    COMMAND_GROUPS,
    LIST_COMMANDS,
    OMNICHANNEL_CONVERSATIONS,
    OMNICHANNEL_LIST,
    OMNICHANNEL_TOKEN_ENV,
    choose_token_source,
)

__all__ = [
    "BIRD_COLUMNS",
    "BIRD_CONVERSATIONS",
    "BIRD_FLAGS",
    "BIRD_KEY_ENV",
    "BIRD_LIST",
    "COLUMN_GAP",
    "COMMAND_GROUPS",
    "EPILOG",
    "EXIT_CODE_MEANINGS",
    "LIST_COMMANDS",
    "OMNICHANNEL_COLUMNS",
    "OMNICHANNEL_CONVERSATIONS",
    "OMNICHANNEL_FLAGS",
    "OMNICHANNEL_LIST",
    "OMNICHANNEL_TOKEN_ENV",
    "PROG",
    "SECRET_ENV_VARS",
    "BirdList",
    "ClientSettings",
    "Column",
    "Command",
    "CommandGroup",
    "Console",
    "CredentialsError",
    "ExitCode",
    "Field",
    "GuardedCredential",
    "ItemTable",
    "JsonLinesWriter",
    "ListArguments",
    "ListCommand",
    "OmnichannelList",
    "Option",
    "Role",
    "SandboxServe",
    "SandboxSettings",
    "TableWriter",
    "Target",
    "TokenChoice",
    "UsageError",
    "Writer",
    "bird_cells",
    "build_parser",
    "command_groups",
    "choose_token_source",
    "credential_errors",
    "credentials",
    "display_width",
    "error_message",
    "exit_code_for",
    "exit_status_table",
    "fit",
    "flag_message",
    "format_row",
    "format_when",
    "item_table",
    "json_line",
    "list_arguments",
    "main",
    "omnichannel_cells",
    "one_line",
    "page_size_for",
    "parse_arguments",
    "parse_since",
    "progress_text",
    "resume_hint",
    "run_listing",
    "run_sandbox_serve",
    "sandbox_banner",
    "scrub",
    "secrets_from_env",
    "serve_sandbox",
    "serving",
    "usage_errors",
    "write_listing",
    "writer_for",
]

# The names the single module had, derived from the declarations: each is written once, there.
BIRD_COLUMNS: Final = BIRD_CONVERSATIONS.columns
OMNICHANNEL_COLUMNS: Final = OMNICHANNEL_CONVERSATIONS.columns
bird_cells: Final = BIRD_CONVERSATIONS.cells
omnichannel_cells: Final = OMNICHANNEL_CONVERSATIONS.cells
BIRD_FLAGS: Final = BIRD_LIST.flags
OMNICHANNEL_FLAGS: Final = OMNICHANNEL_LIST.flags
#: ``bird list`` / ``omnichannel list`` as parsed, from keyword values (the rest at their defaults).
BirdList: Final = functools.partial(list_arguments, BIRD_LIST)
OmnichannelList: Final = functools.partial(list_arguments, OMNICHANNEL_LIST)
