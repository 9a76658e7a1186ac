"""Bird into a warehouse: a workspace's conversations and their messages, as a dlt source.

:func:`bird_source` lists each workspace's conversations with a
:class:`~conversation_clients.bird.BirdClient` (its retries, rate limiter and checks) and gives
dlt two tables:

- ``conversations``: merged on ``id``. Bird has no "changed since" filter, so every run lists
  each workspace again; a conversation is loaded when it is new or its JSON changed since it
  was loaded (a fingerprint per conversation, kept in dlt's state).
- ``messages``: merged on ``id``, incremental on ``createdAt`` through the API's ``dateFrom``,
  one cursor per conversation. A conversation's messages are asked for only when its
  ``lastMessage.createdAt`` is after its cursor: a run over quiet workspaces costs their
  conversation listings, and nothing more.

Each row is the item as Bird sent it, with ``workspaceId`` added. Each workspace is a partition of the
state: with a :class:`~conversation_clients.dlt.LoadFailures`, a workspace (or one
conversation's messages) that fails is recorded, loads what it had, and keeps its cursors, while
the others load and move theirs on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

import dlt
from dlt.extract import DltResource, DltSource

from conversation_clients._checks import require_page_size
from conversation_clients._operations.bird_conversations_listings import (
    LIST_CONVERSATIONS_MAX_PAGE_SIZE,
    LIST_MESSAGES_MAX_PAGE_SIZE,
)
from conversation_clients.dlt._cursors import fingerprint, is_after, latest
from conversation_clients.dlt._failures import LoadFailures
from conversation_clients.dlt._rows import rows_of
from conversation_clients.dlt._targets import target_ids
from conversation_clients.errors import ConversationClientError

if TYPE_CHECKING:
    from conversation_clients.bird import BirdClient

__all__ = ["CONVERSATIONS", "MESSAGES", "WORKSPACE_FIELD", "bird_source", "bird_source_of_calls"]

#: The tables (and resources) of the source.
CONVERSATIONS: Final = "conversations"
MESSAGES: Final = "messages"
#: The field each row gets: the workspace it was listed from.
WORKSPACE_FIELD: Final = "workspaceId"
# The listing both tables are read from, run once per load; not a table of its own.
_PAGES: Final = "conversation_pages"


def _partition(resource: str, workspace: str) -> dict[str, str]:
    """A workspace's part of a resource's state (by conversation id), made on first use."""
    workspaces: dict[str, dict[str, str]] = dlt.current.resource_state(resource).setdefault("workspaces", {})
    return workspaces.setdefault(workspace, {})


def bird_source(
    client: BirdClient,
    workspace_ids: Sequence[str | uuid.UUID],
    *,
    page_size: int | None = None,
    failures: LoadFailures | None = None,
    name: str = "bird",
) -> DltSource:
    """A dlt source of Bird's ``conversations`` and ``messages`` for each workspace of ``workspace_ids``.

    ``page_size`` is each listing's ``limit`` (default: the largest, 100). ``failures``: see
    :class:`~conversation_clients.dlt.LoadFailures` (without one, the first error ends the run).
    ``name`` names the source and its schema (and where its state is kept). Arguments are
    checked here, before anything is listed.

    Example::

        with BirdClient(access_key) as bird:
            pipeline = dlt.pipeline("bird", destination="duckdb", dataset_name="bird")
            pipeline.run(bird_source(bird, [workspace_id]))
    """
    workspaces = target_ids(workspace_ids, "workspace_ids", "workspace")
    limit = require_page_size(page_size, "page_size", maximum=LIST_CONVERSATIONS_MAX_PAGE_SIZE)
    conversations_limit = LIST_CONVERSATIONS_MAX_PAGE_SIZE if limit is None else limit
    messages_limit = min(conversations_limit, LIST_MESSAGES_MAX_PAGE_SIZE)

    def failed(target: str, error: ConversationClientError) -> None:
        if failures is None:
            raise error
        failures.record(target, error)

    def conversation_pages() -> Iterator[list[dict[str, Any]]]:
        for workspace in workspaces:
            try:
                for page in client.list_conversations(workspace, limit=conversations_limit).pages():
                    if page.items:
                        yield rows_of(page, **{WORKSPACE_FIELD: workspace})
            except ConversationClientError as error:
                failed(f"workspace {workspace}", error)

    def changed_conversations(page: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        changed: list[dict[str, Any]] = []
        for row in page:
            loaded = _partition(CONVERSATIONS, row[WORKSPACE_FIELD])
            digest = fingerprint(row)
            if loaded.get(row["id"]) != digest:
                loaded[row["id"]] = digest
                changed.append(row)
        if changed:
            yield changed

    def new_messages(page: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        for conversation in page:
            workspace = conversation[WORKSPACE_FIELD]
            cursors = _partition(MESSAGES, workspace)
            cursor = cursors.get(conversation["id"])
            if not _has_messages_after(conversation, cursor):
                continue
            newest = cursor
            try:
                listing = client.list_messages(
                    workspace, conversation["id"], limit=messages_limit, date_from=cursor
                ).pages()
                for messages_page in listing:
                    rows = rows_of(messages_page, **{WORKSPACE_FIELD: workspace})
                    # dateFrom is "after": a server that also sent the cursor's own instant is not loaded twice
                    rows = [row for row in rows if is_after(row["createdAt"], cursor)]
                    for row in rows:
                        newest = latest(newest, row["createdAt"])
                    if rows:
                        yield rows
            except ConversationClientError as error:
                failed(f"workspace {workspace} conversation {conversation['id']}", error)
                continue  # its cursor stays: what it missed is asked for again next time
            if newest is not None:
                cursors[conversation["id"]] = newest

    pages = dlt.resource(conversation_pages, name=_PAGES, selected=False)
    conversations = dlt.transformer(
        changed_conversations, data_from=pages, name=CONVERSATIONS, primary_key="id", write_disposition="merge"
    )
    messages = dlt.transformer(
        new_messages, data_from=pages, name=MESSAGES, primary_key="id", write_disposition="merge"
    )
    return _source(name, (pages, conversations, messages))


def _has_messages_after(conversation: Mapping[str, Any], cursor: str | None) -> bool:
    """Whether the conversation's last message is after ``cursor`` (a conversation without one has none)."""
    last: object = conversation.get("lastMessage")
    created = cast(Mapping[str, object], last).get("createdAt") if isinstance(last, Mapping) else None
    return isinstance(created, str) and is_after(created, cursor)


def _source(name: str, resources: tuple[DltResource, ...]) -> DltSource:
    @dlt.source(name=name)
    def bird() -> tuple[DltResource, ...]:
        return resources

    source: DltSource = bird()
    return source


def bird_source_of_calls(
    client: BirdClient, calls: Sequence[Mapping[str, Any]], failures: LoadFailures | None
) -> DltSource:
    """:func:`bird_source` for the targets of ``bird load``: each call's ``workspace_id``, and its ``limit``.

    >>> bird_source_of_calls(None, [{"workspace_id": "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01", "limit": 50}], None).name
    'bird'
    """
    limits = {call.get("limit") for call in calls}
    return bird_source(
        client,
        [call["workspace_id"] for call in calls],
        page_size=next(iter(limits)) if len(limits) == 1 else None,
        failures=failures,
    )
