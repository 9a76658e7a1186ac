"""One target's task (:mod:`conversation_clients.dask._target_task`), run here without a cluster:
it resumes from its checkpoint, ends on an API error without raising, and writes what ``list`` prints."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pytest

from conversation_clients.cli.console import JsonLinesWriter, json_record
from conversation_clients.dask import Destination, json_lines
from conversation_clients.dask._part_store import TargetStore
from conversation_clients.dask._target_task import export_target
from conversation_clients.errors import RateLimitError
from conversation_clients.pagination import Page as PageOfModels
from conversation_clients.sandbox import SANDBOX_WORKSPACE_ID, Sandbox

FILE = "numbers.jsonl"


@attrs.frozen
class Page:
    items: tuple[Mapping[str, object], ...]
    next_token: str | None


@attrs.define
class Numbers:
    """Pages of 2 numbers up to ``last``; the token is the next number. ``fail_at``: raise instead of that page."""

    last: int
    fail_at: int | None = None
    error: Exception = attrs.field(factory=lambda: RuntimeError("the worker's disk went away"))
    asked: list[str | None] = attrs.field(factory=lambda: list[str | None]())

    def __call__(self, target: str, token: str | None) -> Iterator[Page]:
        self.asked.append(token)
        start = int(token or 0)
        for first in range(start, self.last + 1, 2):
            if first == self.fail_at:
                raise self.error
            following = first + 2 if first + 2 <= self.last else None
            items = tuple({"n": n} for n in range(first, min(first + 2, self.last + 1)))
            yield Page(items, None if following is None else str(following))


def numbers_file(destination: Destination) -> list[int]:
    data = destination.open().read(FILE)
    assert data is not None
    return [int(line.split(b":")[1].rstrip(b"}")) for line in data.splitlines()]


def test_a_task_that_raises_is_run_again_from_its_checkpoint_each_item_once(memory_url: str) -> None:
    destination = Destination(memory_url)
    failing = Numbers(last=9, fail_at=6)
    with pytest.raises(RuntimeError, match="disk went away"):  # raised: Dask's retries run it again
        export_target(FILE, "t", failing, destination)
    again = Numbers(last=9)
    outcome = export_target(FILE, "t", again, destination)
    assert again.asked == ["6"]  # from the checkpoint's token, not the start
    assert (outcome.finished, outcome.items, outcome.pages, outcome.attempts, outcome.written) == (True, 10, 5, 2, 4)
    assert numbers_file(destination) == list(range(10))


def test_an_api_error_ends_the_target_without_raising(memory_url: str) -> None:
    destination = Destination(memory_url)
    limited = Numbers(last=9, fail_at=4, error=RateLimitError(status_code=429, message="slow down"))
    outcome = export_target(FILE, "t", limited, destination)
    assert (outcome.finished, outcome.items, type(outcome.error)) == (False, 4, RateLimitError)
    assert destination.open().read(FILE) is None
    checkpoint = TargetStore(destination.open(), FILE).load()
    assert checkpoint is not None and checkpoint.token == "4"


def test_a_finished_target_is_not_listed_again(memory_url: str) -> None:
    destination = Destination(memory_url)
    export_target(FILE, "t", Numbers(last=3), destination)
    again = Numbers(last=3)
    outcome = export_target(FILE, "t", again, destination)
    assert again.asked == [] and outcome.finished and outcome.items == 4


def test_an_empty_target_gets_an_empty_file(memory_url: str) -> None:
    destination = Destination(memory_url)
    outcome = export_target(FILE, "t", lambda target, token: iter([Page((), None)]), destination)
    assert outcome.finished and destination.open().read(FILE) == b""


def test_a_listing_closed_early_leaves_the_target_listing(memory_url: str) -> None:
    destination = Destination(memory_url)
    outcome = export_target(FILE, "t", lambda target, token: iter([Page(({"n": 0},), "1")]), destination)
    assert (outcome.finished, outcome.items, outcome.error) == (False, 1, None)


def listed_by_the_command_line(page: PageOfModels[Any]) -> bytes:
    stream = io.StringIO()
    writer = JsonLinesWriter(stream, json_record)
    writer.write(writer.items_of(page))
    return stream.getvalue().encode("utf-8")


def test_parts_hold_the_items_as_the_command_line_prints_them() -> None:
    sandbox = Sandbox(conversations_per_workspace=12)
    with sandbox.bird_client() as bird:
        pages = list(bird.list_conversations(SANDBOX_WORKSPACE_ID).pages())
    assert [json_lines(page) for page in pages] == [listed_by_the_command_line(page) for page in pages]
    models = PageOfModels(items=pages[0].items, next_token=None, token=None)  # no items as sent: their to_dict()
    assert json_lines(models) == listed_by_the_command_line(models)
    assert json_lines(Page(({"name": "Café ☕"},), None)) == '{"name":"Café ☕"}\n'.encode()
