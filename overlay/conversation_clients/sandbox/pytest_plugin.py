"""pytest fixtures for testing code that uses the conversation clients against the sandbox.

Installing the package registers this plugin (entry point ``pytest11: conversation_clients``),
so the fixtures are simply there. From a source checkout that is not installed, load it with
``-p conversation_clients.sandbox.pytest_plugin`` or ``pytest_plugins =
["conversation_clients.sandbox.pytest_plugin"]`` in the root ``conftest.py``; doing that as well
when installed is harmless (the plugin is registered once).

PYTEST_DONT_REWRITE: the plugin makes no assertions for pytest to rewrite, and with this marker
pytest does not warn when the module was imported before being registered (filterwarnings=error
would make that warning fail the run).

Fixtures (each test gets its own sandbox):

* ``conversation_sandbox``: a :class:`~conversation_clients.sandbox.Sandbox` built from
  ``conversation_sandbox_options`` (a dict of its keyword arguments, empty by default; override
  the fixture, or parametrize it: ``@pytest.mark.parametrize("conversation_sandbox_options",
  [{"faults": Faults(latency=0.01)}])``).
  Any well-formed workspace or channel id is served; ``SANDBOX_MISSING_ID`` and the ids given as
  ``missing_workspaces`` / ``missing_channels`` get the vendors' "not found".
* ``conversation_sandbox_url``: the sandbox served over loopback HTTP for the test's duration.
* ``bird_sandbox_client``, ``omnichannel_sandbox_client``: sync clients on the in-process
  transport, closed after the test.
* ``async_bird_sandbox_client``, ``async_omnichannel_sandbox_client``: async clients, opened and
  closed by async fixtures that run on anyio's pytest plugin (installed with anyio, which httpx
  depends on). Mark the test ``@pytest.mark.anyio`` and use the asyncio backend, which the
  clients need (override ``anyio_backend`` to return ``"asyncio"`` if trio is installed).

Example::

    from conversation_clients.sandbox import SANDBOX_WORKSPACE_ID

    @pytest.fixture
    def conversation_sandbox_options():
        return {"conversations_per_workspace": 120}

    def test_exports_everything(bird_sandbox_client):
        assert len(list(bird_sandbox_client.list_conversations(SANDBOX_WORKSPACE_ID))) == 120

    @pytest.mark.anyio
    async def test_async(async_omnichannel_sandbox_client):
        assert [c async for c in async_omnichannel_sandbox_client.list_conversations()]
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Final

import pytest

from conversation_clients.bird import AsyncBirdClient, BirdClient
from conversation_clients.omnichannel import AsyncOmnichannelClient, OmnichannelClient
from conversation_clients.sandbox._sandbox import Sandbox

__all__ = [
    "async_bird_sandbox_client",
    "async_omnichannel_sandbox_client",
    "bird_sandbox_client",
    "conversation_sandbox",
    "conversation_sandbox_options",
    "conversation_sandbox_url",
    "omnichannel_sandbox_client",
]

#: The name the installed entry point registers this module under.
ENTRY_POINT_NAME: Final = "conversation_clients"


class _RegisteredUnderAnotherName:
    """Holds one of this plugin's names while the module is registered under the other.

    pytest refuses to register one module under two names, and this module has two: the entry
    point's, when installed, and its import path, given to ``-p`` or ``pytest_plugins``. Holding
    the other name makes pytest skip the second registration instead of failing.
    """

    def __repr__(self) -> str:
        return f"<{__name__} is registered under another name>"


def pytest_plugin_registered(plugin: object, plugin_name: str, manager: pytest.PytestPluginManager) -> None:
    """When this module is registered, hold its other name (see :class:`_RegisteredUnderAnotherName`)."""
    if plugin is not sys.modules[__name__]:
        return
    for name in (ENTRY_POINT_NAME, __name__):
        if manager.get_plugin(name) is None and not manager.is_blocked(name):
            manager.register(_RegisteredUnderAnotherName(), name)


@pytest.fixture
def conversation_sandbox_options() -> Mapping[str, Any]:
    """Keyword arguments for the test's :class:`Sandbox`; override or parametrize to change them."""
    return {}


@pytest.fixture
def conversation_sandbox(conversation_sandbox_options: Mapping[str, Any]) -> Sandbox:
    """A fresh sandbox for the test, built from ``conversation_sandbox_options``."""
    return Sandbox(**conversation_sandbox_options)


@pytest.fixture
def conversation_sandbox_url(conversation_sandbox: Sandbox) -> Iterator[str]:
    """The test's sandbox served over loopback HTTP; the base URL, e.g. ``http://127.0.0.1:41234``."""
    with conversation_sandbox.serve() as base_url:
        yield base_url


@pytest.fixture
def bird_sandbox_client(conversation_sandbox: Sandbox) -> Iterator[BirdClient]:
    """A :class:`~conversation_clients.BirdClient` on the test's sandbox (in-process)."""
    with conversation_sandbox.bird_client() as client:
        yield client


@pytest.fixture
def omnichannel_sandbox_client(conversation_sandbox: Sandbox) -> Iterator[OmnichannelClient]:
    """An :class:`~conversation_clients.OmnichannelClient` on the test's sandbox (in-process)."""
    with conversation_sandbox.omnichannel_client() as client:
        yield client


# Asking for anyio_backend is what hands these fixtures to anyio's pytest plugin, which runs them
# on the same event loop as the test.
@pytest.fixture
async def async_bird_sandbox_client(
    conversation_sandbox: Sandbox, anyio_backend: object
) -> AsyncIterator[AsyncBirdClient]:
    """An :class:`~conversation_clients.AsyncBirdClient` on the test's sandbox (in-process)."""
    async with conversation_sandbox.async_bird_client() as client:
        yield client


@pytest.fixture
async def async_omnichannel_sandbox_client(
    conversation_sandbox: Sandbox, anyio_backend: object
) -> AsyncIterator[AsyncOmnichannelClient]:
    """An :class:`~conversation_clients.AsyncOmnichannelClient` on the test's sandbox (in-process)."""
    async with conversation_sandbox.async_omnichannel_client() as client:
        yield client
