"""Bird on the command line (:mod:`conversation_clients.cli.bird_commands`): ``bird messages`` over
loopback HTTP (its JSON Lines, its table, its resume hint, its argument checks, the sandbox's
messages), ids sent in one spelling however typed, and the export's rate limit being Bird's.
"""

from __future__ import annotations

import datetime
import json
import threading
from typing import Any

import httpx
import pytest

from bird_conversations.models import Conversation, Message
from conversation_clients.cli import main
from conversation_clients.cli.bird_commands import BIRD_CONVERSATIONS, BIRD_MESSAGE_ROWS
from conversation_clients.cli.exit_codes import ExitCode
from conversation_clients.cli.tables import format_row
from conversation_clients.loopback import serve
from tests.support.command_line import ACCESS_KEY, ERROR_PREFIX, WORKSPACE_ID
from tests.support.paths import FIXTURES
from tests.support.scripted import bird_messages_page, bird_page, scripted


class TestBirdTable:
    def test_bird_row_from_the_vendor_example(self) -> None:
        body = json.loads((FIXTURES / "bird_list_conversations_200.json").read_text(encoding="utf-8"))
        conversation = Conversation.from_dict(body["results"][0])
        cells = BIRD_CONVERSATIONS.cells(conversation)
        assert cells == [
            "bace24af-cebb-4bd5-a1e6-f7cff24abadf",
            "2024-11-27 14:47:59",
            "active",
            "email",
            "Re: About your refund",
        ]
        line = format_row(cells, BIRD_CONVERSATIONS.columns)
        heading = format_row([column.title for column in BIRD_CONVERSATIONS.columns], BIRD_CONVERSATIONS.columns)
        assert line.index("active") == heading.index("STATUS")
        assert line.index("Re: About") == heading.index("NAME")

    def test_unknown_enum_values_are_shown_as_sent(self) -> None:
        body = json.loads((FIXTURES / "bird_list_conversations_200.json").read_text(encoding="utf-8"))
        raw = dict(body["results"][0], status="snoozed", platformStyle="carrier-pigeon")
        cells = BIRD_CONVERSATIONS.cells(Conversation.from_dict(raw))
        assert cells[2:4] == ["snoozed", "carrier-pigeon"]

    @pytest.mark.parametrize(
        ("example", "shown"),
        [
            ("image", "[image] Two photos of the damaged parcel"),
            ("file_audio", "[file audio/ogg]"),  # a WhatsApp voice note: no caption
            ("file_document", "[file application/pdf] The receipt you asked for"),
            ("gif", "[gif] Delivered!"),
            ("location", "[location] Pick-up point"),
            ("list", "[list] When should we deliver?"),
            ("carousel", "[carousel] Pick a replacement"),
            ("section", "[section]"),
            ("action", "[action]"),
        ],
    )
    def test_a_message_body_is_shown_by_its_kind_with_its_caption(self, example: str, shown: str) -> None:
        bodies = json.loads((FIXTURES / "bird_message_bodies.json").read_text(encoding="utf-8"))
        raw = dict(vendor_messages()[0], body=bodies[example])
        assert BIRD_MESSAGE_ROWS.cells(Message.from_dict(raw))[-1] == shown

    def test_a_body_of_a_kind_bird_does_not_document_is_shown_by_its_kind(self) -> None:
        raw = dict(vendor_messages()[0], body={"type": "sticker", "sticker": {"id": "s-1"}})
        assert BIRD_MESSAGE_ROWS.cells(Message.from_dict(raw))[-1] == "[sticker]"


# -- ``bird messages``: Bird's "List conversation messages" through the command line, over loopback
# HTTP ---------------------------------------------------------------------------------------------


FIXTURE = FIXTURES / "bird_list_messages_200.json"
CONVERSATION_ID = "c2d4e6f8-1a3b-4c5d-8e7f-90a1b2c3d4e5"
MESSAGES_PATH = f"/workspaces/{WORKSPACE_ID}/conversations/{CONVERSATION_ID}/messages"


def vendor_messages() -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["results"]
    return results


class MessagesServer:
    """Serves the vendor's example messages one a page (tokens ``m/1``, ``m/2``...); ``fail_page``
    answers 503 for that page. Every request is recorded."""

    def __init__(self, *, fail_page: int | None = None) -> None:
        self.messages = vendor_messages()
        self.fail_page = fail_page
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        if request.url.path != MESSAGES_PATH or request.headers.get("Authorization") != f"AccessKey {ACCESS_KEY}":
            return httpx.Response(404, json={"code": "NotFound", "message": "no such route"})
        token = request.url.params.get("pageToken")
        page = 0 if token is None else int(token.removeprefix("m/"))
        if page == self.fail_page:
            return httpx.Response(503, json={"code": "Unavailable", "message": "try again later"})
        last = page + 1 >= len(self.messages)
        return httpx.Response(
            200, json={"results": [self.messages[page]], "nextPageToken": None if last else f"m/{page + 1}"}
        )


@pytest.fixture(autouse=True)
def bird_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BIRD_ACCESS_KEY", "OMNICHANNEL_TOKEN", "AZURE_CLIENT_SECRET", "AZURE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BIRD_ACCESS_KEY", ACCESS_KEY)


def messages_argv(base_url: str, *extra: str) -> list[str]:
    return [
        "bird",
        "messages",
        "--workspace-id",
        WORKSPACE_ID,
        "--conversation-id",
        CONVERSATION_ID,
        "--base-url",
        base_url,
        *extra,
    ]


def test_json_lines_are_the_vendors_messages_every_page(capsys: pytest.CaptureFixture[str]) -> None:
    server = MessagesServer()
    with serve(server) as base_url:
        assert main(messages_argv(base_url, "--limit", "1", "--reverse", "--date-from", "2025-02-01T00:00:00Z")) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == [message["id"] for message in vendor_messages()]
    assert lines[0]["body"] == vendor_messages()[0]["body"]
    first = server.requests[0].url.params
    assert (first["limit"], first["reverse"]) == ("1", "true")
    assert datetime.datetime.fromisoformat(first["dateFrom"]) == datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
    assert [request.url.params.get("pageToken") for request in server.requests] == [None, "m/1"]


def test_table_rows_show_status_sender_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    with serve(MessagesServer()) as base_url:
        assert main(messages_argv(base_url, "--format", "table")) == 0
    heading, *rows = capsys.readouterr().out.splitlines()
    assert heading.split() == ["ID", "CREATED", "(UTC)", "STATUS", "SENDER", "BODY"]
    assert len(rows) == 2
    assert rows[0].startswith("5a0c1f3e-7d2b-4c8e-9f61-2b7e4d9a0c13  2025-02-03 09:15:42  delivered")
    assert rows[0].index("Support desk key") == heading.index("SENDER")
    assert rows[0].endswith("Your parcel ships today.")
    assert rows[1].endswith("[html]")  # a body that is not text is shown by its kind


def test_a_failure_says_how_to_resume_with_the_page_token(capsys: pytest.CaptureFixture[str]) -> None:
    with serve(MessagesServer(fail_page=1)) as base_url:
        assert main(messages_argv(base_url, "--max-retries", "0")) == ExitCode.API_ERROR
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert captured.err.splitlines()[1:] == ["conversation-clients: resume with: --page-token m/1"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--workspace-id", WORKSPACE_ID], "--conversation-id is required"),
        (["--workspace-id", WORKSPACE_ID, "--conversation-id", "nope"], "--conversation-id must be a UUID, got 'nope'"),
        (
            ["--workspace-id", WORKSPACE_ID, "--conversation-id", CONVERSATION_ID, "--limit", "101"],
            "--limit must be between 1 and 100",
        ),
        (
            ["--conversation-id", CONVERSATION_ID, "--date-from", "2025-02-01T00:00:00"],
            "argument --date-from: '2025-02-01T00:00:00' has no timezone; give an RFC 3339 date-time with a timezone",
        ),
    ],
)
def test_arguments_are_checked_naming_the_flag(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bird", "messages", *extra]) == ExitCode.USAGE
    assert capsys.readouterr().err.startswith(ERROR_PREFIX + message)


def test_the_sandbox_serves_the_messages_of_a_conversation_it_lists(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bird", "list", "--sandbox", "--max-items", "1"]) == 0
    conversation = json.loads(capsys.readouterr().out)
    assert main(["bird", "messages", "--sandbox", "--conversation-id", conversation["id"], "--max-items", "3"]) == 0
    messages = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert 0 < len(messages) <= 3
    assert messages[0]["id"] == conversation["lastMessage"]["id"]  # the sandbox's newest message comes first
    assert main(["bird", "messages", "--sandbox", "--conversation-id", conversation["id"], "--format", "table"]) == 0
    heading, *rows = capsys.readouterr().out.splitlines()
    assert heading.split() == ["ID", "CREATED", "(UTC)", "STATUS", "SENDER", "BODY"]
    assert rows[0].startswith(conversation["lastMessage"]["id"])


# -- Starting fast: ``import conversation_clients`` and the command line load only what they use
# (issue 18) ---------------------------------------------------------------------------------------


def test_the_export_rate_limits_the_command_line_declares_are_the_vendors() -> None:
    from conversation_clients.bird import BIRD_RATE_LIMIT
    from conversation_clients.cli.bird_commands import BIRD_EXPORT_RATE_LIMIT

    assert BIRD_EXPORT_RATE_LIMIT == BIRD_RATE_LIMIT


# -- ids in one spelling: a workspace or conversation id typed with blanks around it, or in upper
# case, is sent as the export sends its targets (the option's value type, cli.values.target_id) ----


def typed_loosely(uuid_text: str) -> str:
    """A UUID as a person may paste it: blanks around it, upper case."""
    return f" {uuid_text.upper()}\t"


@pytest.mark.loopback
@pytest.mark.parametrize(
    ("action", "reply", "path"),
    [
        ("list", bird_page([1], None), f"/workspaces/{WORKSPACE_ID}/conversations"),
        ("messages", bird_messages_page([1], None), MESSAGES_PATH),
    ],
)
def test_ids_typed_with_blanks_or_in_upper_case_are_sent_in_lower_case(
    action: str, reply: httpx.Response, path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = ["--workspace-id", typed_loosely(WORKSPACE_ID)]
    if action == "messages":
        ids += ["--conversation-id", typed_loosely(CONVERSATION_ID)]
    with scripted(reply) as (script, base_url):
        code = main(["bird", action, *ids, "--base-url", base_url])
    assert code == 0, capsys.readouterr().err
    [request] = script.requests
    assert request.url.path == path
