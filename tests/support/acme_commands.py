"""The third vendor's command line, ``conversation-clients acme list``: one declaration module.

What a third vendor's module under ``overlay/conversation_clients/cli/`` holds: its ``COMMANDS``,
over the client of its vendor module (:mod:`tests.support.acme_vendor`), with its own credential
variable and columns. It is registered in the command line's registry
(``cli.command_registry.COMMAND_MODULES``, see ``test_third_vendor.py``).
"""

from __future__ import annotations

from typing import Final

from conversation_clients._operations.bird_conversations import list_conversations_listing
from conversation_clients.cli.command_options import Option, Role
from conversation_clients.cli.commands import CommandSettings, ListCommand, VendorCommands
from conversation_clients.cli.credential_sources import AccessKeyFromEnvironment
from conversation_clients.cli.tables import Field, format_when, item_table
from tests.support.acme_vendor import ACME, AcmeClient

ACME_KEY_ENV: Final = "ACME_ACCESS_KEY"


def open_acme_client(settings: CommandSettings) -> AcmeClient:
    """An :class:`~tests.support.acme_vendor.AcmeClient` for a command."""
    return AcmeClient(settings.credentials.secret, base_url=settings.base_url, **settings.transfer_options())


COMMANDS: Final = VendorCommands(
    profile=ACME,
    title="Acme Threads API",
    commands=(
        ListCommand(
            name="list",
            help="list a workspace's threads",
            description=f"List an Acme workspace's threads. Credentials: {ACME_KEY_ENV}.",
            # --limit, --reverse, --resource and --page-token come from the operation's parameters
            options=(
                Option(
                    "--workspace-id",
                    "the workspace (a UUID); optional with --sandbox",
                    metavar="ID",
                    required=True,
                    sandbox_value=lambda sandbox: sandbox.workspace_id,
                ),
                Option(
                    "--base-url",
                    "API base URL",
                    metavar="URL",
                    role=Role.BASE_URL,
                    required=True,
                    refused_with_sandbox=True,
                ),  # fmt: skip
            ),
            check=list_conversations_listing,
            method="list_conversations",
            open_client=open_acme_client,
            credentials=AccessKeyFromEnvironment(
                ACME_KEY_ENV, "an Acme access key", sandbox_secret=lambda sandbox: sandbox.bird_access_key
            ),
            table=item_table(
                Field("THREAD", 36, lambda thread: str(thread.id)),
                Field("STARTED (UTC)", 19, lambda thread: format_when(thread.created_at)),
            ),
            noun="thread",
        ),
    ),
)
