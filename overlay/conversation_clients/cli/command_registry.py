"""The vendors the command line knows: the registry of each vendor's command-line declarations.

Each module named in :data:`COMMAND_MODULES` declares one vendor's commands as its ``COMMANDS``
(a :class:`~conversation_clients.cli.commands.VendorCommands`), importing its vendor module,
never the reverse. The parser, the one runner, the credential scrubbing and ``sandbox serve`` read
the vendors from here, so a third vendor's command line is one module and its name here;
no other module of the command line names a vendor.

This registry is the command line's own, parallel to the library's
(``_operations.VENDOR_MODULES``, read by :mod:`conversation_clients._vendors`) and the sandbox's
(``sandbox._fake_registry``). Its modules are imported when the commands are first asked for, not
when this module is.
"""

from __future__ import annotations

import importlib

from conversation_clients.cli.commands import CommandGroup, VendorCommands

__all__ = ["COMMAND_MODULES", "command_groups", "vendor_commands"]

#: The module of each vendor's command-line declarations, in the order of ``--help``; each holds
#: the vendor's ``COMMANDS``.
COMMAND_MODULES: tuple[str, ...] = (
    "conversation_clients.cli.bird_commands",
    "conversation_clients.cli.omnichannel_commands",
)


def vendor_commands() -> tuple[VendorCommands, ...]:
    """The ``COMMANDS`` of each module in :data:`COMMAND_MODULES`, in that order.

    A module without one, or with a ``COMMANDS`` that is not a
    :class:`~conversation_clients.cli.commands.VendorCommands`, is a ``TypeError`` naming it; two
    vendors of the same name, a ``ValueError``.

    >>> [commands.profile.name for commands in vendor_commands()]
    ['bird', 'omnichannel']
    """
    declared: list[VendorCommands] = []
    for module_name in COMMAND_MODULES:
        commands = getattr(importlib.import_module(module_name), "COMMANDS", None)
        if not isinstance(commands, VendorCommands):
            raise TypeError(f"{module_name} must define COMMANDS, its VendorCommands (got {type(commands).__name__})")
        if any(known.profile.name == commands.profile.name for known in declared):
            raise ValueError(
                f"{module_name}: the commands of a vendor named {commands.profile.name!r} are already registered"
            )
        declared.append(commands)
    return tuple(declared)


def command_groups() -> tuple[CommandGroup, ...]:
    """The command group of every registered vendor, in registration order.

    >>> [group.name for group in command_groups()]
    ['bird', 'omnichannel']
    """
    return tuple(commands.group for commands in vendor_commands())
