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
    conversation-clients bird load --workspace-id ID [--workspace-id ID ...] [--duckdb PATH]
        [--destination NAME] [--dataset NAME] [--pipelines-dir DIR] [--sandbox] ...
    conversation-clients omnichannel load --base-url URL --organization-id ID
        --channel-id ID [--channel-id ID ...] [--duckdb PATH] ... (the dlt extra)
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
    9    write failed: an export's file or checkpoint (disk full, quota, read-only, I/O); rerun resumes
    130  interrupted (Ctrl-C)
    141  the reader closed the output pipe (e.g. ``| head``): exits quietly, like SIGPIPE
    an export whose targets did not all finish exits with its first failure's code (9 if a write failed, 130 if interrupted)

The package, one module a job: :mod:`~conversation_clients.cli.exit_codes` (the status and which
exception gets which), :mod:`~conversation_clients.cli.command_errors` (the command's own failures),
:mod:`~conversation_clients.cli.wording` (error lines, resume hints),
:mod:`~conversation_clients.cli.tables` (rows cut to terminal cells; an item type's columns
declared once), :mod:`~conversation_clients.cli.values` (option values: parsing, ids in one spelling, and decisions),
:mod:`~conversation_clients.cli.credential_sources` (the environment, azure-identity, the sandbox),
:mod:`~conversation_clients.cli.command_options` (a command's options, declared or derived from
its operation's parameters), :mod:`~conversation_clients.cli.commands` (a listing command declared
as data: options, operation, columns, credentials), :mod:`~conversation_clients.cli.bird_commands` and
:mod:`~conversation_clients.cli.omnichannel_commands` (each vendor's commands, declared so),
:mod:`~conversation_clients.cli.command_registry` (the registry of those modules),
:mod:`~conversation_clients.cli.parser` (argparse, built from the declarations),
:mod:`~conversation_clients.cli.command_parsers` (each command's own sub-parser: a listing's, its
export's, its load's), :mod:`~conversation_clients.cli.parsed_arguments` (the parsed values the
runners read), :mod:`~conversation_clients.cli.help_text` (``--help``'s words: each command's own environment
variables and resume option, the exit codes by name),
:mod:`~conversation_clients.cli.console` (stderr and the writers on stdout),
:mod:`~conversation_clients.cli.runners` (the one generic listing runner, and :func:`main`),
:mod:`~conversation_clients.cli.export` (the one export runner: fan-out into files, a checkpoint,
:mod:`~conversation_clients.cli.checkpoint`), :mod:`~conversation_clients.cli.export_plan` (what an
export does, decided before any I/O), :mod:`~conversation_clients.cli.export_progress` (its counts
and live display), :mod:`~conversation_clients.cli.dask_export` and
:mod:`~conversation_clients.cli.command_pages` (``export --dask``: each target a Dask task),
:mod:`~conversation_clients.cli.load` and :mod:`~conversation_clients.cli.load_options` (the load:
the export's targets into a warehouse with dlt, only what is new each run),
:mod:`~conversation_clients.cli.sandbox_settings` (the embedded sandbox's demo credentials and ids) and
:mod:`~conversation_clients.cli.serving` (``sandbox serve``). The decisions are plain functions,
separate from the I/O. The command line uses the library and the sandbox; neither imports it.

Example::

    export BIRD_ACCESS_KEY=...
    conversation-clients bird list --workspace-id "$WORKSPACE" --limit 100 > conversations.jsonl
    conversation-clients omnichannel list --sandbox --format table
"""

from conversation_clients.cli.runners import main

__all__ = ["main"]
