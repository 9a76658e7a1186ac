"""Omnichannel on the command line: ``omnichannel list`` (and ``omnichannel export``), declared as data.

The command's options, columns and credentials, over the clients of
:mod:`conversation_clients.omnichannel`; registered in :mod:`conversation_clients.cli.command_registry`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Final

from conversation_clients._operations.omnichannel_messaging_listings import (
    LIST_CONVERSATIONS_MAX_PAGE_SIZE,
    LIST_CONVERSATIONS_PARAMETERS,
)
from conversation_clients.cli.command_options import NamedCheck, Option, Role
from conversation_clients.cli.commands import CommandSettings, Export, ListCommand, VendorCommandNames, VendorCommands
from conversation_clients.cli.credential_sources import BearerTokenFromEnvironment
from conversation_clients.cli.tables import Field, ItemTable, format_when, item_table
from conversation_clients.cli.values import date_time_text, guid, integer
from conversation_clients.ratelimit import RateLimit

if TYPE_CHECKING:  # the client and the models are imported when a command runs, not for --help
    from conversation_clients.omnichannel import OmnichannelClient
    from omnichannel_messaging.models import ActiveConversation

__all__ = [
    "COMMANDS",
    "OMNICHANNEL_CONVERSATIONS",
    "OMNICHANNEL_EXPORT_RATE_LIMIT",
    "OMNICHANNEL_FRACTION_DIGITS",
    "OMNICHANNEL_NAMES",
    "OMNICHANNEL_TOKEN_ENV",
    "open_omnichannel_client",
]

#: Where the command reads the bearer token (when unset: azure-identity, with ``--scope``).
OMNICHANNEL_TOKEN_ENV: Final = "OMNICHANNEL_TOKEN"

#: Omnichannel's names on the command line, as in its profile (``conversation_clients.omnichannel.OMNICHANNEL``;
#: tests/conversation_clients/cli/test_command_registry.py holds them equal), repeated here so that --help
#: imports neither the client nor httpx.
#: Every organization has its own host: no default base URL.
OMNICHANNEL_NAMES: Final = VendorCommandNames(name="omnichannel", display_name="Omnichannel", base_url=None)

#: What ``omnichannel export`` keeps to unless told otherwise: 20 requests a second in all (its
#: channels share one token). Microsoft documents no rate for the Messaging API; 20/s is the Power
#: Platform service-protection limit for one identity (6,000 requests in a sliding 5 minutes), the
#: closest documented ceiling for one token of the tenant.
OMNICHANNEL_EXPORT_RATE_LIMIT: Final = RateLimit(overall=20.0)

#: The most digits of a second ``--since`` takes: Omnichannel's times are .NET's, in ticks of 100 ns
#: (it writes them with seven digits, ``2025-04-15T12:36:40.9049594Z``).
OMNICHANNEL_FRACTION_DIGITS: Final = 7

OMNICHANNEL_CONVERSATIONS: Final[ItemTable[ActiveConversation]] = item_table(
    Field("CONVERSATION ID", 36, lambda conversation: str(conversation.conversationid)),
    Field("CREATED (UTC)", 19, lambda conversation: format_when(conversation.timestamp)),
)


def open_omnichannel_client(settings: CommandSettings) -> OmnichannelClient:
    """An :class:`~conversation_clients.omnichannel.OmnichannelClient` for a command (it holds the organization and channel)."""
    from conversation_clients.omnichannel import OmnichannelClient

    return OmnichannelClient(
        settings.base_url,
        token=settings.credentials.secret,
        scope=settings.credentials.scope,
        **settings.held,
        **settings.transfer_options(),
    )


_LIST = ListCommand(
    name="list",
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
            (
                "only conversations created after this: an RFC 3339 date-time with a timezone, e.g. "
                f"2025-04-15T08:00:25Z, up to {OMNICHANNEL_FRACTION_DIGITS} fractional digits, sent as given"
            ),
            metavar="ISO8601",
            parse=date_time_text(fraction_digits=OMNICHANNEL_FRACTION_DIGITS),
            parameter="start_timestamp",
        ),
        Option(
            "--page-size",
            "page size, 1 to 250 (default: 50)",
            metavar="N",
            parse=integer,
            page_size_up_to=LIST_CONVERSATIONS_MAX_PAGE_SIZE,
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
    check=NamedCheck(
        "conversation_clients._operations.omnichannel_messaging:list_conversations_listing",
        LIST_CONVERSATIONS_PARAMETERS,
    ),
    method="list_conversations",
    open_client=open_omnichannel_client,
    credentials=BearerTokenFromEnvironment(
        OMNICHANNEL_TOKEN_ENV, sandbox_secret=lambda sandbox: sandbox.omnichannel_token
    ),
    table=OMNICHANNEL_CONVERSATIONS,
    # `omnichannel export`: many channels of one organization, one JSON Lines file each, resumably
    export=Export(
        help="export many channels' active conversations to JSON Lines files, resumably",
        targets=("--organization-id", "--channel-id"),
        rate_limit=OMNICHANNEL_EXPORT_RATE_LIMIT,
        rate_limit_note=(
            "Microsoft documents no limit for this API; 20 requests a second in all is the Power Platform "
            "service-protection rate for one identity (6,000 requests in 5 minutes)"
        ),
        # `omnichannel load`: active conversations into a warehouse, incrementally
        load="conversation_clients.dlt:omnichannel_source_of_calls",
    ),
)

#: Omnichannel's command line (the registry, :mod:`conversation_clients.cli.command_registry`, names this module).
COMMANDS: Final = VendorCommands(
    profile=OMNICHANNEL_NAMES,
    title="Dynamics 365 Contact Center Messaging API",
    long_name="Dynamics 365 Contact Center (Omnichannel)",
    commands=(_LIST,),
)
