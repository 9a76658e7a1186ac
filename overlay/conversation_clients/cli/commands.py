"""A listing command, declared as data: its options, the operation it calls, its columns, its credentials.

Each vendor's command-line module (:mod:`conversation_clients.cli.bird_commands`, ...) declares its
commands with these values, as its :class:`VendorCommands`; this module names no vendor. The
parser and the one runner read the declarations of every registered vendor
(:mod:`conversation_clients.cli.command_registry`). A new listing, such as ``bird messages``, is one more
:class:`ListCommand` in its vendor's declarations.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import importlib
import types
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from conversation_clients.cli.values import aware_datetime_text, integer

if TYPE_CHECKING:  # annotations only: declaring a command imports no client, no operation, no model
    import inspect

    from conversation_clients.cli.credential_sources import Credentials, CredentialSource
    from conversation_clients.cli.sandbox_settings import SandboxSettings
    from conversation_clients.cli.tables import ItemTable
    from conversation_clients.ratelimit import RateLimit, RateLimiter

__all__ = [
    "CommandGroup",
    "CommandSettings",
    "Export",
    "ListCommand",
    "NamedCheck",
    "Option",
    "Role",
    "VendorCommandNames",
    "VendorCommands",
    "VendorNames",
    "derived_option",
    "secret_variables",
    "with_derived_options",
]


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


def derived_option(parameter: inspect.Parameter, hint: object) -> Option:
    """The option of an operation's parameter that no declaration names, from its name and type.

    The flag is the name (``date_from`` gives ``--date-from``); a bool is a switch, an int a
    number, a date-time needs a timezone (and is sent as typed), a parameter without a default is
    required, and one named ``..._token`` resumes the listing. The operation checks the value and
    its message names the flag.

    >>> import inspect
    >>> derived_option(inspect.Parameter("date_from", inspect.Parameter.KEYWORD_ONLY, default=None),
    ...     datetime.datetime | str | None).metavar
    'ISO8601'
    >>> derived_option(inspect.Parameter("reverse", inspect.Parameter.KEYWORD_ONLY, default=None), bool | None).switch
    True
    """
    return _derived_option(parameter.name, _kinds_of_hint(hint), required=parameter.default is parameter.empty)


def _kinds_of_hint(hint: object) -> set[object]:
    # the types a value may have, None aside
    return set(typing.get_args(hint)) - {types.NoneType} if typing.get_args(hint) else {hint}


def _derived_option(name: str, kinds: set[object], *, required: bool) -> Option:
    flag = "--" + name.replace("_", "-")
    words = name.removesuffix("_id").replace("_", " ")
    if name.endswith("_token"):
        return Option(flag, "resume a listing from this token", metavar="T", parameter=name, resumes=True)
    if bool in kinds:
        return Option(flag, f"send {words}=true", parameter=name, switch=True)
    if datetime.datetime in kinds:
        help_text = f"{words}: a date-time with a timezone, e.g. 2025-04-15T12:00:00Z"
        return Option(
            flag, help_text, metavar="ISO8601", parse=aware_datetime_text(flag), parameter=name, required=required
        )
    if int in kinds:
        return Option(flag, f"{words} (a whole number)", metavar="N", parse=integer, parameter=name, required=required)
    if uuid.UUID in kinds:
        return Option(flag, f"the {words} (a UUID)", metavar="ID", parameter=name, required=required)
    return Option(flag, words, metavar="TEXT", parameter=name, required=required)


#: A listing's parameter as generation writes it: its name, its annotation as written in the
#: signature, and whether it is required (has no default).
ParameterFacts = tuple[str, str, bool]

# The types an annotation's text names that change the derived option; any other counts as text.
_ANNOTATED_TYPES: Mapping[str, type] = {
    "None": types.NoneType,
    "bool": bool,
    "int": int,
    "str": str,
    "datetime.datetime": datetime.datetime,
    "uuid.UUID": uuid.UUID,
}


def _kinds_of_annotation(annotation: str) -> set[object]:
    """The types an annotation's text names, None aside, as :func:`_kinds_of_hint` gives them for the type itself.

    >>> _kinds_of_annotation("datetime.datetime | str | None") == _kinds_of_hint(datetime.datetime | str | None)
    True
    """
    named: set[object] = {_ANNOTATED_TYPES.get(name.strip(), str) for name in annotation.split("|")}
    return named - {types.NoneType} if len(named) > 1 else named


@attrs.frozen
class NamedCheck:
    """A listing's check, named rather than imported: ``"module:function"``, imported on its first
    call, and its parameters as data, so that declaring a command (and its ``--help``) imports
    neither the operation nor its generated models.

    ``parameters`` are the function's, in its signature's order (:data:`ParameterFacts`), as
    generation writes them beside each operation; the options a declaration leaves out are
    derived from them as from the signature (:func:`with_derived_options`). ``inspect.signature``
    of a named check is the function's own.

    >>> check = NamedCheck("conversation_clients.cli.values:page_size_for",
    ...     (("requested", "int | None", True), ("max_items", "int | None", True), ("maximum", "int", True)))
    >>> check(None, 3, 100)
    3
    """

    target: str
    parameters: tuple[ParameterFacts, ...]

    def resolve(self) -> Callable[..., object]:
        """The function itself (imported now, if it was not)."""
        module, _, name = self.target.partition(":")
        function: Callable[..., object] = getattr(importlib.import_module(module), name)
        return function

    def __call__(self, *args: Any, **kwargs: Any) -> object:
        return self.resolve()(*args, **kwargs)

    @property
    def __signature__(self) -> inspect.Signature:
        import inspect

        return inspect.signature(self.resolve())


def _parameters_of(check: Callable[..., object]) -> list[tuple[str, set[object], bool]]:
    """Each parameter of ``check``: its name, the types it takes (None aside) and whether it is required."""
    if isinstance(check, NamedCheck):
        return [(name, _kinds_of_annotation(annotation), required) for name, annotation, required in check.parameters]
    import inspect  # a check given as a function: read its signature

    hints = typing.get_type_hints(check)
    return [
        (parameter.name, _kinds_of_hint(hints.get(parameter.name, str)), parameter.default is parameter.empty)
        for parameter in inspect.signature(check).parameters.values()
    ]


def with_derived_options(check: Callable[..., object], declared: tuple[Option, ...]) -> tuple[Option, ...]:
    """``declared``, and an option derived for each parameter of ``check`` they leave out, placed
    after the option of the parameter before it in ``check``'s signature (first if none).

    ``check`` is a function, whose signature is read, or a :class:`NamedCheck`, whose parameters are data.

    >>> def check(workspace_id: str, conversation_id: str, *, page_token: str | None = None) -> None: ...
    >>> [option.flag for option in with_derived_options(check, (Option("--workspace-id", "w"), Option("--base-url", "u")))]
    ['--workspace-id', '--conversation-id', '--page-token', '--base-url']
    >>> named = NamedCheck("m:f", (("workspace_id", "str", True), ("conversation_id", "str", True),
    ...     ("page_token", "str | None", False)))
    >>> with_derived_options(named, (Option("--workspace-id", "w"),)) == with_derived_options(check, (Option("--workspace-id", "w"),))
    True
    """
    every = list(declared)
    previous: str | None = None
    for name, kinds, required in _parameters_of(check):
        if all(option.parameter != name for option in every):
            at = next((index + 1 for index, option in enumerate(every) if option.parameter == previous), 0)
            every.insert(at, _derived_option(name, kinds, required=required))
        previous = name
    return tuple(every)


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

    >>> Export(help="export many workspaces", targets=("--workspace-id",), rate_limit=None).repeated
    '--workspace-id'
    """

    help: str
    targets: tuple[str, ...]
    rate_limit: RateLimit | None
    rate_limit_note: str = ""
    name: str = "export"

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
