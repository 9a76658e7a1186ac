"""A listing command's options (:mod:`conversation_clients.cli.command_options`): an option derived
from an operation's parameter (its flag, metavar, parser, whether it is required or resumes; an id
parsed into one spelling), and a check's parameters kept as data derive the options its signature derives.
"""

from __future__ import annotations

import argparse
import datetime
import inspect
import uuid

import pytest

from conversation_clients.cli.command_options import NamedCheck, derived_option, with_derived_options
from conversation_clients.cli.command_registry import command_groups
from conversation_clients.cli.commands import ListCommand
from conversation_clients.cli.values import page_size_for

LIST_COMMANDS = tuple(command for group in command_groups() for command in group.commands)


@pytest.mark.parametrize(
    ("name", "hint", "expected"),
    [
        ("conversation_id", str | uuid.UUID, ("--conversation-id", "ID", True, False, False)),
        ("limit", int | None, ("--limit", "N", False, False, False)),
        ("reverse", bool | None, ("--reverse", None, False, True, False)),
        ("page_token", str | None, ("--page-token", "T", False, False, True)),
        ("date_from", datetime.datetime | str | None, ("--date-from", "ISO8601", False, False, False)),
    ],
)
def test_an_option_derived_from_a_parameter(name: str, hint: object, expected: tuple[object, ...]) -> None:
    default = inspect.Parameter.empty if expected[2] else None
    option = derived_option(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default), hint)
    assert (option.flag, option.metavar, option.required, option.switch, option.resumes) == expected
    assert option.parameter == name


def test_a_derived_date_time_needs_a_timezone_and_says_so() -> None:
    option = derived_option(
        inspect.Parameter("date_from", inspect.Parameter.KEYWORD_ONLY, default=None), datetime.datetime | None
    )
    assert option.parse is not None
    with pytest.raises(argparse.ArgumentTypeError, match=r"^'2025-04-15T12:00:00' has no timezone; give an RFC 3339"):
        option.parse("2025-04-15T12:00:00")
    assert option.parse("2025-04-15T12:00:00.1234567+02:00") == "2025-04-15T12:00:00.1234567+02:00"  # sent as typed


@pytest.mark.parametrize("hint", [uuid.UUID, str | uuid.UUID, str | uuid.UUID | None])
def test_a_derived_id_is_parsed_into_one_spelling(hint: object) -> None:
    # as a declared id option (--workspace-id) and an export's targets: blanks dropped, a UUID in lower case
    option = derived_option(inspect.Parameter("conversation_id", inspect.Parameter.KEYWORD_ONLY), hint)
    assert option.parse is not None
    assert option.parse(" 5A3D1B0E-7C2F-4E8A-9B61-0D4C2E8F1A01\t") == "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"
    assert option.parse(" not-a-uuid ") == "not-a-uuid"  # the operation's check refuses it, naming the flag


def _signature_facts(function: object) -> tuple[tuple[str, str, bool], ...]:
    """A function's parameters as a :class:`NamedCheck` holds them: name, annotation text, required."""
    assert callable(function)
    return tuple(
        (parameter.name, str(parameter.annotation), parameter.default is parameter.empty)
        for parameter in inspect.signature(function).parameters.values()
    )


@pytest.mark.parametrize("command", LIST_COMMANDS, ids=lambda command: f"{command.vendor} {command.name}")
def test_a_checks_parameters_as_data_derive_the_options_its_signature_derives(command: ListCommand) -> None:
    check = command.check
    function = check.resolve() if isinstance(check, NamedCheck) else check
    facts = _signature_facts(function)
    if isinstance(check, NamedCheck):  # generated beside the operation: the same parameters
        assert check.parameters == facts
        assert inspect.signature(check) == inspect.signature(function)
    from_data = with_derived_options(NamedCheck("unused:unused", facts), command.options)
    from_signature = with_derived_options(function, command.options)
    shown = [(o.flag, o.metavar, o.help, o.switch, o.required, o.resumes, o.parameter) for o in from_data]
    assert shown == [(o.flag, o.metavar, o.help, o.switch, o.required, o.resumes, o.parameter) for o in from_signature]


def test_a_named_check_calls_its_function_and_has_its_signature() -> None:
    check = NamedCheck("conversation_clients.cli.values:page_size_for", _signature_facts(page_size_for))
    assert check(None, 3, 100) == 3
    assert check.resolve() is page_size_for
    assert inspect.signature(check) == inspect.signature(page_size_for)
