"""The downstream example, ``examples/export_conversations.py``, run against the sandbox.

Its counts are checked against what the sandbox holds (computed from the sandbox's data
functions, not from a listing); its error handling by class, its resumes from
``error.resume_token`` and its checkpoints of ``page.next_token`` are checked by making the
sandbox (or a transport in front of it) fail on purpose.
"""

from __future__ import annotations

import doctest
import io
import json
import logging
import math
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, cast

import httpx
import pytest

from bird_conversations.models import ConversationStatus, PlatformStyle
from conversation_clients import BirdClient, OmnichannelClient, RetryPolicy
from conversation_clients.sandbox import (
    SANDBOX_BIRD_BASE_URL,
    SANDBOX_OMNICHANNEL_BASE_URL,
    Faults,
    Sandbox,
    default_sandbox,
)
from examples import export_conversations
from examples.export_conversations import (
    Checkpoint,
    Disposition,
    ExitCode,
    ExportFailed,
    Medium,
    ResumeRules,
    Sink,
    disposition_of,
    export_bird,
    export_omnichannel,
    main,
    medium_of,
)
from tests.support.paths import REPOSITORY

REPO: Final = REPOSITORY
FAST: Final = RetryPolicy(max_retries=0)
SKIPPED_STATUSES: Final = frozenset({"spam", "deleted"})


# -- what the sandbox holds ------------------------------------------------------------------------


class Truth:
    """What a sandbox of ``count`` conversations per workspace holds, from its data functions."""

    def __init__(self, count: int) -> None:
        box = Sandbox(conversations_per_workspace=count)
        bird = [box.bird_conversation(box.workspaces[0], i) for i in range(count)]
        omni = [box.omnichannel_conversation(box.channels[0], i) for i in range(count)]
        self.count = count
        self.statuses = Counter(str(conversation["status"]) for conversation in bird)
        self.styles = Counter(str(conversation["platformStyle"]) for conversation in bird)
        exported = [c for c in bird if str(c["status"]) not in SKIPPED_STATUSES]
        self.exported_bird_ids = [str(conversation["id"]) for conversation in exported]
        self.exported_email = sum(str(conversation["platformStyle"]) == "email" for conversation in exported)
        self.omnichannel_ids = [str(conversation["conversationid"]) for conversation in omni]
        timestamps = [str(conversation["timestamp"]) for conversation in omni]
        assert all(stamp.endswith("Z") for stamp in timestamps)  # UTC, so the hour is the text's
        self.hours = Counter(stamp[:13] for stamp in timestamps)

    @property
    def exported_bird(self) -> int:
        return len(self.exported_bird_ids)


def as_object(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    return cast(dict[str, object], value)  # parsed JSON: string keys


def run_main(argv: Sequence[str], environ: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, environ={} if environ is None else environ, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def read_records(path: Path) -> list[dict[str, object]]:
    return [as_object(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def ids_of(records: list[dict[str, object]], vendor: str) -> list[str]:
    return [str(record["id"]) for record in records if record["vendor"] == vendor]


# -- the whole program against the sandbox -----------------------------------------------------------


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("where", ["in-process", "loopback"])
def test_export_counts_and_tallies_match_the_sandbox_under_faults(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, where: str, use_async: bool
) -> None:
    caplog.set_level(logging.DEBUG, logger="conversation_clients")  # one line per attempt and per retry
    truth = Truth(500)
    output = tmp_path / "export.jsonl"
    argv = [
        "--sandbox", where, "--sandbox-conversations", "500", "--sandbox-failure-rate", "0.2",
        "--sandbox-seed", "7", "--max-retries", "8", "--bird-limit", "50", "--page-size", "40",
        "--output", str(output), "--json", *(["--async"] if use_async else []),
    ]  # fmt: skip
    status, out, err = run_main(argv)
    assert (status, err) == (ExitCode.OK, "")
    retries = [record for record in caplog.records if "retrying in" in record.getMessage()]
    assert len(retries) >= 2, "the sandbox injected no faults: this test would prove nothing"

    summary = as_object(json.loads(out))
    bird, omni = as_object(summary["bird"]), as_object(summary["omnichannel"])
    assert bird["listed"] == 500 and bird["pages"] == 10 and bird["complete"] is True
    assert bird["by_status"] == dict(truth.statuses)
    assert bird["by_platform_style"] == dict(truth.styles)
    assert bird["exported"] == truth.exported_bird < 500  # spam and deleted are left out
    assert bird["unknown_values"] == []
    assert omni["listed"] == omni["exported"] == 500 and omni["pages"] == math.ceil(500 / 40)
    assert omni["by_hour"] == dict(truth.hours)

    records = read_records(output)
    assert ids_of(records, "bird") == truth.exported_bird_ids  # each once, in order
    assert ids_of(records, "omnichannel") == truth.omnichannel_ids
    dispositions = Counter(str(record["disposition"]) for record in records if record["vendor"] == "bird")
    assert dispositions == {
        "open": truth.statuses["active"],
        "finished": truth.statuses["closed"] + truth.statuses["archived"],
    }


@pytest.mark.subprocess
def test_runs_as_a_script_and_prints_a_readable_summary() -> None:
    truth, demo = Truth(42), default_sandbox()
    assert demo.conversations_per_workspace == 42  # what --sandbox lists by default
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join(str(REPO / part) for part in ("generated", "overlay", "."))}
    completed = subprocess.run(
        [sys.executable, str(REPO / "examples" / "export_conversations.py"), "--sandbox", "loopback"],
        capture_output=True, text=True, env=environ, timeout=60, check=False,
    )  # fmt: skip
    assert (completed.returncode, completed.stderr) == (0, "")
    lines = completed.stdout.splitlines()
    skipped = 42 - truth.exported_bird
    assert lines[0] == f"bird: 42 conversations in 1 page, {truth.exported_bird} exported, {skipped} skipped, 0 resumes"
    assert lines[1] == "  status: " + ", ".join(f"{name} {count}" for name, count in truth.statuses.most_common())
    assert lines[3] == "omnichannel: 42 active conversations in 1 page, 0 resumes"


def test_configuration_from_the_environment_reaches_the_server_it_names() -> None:
    box = Sandbox(conversations_per_workspace=30)
    truth = Truth(30)
    with box.serve() as base_url:
        environ = {
            "BIRD_ACCESS_KEY": box.bird_access_key,
            "BIRD_WORKSPACE_ID": box.workspaces[0],
            "BIRD_BASE_URL": base_url,
            "OMNICHANNEL_TOKEN": box.omnichannel_token,
            "OMNICHANNEL_BASE_URL": base_url,
            "OMNICHANNEL_ORGANIZATION_ID": box.organization_id,
            "OMNICHANNEL_CHANNEL_ID": box.channels[0],
        }
        status, out, err = run_main(["--json", "--bird-limit", "10"], environ)
    assert (status, err) == (ExitCode.OK, "")
    summary = as_object(json.loads(out))
    assert as_object(summary["bird"])["by_status"] == dict(truth.statuses)
    assert as_object(summary["omnichannel"])["listed"] == 30
    assert box.request_count == 3 + 1  # three Bird pages of 10, one Omnichannel page


@pytest.mark.parametrize(
    ("argv", "environ", "message"),
    [
        ([], {}, "set BIRD_ACCESS_KEY"),
        (
            ["--vendor", "omnichannel"],
            {"OMNICHANNEL_TOKEN": "t"},
            "set OMNICHANNEL_BASE_URL or pass --omnichannel-base-url",
        ),
        (["--sandbox", "--bird-workspace-id", "x"], {}, "--bird-workspace-id cannot be combined with --sandbox"),
        (["--sandbox", "--bird-limit", "500"], {}, "limit"),
        (["--sandbox", "--sandbox-failure-rate", "2"], {}, "failure_rate must be between 0 and 1"),
    ],
)
def test_bad_configuration_is_a_usage_error(argv: list[str], environ: dict[str, str], message: str) -> None:
    status, out, err = run_main(argv, environ)
    assert status == ExitCode.USAGE and out == ""
    assert message in err


# -- checkpoints: a run that stops is continued by the next -------------------------------------------


def test_checkpoint_continues_across_runs_with_nothing_lost_or_repeated(tmp_path: Path) -> None:
    # Half the answers fail and nothing is retried or resumed, so almost every run stops early
    # (exit 4 or 5) after a few pages; each run starts where the checkpoint says. Each run
    # draws other faults (its own seed): with the same seed, a run that failed on its first
    # request would fail the same way forever.
    truth = Truth(300)
    checkpoint, output = tmp_path / "export.checkpoint.json", tmp_path / "export.jsonl"
    argv = [
        "--sandbox", "--sandbox-conversations", "300", "--sandbox-failure-rate", "0.5", "--max-retries", "0",
        "--max-resumes", "0", "--bird-limit", "20", "--page-size", "20",
        "--checkpoint", str(checkpoint), "--output", str(output),
    ]  # fmt: skip
    statuses: list[int] = []
    for seed in range(500):
        status, _, err = run_main([*argv, "--sandbox-seed", str(seed)])
        statuses.append(status)
        if status == ExitCode.OK:
            break
        assert f"run again with --checkpoint {checkpoint}" in err
    assert statuses[-1] == ExitCode.OK, "never finished"
    assert set(statuses[:-1]) <= {ExitCode.RATE_LIMITED, ExitCode.NETWORK} and len(statuses) > 5

    records = read_records(output)
    assert ids_of(records, "bird") == truth.exported_bird_ids
    assert ids_of(records, "omnichannel") == truth.omnichannel_ids
    saved = Checkpoint.load(checkpoint)
    assert saved.done == {"bird", "omnichannel"} and set(saved.next_tokens.values()) == {None}

    # a finished export is not exported again
    status, out, _ = run_main([*argv, "--sandbox-seed", "0"])
    assert status == ExitCode.OK
    assert out.splitlines() == [
        "bird: already exported (per the checkpoint)",
        "omnichannel: already exported (per the checkpoint)",
    ]
    assert len(read_records(output)) == len(records)


def test_an_unreadable_checkpoint_is_a_usage_error(tmp_path: Path) -> None:
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text('{"bird": {"next_token": 5, "done": false}}', encoding="utf-8")
    status, _, err = run_main(["--sandbox", "--checkpoint", str(checkpoint)])
    assert status == ExitCode.USAGE and "next_token" in err


# -- enums: values the generated models do not know yet ----------------------------------------------


def test_every_known_status_and_style_has_its_own_case() -> None:
    assert {status: disposition_of(status) for status in ConversationStatus} == {
        ConversationStatus.ACTIVE: Disposition.OPEN,
        ConversationStatus.CLOSED: Disposition.FINISHED,
        ConversationStatus.ARCHIVED: Disposition.FINISHED,
        ConversationStatus.SPAM: Disposition.SKIPPED,
        ConversationStatus.DELETED: Disposition.SKIPPED,
    }
    assert {style: medium_of(style) for style in PlatformStyle} == {
        PlatformStyle.EMAIL: Medium.EMAIL,
        PlatformStyle.DIRECT: Medium.CHAT,
        PlatformStyle.DIRECT_MULTIPLE: Medium.CHAT,
        PlatformStyle.DIRECT_THREADED: Medium.CHAT,
        PlatformStyle.GROUP_MULTIPLE: Medium.GROUP,
    }


class Rewriting(httpx.BaseTransport):
    """Passes requests to the sandbox and rewrites the answers' bytes (a vendor adding enum values)."""

    def __init__(self, inner: httpx.BaseTransport, replacements: dict[bytes, bytes]) -> None:
        self._inner, self._replacements = inner, replacements

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        content = response.read()
        for old, new in self._replacements.items():
            content = content.replace(old, new)
        headers = [(name, value) for name, value in response.headers.items() if name.lower() != "content-length"]
        return httpx.Response(response.status_code, headers=headers, content=content)


def test_values_newer_than_the_models_are_exported_and_reported_not_dropped() -> None:
    truth, box = Truth(200), Sandbox(conversations_per_workspace=200)
    transport = Rewriting(
        box.transport(),
        # only conversations have these values: participants are active/invited/pending, messages delivered/...
        {b'"status":"closed"': b'"status":"snoozed"', b'"platformStyle":"email"': b'"platformStyle":"carrier-pigeon"'},
    )
    output = io.StringIO()
    with BirdClient(box.bird_access_key, base_url=SANDBOX_BIRD_BASE_URL, transport=transport) as client:
        report = export_bird(client, box.workspaces[0], Sink(output))
    assert report.complete and report.listed == 200
    assert report.by_status["snoozed"] == truth.statuses["closed"] > 0 and "closed" not in report.by_status
    assert report.by_platform_style["carrier-pigeon"] == truth.styles["email"] > 0
    assert report.unknown_values == {"status=snoozed", "platformStyle=carrier-pigeon"}
    assert report.exported == truth.exported_bird  # snoozed ones are exported, as closed ones were
    records = [as_object(json.loads(line)) for line in output.getvalue().splitlines()]
    assert sum(record["disposition"] == "unknown" for record in records) == truth.statuses["closed"]
    assert sum(record["medium"] == "unknown" for record in records) == truth.exported_email > 0
    assert any(
        "values newer than our models: platformStyle=carrier-pigeon, status=snoozed" in line for line in report.lines()
    )


# -- errors, by class -------------------------------------------------------------------------------


class Scripted(httpx.BaseTransport):
    """Answers request number n (from 1) with ``script[n]`` if given, else passes it to the sandbox."""

    def __init__(
        self, inner: httpx.BaseTransport, script: dict[int, Callable[[httpx.Request], httpx.Response]]
    ) -> None:
        self._inner, self._script, self.requests = inner, script, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        answer = self._script.get(self.requests)
        return self._inner.handle_request(request) if answer is None else answer(request)


def rate_limited(seconds: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(429, headers={"Retry-After": seconds}, json={"code": "TooManyRequests"})


def unavailable(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503, json={"code": "ServiceUnavailable", "message": "try later"})


def dropped(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def bird_export(
    box: Sandbox, transport: httpx.BaseTransport, *, sleep: Sleeps, rules: ResumeRules, key: str | None = None
) -> tuple[list[str], int]:
    output = io.StringIO()
    with BirdClient(
        key or box.bird_access_key, base_url=SANDBOX_BIRD_BASE_URL, retry_policy=FAST, transport=transport
    ) as client:
        report = export_bird(client, box.workspaces[0], Sink(output), limit=10, rules=rules, sleep=sleep)
    ids = [str(as_object(json.loads(line))["id"]) for line in output.getvalue().splitlines()]
    return ids, report.resumes


def test_rate_limits_and_server_errors_are_waited_out_and_resumed_from_the_failed_page() -> None:
    truth, box = Truth(50), Sandbox(conversations_per_workspace=50)
    # the first page is rate limited (Retry-After 0.25 s), the third page's request fails with 503
    transport = Scripted(box.transport(), {1: rate_limited("0.25"), 4: unavailable})
    sleep = Sleeps()
    ids, resumes = bird_export(box, transport, sleep=sleep, rules=ResumeRules(max_resumes=3, backoff=0.01))
    assert ids == truth.exported_bird_ids
    assert resumes == 2
    # the server's wait is honoured; then our own backoff, doubled for the second resume
    assert sleep.calls == [0.25, 0.02]
    assert transport.requests == 5 + 2  # five pages of 10, two failed requests


def test_resumes_run_out_and_the_error_class_sets_the_exit_status() -> None:
    box = Sandbox(conversations_per_workspace=50)
    transport = Scripted(box.transport(), {n: dropped for n in range(3, 10)})
    sleep = Sleeps()
    with pytest.raises(ExportFailed) as caught:
        bird_export(box, transport, sleep=sleep, rules=ResumeRules(max_resumes=2, backoff=0.01))
    failed = caught.value
    assert failed.exit_code == ExitCode.NETWORK and failed.vendor == "bird"
    assert failed.listed == 20 and failed.resume_token is not None  # the third page's token
    assert sleep.calls == [0.01, 0.02]


def test_rejected_credentials_stop_at_once() -> None:
    box = Sandbox(conversations_per_workspace=50)
    sleep = Sleeps()
    with pytest.raises(ExportFailed) as caught:
        bird_export(box, box.transport(), sleep=sleep, rules=ResumeRules(), key="not-the-key")
    assert caught.value.exit_code == ExitCode.CREDENTIALS
    assert (caught.value.listed, caught.value.resume_token, sleep.calls) == (0, None, [])


def test_a_server_asking_to_wait_too_long_stops_the_run() -> None:
    faults = Faults(failure_rate=1.0, kinds=("429-retry-after",), retry_after_seconds=3600)
    box = Sandbox(conversations_per_workspace=50, faults=faults)
    sleep = Sleeps()
    with pytest.raises(ExportFailed) as caught:
        bird_export(box, box.transport(), sleep=sleep, rules=ResumeRules())
    assert caught.value.exit_code == ExitCode.RATE_LIMITED and "3600" in str(caught.value)
    assert sleep.calls == []


def test_a_server_repeating_a_page_token_is_a_pagination_failure() -> None:
    box = Sandbox(conversations_per_workspace=50)
    inner = box.transport()

    def first_page_again(request: httpx.Request) -> httpx.Response:
        return inner.handle_request(
            httpx.Request("GET", request.url.copy_remove_param("pageToken"), headers=request.headers)
        )

    transport = Scripted(inner, {n: first_page_again for n in range(2, 10)})
    sleep = Sleeps()
    with pytest.raises(ExportFailed) as caught:
        bird_export(box, transport, sleep=sleep, rules=ResumeRules())
    assert caught.value.exit_code == ExitCode.PAGINATION
    assert caught.value.listed == 10 and sleep.calls == []  # resuming would only loop again


def test_restarting_a_failed_first_omnichannel_page_is_not_polling() -> None:
    # The first request is dropped and not retried, so the listing restarts without a token:
    # the client counts that as a new listing seconds after the last, which its PollingWarning
    # (an error under this suite's filterwarnings) would call polling. The example knows better.
    box = Sandbox(conversations_per_workspace=30)
    transport = Scripted(box.transport(), {1: dropped})
    sleep = Sleeps()
    output = io.StringIO()
    with OmnichannelClient(
        SANDBOX_OMNICHANNEL_BASE_URL,
        organization_id=box.organization_id,
        channel_id=box.channels[0],
        token=box.omnichannel_token,
        retry_policy=FAST,
        transport=transport,
    ) as client:
        report = export_omnichannel(client, Sink(output), page_size=10, rules=ResumeRules(backoff=0.01), sleep=sleep)
    assert (report.listed, report.pages, report.resumes, sleep.calls) == (30, 3, 1, [0.01])
    assert [str(as_object(json.loads(line))["id"]) for line in output.getvalue().splitlines()] == Truth(
        30
    ).omnichannel_ids


def test_the_examples_in_the_docstrings_hold() -> None:
    # examples/ is not among pytest's testpaths, so its doctests are run here
    results = doctest.testmod(export_conversations, raise_on_error=False, report=False)
    assert results.attempted >= 4 and results.failed == 0
