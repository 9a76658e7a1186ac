"""What ``VENDOR load`` is asked (:mod:`conversation_clients.cli.load_options`): where it goes, checked before any I/O."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from conversation_clients.cli.command_registry import vendor_commands
from conversation_clients.cli.exit_codes import UsageError
from conversation_clients.cli.load_options import (
    EXTRA_HINT,
    LoadDestination,
    add_load_options,
    load_description,
    load_destination,
    load_help,
)


def parsed(*argv: str) -> dict[str, Any]:
    parser = argparse.ArgumentParser()
    add_load_options(parser)
    return vars(parser.parse_args(argv))


def test_by_default_a_load_goes_to_a_duckdb_file_here_in_a_dataset_named_for_the_vendor() -> None:
    assert load_destination(parsed(), "omnichannel") == LoadDestination(
        destination="duckdb", duckdb_path="conversation_clients.duckdb", dataset="omnichannel", pipelines_dir=None
    )


def test_each_option_says_where() -> None:
    given = parsed("--duckdb", "w.duckdb", "--dataset", "contact_center", "--pipelines-dir", "/tmp/p")
    assert load_destination(given, "bird") == LoadDestination("duckdb", "w.duckdb", "contact_center", "/tmp/p")
    assert load_destination(parsed("--destination", "postgres"), "bird") == LoadDestination(
        "postgres", None, "bird", None
    )
    assert load_destination(parsed("--destination", "postgres"), "bird").shown == "postgres, dataset bird"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--duckdb", "w.duckdb", "--destination", "bigquery"], "--duckdb is for the duckdb destination"),
        (["--duckdb", ""], "--duckdb: give a file path"),
        (["--destination", "post gres"], "--destination: 'post gres' is not a name"),
        (["--destination", "../x"], "--destination: '../x' is not a name"),
        (["--dataset", "1st"], "--dataset: '1st' is not a name"),
        (["--dataset", "a" * 64], "is not a name"),
    ],
)
def test_a_contradiction_or_a_bad_name_is_a_usage_error_naming_the_flag(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message.replace(".", r"\.")):
        load_destination(parsed(*argv), "bird")


def test_the_help_names_each_vendors_targets_the_default_file_and_the_extra() -> None:
    bird, omnichannel = (commands.group.commands[0] for commands in vendor_commands())
    assert load_help(bird).startswith("load many workspaces into a warehouse")
    assert load_help(omnichannel).startswith("load many channels into a warehouse")
    description = load_description(bird)
    assert "conversation_clients.duckdb" in description and EXTRA_HINT in description
    assert "'bird list'" in description
