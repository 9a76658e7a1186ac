"""A command's target listed where a Dask worker runs it (:mod:`conversation_clients.cli.command_pages`):
picklable, no secret in it, credentials read where it runs."""

from __future__ import annotations

import pickle

import pytest

from conversation_clients.cli.bird_commands import COMMANDS as BIRD
from conversation_clients.cli.command_errors import CredentialsError
from conversation_clients.cli.command_pages import CommandPages
from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_WORKSPACE_ID, Sandbox
from tests.support.dask_runs import dumps


def pages_of(base_url: str, *, sandbox: bool) -> CommandPages:
    return CommandPages(
        BIRD.command("list"),
        base_url=base_url,
        held={},
        credential={},
        sandbox=sandbox,
        max_retries=0,
        max_response_bytes=1_000_000,
        page_timeout=30.0,
        rate_limit=None,
    )


def test_it_names_the_variable_it_reads_never_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIRD_ACCESS_KEY", SANDBOX_BIRD_ACCESS_KEY)
    pages = pages_of("http://127.0.0.1:1", sandbox=False)
    assert repr(pages) == (
        "CommandPages(<bird list>, base_url='http://127.0.0.1:1', credentials from the environment: BIRD_ACCESS_KEY)"
    )
    sent = dumps(pages)  # what Dask sends a worker
    assert SANDBOX_BIRD_ACCESS_KEY.encode() not in sent


def test_sent_to_a_worker_it_lists_a_target_from_a_token_with_the_workers_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sandbox = Sandbox(conversations_per_workspace=23)
    with sandbox.serve() as base_url:
        pages = pickle.loads(dumps(pages_of(base_url, sandbox=False)))
        call = {"workspace_id": SANDBOX_WORKSPACE_ID, "limit": 10}
        monkeypatch.delenv("BIRD_ACCESS_KEY", raising=False)
        with pytest.raises(CredentialsError, match="set BIRD_ACCESS_KEY"):
            next(iter(pages(call, None)))
        monkeypatch.setenv("BIRD_ACCESS_KEY", SANDBOX_BIRD_ACCESS_KEY)  # the worker's environment
        first = next(iter(pages(call, None)))
        rest = list(pages(call, first.next_token))
    with sandbox.bird_client() as bird:
        every = list(bird.list_conversations(SANDBOX_WORKSPACE_ID, limit=10))
    assert [item.id for page in [first, *rest] for item in page.items] == [item.id for item in every]
    assert [len(page.items) for page in rest] == [10, 3]


def test_with_the_sandbox_it_takes_the_sandboxs_demo_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BIRD_ACCESS_KEY", raising=False)
    sandbox = Sandbox(conversations_per_workspace=3)
    with sandbox.serve() as base_url:
        pages = pages_of(base_url, sandbox=True)
        assert "credentials from the sandbox" in repr(pages)
        listed = list(pages({"workspace_id": SANDBOX_WORKSPACE_ID}, None))
    assert sum(len(page.items) for page in listed) == 3
