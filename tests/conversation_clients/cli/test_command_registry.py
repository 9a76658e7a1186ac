"""The command line's registry of vendors (:mod:`conversation_clients.cli.command_registry`):
the vendors it lists are the library's and the sandbox's, under their profiles' names; a vendor
module it does not name is not on the command line.
"""

from __future__ import annotations

import pytest

from conversation_clients._vendors import vendor_profiles
from conversation_clients.cli import command_registry, main
from conversation_clients.cli.command_registry import vendor_commands
from conversation_clients.sandbox import (
    _fake_registry,
)


def test_the_command_line_and_the_sandbox_register_the_same_vendors() -> None:
    profiles = [profile.name for profile in vendor_profiles()]
    assert [commands.profile.name for commands in command_registry.vendor_commands()] == profiles
    assert list(_fake_registry.vendor_fakes()) == profiles


def _help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_an_unregistered_vendor_module_is_not_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert "acme" not in _help(capsys, ["--help"])


# -- Starting fast: ``import conversation_clients`` and the command line load only what they use
# (issue 18) ---------------------------------------------------------------------------------------


def test_the_vendor_names_the_command_line_shows_are_its_profiles() -> None:
    from conversation_clients._vendors import profile_named

    for commands in vendor_commands():
        profile = profile_named(commands.profile.name)
        names = commands.profile
        assert (names.name, names.display_name, names.base_url) == (
            profile.name,
            profile.display_name,
            profile.base_url,
        )
