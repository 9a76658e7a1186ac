"""The words of ``--help`` around the options: what the command is for, and its epilog.

A command's epilog names only what that command reads: its vendor's environment variables, its
vendor's resume option (a listing's; an export resumes from its checkpoint), then the exit codes
in one line, each by its name (:func:`~conversation_clients.cli.exit_codes.exit_code_summary`;
their meanings are in the package docstring and docs/cli.md). The top-level ``--help``, and a
vendor's, cover every command under them. Plain text throughout: no markup reaches a terminal.
Nothing here names a vendor.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from conversation_clients.cli.exit_codes import EXPORT_EXIT_NOTE, exit_code_summary
from conversation_clients.cli.wording import PROG

if TYPE_CHECKING:
    from conversation_clients.cli.commands import CommandGroup, ListCommand, VendorCommands
    from conversation_clients.cli.credential_sources import CredentialSource

__all__ = ["Covered", "HelpFormatter", "Preformatted", "covered", "description", "epilog", "help_settings"]

#: Where the exit-code line is wrapped (argparse's own width on an 80-column terminal is 78).
_WIDTH: Final = 78

#: What one ``--help`` is about: each command, and the name it is run by (its ``name``, or its
#: export's). An export is listed apart from the listing it exports.
Covered: TypeAlias = Sequence[tuple["ListCommand", str]]


class Preformatted(str):
    """Text laid out already: :class:`HelpFormatter` prints its lines as they are."""

    __slots__ = ()


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's default layout (the description filled to the terminal's width), but for
    :class:`Preformatted` text (the epilog), whose lines are kept."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if isinstance(text, Preformatted):
            return super()._fill_text(text, width, indent)
        return argparse.HelpFormatter._fill_text(self, text, width, indent)


def covered(groups: Sequence[CommandGroup]) -> list[tuple[ListCommand, str]]:
    """Every command of ``groups``, each listing followed by its export (as a vendor's ``--help`` lists them).

    >>> from conversation_clients.cli.command_registry import command_groups
    >>> [f"{command.vendor} {name}" for command, name in covered(command_groups()[:1])]
    ['bird list', 'bird export', 'bird messages']
    """
    return [
        (command, name)
        for group in groups
        for command in group.commands
        for name in (command.name, *(() if command.export is None else (command.export.name,)))
    ]


def _is_export(command: ListCommand, name: str) -> bool:
    return command.export is not None and command.export.name == name


def _environment(commands: Covered) -> list[str]:
    # one entry per credential source, naming the commands covered that read it
    readers: dict[CredentialSource, tuple[str, list[str]]] = {}
    for command, name in commands:
        readers.setdefault(command.credentials, (command.vendor_title, []))[1].append(f"{command.vendor} {name}")
    if not readers:
        return []
    lines = [source.environment_help(title, names) for source, (title, names) in readers.items()]
    sandbox = "  --sandbox needs none of these: it uses the demo data, over loopback HTTP."
    return ["environment:", *lines, sandbox, ""]


def _resuming(commands: Covered) -> list[str]:
    # each vendor's resume flag once, the first in the example and any other beside it
    flags = {
        command.vendor_title: command.resume_option.flag for command, name in commands if not _is_export(command, name)
    }
    if not flags:
        return []
    (first_title, first_flag), *others = flags.items()
    notes = "".join(f", {flag} for {title}" for title, flag in others)
    which = [f"  ({first_flag} for {first_title}{notes})"] if others else []
    return [
        "resuming: a listing cut short by an error prints a second line such as",
        f"  {PROG}: resume with: {first_flag} TOKEN",
        *which,
        "  Run the same command with that option to go on, with nothing lost or repeated.",
        "",
    ]


def _wrapped(text: str, *, apart: str | None = None) -> list[str]:
    """``text`` wrapped to the width, continuation lines indented; with ``apart``, broken only
    where it separates two parts (a code and its name stay on one line)."""
    import textwrap  # argparse loads it too, to lay out the options

    glue = "\x00"  # no space in a part: textwrap breaks there only
    if apart is not None:
        text = apart.join(part.replace(" ", glue) for part in text.split(apart))
    lines = textwrap.wrap(text, _WIDTH, subsequent_indent="  ", break_on_hyphens=False, break_long_words=False)
    return [line.replace(glue, " ") for line in lines]


def epilog(commands: Covered) -> Preformatted:
    """The end of a ``--help`` about ``commands``: their environment variables, how to resume a
    listing, the exit codes (an export's rule for them if an export is covered).

    >>> from conversation_clients.cli.command_registry import vendor_commands
    >>> bird_list = vendor_commands()[0].command("list")
    >>> print(epilog([(bird_list, "list")]).splitlines()[1])
      BIRD_ACCESS_KEY      Bird access key (bird list)
    """
    exits = _wrapped(exit_code_summary(), apart=", ")
    if any(_is_export(command, name) for command, name in commands):
        exits += _wrapped(EXPORT_EXIT_NOTE)
    return Preformatted("\n".join([*_environment(commands), *_resuming(commands), *exits]))


def description(vendors: Sequence[VendorCommands]) -> str:
    """What the whole command is for, naming the registered vendors.

    >>> from conversation_clients.cli.command_registry import vendor_commands
    >>> description(vendor_commands())
    'List conversations from Bird or Dynamics 365 Contact Center (Omnichannel).'
    """
    names = [commands.long_name for commands in vendors]
    listed = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return f"List conversations from {listed}."


def help_settings(commands: Covered) -> dict[str, Any]:
    """The settings of a parser whose ``--help`` is about ``commands``: its epilog and layout.

    >>> settings = help_settings([])  # the sandbox's: no credentials, nothing to resume
    >>> settings["epilog"].startswith("exit codes: 0 OK, "), settings["formatter_class"] is HelpFormatter
    (True, True)
    """
    return {"epilog": epilog(commands), "formatter_class": HelpFormatter}
