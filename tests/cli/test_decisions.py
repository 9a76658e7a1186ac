"""The pure decisions of the command: exit codes, messages, hints, table rows, arguments."""

from __future__ import annotations

import datetime
import inspect
import io
import json
import shlex
from pathlib import Path

import pytest

from bird_conversations.models import Conversation
from conversation_clients import cli, errors
from conversation_clients.cli.bird import BIRD_CONVERSATIONS
from conversation_clients.cli.bird import COMMANDS as BIRD_COMMANDS
from conversation_clients.cli.commands import secret_variables
from conversation_clients.cli.console import Console, JsonLinesWriter, TableWriter
from conversation_clients.cli.credentials import choose_token_source, credential_errors, secrets_from_env
from conversation_clients.cli.errors import CredentialsError, UsageError, flag_message
from conversation_clients.cli.exit_codes import EXIT_CODE_MEANINGS, ExitCode, exit_code_for, exit_status_table
from conversation_clients.cli.messages import Target, error_message, resume_hint, scrub, usage_errors
from conversation_clients.cli.omnichannel import COMMANDS as OMNICHANNEL_COMMANDS
from conversation_clients.cli.omnichannel import OMNICHANNEL_CONVERSATIONS, OMNICHANNEL_TOKEN_ENV
from conversation_clients.cli.parser import build_parser, list_arguments, parse_arguments
from conversation_clients.cli.tables import Column, display_width, fit, format_row
from conversation_clients.cli.values import page_size_for, parse_since
from conversation_clients.cli.vendors import command_groups
from omnichannel_messaging.models import ActiveConversation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BIRD = Target("Bird", "BIRD_ACCESS_KEY", "--page-token")
BIRD_LIST = BIRD_COMMANDS.command("list")
OMNICHANNEL_LIST = OMNICHANNEL_COMMANDS.command("list")


def api_error(cls: type[errors.APIError], status: int) -> errors.APIError:
    return cls(status_code=status, message="went wrong", code="Code", request_id="req-1")


EXIT_CODES: list[tuple[BaseException, ExitCode]] = [
    (UsageError("--limit must be positive"), ExitCode.USAGE),
    (errors.InsecureTransportError.for_host("example.com"), ExitCode.USAGE),
    (CredentialsError("no credentials"), ExitCode.CREDENTIALS),
    (api_error(errors.AuthenticationError, 401), ExitCode.CREDENTIALS),
    (api_error(errors.PermissionDeniedError, 403), ExitCode.CREDENTIALS),
    (api_error(errors.RateLimitError, 429), ExitCode.RATE_LIMITED),
    (errors.APIConnectionError("ConnectError while sending GET /x"), ExitCode.NETWORK),
    (errors.APITimeoutError("ReadTimeout while sending GET /x"), ExitCode.NETWORK),
    (api_error(errors.APIError, 405), ExitCode.API_ERROR),
    (api_error(errors.BadRequestError, 400), ExitCode.API_ERROR),
    (api_error(errors.NotFoundError, 404), ExitCode.API_ERROR),
    (api_error(errors.ConflictError, 409), ExitCode.API_ERROR),
    (api_error(errors.ServerError, 503), ExitCode.API_ERROR),
    (errors.ResponseValidationError(status_code=200, body=b"{}", reason="bad"), ExitCode.INVALID_RESPONSE),
    (errors.PaginationError("repeated token", token="t"), ExitCode.INVALID_RESPONSE),
    (errors.ResponseTooLargeError(limit=1024, status_code=200), ExitCode.RESPONSE_TOO_LARGE),
    (errors.CredentialError("the credential's get_token() raised RuntimeError"), ExitCode.CREDENTIALS),
    (errors.ConversationClientError("something"), ExitCode.API_ERROR),
    (KeyboardInterrupt(), ExitCode.INTERRUPTED),
    (BrokenPipeError(), ExitCode.BROKEN_PIPE),
    (RuntimeError("a bug"), ExitCode.UNEXPECTED),
    (ValueError("a bug, not an argument check"), ExitCode.UNEXPECTED),
]


@pytest.mark.parametrize(("error", "expected"), EXIT_CODES, ids=lambda value: type(value).__name__)
def test_exit_code_for_each_error_class(error: BaseException, expected: ExitCode) -> None:
    assert exit_code_for(error) is expected


def test_every_error_class_of_the_package_has_a_decided_exit_code() -> None:
    classes = {
        value
        for name in errors.__all__
        if inspect.isclass(value := getattr(errors, name)) and issubclass(value, BaseException)
    }
    decided = {type(error) for error, _ in EXIT_CODES}
    # A RedactedException only ever stands in for another error inside a chain (__cause__,
    # __context__): the package never raises it, so it needs no exit code.
    assert classes - decided == {errors.RedactedException}


def test_exit_codes_are_distinct_and_documented_in_the_docstring_and_help() -> None:
    assert len({int(code) for code in ExitCode}) == len(ExitCode)
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)
    table = exit_status_table()
    assert cli.__doc__ is not None
    docstring = inspect.cleandoc(cli.__doc__)
    help_text = build_parser().format_help()
    for line in table.splitlines():
        assert line in docstring
        assert line in help_text
    for code in ExitCode:
        assert f"\n{int(code):<5}" in "\n" + table


def test_usage_errors_map_client_argument_names_to_flags() -> None:
    with pytest.raises(UsageError, match=r"^--page-size must be"):
        with usage_errors(OMNICHANNEL_LIST.flags):
            raise ValueError("page_size must be between 1 and 250, got 500")
    with pytest.raises(errors.InsecureTransportError):  # its own exit code, not turned into a usage error
        with usage_errors(BIRD_LIST.flags):
            raise errors.InsecureTransportError.for_host("example.com")


def test_credential_validation_errors_name_the_environment_variable() -> None:
    with pytest.raises(CredentialsError, match=r"^OMNICHANNEL_TOKEN is empty"):
        with credential_errors("OMNICHANNEL_TOKEN"):
            raise ValueError("token is empty; it must be non-empty")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("limit must be between 1 and 100, got 500", "--limit must be between 1 and 100, got 500"),
        ("workspace_id must be a UUID, got 'x'", "--workspace-id must be a UUID, got 'x'"),
        ("limitless: unrelated", "limitless: unrelated"),
    ],
)
def test_flag_message(message: str, expected: str) -> None:
    assert flag_message(message, BIRD_LIST.flags) == expected


class TestErrorMessages:
    def test_api_error_shows_status_code_message_and_request_id(self) -> None:
        error = errors.error_from_response(
            404, {"x-request-id": "req-42"}, b'{"code": "NotFound", "message": "workspace not found"}'
        )
        text = error_message(error, BIRD)
        assert text == "Bird API error: 404 Not Found: workspace not found (code=NotFound, request_id=req-42)"

    def test_rate_limit_mentions_retry_after_when_given(self) -> None:
        error = errors.RateLimitError(status_code=429, message="Too Many Requests", retry_after=120)
        assert error_message(error, BIRD).endswith("retry in 120 s or later")

    def test_rate_limit_without_retry_after_says_so(self) -> None:
        error = errors.RateLimitError(status_code=429, message="Too Many Requests")
        assert "the server did not say when" in error_message(error, BIRD)

    def test_rejected_credentials_say_what_to_check(self) -> None:
        error = errors.AuthenticationError(status_code=401, message="Unauthorized")
        assert error_message(error, BIRD) == "credentials rejected by Bird: 401 Unauthorized; check BIRD_ACCESS_KEY"

    def test_network_error_points_at_base_url(self) -> None:
        text = error_message(errors.APIConnectionError("ConnectError while sending GET /x"), BIRD)
        assert text.startswith("cannot reach Bird: ConnectError") and "--base-url" in text

    def test_timeout(self) -> None:
        assert error_message(errors.APITimeoutError("ReadTimeout while sending GET /x"), BIRD).startswith("timed out")

    def test_invalid_response_names_the_field(self) -> None:
        error = errors.ResponseValidationError(status_code=200, body=b"", reason="expected a list", field="results")
        assert (
            error_message(error, BIRD)
            == "invalid response from Bird: invalid response body (HTTP 200) at results: expected a list"
        )

    def test_unexpected_errors_name_their_type(self) -> None:
        assert error_message(RuntimeError("boom")) == "unexpected error: RuntimeError: boom"

    def test_always_one_line(self) -> None:
        text = error_message(RuntimeError("first\nsecond\r\x1b[2Jthird"))
        assert "\n" not in text and "\r" not in text and "\x1b" not in text


class TestResumeHint:
    @pytest.mark.parametrize("token", ["abc", "tok/3+=", "with space", "it's", "ZXlK=="])
    def test_the_token_pasted_back_is_the_same_token(self, token: str) -> None:
        hint = resume_hint("--page-token", token)
        assert hint.startswith("resume with: --page-token ")
        assert shlex.split(hint.removeprefix("resume with: ")) == ["--page-token", token]

    def test_no_token_means_start_again(self) -> None:
        hint = resume_hint("--continuation-token", None)
        assert "beginning" in hint and "--continuation-token" not in hint

    def test_unprintable_token_is_not_printed(self) -> None:
        hint = resume_hint("--page-token", "evil\x1b]0;title\x07")
        assert "\x1b" not in hint and "evil" not in hint


class TestSecrets:
    def test_scrub_replaces_every_occurrence(self) -> None:
        assert scrub("key=abcdef, again abcdef", ["abcdef"]) == "key=***, again ***"

    def test_longest_secret_first(self) -> None:
        assert scrub("token abcdef123", ["abcdef", "abcdef123"]) == "token ***"

    def test_escaped_and_cut_off_copies_are_scrubbed_too(self) -> None:
        # the library's rules: a quoted (escaped) copy, and the start of a long secret cut with "…"
        assert scrub('got "tab\\there-0123"', ["tab\there-0123"]) == 'got "***"'
        assert scrub("token eyJhbGciOiJSUzI1…", ["eyJhbGciOiJSUzI1NiJ9.payload.sig"]) == "token ***…"

    def test_too_short_values_are_left_alone(self) -> None:
        assert scrub("a bad thing", ["a"]) == "a bad thing"

    def test_secrets_from_env_reads_the_credential_variables_only(self) -> None:
        env = {
            "BIRD_ACCESS_KEY": "bird-secret",
            "OMNICHANNEL_TOKEN": "",
            "AZURE_CLIENT_SECRET": "az-secret",
            "PATH": "/bin",
        }
        assert sorted(secrets_from_env(env, secret_variables(command_groups()))) == ["az-secret", "bird-secret"]

    def test_console_scrubs_what_it_prints(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=["s3cr3t-value"], show_progress=False)
        code = console.fail(errors.AuthenticationError(status_code=401, message="key s3cr3t-value is invalid"))
        assert code == ExitCode.CREDENTIALS
        assert "s3cr3t-value" not in stream.getvalue()
        assert stream.getvalue().count("\n") == 1


class TestTable:
    def test_rows_are_aligned_whatever_the_cell_lengths(self) -> None:
        columns = (Column("ID", 6), Column("STATUS", 8), Column("NAME", 10))
        rows = [
            format_row(["ID", "STATUS", "NAME"], columns),
            format_row(["1", "active", "short"], columns),
            format_row(["123456789", "a-very-long-status", "a name far longer than ten"], columns),
        ]
        starts = [
            [row.index(cell) for cell in cells]
            for row, cells in zip(rows, [["STATUS", "NAME"], ["active", "short"], ["a-very-", "a name"]], strict=True)
        ]
        assert starts[0] == starts[1] == starts[2] == [8, 18]
        assert rows[2] == "12345…  a-very-…  a name fa…"

    def test_wide_characters_count_double(self) -> None:
        cell = fit("日本語の名前です", 6)
        assert display_width(cell) == 6 and cell.rstrip().endswith("…")
        assert format_row(["日本", "x"], (Column("A", 6), Column("B", 3))) == "日本    x"

    def test_control_characters_cannot_reach_the_terminal(self) -> None:
        row = format_row(["\x1b[31mred", "line\nbreak"], (Column("A", 10), Column("B", 20)))
        assert "\x1b" not in row and "\n" not in row
        assert row == "[31mred     line break"

    def test_wrong_number_of_cells_is_refused(self) -> None:
        with pytest.raises(ValueError, match="expected 2 cells"):
            format_row(["only one"], (Column("A", 3), Column("B", 3)))

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

    def test_omnichannel_row_is_in_utc(self) -> None:
        conversation = ActiveConversation.from_dict(
            {"conversationid": "2b3c5b8e-41a6-4bfa-9d0d-2a3ae0cb5f0d", "timestamp": "2025-04-15T14:36:40.9049594+02:00"}
        )
        assert OMNICHANNEL_CONVERSATIONS.cells(conversation) == [
            "2b3c5b8e-41a6-4bfa-9d0d-2a3ae0cb5f0d",
            "2025-04-15 12:36:40",
        ]
        assert (
            len(format_row(OMNICHANNEL_CONVERSATIONS.cells(conversation), OMNICHANNEL_CONVERSATIONS.columns))
            == 36 + 2 + 19
        )

    def test_table_writer_writes_the_heading_once(self) -> None:
        stream = io.StringIO()
        writer = TableWriter(stream, (Column("N", 3),), lambda item: [str(item)])
        writer.write([1, 2])
        writer.write([3])
        assert stream.getvalue().splitlines() == ["N", "1", "2", "3"]

    def test_json_lines_writer_uses_vendor_names_compactly(self) -> None:
        stream = io.StringIO()
        conversation = ActiveConversation.from_dict(
            {"conversationid": "2b3c5b8e-41a6-4bfa-9d0d-2a3ae0cb5f0d", "timestamp": "2025-04-15T12:36:40.9049594Z"}
        )
        JsonLinesWriter(stream, lambda item: item.to_dict()).write([conversation])
        assert stream.getvalue() == (
            '{"conversationid":"2b3c5b8e-41a6-4bfa-9d0d-2a3ae0cb5f0d","timestamp":"2025-04-15T12:36:40.9049594Z"}\n'
        )


class TestProgress:
    def test_shown_in_place_and_cleared_on_a_terminal(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=[], show_progress=True)
        console.progress(1, 10)
        console.progress(2, 20)
        console.clear_progress()
        text = stream.getvalue()
        assert "\n" not in text
        assert text.count("\r") == 3
        assert text.endswith("\r\x1b[K")
        assert "2 pages, 20 conversations" in text

    def test_not_shown_elsewhere(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=[], show_progress=False)
        console.progress(1, 10)
        console.clear_progress()
        assert stream.getvalue() == ""

    def test_an_error_line_clears_the_progress_first(self) -> None:
        stream = io.StringIO()
        console = Console(stream, secrets=[], show_progress=True)
        console.progress(1, 10)
        console.line("error: boom")
        assert stream.getvalue().endswith("\r\x1b[Kconversation-clients: error: boom\n")


class TestArguments:
    def test_since_accepts_offsets_and_z(self) -> None:
        assert parse_since("2025-04-15T12:00:00Z").utcoffset() == datetime.timedelta(0)
        assert parse_since("2025-04-15T12:00:00.1234567-05:00").utcoffset() == datetime.timedelta(hours=-5)

    @pytest.mark.parametrize("text", ["2025-04-15T12:00:00", "2025-04-15", "yesterday"])
    def test_since_refuses_naive_or_garbage(self, text: str) -> None:
        with pytest.raises(ValueError, match="--since"):
            parse_since(text)

    def test_page_size_follows_max_items_only_when_not_given(self) -> None:
        assert page_size_for(None, 7, 100) == 7
        assert page_size_for(None, 1000, 250) == 250
        assert page_size_for(50, 7, 100) == 50
        assert page_size_for(None, None, 100) is None

    def test_token_from_environment(self) -> None:
        assert choose_token_source("tok", None, azure_available=True, variable=OMNICHANNEL_TOKEN_ENV).source == "env"

    def test_token_and_scope_together_is_a_usage_error(self) -> None:
        with pytest.raises(UsageError, match="--scope"):
            choose_token_source("tok", "https://x/.default", azure_available=True, variable=OMNICHANNEL_TOKEN_ENV)

    def test_no_token_and_no_azure_identity(self) -> None:
        with pytest.raises(CredentialsError, match=r"OMNICHANNEL_TOKEN.*conversation-clients\[azure\]"):
            choose_token_source(None, "https://x/.default", azure_available=False, variable=OMNICHANNEL_TOKEN_ENV)

    def test_azure_identity_needs_a_scope(self) -> None:
        with pytest.raises(CredentialsError, match="--scope"):
            choose_token_source(None, None, azure_available=True, variable=OMNICHANNEL_TOKEN_ENV)

    def test_azure_identity_with_scope(self) -> None:
        choice = choose_token_source(
            "", "https://org-c.crm.dynamics.com/.default", azure_available=True, variable=OMNICHANNEL_TOKEN_ENV
        )
        assert (choice.source, choice.scope) == ("azure", "https://org-c.crm.dynamics.com/.default")

    def test_bird_list_parsed(self) -> None:
        command = parse_arguments(
            [
                "bird",
                "list",
                "--workspace-id",
                "w",
                "--limit",
                "5",
                "--reverse",
                "--format",
                "table",
                "--max-items",
                "9",
            ]
        )
        assert command == list_arguments(
            BIRD_LIST,
            workspace_id="w", limit=5, max_items=9, reverse=True, resource=None, page_token=None,
            base_url=None, sandbox=False, output_format="table", max_retries=2,
        )  # fmt: skip

    @pytest.mark.parametrize(
        ("argv", "needle"),
        [
            (["bird", "list", "--limit", "ten"], "--limit"),
            (["bird", "list", "--max-items", "0"], "--max-items"),
            (["bird", "list", "--format", "xml"], "--format"),
            (["bird"], "required"),
            (["omnichannel", "list", "--organization-id", "not-a-guid"], "--organization-id"),
            (["omnichannel", "list", "--since", "2025-04-15T12:00:00"], "timezone"),
            (["sandbox", "serve", "--port", "-1"], "--port"),
            (["bird", "list", "--unknown"], "unrecognized"),
        ],
    )
    def test_bad_arguments_are_usage_errors_naming_the_problem(self, argv: list[str], needle: str) -> None:
        with pytest.raises(UsageError, match=needle) as caught:
            parse_arguments(argv)
        assert "--help" in str(caught.value)
