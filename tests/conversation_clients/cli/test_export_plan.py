"""What an export does, decided before any I/O (:mod:`conversation_clients.cli.export_plan`): its
targets (from the command line and an ids file, each once, each id normalized: a UUID in lower
case, no blanks, a byte order mark and CRLF accepted), each target's file name, and its rate limit
(the vendor's preset unless changed or disabled).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import conversation_clients.cli.checkpoint as _checkpoint
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.cli.parsed_arguments import ExportArguments
from conversation_clients.cli.parser import parse_arguments
from conversation_clients.sandbox import SANDBOX_OMNICHANNEL_TOKEN, SANDBOX_ORGANIZATION_ID, Sandbox
from tests.support.export_runs import WORKSPACES, bird_export, bird_file, run_main, served


def test_workspace_ids_come_from_a_file_too_each_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bird_key: None
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text(f"# the others\n{WORKSPACES[1]}\n\n{WORKSPACES[2]}  # third\n{WORKSPACES[0]}\n", encoding="utf-8")
    sandbox = Sandbox(workspaces=WORKSPACES, conversations_per_workspace=3)
    with served(sandbox) as (base_url, asked):
        argv = bird_export(base_url, tmp_path / "out", "--workspace-ids-file", str(ids), workspaces=WORKSPACES[:1])
        code, _, err = run_main(argv, capsys)
    assert code == 0, err
    assert sorted(path.name for path in (tmp_path / "out").glob("*.jsonl")) == sorted(map(bird_file, WORKSPACES))
    assert len(asked) == 3  # the repeated one listed once


def test_an_id_that_cannot_name_a_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bird_key: None
) -> None:
    code, _, err = run_main(bird_export("http://127.0.0.1:9", tmp_path, workspaces=["../../etc"]), capsys)
    assert code == ExitCode.USAGE and "cannot name an export file" in err


def test_the_rate_limit_is_the_vendor_preset_unless_changed_or_disabled(tmp_path: Path) -> None:
    from conversation_clients.cli.export_plan import rate_limit_for

    def limit(*extra: str) -> object:
        arguments = parse_arguments(["bird", "export", "--out", str(tmp_path), *extra])
        assert isinstance(arguments, ExportArguments)
        return rate_limit_for(
            arguments.export,
            per_target=arguments.rate_per_target,
            overall=arguments.rate_overall,
            disabled=arguments.no_rate_limit,
        )

    from conversation_clients.bird import BIRD_RATE_LIMIT

    assert limit() == BIRD_RATE_LIMIT
    assert limit("--rate-per-target", "5", "--rate-overall", "30") == BIRD_RATE_LIMIT.__class__(
        per_target=5, overall=30
    )
    assert limit("--no-rate-limit") is None


def test_ids_are_normalized_before_they_become_targets_each_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bird_key: None
) -> None:
    # a byte order mark, CRLF line ends, blanks around an id, and a workspace in upper and lower case
    ids = tmp_path / "ids.txt"
    lines = [WORKSPACES[1].upper() + " ", "\t" + WORKSPACES[1], WORKSPACES[2] + "  # third", WORKSPACES[2], ""]
    ids.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    sandbox = Sandbox(workspaces=WORKSPACES, conversations_per_workspace=3)
    with served(sandbox) as (base_url, asked):
        given = [WORKSPACES[0].upper(), " " + WORKSPACES[0]]
        argv = bird_export(base_url, tmp_path / "out", "--workspace-ids-file", str(ids), workspaces=given)
        code, _, err = run_main(argv, capsys)
    assert code == 0, err
    assert sorted(path.name for path in (tmp_path / "out").glob("*.jsonl")) == sorted(map(bird_file, WORKSPACES))
    assert sorted(asked) == sorted(f"/workspaces/{workspace}/conversations" for workspace in WORKSPACES)
    checkpoint = _checkpoint.load(tmp_path / "out")
    assert checkpoint is not None and sorted(checkpoint.targets) == sorted(map(bird_file, WORKSPACES))


def test_an_omnichannel_ids_file_with_a_byte_order_mark_and_crlf_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMNICHANNEL_TOKEN", SANDBOX_OMNICHANNEL_TOKEN)
    channels = ("0c0c0c0c-0000-4000-8000-00000000000a", "0c0c0c0c-0000-4000-8000-00000000000b")
    ids = tmp_path / "channels.txt"
    ids.write_bytes(b"\xef\xbb\xbf" + f"{channels[0].upper()} \r\n{channels[1]}\r\n{channels[0]}\r\n".encode())
    sandbox = Sandbox(channels=channels, conversations_per_workspace=2)
    organization = SANDBOX_ORGANIZATION_ID.upper()
    with served(sandbox) as (base_url, _):
        argv = ["omnichannel", "export", "--base-url", base_url, "--organization-id", organization]
        code, _, err = run_main([*argv, "--channel-ids-file", str(ids), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    assert sorted(path.name for path in (tmp_path / "out").glob("*.jsonl")) == [
        f"omnichannel-{SANDBOX_ORGANIZATION_ID}-{channel}.jsonl" for channel in channels
    ]
