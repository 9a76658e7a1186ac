"""``--max-items`` keeps prefetch on and still requests no page it will not write.

The listing method's ``max_items=`` stops the pager itself: it asks for no page once the pages
it holds reach the cap. Before, the command line turned prefetch off to get this.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from conversation_clients import _shells
from conversation_clients import bird as bird_vendor
from conversation_clients import omnichannel as omnichannel_vendor
from conversation_clients.bird import BirdClient
from conversation_clients.cli import main
from conversation_clients.loopback import serve
from conversation_clients.omnichannel import OmnichannelClient
from tests.cli.helpers import ACCESS_KEY, BEARER_TOKEN, CHANNEL_ID, ORGANIZATION_ID, WORKSPACE_ID, PagedServer

#: Long enough for a prefetch that should not happen to reach the server if it did.
SETTLE = 0.3


@pytest.fixture
def prefetch_seen(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The ``prefetch`` each client the command builds is given."""
    seen: list[bool] = []

    def recording(original: Callable[..., Any]) -> Callable[..., Any]:
        def build(*args: Any, **kwargs: Any) -> Any:
            seen.append(kwargs["prefetch"])
            return original(*args, **kwargs)

        return build

    # prefetch from the first page, as against a distant server: a loopback one answers too soon
    # for the clients to start it (pagination.PREFETCH_MIN_WAIT), which would make these tests vacuous
    monkeypatch.setattr(_shells, "PREFETCH_MIN_WAIT", 0.0)
    # the clients the commands open (each vendor's command-line declarations import its client
    # from the vendor module when a command runs)
    monkeypatch.setattr(bird_vendor, "BirdClient", recording(BirdClient))
    monkeypatch.setattr(omnichannel_vendor, "OmnichannelClient", recording(OmnichannelClient))
    return seen


@pytest.mark.parametrize(("page_size", "max_items", "requests"), [(2, 4, 2), (2, 5, 3), (3, 1, 1)])
def test_bird_max_items_prefetches_only_the_pages_it_writes(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    prefetch_seen: list[bool],
    page_size: int,
    max_items: int,
    requests: int,
) -> None:
    monkeypatch.setenv("BIRD_ACCESS_KEY", ACCESS_KEY)
    server = PagedServer("bird", total=50, page_size=page_size)
    with serve(server) as base_url:
        argv = ["bird", "list", "--workspace-id", WORKSPACE_ID, "--limit", str(page_size)]
        code = main([*argv, "--max-items", str(max_items), "--base-url", base_url])
        time.sleep(SETTLE)
    assert code == 0
    assert len(capsys.readouterr().out.splitlines()) == max_items
    assert len(server.requests) == requests
    assert prefetch_seen == [True]


def test_omnichannel_max_items_prefetches_only_the_pages_it_writes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, prefetch_seen: list[bool]
) -> None:
    monkeypatch.setenv("OMNICHANNEL_TOKEN", BEARER_TOKEN)
    server = PagedServer("omnichannel", total=50, page_size=4)
    with serve(server) as base_url:
        targets = ["--organization-id", ORGANIZATION_ID, "--channel-id", CHANNEL_ID]
        code = main(["omnichannel", "list", "--base-url", base_url, *targets, "--page-size", "4", "--max-items", "6"])
        time.sleep(SETTLE)
    assert code == 0, capsys.readouterr().err
    assert len(capsys.readouterr().out.splitlines()) == 6
    assert len(server.requests) == 2
    assert prefetch_seen == [True]
