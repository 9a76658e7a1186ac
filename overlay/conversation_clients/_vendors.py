"""The registered vendors: the profile of each vendor module that generation lists.

``openapi/operations.py`` writes ``VENDOR_MODULES`` into :mod:`conversation_clients._operations`,
one module per vendor folder under ``openapi/`` (``conversation_clients.bird``, ...). Each of
those modules holds its vendor's ``PROFILE``, so a third vendor of the library is its documents,
its generator configuration and its module; no list in a vendor-neutral module names it. The
command line and the sandbox, above the library, keep registries of their own, parallel to this
one (``cli.command_registry``: each vendor's commands; ``sandbox._fake_registry``: each vendor's fake).

Vendor modules are imported when the profiles are first asked for, not when this module is, so
that a vendor module may import the neutral modules that import this one.
"""

from __future__ import annotations

import importlib

from conversation_clients import _operations
from conversation_clients._profile import VendorProfile

__all__ = ["profile_named", "vendor_profiles"]


def vendor_profiles() -> tuple[VendorProfile, ...]:
    """The ``PROFILE`` of each module in ``_operations.VENDOR_MODULES``, in that order.

    A module without one, or with a ``PROFILE`` that is not a :class:`VendorProfile`, is a
    ``TypeError`` naming it; two vendors of the same name, a ``ValueError``.

    >>> [profile.name for profile in vendor_profiles()]
    ['bird', 'omnichannel']
    """
    profiles: list[VendorProfile] = []
    for module_name in _operations.VENDOR_MODULES:
        profile = getattr(importlib.import_module(module_name), "PROFILE", None)
        if not isinstance(profile, VendorProfile):
            raise TypeError(f"{module_name} must define PROFILE, its VendorProfile (got {type(profile).__name__})")
        if any(known.name == profile.name for known in profiles):
            raise ValueError(f"{module_name}: a vendor named {profile.name!r} is already registered")
        profiles.append(profile)
    return tuple(profiles)


def profile_named(name: str) -> VendorProfile:
    """The registered vendor called ``name`` (``KeyError`` if none).

    >>> profile_named("omnichannel").display_name
    'Omnichannel'
    """
    for profile in vendor_profiles():
        if profile.name == name:
            return profile
    raise KeyError(name)
