"""Each command's own sub-parser (:mod:`conversation_clients.cli.command_parsers`): the words that
pick a vendor's commands, an export's options (its repeated target, its ids file, its rate limit,
no resume token) and a load's (its export's targets and client options, no listing filter).
"""

from __future__ import annotations

import pytest

from conversation_clients._defaults import DEFAULT_CONCURRENCY
from conversation_clients.cli.command_errors import UsageError
from conversation_clients.cli.command_parsers import action_names
from conversation_clients.cli.command_registry import command_groups
from conversation_clients.cli.parsed_arguments import ExportArguments
from conversation_clients.cli.parser import parse_arguments


def test_each_listing_is_followed_by_its_export_then_its_load() -> None:
    assert {group.name: action_names(group) for group in command_groups()} == {
        "bird": ["list", "export", "load", "messages"],
        "omnichannel": ["list", "export", "load"],
    }


def test_each_vendor_with_a_declared_load_offers_it_after_its_export(capsys: pytest.CaptureFixture[str]) -> None:
    for vendor in ("bird", "omnichannel"):
        with pytest.raises(SystemExit):
            parse_arguments([vendor, "--help"])
        usage = capsys.readouterr().out.splitlines()[0]
        assert ",export,load" in usage


class TestExport:
    def test_the_target_is_repeated_and_read_from_a_file_and_the_rest_has_defaults(self) -> None:
        arguments = parse_arguments(
            ["bird", "export", "--workspace-id", "w1", "--workspace-id", "w2", "--workspace-ids-file", "ids.txt"]
            + ["--out", "d"]
        )
        assert isinstance(arguments, ExportArguments)
        assert (arguments.values["workspace_id"], arguments.ids_file, arguments.out) == (["w1", "w2"], "ids.txt", "d")
        assert (arguments.concurrency, arguments.dask) == (DEFAULT_CONCURRENCY, None)
        assert (arguments.rate_per_target, arguments.rate_overall, arguments.no_rate_limit) == (None, None, False)
        assert (arguments.sandbox, arguments.max_retries) == (False, 2)

    def test_rates_are_requests_a_second(self) -> None:
        arguments = parse_arguments(
            ["bird", "export", "--out", "d", "--rate-per-target", "2.5", "--rate-overall", "40"]
        )
        assert isinstance(arguments, ExportArguments)
        assert (arguments.rate_per_target, arguments.rate_overall) == (2.5, 40.0)

    @pytest.mark.parametrize("rate", ["0", "-1", "nan", "inf", "fast"])
    def test_a_rate_that_is_not_a_positive_finite_number_is_a_usage_error(self, rate: str) -> None:
        with pytest.raises(UsageError, match=r"--rate-per-target: not a number of requests a second > 0"):
            parse_arguments(["bird", "export", "--out", "d", "--rate-per-target", rate])

    @pytest.mark.parametrize(
        "argv",
        [
            ["bird", "export", "--out", "d", "--page-token", "t"],  # the checkpoint resumes each target
            ["bird", "export", "--out", "d", "--max-items", "3"],  # an export lists each target whole
            ["omnichannel", "export", "--out", "d", "--continuation-token", "t"],
        ],
    )
    def test_what_an_export_does_not_take_is_a_usage_error(self, argv: list[str]) -> None:
        with pytest.raises(UsageError, match="unrecognized"):
            parse_arguments(argv)

    def test_its_help_gives_the_vendors_rate_limit_and_why(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit):
            parse_arguments(["bird", "export", "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "at most R requests a second per target (default: 50) (Bird's documented 50 GET requests" in text
        assert "more --workspace-id values, one a line" in text


class TestLoad:
    """``VENDOR load``, declared by its export (``Export.load``): the export's targets, no listing filter."""

    @pytest.mark.parametrize(
        "argv",
        [
            ["bird", "load", "--resource", "task:1"],  # a listing's filter: the cursors decide what is listed
            ["bird", "load", "--page-token", "t"],  # a listing's resume token: the cursors resume
            ["omnichannel", "load", "--since", "2025-04-15T12:00:00Z"],
            ["bird", "load", "--out", "folder"],  # an export's
        ],
    )
    def test_what_a_load_does_not_take_is_a_usage_error(self, argv: list[str]) -> None:
        with pytest.raises(UsageError, match="unrecognized"):
            parse_arguments(argv)

    def test_its_page_size_says_what_a_load_asks_for(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit):
            parse_arguments(["omnichannel", "load", "--help"])
        assert "a load asks for 250 unless told" in " ".join(capsys.readouterr().out.split())
