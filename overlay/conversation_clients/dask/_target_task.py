"""One target's export, as one Dask task runs it on a worker: :func:`export_target`.

A task takes the target over (its lease, in its checkpoint), lists it from the checkpoint's
token, writes each page as a part and then the checkpoint (:class:`~conversation_clients.dask._part_store.TargetStore`),
and puts the target's file together after its last page. A task that dies (its worker killed,
its machine gone) is run again by Dask and goes on from the checkpoint; one that finds another
attempt holding the target stops, writing nothing more (:attr:`TargetOutcome.superseded`).

What a task is given is pickled and shown in Dask's dashboard and logs, so no secret is among
it: the listing function (``pages_of``) reads credentials where it runs (an environment
variable, a credential chain) and the :class:`~conversation_clients.dask.Destination` hides its options.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar, cast

import attrs

from conversation_clients.dask._destination import Destination
from conversation_clients.dask._part_store import LeaseLost, TargetCheckpoint, TargetStore
from conversation_clients.errors import ConversationClientError

__all__ = ["PageBytes", "PageLike", "PagesOf", "TargetOutcome", "export_target", "json_lines"]

TargetT = TypeVar("TargetT")
TargetT_contra = TypeVar("TargetT_contra", contravariant=True)


class PageLike(Protocol):
    """What a listing's page gives the export: its items and the token of the page after it (None: the last)."""

    @property
    def items(self) -> Sequence[Any]: ...

    @property
    def next_token(self) -> str | None: ...


class PagesOf(Protocol[TargetT_contra]):
    """Lists one target from a page token (None: from its first page), page by page.

    It runs on a worker: it opens its client there (credentials from the worker's environment),
    and Dask pickles it to send it, so a module-level function or a picklable object will do.
    """

    def __call__(self, target: TargetT_contra, token: str | None, /) -> Iterable[PageLike]: ...


#: Turns a page into the bytes of its part.
PageBytes = Callable[[PageLike], bytes]


def json_lines(page: PageLike) -> bytes:
    """A page's items as JSON Lines, as ``conversation-clients ... list`` prints them: each item as
    the server sent it when the page has those (``Page.raw_items``), or else each item's
    ``to_dict()`` (a mapping is taken as it is); compact, UTF-8.

    >>> from conversation_clients.pagination import Page
    >>> json_lines(Page(items=({"id": "1", "name": "Café"}, {"id": "2"}), next_token=None, token=None))
    b'{"id":"1","name":"Caf\\xc3\\xa9"}\\n{"id":"2"}\\n'
    """
    # the command line's JSON Lines writer (cli.console) writes the same; a test holds them equal
    raw: Sequence[Any] = getattr(page, "raw_items", ())
    items = raw if len(raw) == len(page.items) else page.items
    return "".join(
        json.dumps(_record(item), ensure_ascii=False, separators=(",", ":")) + "\n" for item in items
    ).encode()


def _record(item: Any) -> Any:
    if isinstance(item, Mapping):
        return cast("Mapping[str, Any]", item)
    return item.to_dict()


@attrs.frozen
class TargetOutcome:
    """How one target's task ended.

    ``finished``: its file is complete. ``items`` and ``pages``: what its checkpoint vouches for
    (in every run so far); ``written``: the items of those written by this call (in an
    :func:`~conversation_clients.dask.export_targets` report: in that run, retries included).
    ``attempts``: how many runs of its task wrote parts. ``error``: what stopped it (an API error, or the task failing more often than
    its retries); ``superseded``: it stopped because another attempt took the target over.
    ``ran``: False for a target finished before this export run, which was not run again.
    """

    file: str
    finished: bool
    items: int = 0
    pages: int = 0
    attempts: int = 0
    written: int = 0
    error: BaseException | None = attrs.field(default=None, eq=False)
    superseded: bool = False
    ran: bool = True

    @classmethod
    def of(cls, checkpoint: TargetCheckpoint, **more: Any) -> TargetOutcome:
        """The outcome ``checkpoint`` describes, with ``more`` fields."""
        return cls(
            file=checkpoint.file,
            finished=checkpoint.state == "finished",
            items=checkpoint.items,
            pages=checkpoint.parts,
            attempts=checkpoint.attempts,
            **more,
        )


def _list_into(
    store: TargetStore,
    attempt: str,
    checkpoint: TargetCheckpoint,
    pages: Iterable[PageLike],
    page_bytes: PageBytes,
) -> TargetCheckpoint:
    for page in pages:
        data = page_bytes(page)
        checkpoint = store.commit_page(attempt, data, next_token=page.next_token, items=len(page.items))
        if page.next_token is None:
            break
    return checkpoint


def export_target(
    file: str,
    target: TargetT,
    pages_of: PagesOf[TargetT],
    destination: Destination | str,
    page_bytes: PageBytes = json_lines,
) -> TargetOutcome:
    """Export one target into ``destination`` as ``file``, from where its checkpoint says; the task's body.

    :func:`~conversation_clients.dask.export_targets` runs it as a Dask task; any other scheduler
    (an Airflow mapped task, a Prefect task, a cron job) may run it as it is, one target a task
    at a time, and run it again to resume: the guarantees are the checkpoint's, not Dask's.

    An API error (:class:`~conversation_clients.errors.ConversationClientError`: the client's
    own retries already spent) ends it with :attr:`TargetOutcome.error`, not an exception, so
    Dask does not run it again for nothing; any other exception (the storage failing, the task's
    code) is raised, and Dask's ``retries`` run it again from the checkpoint.
    """
    if not isinstance(destination, Destination):
        destination = Destination(destination)
    store = TargetStore(destination.open(), file)
    attempt = uuid.uuid4().hex[:12]
    checkpoint = store.take_over(attempt)
    before = checkpoint.items
    try:
        if checkpoint.state == "listing":
            pages = pages_of(target, checkpoint.token)
            try:
                checkpoint = _list_into(store, attempt, checkpoint, pages, page_bytes)
            finally:  # a generator's client is closed now, not when it is collected
                close = getattr(pages, "close", None)
                if callable(close):
                    close()
        if checkpoint.state == "listed":
            checkpoint = store.finish(attempt)
    except LeaseLost:
        return TargetOutcome.of(store.load() or checkpoint, superseded=True)
    except ConversationClientError as error:
        checkpoint = store.load() or checkpoint  # what its pages before the error hold
        return TargetOutcome.of(checkpoint, error=error, written=checkpoint.items - before)
    return TargetOutcome.of(checkpoint, written=checkpoint.items - before)
