"""A listing command's options: declared (:class:`Option`, each with its :class:`Role`), or derived
from its operation's parameters (:func:`derived_option`, :func:`with_derived_options`), read from
the operation's signature or from its parameters written as data (:class:`NamedCheck`).

A declaration leaves out every option the operation's parameters say enough about: a name and a
type give a flag, a metavar, a parser and whether it is required or resumes the listing. This
module names no vendor; :mod:`conversation_clients.cli.commands` declares the commands these
options belong to.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from conversation_clients.cli.values import date_time_text, integer, target_id

if TYPE_CHECKING:  # annotations only: declaring an option imports no client, no operation, no model
    import inspect

    from conversation_clients.cli.sandbox_settings import SandboxSettings

__all__ = ["NamedCheck", "Option", "ParameterFacts", "Role", "derived_option", "with_derived_options"]


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
    number, a date-time needs a timezone (and is sent as typed), a UUID is an id in one spelling
    (:func:`~conversation_clients.cli.values.target_id`), a parameter without a default is
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
        help_text = f"{words}: an RFC 3339 date-time with a timezone, e.g. 2025-04-15T08:00:25Z"
        return Option(flag, help_text, metavar="ISO8601", parse=date_time_text(), parameter=name, required=required)
    if int in kinds:
        return Option(flag, f"{words} (a whole number)", metavar="N", parse=integer, parameter=name, required=required)
    if uuid.UUID in kinds:  # an id: in one spelling, as a declared id option takes it
        return Option(flag, f"the {words} (a UUID)", metavar="ID", parse=target_id, parameter=name, required=required)
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
