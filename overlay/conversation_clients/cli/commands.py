"""The listing commands: their declarations (:mod:`conversation_clients._commands`) and the registered ones.

Each vendor's profile declares its commands (``VendorProfile.commands``); :func:`command_groups`
gathers those of every registered vendor (:func:`conversation_clients._vendors.vendor_profiles`),
which the parser and the one runner read. Nothing here names a vendor.
"""

from __future__ import annotations

from conversation_clients._commands import (
    ClientSettings,
    CommandGroup,
    ListCommand,
    Option,
    Role,
    derived_option,
    with_derived_options,
)
from conversation_clients._vendors import vendor_profiles

__all__ = [
    "ClientSettings",
    "CommandGroup",
    "ListCommand",
    "Option",
    "Role",
    "command_groups",
    "derived_option",
    "with_derived_options",
]


def command_groups() -> tuple[CommandGroup, ...]:
    """The command group of every registered vendor that declares commands, in registration order.

    >>> [group.name for group in command_groups()]
    ['bird', 'omnichannel']
    """
    return tuple(profile.command_group for profile in vendor_profiles() if profile.command_group is not None)
