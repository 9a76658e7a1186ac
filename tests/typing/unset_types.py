"""What the type checkers must see in a model's optional fields (checked by ``nox -s typecheck``).

Nothing here runs. ``UNSET`` is the one member of the enum ``Unset``, so ``is UNSET``,
``is not UNSET``, ``==`` and ``!=`` narrow ``str | Unset`` for mypy and pyright alike, as
``isinstance`` and truthiness do; ``wrong_calls.txt`` holds the use without narrowing, which
both must refuse.
"""

from __future__ import annotations

from typing import Literal, assert_type

import bird_conversations.types
import omnichannel_messaging.types
from bird_conversations.models import Conversation, LastMessage, Message, MessageTemplate
from bird_conversations.types import UNSET, Unset
from omnichannel_messaging.models import ActiveConversationPage


def narrowed_by_identity(conversation: Conversation) -> str:
    summary = conversation.summary
    if summary is not UNSET:
        assert_type(summary, str)
        return summary
    assert_type(summary, Literal[Unset.UNSET])
    return ""


def narrowed_by_identity_first(conversation: Conversation) -> LastMessage | None:
    last = conversation.last_message
    if last is UNSET:
        return None
    assert_type(last, LastMessage)
    return last


def narrowed_by_equality(conversation: Conversation) -> list[str]:
    tags = conversation.tags
    if tags == UNSET:
        return []
    assert_type(tags, list[str])
    tags_again = conversation.tags
    return tags_again if tags_again != UNSET else []


def null_stays_apart_from_absent(message: Message) -> MessageTemplate | None:
    # the vendor's null and an absent property are told apart: narrowing removes only the absence
    if message.template is UNSET:
        return None
    assert_type(message.template, MessageTemplate | None)
    return message.template


def in_an_expression(conversation: Conversation) -> str:
    return "" if conversation.last_message is UNSET else conversation.last_message.id.hex


def each_package_its_own(page: ActiveConversationPage) -> str | None:
    # omnichannel_messaging's UNSET narrows its own models' fields
    token = page.continuationtoken
    if token is omnichannel_messaging.types.UNSET:
        return None
    assert_type(token, str | None)
    return token


def the_old_ways_still_narrow(conversation: Conversation) -> tuple[str, str]:
    by_class = "" if isinstance(conversation.summary, Unset) else conversation.summary
    by_truth = conversation.summary or ""
    assert_type(by_truth, str)
    return by_class, by_truth


def the_constant_is_the_member() -> None:
    assert_type(bird_conversations.types.UNSET, Literal[Unset.UNSET])
