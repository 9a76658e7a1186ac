"""A listing command, declared as data: its options, the operation it calls, its columns, its credentials.

Its options are :mod:`conversation_clients.cli.command_options`' (declared, or derived from the
operation's parameters). Each vendor's command-line module (:mod:`conversation_clients.cli.bird_commands`, ...) declares its
commands with these values, as its :class:`VendorCommands`; this module names no vendor. The
parser and the one runner read the declarations of every registered vendor
(:mod:`conversation_clients.cli.command_registry`). A new listing, such as ``bird messages``, is one more
:class:`ListCommand` in its vendor's declarations.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from conversation_clients.cli.command_options import Option, Role, with_derived_options

if TYPE_CHECKING:  # annotations only: declaring a command imports no client, no operation, no model
    from conversation_clients.cli.credential_sources import Credentials, CredentialSource
    from conversation_clients.cli.tables import ItemTable
    from conversation_clients.ratelimit import RateLimit, RateLimiter

__all__ = [
    "CommandGroup",
    "CommandSettings",
    "Export",
    "ListCommand",
    "VendorCommandNames",
    "VendorCommands",
    "VendorNames",
    "secret_variables",
]


@attrs.frozen
class CommandSettings:
    """What a command opens its client with."""

    base_url: str
    credentials: Credentials
    #: the values the client holds (options of :attr:`Role.CLIENT`), by parameter name
    held: Mapping[str, Any]
    max_retries: int
    max_response_bytes: int
    page_timeout: float
    prefetch: bool
    #: a ``RateLimiter`` shared by the command's listings (an export's); None: none
    rate_limiter: RateLimiter | None = None

    def transfer_options(self) -> dict[str, Any]:
        """The client arguments every vendor takes alike: retries, limits, prefetch (and a rate limiter, if any)."""
        options: dict[str, Any] = {
            "max_retries": self.max_retries,
            "max_response_bytes": self.max_response_bytes,
            "page_timeout": self.page_timeout,
            "prefetch": self.prefetch,
        }
        if self.rate_limiter is not None:
            options["rate_limiter"] = self.rate_limiter
        return options


@attrs.frozen
class Export:
    """How a listing command is exported across many targets (``conversation-clients VENDOR export``).

    ``targets`` are the flags of the listing's options that name one target, in the order of
    the output file's name (``--organization-id``, ``--channel-id`` gives
    ``omnichannel-<org>-<channel>.jsonl``); the last one may be given many times (and read from
    a file of ids), the others once. Each target is listed by one call, the target's values
    given to that call whatever their options' role. ``rate_limit`` is the limiter on by
    default (None: none), and ``rate_limit_note`` says where its numbers come from in ``--help``.
    ``load`` names the dlt source of ``VENDOR load`` (the same targets into a warehouse:
    :mod:`conversation_clients.cli.load`) as ``"module:function"``, imported when a load runs;
    None: no ``load`` command.

    >>> Export(help="export many workspaces", targets=("--workspace-id",), rate_limit=None).repeated
    '--workspace-id'
    """

    help: str
    targets: tuple[str, ...]
    rate_limit: RateLimit | None
    rate_limit_note: str = ""
    name: str = "export"
    load: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.targets:
            raise ValueError("an export names at least one target option")

    @property
    def repeated(self) -> str:
        """The flag given once per target (the last of :attr:`targets`)."""
        return self.targets[-1]


@attrs.frozen
class ListCommand:
    """``conversation-clients VENDOR NAME``: one paginated operation, as a command.

    ``check`` describes the listing without I/O (it raises ``ValueError``/``TypeError`` for a bad
    argument, before any credential is looked at); ``method`` is the client's listing method,
    called with the :attr:`Role.LISTING` options; ``open_client`` opens the client.

    ``vendor``, ``vendor_title`` and ``default_base_url`` are the vendor's: a vendor's declared
    commands leave them out, and its :class:`VendorCommands` fills them in (:attr:`VendorCommands.group`).

    ``options`` are the declared ones, in the order of ``--help``; every parameter of ``check``
    they leave out gets an option derived from its name and type (:func:`derived_option`),
    placed by the signature (:func:`with_derived_options`). :attr:`all_options` holds both.
    """

    name: str
    help: str
    description: str
    options: tuple[Option, ...]
    check: Callable[..., object]
    method: str
    open_client: Callable[[CommandSettings], contextlib.AbstractContextManager[Any]]
    credentials: CredentialSource
    table: ItemTable[Any]
    #: what one item is called ("stop after N conversations")
    noun: str = "conversation"
    #: the base URL when ``--base-url`` is not given (None: it is required)
    default_base_url: str | None = None
    #: the vendor's name on the command line (its first word)
    vendor: str = attrs.field(default="", kw_only=True)
    #: the vendor's name in messages ("rate limited by Bird")
    vendor_title: str = attrs.field(default="", kw_only=True)
    #: how the listing is exported across many targets; None: it has no export command
    export: Export | None = attrs.field(default=None, kw_only=True)
    all_options: tuple[Option, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        every = with_derived_options(self.check, self.options)
        object.__setattr__(self, "all_options", every)  # frozen: set once, here
        resumes = [option for option in every if option.resumes]
        where = f"{self.vendor} {self.name}".strip()
        if len(resumes) != 1:
            raise ValueError(f"{where}: exactly one option resumes a listing, got {len(resumes)}")
        if len([option for option in every if option.role is Role.BASE_URL]) != 1:
            raise ValueError(f"{where}: exactly one option is the base URL")
        flags = {option.flag for option in every}
        if self.export is not None and not set(self.export.targets) <= flags:
            raise ValueError(f"{where}: its export names targets that are not its options")

    def for_vendor(self, vendor: str, vendor_title: str, base_url: str | None) -> ListCommand:
        """This command as its vendor's: its names filled in, and its default base URL if it has none.

        >>> from conversation_clients.cli.bird_commands import COMMANDS
        >>> command = COMMANDS.commands[0].for_vendor("acme", "Acme", "https://api.acme.test")
        >>> command.vendor, command.vendor_title, command.default_base_url
        ('acme', 'Acme', 'https://api.acme.test')
        """
        return attrs.evolve(
            self,
            vendor=vendor,
            vendor_title=vendor_title,
            default_base_url=base_url if self.default_base_url is None else self.default_base_url,
        )

    @property
    def resume_option(self) -> Option:
        """The option that resumes a listing (``--page-token``)."""
        return next(option for option in self.all_options if option.resumes)

    @property
    def flags(self) -> dict[str, str]:
        """The flag of each Python argument name the clients' messages use.

        >>> from conversation_clients.cli.bird_commands import COMMANDS
        >>> COMMANDS.command("list").flags["page_token"]
        '--page-token'
        """
        flags: dict[str, str] = {}
        for option in self.all_options:
            for name in (option.parameter, *option.also_named):
                flags[name] = option.flag
        return flags


@attrs.frozen
class CommandGroup:
    """A first word of the command line (``bird``) and the commands under it."""

    name: str
    help: str
    commands: tuple[ListCommand, ...]


class VendorNames(Protocol):
    """What the command line reads of a vendor: its name, the name it shows, its default base URL.

    A :class:`~conversation_clients._profile.VendorProfile` is one; so is a
    :class:`VendorCommandNames`, which a vendor's command-line module declares so that ``--help``
    imports neither the vendor's client module nor httpx (the tests hold the two equal).
    """

    @property
    def name(self) -> str: ...

    @property
    def display_name(self) -> str: ...

    @property
    def base_url(self) -> str | None: ...


@attrs.frozen
class VendorCommandNames:
    """A vendor's :class:`VendorNames` as plain values: the same as its profile's.

    >>> VendorCommandNames("acme", "Acme", None).display_name
    'Acme'
    """

    name: str
    display_name: str
    base_url: str | None


def _display_name(commands: VendorCommands) -> str:
    return commands.profile.display_name


@attrs.frozen
class VendorCommands:
    """One vendor's command line: its listing commands, under its name (``conversation-clients bird ...``).

    Each vendor's command-line module holds its own as ``COMMANDS`` (the registry,
    :mod:`conversation_clients.cli.command_registry`, lists those modules). ``profile`` is the vendor's
    :class:`VendorNames` (its :class:`~conversation_clients._profile.VendorProfile`, or the same
    names as a :class:`VendorCommandNames`): its name, display name and base URL fill in the commands (:meth:`ListCommand.for_vendor`). ``title`` is the group's help;
    ``long_name`` its name where a longer one helps ("List conversations from ..." in ``--help``;
    default: the profile's ``display_name``).

    >>> from conversation_clients.cli.bird_commands import COMMANDS
    >>> COMMANDS.group.name, [command.name for command in COMMANDS.group.commands]
    ('bird', ['list', 'messages'])
    """

    profile: VendorNames
    title: str
    commands: tuple[ListCommand, ...]
    long_name: str = attrs.field(default=attrs.Factory(_display_name, takes_self=True))
    #: ``commands`` under the vendor's name, their vendor's names filled in
    group: CommandGroup = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        profile = self.profile
        if not self.commands:
            raise ValueError(f"{profile.name}: a vendor's command line declares at least one command")
        bound = tuple(
            command.for_vendor(profile.name, profile.display_name, profile.base_url) for command in self.commands
        )
        object.__setattr__(self, "group", CommandGroup(profile.name, self.title, bound))  # frozen: set once, here

    def command(self, name: str) -> ListCommand:
        """The command called ``name``, as its vendor's (``KeyError`` if none).

        >>> from conversation_clients.cli.bird_commands import COMMANDS
        >>> COMMANDS.command("messages").vendor_title
        'Bird'
        """
        for command in self.group.commands:
            if command.name == name:
                return command
        raise KeyError(name)


def secret_variables(groups: Sequence[CommandGroup]) -> tuple[str, ...]:
    """Every environment variable the commands of ``groups`` read a secret from, once each, in order.

    >>> from conversation_clients.cli.command_registry import command_groups
    >>> secret_variables(command_groups())
    ('BIRD_ACCESS_KEY', 'OMNICHANNEL_TOKEN', 'AZURE_CLIENT_SECRET', 'AZURE_PASSWORD')
    """
    names = (name for group in groups for command in group.commands for name in command.credentials.secret_variables)
    return tuple(dict.fromkeys(names))
