"""The generated enums (``openapi/templates/str_enum.py.jinja``): an unknown value is kept and
typed, a known one gives its member, a value that is not a string is an error.
"""

from __future__ import annotations

import enum
import inspect
import sys

import pytest

import bird_conversations.models
import omnichannel_messaging.models
from bird_conversations.models import (
    ConversationStatus,
)

ENUMS = sorted(
    (
        member
        for module in (bird_conversations.models, omnichannel_messaging.models)
        for _, member in inspect.getmembers(module, inspect.isclass)
        if issubclass(member, enum.Enum)
    ),
    key=lambda cls: cls.__name__,
)


@pytest.mark.parametrize("enum_class", ENUMS, ids=lambda cls: cls.__name__)
def test_unknown_enum_value_is_kept_and_typed(enum_class: type[enum.Enum]) -> None:
    unknown = enum_class("a-value-added-later")

    assert isinstance(unknown, enum_class)
    assert unknown.value == "a-value-added-later"
    assert str(unknown) == "a-value-added-later"
    assert all(unknown != member for member in enum_class)
    assert unknown not in list(enum_class)  # none of the members, on every Python
    assert unknown.name == "_UNKNOWN_"
    assert all(member in enum_class for member in enum_class)
    # ``in`` on the class itself is Python's to decide: up to 3.11 it asks whether the name is a
    # member's, and the unknown one is not in it; from 3.12 every instance of the class is in it
    # (EnumType.__contains__ starts with an isinstance check), the unknown one too.
    if sys.version_info >= (3, 12):
        assert unknown in enum_class
    else:
        assert unknown not in enum_class


@pytest.mark.parametrize("enum_class", ENUMS, ids=lambda cls: cls.__name__)
def test_known_values_still_give_the_members(enum_class: type[enum.Enum]) -> None:
    for member in enum_class:
        assert enum_class(member.value) is member


def test_non_string_enum_value_is_still_an_error() -> None:
    with pytest.raises(ValueError):
        ConversationStatus(7)  # type: ignore[arg-type]


# -- The templates' fast paths build exactly what the plain ways would -----------------------------


@pytest.mark.parametrize("bad", [7, None, ["active"], {"v": 1}])
def test_enum_from_value_rejects_non_strings(bad: object) -> None:
    with pytest.raises(ValueError):
        ConversationStatus.from_value(bad)  # type: ignore[arg-type]
