"""The listing commands of each vendor, declared as data (see :class:`~conversation_clients.cli.commands.ListCommand`).

Each item type's table is declared here once; its heading, rows and widths derive from it.
Adding a listing (say ``bird messages``, once the client has ``list_messages``) is one more
:class:`ListCommand` in its vendor's group: its options, the operation's check and method,
its table.
"""

from __future__ import annotations

import uuid
from typing import Final

from bird_conversations.models import Conversation
from omnichannel_messaging.models import ActiveConversation

from conversation_clients import bird, omnichannel
from conversation_clients.cli.arguments import guid, integer, since
from conversation_clients.cli.commands import ClientSettings, CommandGroup, ListCommand, Option, Role
from conversation_clients.cli.credentials import (
    BIRD_KEY_ENV,
    OMNICHANNEL_TOKEN_ENV,
    AccessKeyFromEnvironment,
    BearerTokenFromEnvironment,
)
from conversation_clients.cli.tables import Field, ItemTable, format_when, item_table

__all__ = [
    "BIRD",
    "BIRD_CONVERSATIONS",
    "BIRD_LIST",
    "COMMAND_GROUPS",
    "LIST_COMMANDS",
    "OMNICHANNEL",
    "OMNICHANNEL_CONVERSATIONS",
    "OMNICHANNEL_LIST",
]

# --------------------------------------------------------------------------------------
# Bird
# --------------------------------------------------------------------------------------

BIRD_CONVERSATIONS: Final[ItemTable[Conversation]] = item_table(
    Field("ID", 36, lambda conversation: str(conversation.id)),
    Field("CREATED (UTC)", 19, lambda conversation: format_when(conversation.created_at)),
    # .value: an unknown status or platform style is shown as the vendor sent it
    Field("STATUS", 8, lambda conversation: str(conversation.status.value)),
    Field("PLATFORM", 15, lambda conversation: str(conversation.platform_style.value)),
    Field("NAME", 60, lambda conversation: conversation.name),
)


def open_bird_client(settings: ClientSettings) -> bird.BirdClient:
    """A :class:`~conversation_clients.bird.BirdClient` for a command."""
    return bird.BirdClient(settings.credentials.secret, base_url=settings.base_url, **settings.transfer_options())


BIRD_LIST: Final = ListCommand(
    vendor="bird",
    name="list",
    vendor_title="Bird",
    help="list a workspace's conversations",
    description=f"List a Bird workspace's conversations. Credentials: {BIRD_KEY_ENV}.",
    options=(
        Option(
            "--workspace-id",
            "the workspace (a UUID); optional with --sandbox",
            metavar="ID",
            required=True,
            sandbox_value=lambda sandbox: sandbox.workspace_id,
        ),
        Option(
            "--limit",
            "page size, 1 to 100 (Bird's default: 10)",
            metavar="N",
            parse=integer,
            page_size_up_to=bird.MAX_LIMIT,
        ),
        Option("--reverse", "send reverse=true (Bird does not document its effect)", switch=True),
        Option("--resource", "only conversations of this resource, e.g. task:<uuid>", metavar="R"),
        Option("--page-token", "resume a listing from this page token", metavar="T", resumes=True),
        Option(
            "--base-url",
            f"API base URL (default: {bird.BIRD_BASE_URL})",
            metavar="URL",
            role=Role.BASE_URL,
            refused_with_sandbox=True,
        ),
    ),
    check=bird.conversations_listing,
    method="list_conversations",
    open_client=open_bird_client,
    credentials=AccessKeyFromEnvironment(BIRD_KEY_ENV, "a Bird access key"),
    table=BIRD_CONVERSATIONS,
    default_base_url=bird.BIRD_BASE_URL,
)
BIRD: Final = CommandGroup("bird", "Bird Conversations API", (BIRD_LIST,))

# --------------------------------------------------------------------------------------
# Omnichannel
# --------------------------------------------------------------------------------------

OMNICHANNEL_CONVERSATIONS: Final[ItemTable[ActiveConversation]] = item_table(
    Field("CONVERSATION ID", 36, lambda conversation: str(conversation.conversationid)),
    Field("CREATED (UTC)", 19, lambda conversation: format_when(conversation.timestamp)),
)


def open_omnichannel_client(settings: ClientSettings) -> omnichannel.OmnichannelClient:
    """An :class:`~conversation_clients.omnichannel.OmnichannelClient` for a command (it holds the
    organization and channel)."""
    return omnichannel.OmnichannelClient(
        settings.base_url,
        token=settings.credentials.secret,
        scope=settings.credentials.scope,
        **settings.held,
        **settings.transfer_options(),
    )


OMNICHANNEL_LIST: Final = ListCommand(
    vendor="omnichannel",
    name="list",
    vendor_title="Omnichannel",
    help="list a custom channel's active conversations",
    description=(
        "List the active conversations of a Dynamics 365 Contact Center custom channel. "
        f"Credentials: {OMNICHANNEL_TOKEN_ENV}, or azure-identity's EnvironmentCredential with --scope. "
        "Not for polling: Microsoft asks for webhooks instead."
    ),
    options=(
        Option(
            "--base-url",
            "https://m-<org>.<geo>.omnichannelengagementhub.com; optional with --sandbox",
            metavar="URL",
            role=Role.BASE_URL,
            required=True,
            refused_with_sandbox=True,
        ),
        Option(
            "--organization-id",
            "organization GUID; optional with --sandbox",
            metavar="ID",
            parse=guid,
            role=Role.CLIENT,
            required=True,
            sandbox_value=lambda sandbox: uuid.UUID(sandbox.organization_id),
        ),
        Option(
            "--channel-id",
            "custom channel GUID; optional with --sandbox",
            metavar="ID",
            parse=guid,
            role=Role.CLIENT,
            required=True,
            sandbox_value=lambda sandbox: uuid.UUID(sandbox.channel_id),
        ),
        Option(
            "--since",
            "only conversations created after this (timezone required)",
            metavar="ISO8601",
            parse=since,
            parameter="start_timestamp",
        ),
        Option(
            "--page-size",
            "page size, 1 to 250 (default: 50)",
            metavar="N",
            parse=integer,
            page_size_up_to=omnichannel.MAX_PAGE_SIZE,
        ),
        Option("--continuation-token", "resume a listing from this token", metavar="T", resumes=True),
        Option(
            "--scope",
            "token scope for azure-identity, e.g. https://<org>-c.<zone>.dynamics.com/.default",
            metavar="S",
            role=Role.CREDENTIAL,
            refused_with_sandbox=True,
            also_named=("scopes",),
        ),
    ),
    check=omnichannel.conversations_listing,
    method="list_conversations",
    open_client=open_omnichannel_client,
    credentials=BearerTokenFromEnvironment(OMNICHANNEL_TOKEN_ENV),
    table=OMNICHANNEL_CONVERSATIONS,
)
OMNICHANNEL: Final = CommandGroup("omnichannel", "Dynamics 365 Contact Center Messaging API", (OMNICHANNEL_LIST,))

#: Every command group with listing commands, in the order of ``--help``.
COMMAND_GROUPS: Final = (BIRD, OMNICHANNEL)
LIST_COMMANDS: Final = tuple(command for group in COMMAND_GROUPS for command in group.commands)
