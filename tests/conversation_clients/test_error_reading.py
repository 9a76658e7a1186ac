"""Reading a vendor's error response (:mod:`conversation_clients._error_reading`): code, message
and request id where each vendor's reader says (or wherever either vendor puts them), never raising
on any bytes.
"""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients import OmnichannelClient
from conversation_clients.bird import BIRD
from conversation_clients.errors import (
    GENERIC_ERRORS,
    BadRequestError,
    error_class_for_status,
    error_from_response,
    error_reader_of,
)
from conversation_clients.omnichannel import OMNICHANNEL

NO_HEADERS: dict[str, str] = {}
JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)


def json_bytes(value: object) -> bytes:
    return json.dumps(value).encode()


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


# -- Vendor profiles: each vendor's facts in one value, read by the vendor-neutral code ------------


PROBLEM = json.dumps({"title": "Bad Request", "detail": "page size out of range", "errorCode": 30007}).encode()
HEADERS = {"x-request-id": "req-1", "x-ms-correlation-id": "corr-1"}


def test_each_vendor_reads_its_own_error_fields_and_request_id() -> None:
    bird = error_from_response(
        400, HEADERS, b'{"code": "InvalidLimit", "message": "limit too large"}', reader=BIRD.errors
    )
    omni = error_from_response(400, HEADERS, PROBLEM, reader=OMNICHANNEL.errors)
    assert (bird.code, bird.message) == ("InvalidLimit", "limit too large")
    assert (omni.code, omni.message, omni.request_id) == (30007, "page size out of range", "corr-1")
    # Bird's reader does not take Microsoft's numeric code field for its own
    assert error_from_response(400, HEADERS, PROBLEM, reader=BIRD.errors).code is None


def test_without_a_profile_every_known_name_is_tried() -> None:
    error = error_from_response(400, HEADERS, PROBLEM)
    assert (error.code, error.request_id) == (30007, "corr-1")
    assert error_reader_of(httpx.Request("GET", "https://x/")) is GENERIC_ERRORS


def test_a_client_attaches_its_vendor_reader_to_every_request() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(400, content=PROBLEM, headers={"x-request-id": "req-1"})

    omni = OmnichannelClient(
        "https://m-org.crm.omnichannelengagementhub.com", organization_id="11111111-2222-3333-4444-555555555555",
        channel_id="66666666-7777-8888-9999-000000000000", token="t", transport=httpx.MockTransport(answer),
        polling_warning_interval=None,
    )  # fmt: skip
    with omni, pytest.raises(BadRequestError) as caught:
        list(omni.list_conversations())
    assert error_reader_of(seen[0]) is OMNICHANNEL.errors
    # Microsoft names its request id x-ms-correlation-id; another header is not taken for it
    assert caught.value.request_id is None
