"""Bird on the command line: ``bird list`` and ``bird messages`` (and ``bird export``), declared as data.

The commands' options, columns and credentials, over the clients of
:mod:`conversation_clients.bird`; registered in :mod:`conversation_clients.cli.command_registry`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from conversation_clients._operations.bird_conversations_listings import (
    LIST_CONVERSATIONS_MAX_PAGE_SIZE,
    LIST_CONVERSATIONS_PARAMETERS,
    LIST_MESSAGES_MAX_PAGE_SIZE,
    LIST_MESSAGES_PARAMETERS,
)
from conversation_clients.cli.command_options import NamedCheck, Option, Role
from conversation_clients.cli.commands import CommandSettings, Export, ListCommand, VendorCommandNames, VendorCommands
from conversation_clients.cli.credential_sources import AccessKeyFromEnvironment
from conversation_clients.cli.tables import Field, ItemTable, format_when, item_table
from conversation_clients.cli.values import integer, target_id
from conversation_clients.ratelimit import RateLimit

if TYPE_CHECKING:  # the client and the models are imported when a command runs, not for --help
    from bird_conversations.models import Conversation, Message
    from conversation_clients.bird import BirdClient

__all__ = [
    "BIRD_BASE_URL",
    "BIRD_CONVERSATIONS",
    "BIRD_EXPORT_RATE_LIMIT",
    "BIRD_KEY_ENV",
    "BIRD_MESSAGE_ROWS",
    "BIRD_NAMES",
    "COMMANDS",
    "open_bird_client",
]

#: Where the commands read the access key.
BIRD_KEY_ENV: Final = "BIRD_ACCESS_KEY"

# Bird's facts the commands show, as in its profile (conversation_clients.bird: BIRD, BIRD_BASE_URL,
# BIRD_RATE_LIMIT), repeated here so that --help imports neither the client nor httpx;
# tests/conversation_clients/cli/test_command_registry.py and test_bird_commands.py hold them equal to
# the profile's.
#: The API root when ``--base-url`` is not given.
BIRD_BASE_URL: Final = "https://api.bird.com"
#: Bird's names on the command line: ``bird``, and "Bird" in its messages.
BIRD_NAMES: Final = VendorCommandNames(name="bird", display_name="Bird", base_url=BIRD_BASE_URL)
#: What ``bird export`` keeps to unless told otherwise: Bird's documented 50 GET requests a second
#: per workspace (``conversation_clients.bird.BIRD_RATE_LIMIT``).
BIRD_EXPORT_RATE_LIMIT: Final = RateLimit(per_target=50.0)

BIRD_CONVERSATIONS: Final[ItemTable[Conversation]] = item_table(
    Field("ID", 36, lambda conversation: str(conversation.id)),
    Field("CREATED (UTC)", 19, lambda conversation: format_when(conversation.created_at)),
    # .value: an unknown status or platform style is shown as the vendor sent it
    Field("STATUS", 8, lambda conversation: str(conversation.status.value)),
    Field("PLATFORM", 15, lambda conversation: str(conversation.platform_style.value)),
    Field("NAME", 60, lambda conversation: conversation.name),
)


def _sender(message: Message) -> str:
    from bird_conversations.types import Unset  # loaded with the messages already

    sender = message.sender
    return sender.type_.value if isinstance(sender.display_name, Unset) else sender.display_name


def _body(message: Message) -> str:
    """A text body as it is; any other kind by its kind, with its caption or what it shows when it
    has one: ``[image] caption``, ``[file audio/ogg]``, ``[location] label``, ``[list] its text``."""
    from bird_conversations.models import MessageBodyType  # loaded with the messages already
    from bird_conversations.types import Unset

    body = message.body
    if isinstance(body, Unset):
        return "[template]" if not isinstance(message.template, Unset) and message.template is not None else ""
    if body.type_ is MessageBodyType.TEXT and not isinstance(body.text, Unset):
        return body.text.text
    kind, detail = body.type_.value, ""
    if body.type_ is MessageBodyType.FILE and not isinstance(body.file, Unset):
        kind = f"file {','.join(file.content_type for file in body.file.files)}".rstrip()
        detail = body.file.text if not isinstance(body.file.text, Unset) else ""
    elif body.type_ is MessageBodyType.IMAGE and not isinstance(body.image, Unset):
        detail = body.image.text if not isinstance(body.image.text, Unset) else ""
    elif body.type_ is MessageBodyType.GIF and not isinstance(body.gif, Unset):
        detail = body.gif.text if not isinstance(body.gif.text, Unset) else ""
    elif body.type_ is MessageBodyType.LOCATION and not isinstance(body.location, Unset):
        place = body.location.location
        detail = "" if isinstance(place, Unset) or isinstance(place.label, Unset) else place.label
    elif body.type_ is MessageBodyType.LIST and not isinstance(body.list_, Unset):
        detail = body.list_.text
    elif body.type_ is MessageBodyType.CAROUSEL and not isinstance(body.carousel, Unset):
        detail = body.carousel.text if not isinstance(body.carousel.text, Unset) else ""
    return f"[{kind}] {detail}" if detail else f"[{kind}]"


BIRD_MESSAGE_ROWS: Final[ItemTable[Message]] = item_table(
    Field("ID", 36, lambda message: message.id),
    Field("CREATED (UTC)", 19, lambda message: format_when(message.created_at)),
    Field("STATUS", 15, lambda message: str(message.status.value)),
    Field("SENDER", 24, _sender),
    Field("BODY", 60, _body),
)


def open_bird_client(settings: CommandSettings) -> BirdClient:
    """A :class:`~conversation_clients.bird.BirdClient` for a command."""
    from conversation_clients.bird import BirdClient

    return BirdClient(settings.credentials.secret, base_url=settings.base_url, **settings.transfer_options())


# Options both Bird listings take, declared once.
_WORKSPACE = Option(
    "--workspace-id",
    "the workspace (a UUID); optional with --sandbox",
    metavar="ID",
    parse=target_id,  # blanks dropped, a UUID in lower case: as the export's targets
    required=True,
    sandbox_value=lambda sandbox: sandbox.workspace_id,
)
_REVERSE = Option("--reverse", "send reverse=true (Bird does not document its effect)", switch=True)
_PAGE_TOKEN = Option("--page-token", "resume a listing from this page token", metavar="T", resumes=True)
_BASE_URL = Option(
    "--base-url",
    f"API base URL (default: {BIRD_BASE_URL})",
    metavar="URL",
    role=Role.BASE_URL,
    refused_with_sandbox=True,
)
_CREDENTIALS = AccessKeyFromEnvironment(
    BIRD_KEY_ENV, "a Bird access key", sandbox_secret=lambda sandbox: sandbox.bird_access_key
)

#: Bird's command line (the registry, :mod:`conversation_clients.cli.command_registry`, names this module).
COMMANDS: Final = VendorCommands(
    profile=BIRD_NAMES,
    title="Bird Conversations API",
    commands=(
        ListCommand(
            name="list",
            help="list a workspace's conversations",
            description=f"List a Bird workspace's conversations. Credentials: {BIRD_KEY_ENV}.",
            options=(
                _WORKSPACE,
                Option(
                    "--limit",
                    "page size, 1 to 100 (Bird's default: 10)",
                    metavar="N",
                    parse=integer,
                    page_size_up_to=LIST_CONVERSATIONS_MAX_PAGE_SIZE,
                ),
                _REVERSE,
                Option("--resource", "only conversations of this resource, e.g. task:<uuid>", metavar="R"),
                _PAGE_TOKEN,
                _BASE_URL,
            ),
            check=NamedCheck(
                "conversation_clients._operations.bird_conversations:list_conversations_listing",
                LIST_CONVERSATIONS_PARAMETERS,
            ),
            method="list_conversations",
            open_client=open_bird_client,
            credentials=_CREDENTIALS,
            table=BIRD_CONVERSATIONS,
            # `bird export`: many workspaces into one JSON Lines file each, resumably
            export=Export(
                help="export many workspaces' conversations to JSON Lines files, resumably",
                targets=("--workspace-id",),
                rate_limit=BIRD_EXPORT_RATE_LIMIT,
                rate_limit_note="Bird's documented 50 GET requests a second per workspace",
                # `bird load`: conversations and their messages into a warehouse, incrementally
                load="conversation_clients.dlt:bird_source_of_calls",
            ),
        ),
        ListCommand(
            name="messages",
            help="list a conversation's messages",
            description=f"List the messages of a Bird conversation. Credentials: {BIRD_KEY_ENV}.",
            # --conversation-id and --date-from come from the operation's parameters
            options=(
                _WORKSPACE,
                Option(
                    "--limit",
                    f"page size, 1 to {LIST_MESSAGES_MAX_PAGE_SIZE} (Bird's default: 10)",
                    metavar="N",
                    parse=integer,
                    page_size_up_to=LIST_MESSAGES_MAX_PAGE_SIZE,
                ),
                _REVERSE,
                _PAGE_TOKEN,
                _BASE_URL,
            ),
            check=NamedCheck(
                "conversation_clients._operations.bird_conversations:list_messages_listing", LIST_MESSAGES_PARAMETERS
            ),
            method="list_messages",
            open_client=open_bird_client,
            credentials=_CREDENTIALS,
            table=BIRD_MESSAGE_ROWS,
            noun="message",
        ),
    ),
)
