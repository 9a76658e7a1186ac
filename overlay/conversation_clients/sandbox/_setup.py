"""What a vendor's fake API is built from: the sandbox's seed, page tokens, size and options.

A vendor's profile names its fake (``VendorProfile.sandbox_api``, ``"module:attribute"``): a
factory taking a :class:`SandboxSetup` and returning the fake, which the sandbox dispatches to
(:class:`~conversation_clients.sandbox._sandbox.VendorApi`). Nothing here names a vendor.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs

from conversation_clients.sandbox._tokens import PageTokens

if TYPE_CHECKING:
    from conversation_clients.sandbox._sandbox import VendorApi

__all__ = ["SandboxSetup", "VendorApiFactory", "load_factory"]


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
VendorApiFactory = Callable[[SandboxSetup], "VendorApi"]


def load_factory(reference: str) -> VendorApiFactory:
    """The factory that ``"package.module:attribute"`` names, imported now.

    >>> load_factory("conversation_clients.sandbox._setup:SandboxSetup") is SandboxSetup
    True
    >>> load_factory("no colon")
    Traceback (most recent call last):
    ...
    ValueError: a sandbox fake API is named "module:attribute", got 'no colon'
    """
    module_name, colon, attribute = reference.partition(":")
    if not colon or not module_name or not attribute:
        raise ValueError(f'a sandbox fake API is named "module:attribute", got {reference!r}')
    factory: object = getattr(importlib.import_module(module_name), attribute)
    if not callable(factory):
        raise TypeError(f"{reference} is not callable")
    return cast("VendorApiFactory", factory)  # its signature is the profile's promise
