"""The command's exit status (:mod:`conversation_clients.cli.exit_codes`): one per kind of failure,
each documented, and what the command line prints and exits with against hostile servers, in
bounded child processes: one error line (then the usual resume hint) and a distinct exit code (8: a
body past the cap; 5: a drip; 3: a credential that fails; 7: a page token from the server it cannot
send back; 2: one from the caller).
"""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path

import pytest

from conversation_clients import cli, errors
from conversation_clients.cli.command_errors import CredentialsError, ExportWriteError, UsageError
from conversation_clients.cli.exit_codes import (
    EXIT_CODE_MEANINGS,
    EXIT_CODES_DOCUMENT,
    EXPORT_EXIT_NOTE,
    ExitCode,
    exit_code_for,
    exit_code_summary,
    exit_status_table,
)
from tests.support.hostile.child import BEARER_TOKEN, CHANNEL_ID, ORGANIZATION_ID
from tests.support.hostile.harness import REPOSITORY, error_lines, list_command, run_cli
from tests.support.hostile.pages import VENDOR_NAMES, page_body
from tests.support.hostile.server import Behaviour, big_plain, drip_chunked_body, gzip_bomb, json_page, response, serve


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
    (ExportWriteError("out/bird-w1.jsonl", "No space left on device"), ExitCode.WRITE_FAILED),
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
    # __context__): the package never raises it, so it needs no exit code. A PagerClosedError is
    # a program iterating a pager it closed: the command line never closes one it still reads,
    # so one would be a bug (exit 1).
    assert classes - decided == {errors.RedactedException, errors.PagerClosedError}


def test_exit_codes_are_distinct_and_documented_in_the_docstring() -> None:
    assert len({int(code) for code in ExitCode}) == len(ExitCode)
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)
    table = exit_status_table()
    assert cli.__doc__ is not None
    docstring = inspect.cleandoc(cli.__doc__)
    for line in table.splitlines():
        assert line in docstring
    for code in ExitCode:
        assert f"\n{int(code):<5}" in "\n" + table


def test_the_summary_names_every_exit_code_and_where_they_are_explained() -> None:
    summary = exit_code_summary()
    assert "\n" not in summary
    named = summary.removeprefix("exit codes: ").split(" (what each means: ")[0].split(", ")
    assert [int(part.split()[0]) for part in named] == [int(code) for code in ExitCode]
    assert named[:4] == ["0 OK", "1 unexpected", "2 usage", "3 credentials"]
    assert "6 API error" in named and "141 broken pipe" in named
    assert summary.endswith(f"(what each means: {EXIT_CODES_DOCUMENT})")


def _documented_exit_codes() -> tuple[dict[int, str], str]:
    """The rows of the exit codes' table in the document --help points to (code: meaning, markup
    removed), and the text of its section."""
    path, anchor = EXIT_CODES_DOCUMENT.split("#")
    text = (REPOSITORY / path).read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("## ") and _slug(line[3:]) == anchor)
    section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[int, str] = {}
    for line in section.splitlines():
        cells = line.removeprefix("| ").removesuffix(" |").split(" | ", 1)
        if line.startswith("| ") and cells[0].isdigit():
            rows[int(cells[0])] = cells[1].replace("`", "")
    return rows, section


def _slug(heading: str) -> str:
    # the anchor MkDocs gives a heading (its toc extension): lower case, words joined by hyphens
    return "-".join(heading.lower().split())


def test_the_documentation_tables_every_exit_code_with_its_meaning() -> None:
    rows, section = _documented_exit_codes()
    assert rows == {int(code): meaning.replace("``", "") for code, meaning in EXIT_CODE_MEANINGS.items()}
    assert f"{EXPORT_EXIT_NOTE[0].upper()}{EXPORT_EXIT_NOTE[1:]}." in " ".join(section.split())


# -- The command line against a bomb and a drip (issue 9, items 1 and 2): one error line on stderr
# (followed by the CLI's usual resume hint) and a distinct exit code (8: body past the cap; 5:
# timeout), within bounded time and memory ---------------------------------------------------------


RESPONSE_TOO_LARGE = 8
TIMEOUT = 5


def run(vendor: str, behaviour: Behaviour, *options: str) -> tuple[int, tuple[str, ...], float]:
    with serve(behaviour) as server:
        arguments, env = list_command(vendor, server.base_url, *options)
        outcome = run_cli(arguments, env=env, timeout=40)
    return outcome.exit_code, outcome.stderr_lines, outcome.elapsed


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_bomb_is_one_line_and_exit_code_8(vendor: str) -> None:
    code, lines, _ = run(vendor, gzip_bomb(4 << 30, layers=2))
    assert code == RESPONSE_TOO_LARGE, lines
    assert len(error_lines(lines)) == 1
    assert "max_response_bytes=16777216" in lines[0]


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_max_response_bytes_sets_the_cap(vendor: str) -> None:
    code, lines, _ = run(vendor, big_plain(2 << 20), "--max-response-bytes", "1048576")
    assert code == RESPONSE_TOO_LARGE, lines
    assert len(error_lines(lines)) == 1
    assert "max_response_bytes=1048576" in lines[0]


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_drip_is_one_line_and_exit_code_5_within_the_page_timeout(vendor: str) -> None:
    code, lines, elapsed = run(vendor, drip_chunked_body(0.2), "--page-timeout", "1")
    assert code == TIMEOUT, lines
    assert len(error_lines(lines)) == 1
    assert "timed out" in lines[0]
    assert elapsed < 1 + 5  # the child's start-up (imports) included


# -- Item 4 of issue 9: a credential that fails is a ``CredentialError`` (cause kept, no token
# shown), with ``resume_token`` when it fails mid-listing ------------------------------------------


CREDENTIALS = 3
# -- the command line: one line and exit code 3 ---------------------------------------------------
#: A stand-in for azure-identity (not installed here), put first on the child's path: its
#: EnvironmentCredential answers once with a token expiring at once, then as FAILURE says.
FAKE_AZURE_IDENTITY = """
import os
import time
from typing import NamedTuple


class AccessToken(NamedTuple):
    token: object
    expires_on: float


class EnvironmentCredential:
    calls = 0

    def get_token(self, *scopes):
        type(self).calls += 1
        failure = os.environ["FAKE_CREDENTIAL_FAILURE"]
        if type(self).calls <= int(os.environ["FAKE_CREDENTIAL_GOOD"]):
            return AccessToken("entra-token-s3cr3t-DO-NOT-LEAK", time.time())
        if failure == "nan":
            return AccessToken("entra-token-s3cr3t-DO-NOT-LEAK", float("nan"))
        return AccessToken(12345, time.time())

    def close(self):
        pass
"""


def fake_azure_identity(root: Path) -> Path:
    package = root / "azure" / "identity"
    package.mkdir(parents=True)
    (root / "azure" / "__init__.py").write_text("")
    (package / "__init__.py").write_text(FAKE_AZURE_IDENTITY)
    return root


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize(("failure", "good"), [("not_a_string", 1), ("nan", 0)])
def test_the_cli_prints_one_line_and_exits_3_when_the_credential_fails(tmp_path: Path, failure: str, good: int) -> None:
    pages = json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2], None))
    with serve(*pages) as server:
        arguments = [
            "omnichannel", "list", "--base-url", server.base_url, "--organization-id", ORGANIZATION_ID,
            "--channel-id", CHANNEL_ID, "--scope", "https://example/.default", "--max-retries", "0",
        ]  # fmt: skip
        env = {
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(fake_azure_identity(tmp_path)), str(REPOSITORY), os.environ.get("PYTHONPATH")])
            ),
            "FAKE_CREDENTIAL_FAILURE": failure,
            "FAKE_CREDENTIAL_GOOD": str(good),
        }
        outcome = run_cli(arguments, env=env, timeout=40)
        requests = len(server.requests)
    assert outcome.exit_code == CREDENTIALS, outcome.stderr_lines
    assert len(error_lines(outcome.stderr_lines)) == 1, outcome.stderr_lines
    assert requests == good
    assert BEARER_TOKEN not in "\n".join(outcome.stderr_lines)


# -- Item 3 of issue 9: page tokens the client cannot send back ------------------------------------


INVALID_RESPONSE = 7
USAGE = 2
TOO_LONG = "a" * 65_536


def token_field_named(vendor: str) -> str:
    return "nextPageToken" if vendor == "bird" else "continuationtoken"


def page_with_raw_token(vendor: str, number: int, token_json: str) -> Behaviour:
    """A page whose next token is written as the given JSON text (no re-encoding on the way)."""
    body = page_body(vendor, [number], "PLACEHOLDER")
    text = json.dumps(body).replace('"PLACEHOLDER"', token_json)
    return response(200, text.encode(), {"Content-Type": "application/json"})


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_the_cli_prints_one_line_and_exit_code_7_for_a_server_token_it_cannot_send(vendor: str) -> None:
    first = page_with_raw_token(vendor, 1, '"page-2"')
    with serve(first, page_with_raw_token(vendor, 2, f'"{TOO_LONG}"')) as server:
        arguments, env = list_command(vendor, server.base_url)
        outcome = run_cli(arguments, env=env, timeout=40)
    assert outcome.exit_code == INVALID_RESPONSE, outcome.stderr_lines
    assert len(error_lines(outcome.stderr_lines)) == 1
    assert token_field_named(vendor) in error_lines(outcome.stderr_lines)[0]
    assert TOO_LONG[:100] not in "\n".join(outcome.stderr_lines)


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_the_cli_prints_one_line_and_exit_code_2_for_a_caller_token_it_cannot_send(vendor: str) -> None:
    option = "--page-token" if vendor == "bird" else "--continuation-token"
    with serve(page_with_raw_token(vendor, 1, "null")) as server:
        arguments, env = list_command(vendor, server.base_url, option, TOO_LONG)
        outcome = run_cli(arguments, env=env, timeout=40)
        requests = len(server.requests)
    assert outcome.exit_code == USAGE, outcome.stderr_lines
    assert len(error_lines(outcome.stderr_lines)) == 1
    assert requests == 0
