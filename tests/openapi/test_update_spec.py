"""``openapi/update_spec.py`` (``nox -s update-spec``): variants of each vendored document, each
taken by the real command on a scratch copy of the repository, with its classification, its
report lines and its verdict line; a refusal that leaves a git tree clean; the changelog and the
version bump.

Each variant costs one generation (seconds): every variant runs once, in a module-scoped fixture,
and the tests read its outcome.
"""

from __future__ import annotations

import copy
import doctest
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.openapi import ROOT, copy_repository, load_script

update_spec = load_script("update_spec")
generate = load_script("generate")

BIRD_CONVERSATIONS = "openapi/bird/conversations.openapi.json"
BIRD_MESSAGES = "openapi/bird/messages.openapi.json"
OMNICHANNEL = "openapi/omnichannel/messaging.openapi.yaml"
Doc = dict[str, Any]


def _schemas(doc: Doc) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def _corrected_operation(document: str, path: str) -> Any:
    """An operation as the corrected document has it (a copy of it needs no correction of its own)."""
    vendor = next(v for v in generate.VENDORS if any(d.path == ROOT / document for d in v.documents))
    return copy.deepcopy(generate.corrected_document(vendor)["paths"][path]["get"])


def _new_operation(document: str, path: str, new_path: str, operation_id: str) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        operation = _corrected_operation(document, path)
        operation["operationId"] = operation_id
        doc["paths"][new_path] = {"get": operation}

    return change


@dataclass(frozen=True)
class Variant:
    """A document changed one way, and what update-spec must say about it."""

    name: str
    document: str
    change: Callable[[Doc], None]
    verdict: str  # the last line's verdict word
    lines: tuple[str, ...]  # lines the output must hold (Python and spec level)


def _drop(items: list[Any], value: Any) -> None:
    items.remove(value)


CONVERSATION = "inbox.conversations.conversation"
VARIANTS = (
    # Bird, conversations.openapi.json
    Variant(
        "bird-conversations/property-removed",
        BIRD_CONVERSATIONS,
        lambda d: _schemas(d)[CONVERSATION]["properties"].pop("description"),
        "breaking",
        (
            "- `bird_conversations.models.Conversation.description` (wire `description`): field removed",
            "- `bird_conversations.models.Conversation.description` (wire `description`): response property removed",
        ),
    ),
    Variant(
        "bird-conversations/type-changed",
        BIRD_CONVERSATIONS,
        lambda d: _schemas(d)[CONVERSATION]["properties"]["summary"].update(type="integer"),
        "breaking",
        (
            "- `bird_conversations.models.Conversation.summary` (wire `summary`): field type `str | Unset` -> `int | Unset`",
        ),
    ),
    Variant(
        "bird-conversations/query-parameter-required",
        BIRD_CONVERSATIONS,
        lambda d: d["components"]["parameters"]["queryResource"].update(required=True),
        "breaking",
        (
            "- `bird_conversations.api.conversation.list_conversations.sync(resource)` (wire `resource`):"
            " parameter becomes required (was `= UNSET`)",
            "- `bird_conversations.api.conversation.list_conversations(resource)` (wire `resource`):"
            " optional parameter becomes required",
        ),
    ),
    Variant(
        "bird-conversations/enum-value-removed",
        BIRD_CONVERSATIONS,
        lambda d: _drop(_schemas(d)["inbox.inbox_type"]["enum"], "support"),
        "breaking",
        (
            "- `bird_conversations.models.InboxType.SUPPORT` (wire `support`): enum member removed",
            "- `bird_conversations.models.InboxType.SUPPORT` (wire `support`): enum value removed",
        ),
    ),
    Variant(
        "bird-conversations/optional-property-added",
        BIRD_CONVERSATIONS,
        lambda d: _schemas(d)[CONVERSATION]["properties"].update(priority={"type": "string"}),
        "additive",
        ("- `bird_conversations.models.Conversation.priority` (wire `priority`): new field",),
    ),
    Variant(
        "bird-conversations/enum-value-added",
        BIRD_CONVERSATIONS,
        lambda d: _schemas(d)["inbox.conversations.visibility"]["enum"].append("team"),
        "additive",
        ("- `bird_conversations.models.Visibility.TEAM` (wire `team`): new enum member",),
    ),
    Variant(
        "bird-conversations/paginated-operation-added",
        BIRD_CONVERSATIONS,
        _new_operation(
            BIRD_CONVERSATIONS,
            "/workspaces/{workspaceId}/conversations",
            "/workspaces/{workspaceId}/conversations/archived",
            "listArchivedConversations",
        ),
        "additive",
        (
            "- `bird_conversations.api.conversation.list_archived_conversations.sync`: new function",
            "- `conversation_clients.BirdClient.list_archived_conversations`: new method",
            "- `bird_conversations.api.conversation.list_archived_conversations` (wire"
            " `GET /workspaces/{workspaceId}/conversations/archived`): operation added (paginated: token `pageToken`,"
            " items `results`, next token `nextPageToken`, page size `limit`)",
        ),
    ),
    # Bird, messages.openapi.json
    Variant(
        "bird-messages/property-removed",
        BIRD_MESSAGES,
        lambda d: _schemas(d)["Message"]["properties"].pop("reason"),
        "breaking",
        ("- `bird_conversations.models.Message.reason` (wire `reason`): field removed",),
    ),
    Variant(
        "bird-messages/type-changed",
        BIRD_MESSAGES,
        lambda d: _schemas(d)["Message"]["properties"]["reference"].update(type="integer"),
        "breaking",
        (
            "- `bird_conversations.models.Message.reference` (wire `reference`): field type `str | Unset` -> `int | Unset`",
        ),
    ),
    Variant(
        "bird-messages/query-parameter-required",
        BIRD_MESSAGES,
        lambda d: d["components"]["parameters"]["queryDateFrom"].update(required=True),
        "breaking",
        (
            "- `bird_conversations.api.conversation_message.list_conversation_messages.sync(date_from)`"
            " (wire `dateFrom`): parameter becomes required (was `= UNSET`)",
        ),
    ),
    Variant(
        "bird-messages/enum-value-removed",
        BIRD_MESSAGES,
        lambda d: _drop(_schemas(d)["Message"]["properties"]["receiverTypes"]["items"]["enum"], "bcc"),
        "breaking",
        ("- `bird_conversations.models.MessageReceiverTypesItem.BCC` (wire `bcc`): enum member removed",),
    ),
    Variant(
        "bird-messages/optional-property-added",
        BIRD_MESSAGES,
        lambda d: _schemas(d)["Message"]["properties"].update(priority={"type": "string"}),
        "additive",
        ("- `bird_conversations.models.Message.priority` (wire `priority`): new field",),
    ),
    Variant(
        "bird-messages/enum-value-added",
        BIRD_MESSAGES,
        lambda d: _schemas(d)["Message"]["properties"]["receiverTypes"]["items"]["enum"].append("forward"),
        "additive",
        ("- `bird_conversations.models.MessageReceiverTypesItem.FORWARD` (wire `forward`): new enum member",),
    ),
    Variant(
        "bird-messages/paginated-operation-added",
        BIRD_MESSAGES,
        _new_operation(
            BIRD_MESSAGES,
            "/workspaces/{workspaceId}/conversations/{conversationId}/messages",
            "/workspaces/{workspaceId}/conversations/{conversationId}/messages/archived",
            "listArchivedMessages",
        ),
        "additive",
        (
            "- `bird_conversations.api.conversation_message.list_archived_messages.sync`: new function",
            "- `conversation_clients.BirdClient.list_archived_messages`: new method",
        ),
    ),
    # Omnichannel, messaging.openapi.yaml (ours); its enum cases start from a base with an enum
    Variant(
        "omnichannel/property-removed",
        OMNICHANNEL,
        lambda d: _schemas(d)["ProblemDetails"]["properties"].pop("instance"),
        "breaking",
        ("- `omnichannel_messaging.models.ProblemDetails.instance` (wire `instance`): field removed",),
    ),
    Variant(
        "omnichannel/type-changed",
        OMNICHANNEL,
        lambda d: _schemas(d)["ProblemDetails"]["properties"]["title"].update(type="integer"),
        "breaking",
        (
            "- `omnichannel_messaging.models.ProblemDetails.title` (wire `title`): field type `str | Unset` -> `int | Unset`",
        ),
    ),
    Variant(
        "omnichannel/query-parameter-required",
        OMNICHANNEL,
        lambda d: next(
            p
            for p in d["paths"]["/api/v1.0/consumer/conversations"]["get"]["parameters"]
            if p.get("name") == "StartTimeStamp"
        ).update(required=True),  # fmt: skip
        "breaking",
        (
            "- `omnichannel_messaging.api.conversations.list_conversations.sync(start_time_stamp)`"
            " (wire `StartTimeStamp`): parameter becomes required (was `= UNSET`)",
        ),
    ),
    Variant(
        "omnichannel/enum-value-removed",
        OMNICHANNEL,
        lambda d: _drop(_schemas(d)["ActiveConversation"]["properties"]["state"]["enum"], "waiting"),
        "breaking",
        ("- `omnichannel_messaging.models.ActiveConversationState.WAITING` (wire `waiting`): enum member removed",),
    ),
    Variant(
        "omnichannel/optional-property-added",
        OMNICHANNEL,
        lambda d: _schemas(d)["ActiveConversation"]["properties"].update(channel={"type": "string"}),
        "additive",
        ("- `omnichannel_messaging.models.ActiveConversation.channel` (wire `channel`): new field",),
    ),
    Variant(
        "omnichannel/enum-value-added",
        OMNICHANNEL,
        lambda d: _schemas(d)["ActiveConversation"]["properties"]["state"]["enum"].append("wrapup"),
        "additive",
        ("- `omnichannel_messaging.models.ActiveConversationState.WRAPUP` (wire `wrapup`): new enum member",),
    ),
    Variant(
        "omnichannel/paginated-operation-added",
        OMNICHANNEL,
        _new_operation(
            OMNICHANNEL,
            "/api/v1.0/consumer/conversations",
            "/api/v1.0/consumer/conversations/closed",
            "listClosedConversations",
        ),
        "additive",
        (
            "- `omnichannel_messaging.api.conversations.list_closed_conversations.sync`: new function",
            "- `conversation_clients.OmnichannelClient.list_closed_conversations`: new method",
        ),
    ),
)


def _add_state(doc: Doc) -> None:
    state = {"type": "string", "enum": ["active", "waiting"], "description": "Where the conversation is."}
    _schemas(doc)["ActiveConversation"]["properties"]["state"] = state


@dataclass(frozen=True)
class Run:
    """One update-spec run: its exit code, its output and the repository it ran on."""

    code: int
    output: str
    root: Path


def take(root: Path, document: str, change: Callable[[Doc], None], where: Path, *, typecheck: bool = False) -> Run:
    """Derive a variant of ``document`` as ``root`` holds it and take it with update-spec."""
    doc = generate.load_document(root / document)
    change(doc)
    new_file = where / Path(document).name
    new_file.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")  # JSON is YAML too
    args = [document, str(new_file), "--root", str(root), *([] if typecheck else ["--no-typecheck"])]
    command = ["python", str(ROOT / "openapi" / "update_spec.py"), *args]
    import sys

    result = subprocess.run([sys.executable, *command[1:]], capture_output=True, text=True, check=False)
    return Run(result.returncode, result.stdout + result.stderr, root)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the repository: the tree every variant starts from."""
    return copy_repository(tmp_path_factory.mktemp("base"))


@pytest.fixture(scope="module")
def base_with_enum(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The base with an enum in the Omnichannel document (itself an additive update)."""
    root = tmp_path_factory.mktemp("enum-base")
    shutil.copytree(base, root, dirs_exist_ok=True)
    return take(root, OMNICHANNEL, _add_state, tmp_path_factory.mktemp("enum-input"))


@pytest.fixture(scope="module")
def runs(base: Path, base_with_enum: Run, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every variant, taken once on its own copy of the base."""
    started: dict[str, tuple[Path, Variant, Path]] = {}
    for variant in VARIANTS:
        start = base_with_enum.root if variant.name.startswith("omnichannel/enum") else base
        root = tmp_path_factory.mktemp(variant.name.replace("/", "-"))
        shutil.copytree(start, root, dirs_exist_ok=True)
        started[variant.name] = (root, variant, tmp_path_factory.mktemp("input"))
    # Each variant is a child process on its own copy, independent of the others: run them side
    # by side (one per core), which takes this fixture from most of a minute to half of it.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        futures = {
            name: pool.submit(take, root, variant.document, variant.change, where)
            for name, (root, variant, where) in started.items()
        }
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.slow
def test_an_enum_added_to_the_omnichannel_document_is_additive(base_with_enum: Run) -> None:
    assert base_with_enum.code == 0, base_with_enum.output
    assert base_with_enum.output.splitlines()[-1] == "update-spec: additive"
    assert (
        "- `omnichannel_messaging.models.ActiveConversation.state` (wire `state`): new field" in base_with_enum.output
    )


def _breaking_section(output: str) -> str:
    """The breaking items of the Python-level report."""
    python = output.split("## Python API changes", 1)[1].split("\n## ", 1)[0]
    return python.split("### Breaking", 1)[-1].split("### Additive", 1)[0] if "### Breaking" in python else ""


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.name for variant in VARIANTS])
def test_each_variant_is_classified_and_reported(variant: Variant, runs: dict[str, Run]) -> None:
    run = runs[variant.name]
    last = run.output.splitlines()[-1]
    if variant.verdict == "breaking":
        assert run.code == 3, run.output
        assert last.startswith("update-spec: breaking (") and last.endswith(" items)"), run.output
        count = int(last.removeprefix("update-spec: breaking (").removesuffix(" items)"))
        python_section = _breaking_section(run.output)
        listed = [line for line in python_section.splitlines() if line.startswith("- `")]
        assert count == len(listed) >= 1
    else:
        assert run.code == 0, run.output
        assert last == f"update-spec: {variant.verdict}"
    for line in variant.lines:
        assert line in run.output.splitlines(), f"{line!r} missing from:\n{run.output}"


@pytest.mark.slow
def test_a_breaking_update_names_every_breaking_item_by_python_path_and_wire_name(runs: dict[str, Run]) -> None:
    run = runs["bird-conversations/query-parameter-required"]
    section = _breaking_section(run.output)
    items = [line for line in section.splitlines() if line.startswith("- `")]
    # the generated functions (five, build_request_kwargs too) and the client methods (sync, async)
    assert len(items) == 7, section
    assert all("(resource)` (wire `resource`): parameter becomes required" in line for line in items), section
    assert sum(line.startswith("- `conversation_clients.") for line in items) == 2
    assert run.output.splitlines()[-1] == "update-spec: breaking (7 items)"
    # the tree holds the regenerated state for review
    assert "resource: str," in (
        run.root / "generated/bird_conversations/api/conversation/list_conversations.py"
    ).read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_additive_update_writes_its_changelog_entry_and_bumps_the_version(runs: dict[str, Run]) -> None:
    run = runs["bird-conversations/optional-property-added"]
    changelog = (run.root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    assert "## [0.1.1] - " in changelog  # 0.x: additive bumps the patch
    assert "- `bird_conversations.models.Conversation.priority` (wire `priority`): new field" in changelog
    assert 'version = "0.1.1"' in (run.root / "pyproject.toml").read_text(encoding="utf-8")
    report = (run.root / "api/conversation-clients.api.txt").read_text(encoding="utf-8")
    assert 'field bird_conversations.models.Conversation.priority: str | Unset = UNSET wire "priority"' in report
    breaking = runs["bird-conversations/property-removed"]
    assert 'version = "0.2.0"' in (breaking.root / "pyproject.toml").read_text(encoding="utf-8")


def _git(root: Path, *args: str) -> str:
    command = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("this is not json", "cannot be read as JSON or YAML"),
        ('{"swagger": "2.0"}', "is not an OpenAPI 3 document"),
        ("correction", "no longer applies"),
        ("erased", "generation fails"),
        ("invalid", "fails validation"),
    ],
)
def test_a_refused_update_leaves_the_git_tree_clean(base: Path, tmp_path: Path, content: str, reason: str) -> None:
    root = tmp_path / "repo"
    shutil.copytree(base, root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    doc = generate.load_document(root / BIRD_CONVERSATIONS)
    if content == "correction":  # the spot a guarded correction tests holds something else now
        doc["components"]["parameters"]["limit"]["schema"] = {"type": "string"}
    elif content == "erased":  # an anyOf the generator would turn into no model
        doc["components"]["schemas"][CONVERSATION]["anyOf"] = [{"required": ["name"]}, {"required": ["id"]}]
    elif content == "invalid":
        doc["paths"]["/workspaces/{workspaceId}/conversations"]["get"]["responses"] = "none"
    new_file = tmp_path / "new.json"
    new_file.write_text(json.dumps(doc) if content in {"correction", "erased", "invalid"} else content)
    code = update_spec.main([BIRD_CONVERSATIONS, str(new_file), "--root", str(root), "--no-typecheck"])
    assert code == 2
    assert _git(root, "status", "--porcelain") == ""


def test_refusals_print_their_reason_last(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new_file = tmp_path / "new.json"
    new_file.write_text('{"swagger": "2.0"}')
    assert update_spec.main([BIRD_CONVERSATIONS, str(new_file), "--root", str(tmp_path), "--no-typecheck"]) == 2
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == "update-spec: refused: new.json is not an OpenAPI 3 document (no 'openapi: 3.x' member)"
    assert update_spec.main(["openapi/nowhere.json", str(new_file), "--root", str(tmp_path)]) == 2
    assert "is not a vendored document" in capsys.readouterr().out


@pytest.mark.slow
def test_the_downstream_corpus_is_type_checked_and_its_errors_listed(base: Path, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(base, root)
    # examples/export_conversations.py matches ConversationStatus exhaustively (assert_never)
    run = take(
        root,
        BIRD_CONVERSATIONS,
        lambda d: _schemas(d)["inbox.conversations.status"]["enum"].append("snoozed"),
        tmp_path,
        typecheck=True,
    )
    assert run.code == 0, run.output
    corpus = run.output.split("## Downstream corpus", 1)[1].split("## Version", 1)[0]
    assert "examples/export_conversations.py" in corpus and "assert_never" in corpus
    assert run.output.splitlines()[-1] == "update-spec: additive"


def test_corrections_no_longer_needed_are_dropped_and_named() -> None:
    doc = {"components": {"x": {"type": "string"}}}
    operations = [
        {"op": "test", "path": "/components/x", "value": {"type": "strin"}, "reason": "typo upstream"},
        {"op": "replace", "path": "/components/x", "value": {"type": "string"}, "reason": "typo upstream"},
    ]
    kept, notes = update_spec.check_corrections(doc, operations)
    assert kept == [] and notes == [
        "correction 0 (test /components/x) is no longer needed: upstream now holds the corrected value (typo upstream)"
    ]
    with pytest.raises(update_spec.Refused, match="correction 0 .* no longer applies"):
        update_spec.check_corrections({"components": {"x": {"type": "int"}}}, operations)


def test_versions_bump_by_semver_and_one_place_down_in_0x() -> None:
    assert [update_spec.bump("0.4.2", kind) for kind in ("breaking", "additive", "neutral")] == [
        "0.5.0",
        "0.4.3",
        "0.4.3",
    ]
    assert [update_spec.bump("2.4.2", kind) for kind in ("breaking", "additive", "neutral")] == [
        "3.0.0",
        "2.5.0",
        "2.4.3",
    ]


def test_changelog_entries_go_below_unreleased_above_older_ones(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.md"
    update_spec.add_changelog_entry(path, "## [0.1.1] - 2026-01-01\n\n### Added\n\n- a\n")
    update_spec.add_changelog_entry(path, "## [0.1.2] - 2026-01-02\n\n### Added\n\n- b\n")
    text = path.read_text()
    assert text.startswith("# Changelog")
    assert text.index("## [Unreleased]") < text.index("## [0.1.2]") < text.index("## [0.1.1]")


def test_module_examples_hold() -> None:
    assert doctest.testmod(update_spec).failed == 0
