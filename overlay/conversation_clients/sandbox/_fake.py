"""What a vendor's fake API is: what it answers, what it is built from, and how it is registered.

Each vendor's sandbox module (``_bird_fake``, ``_omnichannel_fake``) holds its :class:`VendorFake`: the
vendor's name, the routes its fake serves and the factory that builds the fake (a
:class:`VendorApi`) from the sandbox's :class:`SandboxSetup`. The sandbox's registry
(:mod:`conversation_clients.sandbox._fake_registry`) lists those modules; the sandbox dispatches each
request to the fakes it built (:class:`~conversation_clients.sandbox._server.SandboxServer`).
Nothing here names a vendor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import attrs
import httpx

from conversation_clients.sandbox._tokens import PageTokens

__all__ = ["SandboxSetup", "VendorApi", "VendorApiFactory", "VendorFake"]


class VendorApi(Protocol):
    """What the sandbox asks of one vendor's fake API; each vendor's sandbox module holds its own."""

    def serves(self, path: str) -> bool:
        """Whether ``path`` is this vendor's."""
        ...

    def answer(self, request: httpx.Request) -> httpx.Response:
        """The vendor's answer to ``request``."""
        ...

    def fault(self, kind: str, *, retry_after_seconds: float) -> httpx.Response:
        """The vendor's response for injected fault ``kind`` (``"429"``, ``"500"``, ...)."""
        ...

    def rate_limited(self, retry_after: float) -> httpx.Response:
        """The vendor's 429 asking to wait ``retry_after`` seconds."""
        ...


@attrs.frozen
class SandboxSetup:
    """The sandbox's settings every vendor's fake API is built from.

    ``options`` are the sandbox's keyword options, already checked, by name (a vendor's fake takes
    the ones it knows and its own defaults for the rest).

    >>> SandboxSetup(seed=0, tokens=PageTokens.for_seed(0), conversations=25).options
    {}
    """

    seed: int
    tokens: PageTokens = attrs.field(repr=False)
    conversations: int
    options: Mapping[str, Any] = attrs.field(factory=lambda: dict[str, Any]())


#: Builds one vendor's fake API from the sandbox's setup.
VendorApiFactory = Callable[[SandboxSetup], VendorApi]


@attrs.frozen
class VendorFake:
    """One vendor's fake, as the sandbox registers it.

    ``vendor`` is the vendor's name (its profile's ``name``); ``routes`` are the paths its fake
    serves (``{placeholders}`` for ids); ``api`` builds the fake from a :class:`SandboxSetup`.

    >>> fake = VendorFake("acme", ("/acme/status",), api=lambda setup: NotImplemented)
    >>> fake.vendor, fake.routes
    ('acme', ('/acme/status',))
    """

    vendor: str
    routes: tuple[str, ...]
    api: VendorApiFactory = attrs.field(repr=False)
