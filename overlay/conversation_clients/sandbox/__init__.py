"""A sandbox of the vendors' list endpoints: deterministic data, vendor-exact paging and errors, faults.

:class:`Sandbox` answers ``GET /workspaces/{workspaceId}/conversations`` and
``GET /workspaces/{workspaceId}/conversations/{conversationId}/messages`` (Bird) and
``GET /api/v1.0/consumer/conversations`` (Omnichannel) the way the vendors do: their page sizes
and limits, opaque page tokens, their error bodies, Bird's quirks (no ``style``, no ``draft``,
``"recipients": null``) and .NET's seven-digit timestamps. :class:`Faults` adds rate limiting,
latency, error statuses and dropped connections, drawn from a seed. It runs in-process (an httpx
transport) or on loopback HTTP (:meth:`Sandbox.serve`), through the same code. Every well-formed
workspace, organization and channel id is served, with data of its own (:data:`SANDBOX_MISSING_ID`
and the ids given as ``missing_workspaces`` / ``missing_channels`` get the vendors' "not found").
Besides GET, HEAD is answered as GET without a body, and any other method with 405 and ``Allow``.

>>> sandbox = Sandbox(conversations_per_workspace=30)
>>> with sandbox.omnichannel_client() as omnichannel:
...     pages = list(omnichannel.list_conversations(page_size=20).pages())
>>> [len(page.items) for page in pages]
[20, 10]

For tests, the pytest plugin :mod:`conversation_clients.sandbox.pytest_plugin` provides ready
fixtures (``conversation_sandbox``, ``bird_sandbox_client``, ...).

Each vendor's fake is registered in the sandbox's own registry (``sandbox._fake_registry``: a
:class:`VendorFake` per vendor, its routes and the factory of its :class:`VendorApi`), so a third
vendor's fake is served by every sandbox. The sandbox uses the library below it, never the
command line.
"""

from conversation_clients.sandbox._constants import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_BIRD_BASE_URL,
    SANDBOX_CHANNEL_ID,
    SANDBOX_MISSING_ID,
    SANDBOX_OMNICHANNEL_BASE_URL,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
)
from conversation_clients.sandbox._fake import SandboxSetup, VendorApi, VendorFake
from conversation_clients.sandbox._faults import FAULT_KINDS, Faults
from conversation_clients.sandbox._sandbox import Sandbox, default_sandbox
from conversation_clients.sandbox._server import Reply, SandboxServer

__all__ = [
    "FAULT_KINDS",
    "SANDBOX_BIRD_ACCESS_KEY",
    "SANDBOX_BIRD_BASE_URL",
    "SANDBOX_CHANNEL_ID",
    "SANDBOX_MISSING_ID",
    "SANDBOX_OMNICHANNEL_BASE_URL",
    "SANDBOX_OMNICHANNEL_TOKEN",
    "SANDBOX_ORGANIZATION_ID",
    "SANDBOX_WORKSPACE_ID",
    "Faults",
    "Reply",
    "Sandbox",
    "SandboxServer",
    "SandboxSetup",
    "VendorApi",
    "VendorFake",
    "default_sandbox",
]
