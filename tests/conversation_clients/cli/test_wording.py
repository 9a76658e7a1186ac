"""What the command says (:mod:`conversation_clients.cli.wording`): one printable line per error,
the resume hint, the clients' argument names as flags, and secrets scrubbed from every line.
"""

from __future__ import annotations

import shlex

import pytest

from conversation_clients import errors
from conversation_clients.cli.bird_commands import COMMANDS as BIRD_COMMANDS
from conversation_clients.cli.command_errors import ExportWriteError, UnknownTargetError, UsageError
from conversation_clients.cli.omnichannel_commands import COMMANDS as OMNICHANNEL_COMMANDS
from conversation_clients.cli.wording import Target, error_message, resumable, resume_hint, scrub, usage_errors

BIRD = Target("Bird", "BIRD_ACCESS_KEY", "--page-token")
BIRD_LIST = BIRD_COMMANDS.command("list")
OMNICHANNEL_LIST = OMNICHANNEL_COMMANDS.command("list")


def test_usage_errors_map_client_argument_names_to_flags() -> None:
    with pytest.raises(UsageError, match=r"^--page-size must be"):
        with usage_errors(OMNICHANNEL_LIST.flags):
            raise ValueError("page_size must be between 1 and 250, got 500")
    with pytest.raises(errors.InsecureTransportError):  # its own exit code, not turned into a usage error
        with usage_errors(BIRD_LIST.flags):
            raise errors.InsecureTransportError.for_host("example.com")


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


class TestExportFailures:
    def test_a_failed_write_names_the_file_the_cause_and_what_to_do(self) -> None:
        error = ExportWriteError("out/bird-w1.jsonl", "No space left on device")
        assert error_message(error, BIRD) == (
            "cannot write out/bird-w1.jsonl: No space left on device; "
            "free space (or fix the cause) and run the same command to resume"
        )

    def test_an_unknown_target_says_its_id_is_unknown_and_rerunning_cannot_help(self) -> None:
        cause = errors.NotFoundError(status_code=404, message="workspace not found", code="NotFound")
        error = UnknownTargetError("workspace 5a3d", 1, cause)
        assert error_message(error, BIRD) == (
            "workspace 5a3d not found (404): check the id (Bird said: 404 Not Found: workspace not found (code=NotFound))"
        )
        assert "check the ids" in error_message(UnknownTargetError("channel c of organization o", 2, cause))
        assert not resumable(error) and not resumable(cause)
        assert resumable(errors.ServerError(status_code=503, message="later")) and resumable(None)


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
