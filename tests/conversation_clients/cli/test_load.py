"""``conversation-clients VENDOR load`` (:mod:`conversation_clients.cli.load`): both vendors into a DuckDB
file, a second run loading only what is new and saying how much, a failing target reported after
the others loaded, a destination that cannot be loaded into, and the extra missing.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Generator
from pathlib import Path

import attrs
import pytest

from conversation_clients.cli import main
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.cli.load import (
    MissingExtraError,
    destination_secrets,
    dlt_settings,
    load_error,
    source_of_calls,
)
from conversation_clients.cli.load_options import LoadDestination
from conversation_clients.sandbox import SANDBOX_ORGANIZATION_ID, SANDBOX_WORKSPACE_ID, Sandbox
from tests.support.warehouse import DLT_TEST_SETTINGS, Warehouse, last_load_id

OTHER_WORKSPACE = "9d2f7a61-3b4c-4e5d-8f60-7a1b2c3d4e04"
WORKSPACES = (SANDBOX_WORKSPACE_ID, OTHER_WORKSPACE)
CHANNELS = ("c4b8e1f2-6a0d-4f3b-a7e9-52d1c0b8f603", "2b9e4d1c-8f7a-4c3b-9e2d-1a0f8e7d6c06")


@pytest.fixture(autouse=True)
def dlt_kept_local(monkeypatch: pytest.MonkeyPatch) -> None:
    # the command sets these itself for its run; the tests' own dlt (the fixtures') sends nothing either
    for name, value in DLT_TEST_SETTINGS.items():
        monkeypatch.setenv(name, value)


@attrs.frozen
class Served:
    """A sandbox on loopback, its credentials in the environment, and the two load commands over it."""

    sandbox: Sandbox
    warehouse: Warehouse
    base_url: str

    def where(self) -> list[str]:
        return ["--duckdb", str(self.warehouse.duckdb), "--pipelines-dir", str(self.warehouse.pipelines)]

    def bird(self, *workspaces: str) -> list[str]:
        ids = [word for workspace in workspaces or WORKSPACES for word in ("--workspace-id", workspace)]
        return ["bird", "load", "--base-url", self.base_url, *ids, *self.where()]

    def omnichannel(self) -> list[str]:
        channels = [word for channel in CHANNELS for word in ("--channel-id", channel)]
        organization = ["--organization-id", SANDBOX_ORGANIZATION_ID]
        return ["omnichannel", "load", "--base-url", self.base_url, *organization, *channels, *self.where()]


@contextlib.contextmanager
def served(sandbox: Sandbox, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Generator[Served]:
    monkeypatch.setenv("BIRD_ACCESS_KEY", sandbox.bird_access_key)
    monkeypatch.setenv("OMNICHANNEL_TOKEN", sandbox.omnichannel_token)
    with sandbox.serve() as base_url:
        yield Served(sandbox, Warehouse(folder), base_url)


@pytest.fixture
def twenty_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Generator[Served]:
    sandbox = Sandbox(conversations_per_workspace=20, workspaces=WORKSPACES, channels=CHANNELS)
    with served(sandbox, tmp_path, monkeypatch) as serving:
        yield serving


def summary(stderr: str) -> dict[str, int]:
    """The rows per table a load's summary says."""
    rows: dict[str, int] = {}
    for line in stderr.splitlines():
        table, _, count = line.removeprefix("conversation-clients: ").partition(": ")
        if count.endswith((" rows", " row")):
            rows[table] = int(count.split()[0])
    return rows


def test_both_vendors_loaded_twice_the_second_run_loads_only_what_was_added_between(
    twenty_each: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox, warehouse = twenty_each.sandbox, twenty_each.warehouse
    assert main(twenty_each.bird()) == ExitCode.OK
    assert main(twenty_each.omnichannel()) == ExitCode.OK
    capsys.readouterr()
    sandbox.add_conversations(5)
    assert main(twenty_each.bird()) == ExitCode.OK
    assert main(twenty_each.omnichannel()) == ExitCode.OK
    said = summary(capsys.readouterr().err)

    added = {
        workspace: [sandbox.bird_conversation(workspace, index) for index in range(20, 25)] for workspace in WORKSPACES
    }
    added_messages = {
        message["id"]
        for workspace, conversations in added.items()
        for conversation in conversations
        for message in sandbox.bird_messages(workspace, conversation["id"])
    }
    added_active = {
        sandbox.omnichannel_conversation(channel, index)["conversationid"]
        for channel in CHANNELS
        for index in range(20, 25)
    }
    bird_load, omnichannel_load = last_load_id(warehouse, "bird"), last_load_id(warehouse, "omnichannel")

    def loaded_last(table: str, key: str, load: str) -> set[str]:
        return {row for (row,) in warehouse.rows(f"select {key} from {table} where _dlt_load_id = '{load}'")}

    # the second run loaded exactly what was added, and nothing is in a table twice
    assert loaded_last("bird.conversations", "id", bird_load) == {c["id"] for cs in added.values() for c in cs}
    assert loaded_last("bird.messages", "id", bird_load) == added_messages
    assert loaded_last("omnichannel.active_conversations", "conversationid", omnichannel_load) == added_active
    for table, key, total in [
        ("bird.conversations", "id", 50),
        ("omnichannel.active_conversations", "conversationid", 50),
        ("bird.messages", "id", None),
    ]:
        count, distinct = warehouse.rows(f"select count(*), count(distinct {key}) from {table}")[0]
        assert count == distinct and (total is None or count == total)
    # ... and said so, table by table
    assert said["conversations"] == 10 and said["active_conversations"] == 10
    assert said["messages"] == len(added_messages)
    assert said["conversations__featured_participants"] == sum(
        len(c["featuredParticipants"]) for cs in added.values() for c in cs
    )


def test_the_sandbox_loads_into_the_current_directory_and_a_second_run_finds_nothing_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    command = ["omnichannel", "load", "--sandbox", "--pipelines-dir", str(tmp_path / "pipelines")]
    assert main(command) == ExitCode.OK
    first = capsys.readouterr().err
    assert main(command) == ExitCode.OK
    second = capsys.readouterr().err
    assert "loaded 42 new rows into duckdb conversation_clients.duckdb, dataset omnichannel:" in first
    assert summary(first) == {"active_conversations": 42}
    assert second.strip() == (
        "conversation-clients: nothing new to load into duckdb conversation_clients.duckdb, dataset omnichannel"
    )
    in_here = Warehouse(tmp_path, "conversation_clients.duckdb")
    assert in_here.value("select count(*) from omnichannel.active_conversations") == 42


def test_a_failing_target_is_reported_after_the_others_loaded_and_sets_the_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = Sandbox(conversations_per_workspace=3, missing_workspaces=[OTHER_WORKSPACE])
    with served(sandbox, tmp_path, monkeypatch) as serving:
        assert main(serving.bird()) == ExitCode.API_ERROR
        err = capsys.readouterr().err
        assert serving.warehouse.rows("select distinct workspace_id from bird.conversations") == [
            (SANDBOX_WORKSPACE_ID,)
        ]
    assert f"conversation-clients: error: workspace {OTHER_WORKSPACE}: " in err and "404" in err
    assert summary(err)["conversations"] == 3
    assert "the others loaded; 1 target kept its cursors: the next run loads what was missed" in err
    assert sandbox.bird_access_key not in err


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--destination", "nosuch"], "cannot load into nosuch, dataset bird: UnknownDestinationModule"),
        (["--duckdb", "{missing}/x.duckdb"], "cannot load into duckdb {missing}/x.duckdb, dataset bird: "),
        (["--duckdb", "x.duckdb", "--destination", "postgres"], "--duckdb is for the duckdb destination"),
        (["--dataset", "bird; drop"], "--dataset: 'bird; drop' is not a name"),
        (
            ["--duckdb", "{missing}/bird.duckdb"],
            "--duckdb: a DuckDB file named like its dataset (bird.duckdb, dataset bird)",
        ),
    ],
)
def test_a_destination_that_cannot_be_loaded_into_is_a_usage_error_saying_why(
    options: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "no-such-folder")
    command = ["bird", "load", "--sandbox", "--pipelines-dir", str(tmp_path / "pipelines")]
    assert main([*command, *(option.format(missing=missing) for option in options)]) == ExitCode.USAGE
    assert f"conversation-clients: error: {says.format(missing=missing)}" in capsys.readouterr().err


def test_a_destinations_credentials_never_show_in_its_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "postgresql://loader:pa55-w0rd-DO-NOT-LEAK@127.0.0.1:1/warehouse"
    monkeypatch.setenv("DESTINATION__POSTGRES__CREDENTIALS", secret)
    command = ["bird", "load", "--sandbox", "--destination", "postgres", "--pipelines-dir", str(tmp_path)]
    assert main(command) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "cannot load into postgres" in err and "pa55-w0rd" not in err


@pytest.mark.parametrize("missing", ["dlt", "duckdb"])
def test_without_the_extra_the_load_says_what_to_install(
    missing: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # as if not installed: importing it fails
    with pytest.raises(MissingExtraError, match=r"pip install 'conversation-clients\[dlt\]'"):
        source_of_calls("conversation_clients.dlt:bird_source_of_calls", "duckdb")
    assert main(["bird", "load", "--sandbox", "--pipelines-dir", str(tmp_path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.startswith("conversation-clients: error: the load needs the dlt extra: pip install") and missing in err
    assert not list(tmp_path.iterdir())  # nothing was started


def test_another_destination_does_not_need_duckdb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)
    assert callable(source_of_calls("conversation_clients.dlt:bird_source_of_calls", "postgres"))


def test_a_destinations_credentials_are_masked_wherever_dlts_message_quotes_them() -> None:
    secret = "postgresql://loader:pa55-w0rd@db.internal:5432/warehouse"
    cause = ConnectionError(f"could not connect with {secret}:\n  the server is down")
    wrapped = RuntimeError("the load step failed")
    wrapped.__cause__ = cause
    error = load_error(
        wrapped,
        LoadDestination("postgres", None, "bird", None),
        destination_secrets({"DESTINATION__POSTGRES__CREDENTIALS": secret, "HOME": "/root"}),
    )
    assert str(error) == (
        "cannot load into postgres, dataset bird: RuntimeError: the load step failed"
    )  # not dlt's wrapper: the cause is followed only through dlt's own exceptions
    dlt_wrapper = type("PipelineStepFailed", (Exception,), {"__module__": "dlt.pipeline.exceptions"})("failed")
    dlt_wrapper.__cause__ = cause
    error = load_error(dlt_wrapper, LoadDestination("postgres", None, "bird", None), [secret])
    assert (
        str(error)
        == "cannot load into postgres, dataset bird: ConnectionError: could not connect with ***: the server is down"
    )


def test_the_load_keeps_dlt_quiet_and_local_for_its_run_only_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("RUNTIME__DLTHUB_TELEMETRY")
    monkeypatch.setenv("RUNTIME__LOG_LEVEL", "INFO")  # the user's own
    with dlt_settings(os.environ):
        assert os.environ["RUNTIME__DLTHUB_TELEMETRY"] == "false" and os.environ["RUNTIME__LOG_LEVEL"] == "INFO"
    assert "RUNTIME__DLTHUB_TELEMETRY" not in os.environ and os.environ["RUNTIME__LOG_LEVEL"] == "INFO"
