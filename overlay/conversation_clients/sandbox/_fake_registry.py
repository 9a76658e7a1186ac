"""The vendors the sandbox fakes: the registry of each vendor's fake, keyed by the vendor's name.

Each module named in :data:`FAKE_MODULES` holds one vendor's fake as its ``FAKE`` (a
:class:`~conversation_clients.sandbox._fake.VendorFake`: its routes and the factory of its fake
API), importing its vendor module if it needs it, never the reverse. Every
:class:`~conversation_clients.sandbox.SandboxServer` (so every
:class:`~conversation_clients.sandbox.Sandbox`) serves the fakes registered here, so a third
vendor's fake is one module and its name here.

This registry is the sandbox's own, parallel to the library's (``_operations.VENDOR_MODULES``,
read by :mod:`conversation_clients._vendors`); the modules are imported when the fakes are first
asked for, not when this module is.
"""

from __future__ import annotations

import importlib

from conversation_clients.sandbox._fake import VendorFake

__all__ = ["FAKE_MODULES", "vendor_fakes"]

#: The module of each vendor's fake, in the order requests are offered to them; each holds the
#: vendor's ``FAKE``.
FAKE_MODULES: tuple[str, ...] = (
    "conversation_clients.sandbox._bird_fake",
    "conversation_clients.sandbox._omnichannel_fake",
)


def vendor_fakes() -> dict[str, VendorFake]:
    """The ``FAKE`` of each module in :data:`FAKE_MODULES`, by vendor name, in that order.

    A module without one, or with a ``FAKE`` that is not a
    :class:`~conversation_clients.sandbox._fake.VendorFake`, is a ``TypeError`` naming it; two
    fakes of the same vendor, a ``ValueError``.

    >>> {vendor: fake.routes[0] for vendor, fake in vendor_fakes().items()}
    {'bird': '/workspaces/{workspaceId}/conversations', 'omnichannel': '/api/v1.0/consumer/conversations'}
    """
    fakes: dict[str, VendorFake] = {}
    for module_name in FAKE_MODULES:
        fake = getattr(importlib.import_module(module_name), "FAKE", None)
        if not isinstance(fake, VendorFake):
            raise TypeError(f"{module_name} must define FAKE, its VendorFake (got {type(fake).__name__})")
        if fake.vendor in fakes:
            raise ValueError(f"{module_name}: a fake of the vendor {fake.vendor!r} is already registered")
        fakes[fake.vendor] = fake
    return fakes
