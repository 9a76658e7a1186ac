"""A listing command, declared as data: its options, the operation it calls, its columns, its credentials.

The runner (:mod:`conversation_clients.cli.runners`) and the argument parser
(:mod:`conversation_clients.cli.arguments`) are generic: they read these declarations. A new
listing, such as ``bird messages``, is one more :class:`ListCommand` in
:mod:`conversation_clients.cli.vendors`.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from conversation_clients.cli.credentials import Credentials, CredentialSource
from conversation_clients.cli.tables import ItemTable

if TYPE_CHECKING:
    from conversation_clients.cli.serving import SandboxSettings

__all__ = ["ClientSettings", "CommandGroup", "ListCommand", "Option", "Role"]


class Role(enum.Enum):
    """Where an option's value goes."""

    #: an argument of the client's listing method (and of the operation's check)
    LISTING = "listing"
    #: held by the client: an argument of its constructor (and of the operation's check)
    CLIENT = "client"
    #: the API base URL
    BASE_URL = "base_url"
    #: given to the command's credential source (e.g. ``--scope``)
    CREDENTIAL = "credential"


def _parameter_of(option: Option) -> str:
    return option.flag.removeprefix("--").replace("-", "_")


@attrs.frozen
class Option:
    """One option of a listing command.

    ``parameter`` is the Python argument it becomes (by default the flag's name, ``--page-token``
    giving ``page_token``); the clients' argument errors name it, and the command shows the flag.

    >>> Option("--page-token", "resume a listing from this page token", metavar="T").parameter
    'page_token'
    """

    flag: str
    help: str
    metavar: str | None = None
    #: turns the text into the value (an argparse ``type``); None keeps the text
    parse: Callable[[str], object] | None = None
    #: a flag without a value: sends True when given, nothing otherwise
    switch: bool = False
    role: Role = Role.LISTING
    parameter: str = attrs.field(default=attrs.Factory(_parameter_of, takes_self=True))
    #: required unless ``--sandbox`` is given
    required: bool = False
    #: what ``--sandbox`` uses when the option is not given
    sandbox_value: Callable[[SandboxSettings], object] | None = None
    #: ``--sandbox`` serves its own (a base URL, a token scope): giving both is a usage error
    refused_with_sandbox: bool = False
    #: the option is the page size; the API's largest page
    page_size_up_to: int | None = None
    #: the option resumes a listing from a page token (the resume hint names it)
    resumes: bool = False
    #: other names the clients' messages use for the same value
    also_named: tuple[str, ...] = ()

    @property
    def dest(self) -> str:
        """The name of the parsed value (argparse's ``dest``)."""
        return _parameter_of(self)


@attrs.frozen
class ClientSettings:
    """What a command opens its client with."""

    base_url: str
    credentials: Credentials
    #: the values the client holds (options of :attr:`Role.CLIENT`), by parameter name
    held: Mapping[str, Any]
    max_retries: int
    max_response_bytes: int
    page_timeout: float
    prefetch: bool

    def transfer_options(self) -> dict[str, Any]:
        """The client arguments every vendor takes alike: retries, limits, prefetch."""
        return {
            "max_retries": self.max_retries,
            "max_response_bytes": self.max_response_bytes,
            "page_timeout": self.page_timeout,
            "prefetch": self.prefetch,
        }


@attrs.frozen
class ListCommand:
    """``conversation-clients VENDOR NAME``: one paginated operation, as a command.

    ``check`` describes the listing without I/O (it raises ``ValueError``/``TypeError`` for a bad
    argument, before any credential is looked at); ``method`` is the client's listing method,
    called with the :attr:`Role.LISTING` options; ``open_client`` opens the client.
    """

    vendor: str
    name: str
    #: the vendor's name in messages ("rate limited by Bird")
    vendor_title: str
    help: str
    description: str
    options: tuple[Option, ...]
    check: Callable[..., object]
    method: str
    open_client: Callable[[ClientSettings], contextlib.AbstractContextManager[Any]]
    credentials: CredentialSource
    table: ItemTable[Any]
    #: what one item is called ("stop after N conversations")
    noun: str = "conversation"
    #: the base URL when ``--base-url`` is not given (None: it is required)
    default_base_url: str | None = None

    def __attrs_post_init__(self) -> None:
        resumes = [option for option in self.options if option.resumes]
        if len(resumes) != 1:
            raise ValueError(f"{self.vendor} {self.name}: exactly one option resumes a listing, got {len(resumes)}")
        if len([option for option in self.options if option.role is Role.BASE_URL]) != 1:
            raise ValueError(f"{self.vendor} {self.name}: exactly one option is the base URL")

    @property
    def resume_option(self) -> Option:
        """The option that resumes a listing (``--page-token``)."""
        return next(option for option in self.options if option.resumes)

    @property
    def flags(self) -> dict[str, str]:
        """The flag of each Python argument name the clients' messages use.

        >>> from conversation_clients.cli.vendors import BIRD_LIST
        >>> BIRD_LIST.flags["page_token"]
        '--page-token'
        """
        flags: dict[str, str] = {}
        for option in self.options:
            for name in (option.parameter, *option.also_named):
                flags[name] = option.flag
        return flags


@attrs.frozen
class CommandGroup:
    """A first word of the command line (``bird``) and the commands under it."""

    name: str
    help: str
    commands: tuple[ListCommand, ...]
