"""The listing commands of each vendor, declared as data (see :class:`~conversation_clients.cli.commands.ListCommand`).

The vendor's facts (its name, its name in messages, its default base URL) come from its profile
(``bird.BIRD``, ``omnichannel.OMNICHANNEL``). Each item type's table is declared here once; its
heading, rows and widths derive from it. Adding a listing is one more :class:`ListCommand` in
its vendor's group: its options (those left out are derived from the operation's parameters),
the operation's check and method, its table.
"""

from __future__ import annotations

import uuid
from typing import Final

from bird_conversations.models import Conversation, Message, MessageBodyType
from bird_conversations.types import Unset
from conversation_clients import bird, omnichannel
from conversation_clients._operations.bird_conversations import LIST_MESSAGES_MAX_PAGE_SIZE, list_messages_listing
from conversation_clients.cli.arguments import guid, integer, since
from conversation_clients.cli.commands import ClientSettings, CommandGroup, ListCommand, Option, Role
from conversation_clients.cli.credentials import (
    BIRD_KEY_ENV,
    OMNICHANNEL_TOKEN_ENV,
    AccessKeyFromEnvironment,
    BearerTokenFromEnvironment,
)
from conversation_clients.cli.tables import Field, ItemTable, format_when, item_table
from omnichannel_messaging.models import ActiveConversation

__all__ = [
    "BIRD",
    "BIRD_CONVERSATIONS",
    "BIRD_LIST",
    "BIRD_MESSAGES",
    "BIRD_MESSAGE_ROWS",
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


def _sender(message: Message) -> str:
    sender = message.sender
    return sender.type_.value if isinstance(sender.display_name, Unset) else sender.display_name


def _body(message: Message) -> str:
    """A text body as it is; any other kind (image, template, ...) by its kind."""
    body = message.body
    if isinstance(body, Unset):
        return "[template]" if not isinstance(message.template, Unset) and message.template is not None else ""
    if body.type_ is MessageBodyType.TEXT and not isinstance(body.text, Unset):
        return body.text.text
    return f"[{body.type_.value}]"


BIRD_MESSAGE_ROWS: Final[ItemTable[Message]] = item_table(
    Field("ID", 36, lambda message: message.id),
    Field("CREATED (UTC)", 19, lambda message: format_when(message.created_at)),
    Field("STATUS", 15, lambda message: str(message.status.value)),
    Field("SENDER", 24, _sender),
    Field("BODY", 60, _body),
)


def open_bird_client(settings: ClientSettings) -> bird.BirdClient:
    """A :class:`~conversation_clients.bird.BirdClient` for a command."""
    return bird.BirdClient(settings.credentials.secret, base_url=settings.base_url, **settings.transfer_options())


# Options both Bird listings take, declared once.
_BIRD_WORKSPACE = Option(
    "--workspace-id",
    "the workspace (a UUID); optional with --sandbox",
    metavar="ID",
    required=True,
    sandbox_value=lambda sandbox: sandbox.workspace_id,
)
_BIRD_REVERSE = Option("--reverse", "send reverse=true (Bird does not document its effect)", switch=True)
_BIRD_PAGE_TOKEN = Option("--page-token", "resume a listing from this page token", metavar="T", resumes=True)
_BIRD_BASE_URL = Option(
    "--base-url",
    f"API base URL (default: {bird.BIRD.base_url})",
    metavar="URL",
    role=Role.BASE_URL,
    refused_with_sandbox=True,
)
_BIRD_CREDENTIALS = AccessKeyFromEnvironment(BIRD_KEY_ENV, "a Bird access key")

BIRD_LIST: Final = ListCommand(
    vendor=bird.BIRD.name,
    name="list",
    vendor_title=bird.BIRD.display_name,
    help="list a workspace's conversations",
    description=f"List a Bird workspace's conversations. Credentials: {BIRD_KEY_ENV}.",
    options=(
        _BIRD_WORKSPACE,
        Option(
            "--limit",
            "page size, 1 to 100 (Bird's default: 10)",
            metavar="N",
            parse=integer,
            page_size_up_to=bird.MAX_LIMIT,
        ),
        _BIRD_REVERSE,
        Option("--resource", "only conversations of this resource, e.g. task:<uuid>", metavar="R"),
        _BIRD_PAGE_TOKEN,
        _BIRD_BASE_URL,
    ),
    check=bird.conversations_listing,
    method="list_conversations",
    open_client=open_bird_client,
    credentials=_BIRD_CREDENTIALS,
    table=BIRD_CONVERSATIONS,
    default_base_url=bird.BIRD.base_url,
)
BIRD_MESSAGES: Final = ListCommand(
    vendor=bird.BIRD.name,
    name="messages",
    vendor_title=bird.BIRD.display_name,
    help="list a conversation's messages",
    description=f"List the messages of a Bird conversation. Credentials: {BIRD_KEY_ENV}.",
    # --conversation-id and --date-from come from the operation's parameters
    options=(
        _BIRD_WORKSPACE,
        Option(
            "--limit",
            f"page size, 1 to {LIST_MESSAGES_MAX_PAGE_SIZE} (Bird's default: 10)",
            metavar="N",
            parse=integer,
            page_size_up_to=LIST_MESSAGES_MAX_PAGE_SIZE,
        ),
        _BIRD_REVERSE,
        _BIRD_PAGE_TOKEN,
        _BIRD_BASE_URL,
    ),
    check=list_messages_listing,
    method="list_messages",
    open_client=open_bird_client,
    credentials=_BIRD_CREDENTIALS,
    table=BIRD_MESSAGE_ROWS,
    noun="message",
    default_base_url=bird.BIRD.base_url,
)
BIRD: Final = CommandGroup(bird.BIRD.name, "Bird Conversations API", (BIRD_LIST, BIRD_MESSAGES))

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
    vendor=omnichannel.OMNICHANNEL.name,
    name="list",
    vendor_title=omnichannel.OMNICHANNEL.display_name,
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
    default_base_url=omnichannel.OMNICHANNEL.base_url,
)
OMNICHANNEL: Final = CommandGroup(
    omnichannel.OMNICHANNEL.name, "Dynamics 365 Contact Center Messaging API", (OMNICHANNEL_LIST,)
)

#: Every command group with listing commands, in the order of ``--help``.
COMMAND_GROUPS: Final = (BIRD, OMNICHANNEL)
LIST_COMMANDS: Final = tuple(command for group in COMMAND_GROUPS for command in group.commands)
