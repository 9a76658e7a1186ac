"""The names this module used to declare, kept: now a view over the registered vendors' profiles.

Each vendor's commands and tables are declared in its own module, in its profile
(``bird.BIRD.commands``, ``omnichannel.OMNICHANNEL.commands``); the command line reads every
registered profile (:func:`conversation_clients.cli.commands.command_groups`). Nothing reads
this module but code written against its old names.
"""

from __future__ import annotations

import functools
from typing import Final

from conversation_clients import bird, omnichannel
from conversation_clients._command_credentials import choose_token_source as _choose_token_source
from conversation_clients._commands import CommandGroup, ListCommand
from conversation_clients.bird import BIRD_CONVERSATIONS, BIRD_KEY_ENV, BIRD_MESSAGE_ROWS, open_bird_client
from conversation_clients.cli.commands import command_groups
from conversation_clients.omnichannel import OMNICHANNEL_CONVERSATIONS, OMNICHANNEL_TOKEN_ENV, open_omnichannel_client

__all__ = [
    "BIRD",
    "BIRD_CONVERSATIONS",
    "BIRD_KEY_ENV",
    "BIRD_LIST",
    "BIRD_MESSAGES",
    "BIRD_MESSAGE_ROWS",
    "COMMAND_GROUPS",
    "LIST_COMMANDS",
    "OMNICHANNEL",
    "OMNICHANNEL_CONVERSATIONS",
    "OMNICHANNEL_LIST",
    "OMNICHANNEL_TOKEN_ENV",
    "choose_token_source",
    "open_bird_client",
    "open_omnichannel_client",
]


def _group(group: CommandGroup | None) -> CommandGroup:
    assert group is not None, "the vendor declares commands"
    return group


def _command(group: CommandGroup, name: str) -> ListCommand:
    return next(command for command in group.commands if command.name == name)


BIRD: Final = _group(bird.BIRD.command_group)
BIRD_LIST: Final = _command(BIRD, "list")
BIRD_MESSAGES: Final = _command(BIRD, "messages")
OMNICHANNEL: Final = _group(omnichannel.OMNICHANNEL.command_group)
OMNICHANNEL_LIST: Final = _command(OMNICHANNEL, "list")

#: Every command group with listing commands, in the order of ``--help``.
COMMAND_GROUPS: Final = command_groups()
LIST_COMMANDS: Final = tuple(command for group in COMMAND_GROUPS for command in group.commands)

#: Omnichannel's token choice (the source's variable named), as the command line's tests know it.
choose_token_source: Final = functools.partial(_choose_token_source, variable=OMNICHANNEL_TOKEN_ENV)
