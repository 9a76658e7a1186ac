"""Error classes and the rule that builds one from a failed response."""

from __future__ import annotations

import json
import pickle

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients.errors import (
    MAX_ECHOED_MESSAGE_CHARS,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ConversationClientError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    error_class_for_status,
    error_from_response,
)

NO_HEADERS: dict[str, str] = {}
JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)


def json_bytes(value: object) -> bytes:
    return json.dumps(value).encode()


@pytest.mark.parametrize(
    ("status", "expected_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, BadRequestError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (520, ServerError),
        (599, ServerError),
        (405, APIError),
        (410, APIError),
        (302, APIError),
        (304, APIError),
    ],
)
def test_status_picks_the_error_class(status: int, expected_class: type[APIError]) -> None:
    error = error_from_response(status, NO_HEADERS, b"")

    assert type(error) is expected_class
    assert error.status_code == status


def test_every_error_is_a_conversation_client_error() -> None:
    for error_class in (APIError, ServerError, APIConnectionError, ResponseValidationError):
        assert issubclass(error_class, ConversationClientError)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert not issubclass(APIConnectionError, APIError)


def test_bird_body_gives_code_message_and_details() -> None:
    body = {"code": "NotFound", "message": "conversation not found", "details": {"id": ["bad"]}}

    error = error_from_response(404, {"X-Request-Id": "req-1"}, json_bytes(body))

    assert error.code == "NotFound"
    assert error.message == "conversation not found"
    assert error.request_id == "req-1"
    assert error.body == body
    assert str(error) == "404 Not Found: conversation not found (code=NotFound, request_id=req-1)"


@pytest.mark.parametrize("code_field", ["errorCode", "code", "error_code"])
def test_rfc7807_body_gives_numeric_code_and_detail(code_field: str) -> None:
    body = {
        "type": "https://example/problems/conversation-not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "The conversation does not exist.",
        code_field: 30005,
    }

    error = error_from_response(404, httpx.Headers({"x-ms-correlation-id": "c0ffee"}), json_bytes(body))

    assert error.code == 30005
    assert error.message == "The conversation does not exist."
    assert error.request_id == "c0ffee"
    assert str(error) == ("404 Not Found: The conversation does not exist. (code=30005, request_id=c0ffee)")


def test_rfc7807_title_is_used_when_detail_is_missing() -> None:
    body = {"type": "about:blank", "title": "Conversation locked", "status": 409}
    body["errorCode"] = 30011

    error = error_from_response(409, NO_HEADERS, json_bytes(body))

    assert error.message == "Conversation locked"
    assert error.code == 30011


def test_errorcode_wins_over_code_when_both_are_present() -> None:
    body = {"errorCode": 30002, "code": "Generic", "detail": "x"}

    assert error_from_response(400, NO_HEADERS, json_bytes(body)).code == 30002


def test_nested_odata_style_error_is_read() -> None:
    body = {"error": {"code": "0x80040217", "message": "Entity does not exist"}}

    error = error_from_response(404, NO_HEADERS, json_bytes(body))

    assert (error.code, error.message) == ("0x80040217", "Entity does not exist")


@pytest.mark.parametrize("bad_code", [True, None, "", 1.5, ["x"], {"a": 1}])
def test_values_that_are_not_error_codes_are_ignored(bad_code: object) -> None:
    body = {"code": bad_code, "message": "m"}

    assert error_from_response(400, NO_HEADERS, json_bytes(body)).code is None


@pytest.mark.parametrize("bad_message", ["", "   ", 42, None, {"text": "x"}])
def test_unusable_messages_fall_back_to_the_reason_phrase(bad_message: object) -> None:
    body = {"code": "X", "message": bad_message}

    assert error_from_response(400, NO_HEADERS, json_bytes(body)).message == "Bad Request"


def test_empty_body_falls_back_to_reason_phrase() -> None:
    error = error_from_response(503, {"x-ms-correlation-id": "c0ffee"}, b"")

    assert error.message == "Service Unavailable"
    assert error.body is None
    assert error.code is None
    assert str(error) == "503 Service Unavailable (request_id=c0ffee)"


def test_non_standard_status_falls_back_to_http_status_text() -> None:
    error = error_from_response(520, NO_HEADERS, b"")

    assert error.message == "HTTP 520"
    assert str(error) == "HTTP 520"


def test_non_standard_status_with_vendor_message() -> None:
    error = error_from_response(599, NO_HEADERS, json_bytes({"message": "origin went away"}))

    assert str(error) == "HTTP 599: origin went away"


def test_non_json_body_is_kept_as_text_but_not_echoed() -> None:
    html = b"<html><body>Bad gateway, internal host 10.0.0.7</body></html>"

    error = error_from_response(502, NO_HEADERS, html)

    assert error.body == html.decode()
    assert error.message == "Bad Gateway"
    assert "10.0.0.7" not in str(error)


def test_non_utf8_body_is_decoded_with_replacement() -> None:
    error = error_from_response(500, NO_HEADERS, b"\xff\xfe\xfa broken")

    assert isinstance(error.body, str)
    assert error.body.endswith(" broken")
    assert error.message == "Internal Server Error"


@pytest.mark.parametrize("body", [[1, 2], "just a string", 42, None])
def test_json_that_is_not_an_object_is_kept_and_ignored(body: object) -> None:
    error = error_from_response(400, NO_HEADERS, json_bytes(body))

    assert error.body == body
    assert error.message == "Bad Request"
    assert error.code is None


def test_pathologically_nested_json_does_not_raise() -> None:
    error = error_from_response(500, NO_HEADERS, b"[" * 100_000)

    assert error.message == "Internal Server Error"
    assert isinstance(error.body, str)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-MS-Correlation-Id": "ms", "X-Request-Id": "req"}, "ms"),
        ({"x-request-id": "req", "request-id": "plain"}, "req"),
        ({"Request-Id": "plain", "x-correlation-id": "corr"}, "plain"),
        ({"X-Correlation-ID": "corr"}, "corr"),
        ({"x-ms-correlation-id": "", "x-request-id": "req"}, "req"),
        ({"x-other": "nope"}, None),
    ],
)
def test_request_id_comes_from_the_first_known_header(headers: dict[str, str], expected: str | None) -> None:
    assert error_from_response(500, headers, b"").request_id == expected
    assert error_from_response(500, httpx.Headers(headers), b"").request_id == expected


def test_retry_after_is_carried_and_shown() -> None:
    error = error_from_response(429, NO_HEADERS, b"", retry_after=3600.0)

    assert isinstance(error, RateLimitError)
    assert error.retry_after == 3600.0
    assert str(error) == "429 Too Many Requests (retry_after=3600s)"


def test_long_vendor_message_is_capped_in_str_but_kept_whole_on_the_error() -> None:
    long_message = "x" * 5000

    error = error_from_response(400, NO_HEADERS, json_bytes({"message": long_message}))

    assert error.message == long_message
    assert len(str(error)) < MAX_ECHOED_MESSAGE_CHARS + 100
    assert str(error).endswith("…")


def test_control_characters_in_vendor_message_cannot_forge_log_lines() -> None:
    body = {"message": "bad\nINFO fake log line\r\x1b[31m"}

    text = str(error_from_response(400, NO_HEADERS, json_bytes(body)))

    assert "\n" not in text and "\r" not in text and "\x1b" not in text
    assert "fake log line" in text


def test_request_body_details_stay_out_of_the_message() -> None:
    body = {"code": "Invalid", "message": "bad field", "details": {"apiKey": ["SECRETVALUE"]}}

    error = error_from_response(422, NO_HEADERS, json_bytes(body))

    assert "SECRETVALUE" not in str(error)
    assert "SECRETVALUE" not in repr(error)


@given(status=st.integers(min_value=100, max_value=999), content=st.binary(max_size=2000))
def test_error_from_response_never_raises_on_any_bytes(status: int, content: bytes) -> None:
    error = error_from_response(status, NO_HEADERS, content)

    assert type(error) is error_class_for_status(status)
    assert error.status_code == status
    assert error.message
    assert "\n" not in str(error)


@given(
    status=st.integers(min_value=400, max_value=599),
    body=st.dictionaries(
        st.sampled_from(["code", "errorCode", "error_code", "message", "detail", "title", "error"]),
        JSON_LEAVES
        | st.lists(JSON_LEAVES, max_size=3)
        | st.dictionaries(st.sampled_from(["code", "message", "x"]), JSON_LEAVES, max_size=3),
        max_size=4,
    ),
)
def test_error_from_response_never_raises_on_odd_json_shapes(status: int, body: object) -> None:
    error = error_from_response(status, NO_HEADERS, json.dumps(body).encode())

    assert error.code is None or isinstance(error.code, str | int)
    assert isinstance(error.message, str) and error.message


def test_resume_token_defaults_to_none_and_can_be_set_later() -> None:
    error = error_from_response(500, NO_HEADERS, b"")
    assert error.resume_token is None

    error.resume_token = "SECRETTOKEN"

    assert error.resume_token == "SECRETTOKEN"
    assert "SECRETTOKEN" not in str(error)
    assert "SECRETTOKEN" not in repr(error)


def test_errors_survive_pickling() -> None:
    original = error_from_response(
        404, {"x-ms-correlation-id": "c0ffee"}, json_bytes({"code": "NotFound", "message": "gone"})
    )
    original.resume_token = "page-3"

    restored = pickle.loads(pickle.dumps(original))

    assert type(restored) is NotFoundError
    assert str(restored) == str(original)
    assert (restored.code, restored.request_id, restored.resume_token) == (
        "NotFound",
        "c0ffee",
        "page-3",
    )


def test_response_validation_error_keeps_the_raw_body_out_of_the_message() -> None:
    raw = b'{"results": [{"status": "SECRETVALUE"}]}'

    error = ResponseValidationError(status_code=200, body=raw, reason="unknown status value", field="results[0].status")

    assert error.body == raw
    assert (error.status_code, error.field, error.reason) == (
        200,
        "results[0].status",
        "unknown status value",
    )
    assert str(error) == ("invalid response body (HTTP 200) at results[0].status: unknown status value")
    assert "SECRETVALUE" not in repr(error)


def test_response_validation_error_without_a_field() -> None:
    error = ResponseValidationError(status_code=200, body=b"<html>", reason="not JSON")

    assert error.field is None
    assert str(error) == "invalid response body (HTTP 200): not JSON"


def test_pagination_error_shows_a_fingerprint_not_the_token() -> None:
    error = PaginationError("server repeated a page token", token="SECRETTOKEN")

    assert error.token == "SECRETTOKEN"
    assert "SECRETTOKEN" not in str(error)
    assert "SECRETTOKEN" not in repr(error)
    assert "len=11" in str(error)


def test_pagination_error_without_a_token() -> None:
    error = PaginationError("page limit reached")

    assert error.token is None
    assert str(error) == "page limit reached"
