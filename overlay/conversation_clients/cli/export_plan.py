"""What an export does, decided before any I/O but reading the ids file: its :class:`ExportPlan`.

:func:`plan_export` checks an export's arguments (each target's as its listing would) and
decides its targets (:func:`export_targets`, each with its file: :func:`target_file_name`),
what makes it the same export as a checkpoint's (:func:`fingerprint`), its rate limit
(:func:`rate_limit_for`) and each target's call. :mod:`~conversation_clients.cli.export` runs
the plan. Nothing here names a vendor.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from conversation_clients.cli.command_options import Option, Role
from conversation_clients.cli.commands import Export, ListCommand
from conversation_clients.cli.exit_codes import UsageError
from conversation_clients.cli.parsed_arguments import ExportArguments, arguments_by_role
from conversation_clients.cli.sandbox_settings import SandboxSettings
from conversation_clients.cli.wording import usage_errors
from conversation_clients.ratelimit import RateLimit

__all__ = [
    "ExportPlan",
    "ExportTarget",
    "export_targets",
    "fingerprint",
    "plan_export",
    "rate_limit_for",
    "target_file_name",
]

# What a target's id may hold to become part of a file name: no separator, no "..", no surprise.
_SAFE_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@attrs.frozen
class ExportTarget:
    """One target of an export: its ids (in the order of ``Export.targets``), its file, its parsed values.

    ``values`` holds each target option's parsed value by ``dest``, as the listing takes them.
    """

    ids: tuple[str, ...]
    file: str
    values: Mapping[str, Any] = attrs.field(eq=False, repr=False)


def target_file_name(vendor: str, ids: Sequence[str]) -> str:
    """The JSON Lines file of the target named by ``ids``; :class:`UsageError` for an id unfit for a file name.

    >>> target_file_name("omnichannel", ["11111111-2222-3333-4444-555555555555", "c1"])
    'omnichannel-11111111-2222-3333-4444-555555555555-c1.jsonl'
    >>> target_file_name("bird", ["../etc"])
    Traceback (most recent call last):
    ...
    conversation_clients.cli.command_errors.UsageError: '../etc' cannot name an export file: use letters, digits, '.', '_' and '-'
    """
    for value in ids:
        if not _SAFE_ID.fullmatch(value):
            raise UsageError(f"{value[:64]!r} cannot name an export file: use letters, digits, '.', '_' and '-'")
    return "-".join([vendor, *ids]) + ".jsonl"


def _parsed(option: Option, text: str) -> Any:
    if option.parse is None:
        return text
    try:
        return option.parse(text)
    except (ValueError, TypeError, argparse.ArgumentTypeError) as error:
        raise UsageError(f"{option.flag}: {error}") from None


def ids_from_file(text: str) -> list[str]:
    """The ids of a ``--...-ids-file``: one a line, blank lines and ``#`` comments skipped.

    A byte order mark, CRLF line ends and blanks around an id are accepted (a file saved by
    Windows' Notepad or a spreadsheet).

    >>> ids_from_file("w1\\n\\n# old ones\\n  w2  # the second\\n")
    ['w1', 'w2']
    >>> ids_from_file("\\ufeffw1 \\r\\nw2\\t\\r\\n")
    ['w1', 'w2']
    """
    ids = (line.split("#", 1)[0].strip() for line in text.removeprefix("\ufeff").splitlines())
    return [value for value in ids if value]


def export_targets(
    command: ListCommand, arguments: ExportArguments, sandbox: SandboxSettings | None, file_ids: Sequence[str] = ()
) -> list[ExportTarget]:
    """The targets of an export: the repeated option's values (then ``file_ids``), each with the others' values.

    Each id comes as its option's value type spells it (an id option's,
    :func:`~conversation_clients.cli.values.target_id`: a UUID in lower case, no blanks around, as
    its listing sends it), the ids file's too; duplicates are dropped, first one kept; with ``--sandbox``
    a target option not given takes the sandbox's value. A required one missing otherwise is a
    :class:`UsageError`.
    """
    export = arguments.export
    options = {option.flag: option for option in command.all_options}
    fixed: dict[str, Any] = {}
    for flag in export.targets[:-1]:
        option = options[flag]
        value = arguments.value(option)
        if value is None and sandbox is not None and option.sandbox_value is not None:
            value = option.sandbox_value(sandbox)
        if value is None:
            raise UsageError(f"{flag} is required")
        fixed[option.dest] = value
    repeated = options[export.repeated]
    given: list[Any] = [*(arguments.value(repeated) or ()), *(_parsed(repeated, text) for text in file_ids)]
    if not given and sandbox is not None and repeated.sandbox_value is not None:
        given = [repeated.sandbox_value(sandbox)]
    if not given:
        hint = "" if sandbox is not None else " (or use --sandbox to try the embedded demo data)"
        raise UsageError(f"{repeated.flag} (or {repeated.flag}s-file) is required{hint}")
    targets: dict[str, ExportTarget] = {}
    for value in given:
        values = {**fixed, repeated.dest: value}
        ids = tuple(str(values[options[flag].dest]) for flag in export.targets)
        file = target_file_name(command.vendor, ids)
        targets.setdefault(file, ExportTarget(ids, file, values))
    return list(targets.values())


def fingerprint(
    command: ListCommand, export: Export, targets: Sequence[ExportTarget], data_options: Mapping[str, Any], origin: str
) -> dict[str, Any]:
    """What makes two exports the same: vendor, command, where from, the targets, the options that change the data.

    ``origin`` is the base URL (``"sandbox"`` for ``--sandbox``, whose port changes each run).

    >>> from conversation_clients.cli.bird_commands import COMMANDS
    >>> bird_list = COMMANDS.command("list")
    >>> fingerprint(bird_list, bird_list.export, [], {"limit": 5, "reverse": None}, "sandbox")["options"]
    {'limit': '5'}
    """
    return {
        "vendor": command.vendor,
        "command": export.name,
        "origin": origin,
        "targets": sorted(target.file for target in targets),
        "options": {name: str(value) for name, value in sorted(data_options.items()) if value is not None},
    }


def rate_limit_for(
    export: Export, *, per_target: float | None, overall: float | None, disabled: bool
) -> RateLimit | None:
    """The export's limit: its vendor's preset, with ``--rate-per-target`` / ``--rate-overall`` in its place.

    >>> from conversation_clients.bird import BIRD_RATE_LIMIT
    >>> export = Export(help="h", targets=("--workspace-id",), rate_limit=BIRD_RATE_LIMIT)
    >>> rate_limit_for(export, per_target=None, overall=100.0, disabled=False)
    RateLimit(per_target=50.0, overall=100.0, burst=1, decrease=0.5, recovery=0.05, min_fraction=0.05)
    >>> rate_limit_for(export, per_target=None, overall=None, disabled=True) is None
    True
    >>> rate_limit_for(attrs.evolve(export, rate_limit=None), per_target=None, overall=None, disabled=False) is None
    True
    """
    preset = export.rate_limit
    per_target = per_target if per_target is not None or preset is None else preset.per_target
    overall = overall if overall is not None or preset is None else preset.overall
    if disabled or (per_target is None and overall is None):
        return None
    if preset is None:
        return RateLimit(per_target=per_target, overall=overall)
    return attrs.evolve(preset, per_target=per_target, overall=overall)


@attrs.frozen
class ExportPlan:
    """An export, decided before any I/O but reading the ids file: its targets and each one's call.

    ``calls`` are each target's listing arguments (its target options included, given per call
    whatever their role), by file; ``held`` what the one client holds; ``credential`` the
    credential source's options; ``base_url`` the one given (or the vendor's; None with
    ``--sandbox``, which serves its own).
    """

    targets: tuple[ExportTarget, ...]
    calls: Mapping[str, Mapping[str, Any]]
    held: Mapping[str, Any]
    credential: Mapping[str, Any]
    base_url: str | None
    fingerprint: Mapping[str, Any]
    rate_limit: RateLimit | None
    sandbox: SandboxSettings | None


def plan_export(arguments: ExportArguments) -> ExportPlan:
    """Check an export's arguments (each target's as its listing would) and decide what it does."""
    command, export = arguments.command, arguments.export
    if arguments.sandbox:
        for option in command.all_options:
            if option.refused_with_sandbox and arguments.value(option) is not None:
                raise UsageError(f"{option.flag} cannot be combined with --sandbox, which serves its own")
    sandbox = SandboxSettings.load() if arguments.sandbox else None
    file_ids: list[str] = []
    if arguments.ids_file is not None:
        try:
            file_ids = ids_from_file(Path(arguments.ids_file).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read {arguments.ids_file}: {error}") from None
    targets = export_targets(command, arguments, sandbox, file_ids)

    resume_parameter = command.resume_option.parameter  # the checkpoint's token goes there
    target_parameters = {option.parameter for option in command.all_options if option.flag in export.targets}
    calls: dict[str, dict[str, Any]] = {}
    by_role: dict[Role, dict[str, Any]] = {}
    for target in targets:
        by_role = arguments_by_role(arguments.for_target(target.values), sandbox)
        with usage_errors(command.flags):
            command.check(**by_role[Role.CLIENT], **by_role[Role.LISTING])
        per_call = {name: value for name, value in by_role[Role.CLIENT].items() if name in target_parameters}
        listing = {name: value for name, value in by_role[Role.LISTING].items() if name != resume_parameter}
        calls[target.file] = {**listing, **per_call}
    # the options that are not a target's are the same for every target: the last one's will do
    held = {name: value for name, value in by_role[Role.CLIENT].items() if name not in target_parameters}
    data_options = {
        name: value
        for role in (Role.LISTING, Role.CLIENT)
        for name, value in by_role[role].items()
        if name not in target_parameters and name != resume_parameter
    }
    (given_base_url,) = by_role[Role.BASE_URL].values()
    base_url = None if sandbox is not None else (given_base_url or command.default_base_url)
    origin = "sandbox" if sandbox is not None else str(base_url)
    return ExportPlan(
        targets=tuple(targets),
        calls=calls,
        held=held,
        credential=by_role[Role.CREDENTIAL],
        base_url=base_url,
        fingerprint=fingerprint(command, export, targets, data_options, origin),
        rate_limit=rate_limit_for(
            export,
            per_target=arguments.rate_per_target,
            overall=arguments.rate_overall,
            disabled=arguments.no_rate_limit,
        ),
        sandbox=sandbox,
    )
