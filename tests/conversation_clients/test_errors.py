"""Error classes and the rule that builds one from a failed response (:mod:`conversation_clients.errors`):
status to class, what a message shows and hides (a credential a server quotes back included),
pickling, and the response headers an ``APIError`` carries.
"""

from __future__ import annotations

import json
import logging
import pickle
from typing import Any

import httpx
import pytest

from conversation_clients import errors
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
    error_from_response,
    without_credentials,
)
from tests.support.hostile import child
from tests.support.hostile.harness import ListingOutcome, run_listing
from tests.support.hostile.pages import MODES, VENDOR_NAMES, page_body
from tests.support.hostile.server import json_page, serve
from tests.support.scripted import ACCESS_KEY, BEARER_TOKEN, BIRD, VENDORS, Vendor, close, items, list_pager, scripted

NO_HEADERS: dict[str, str] = {}


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


# -- A server that quotes the caller's credential back: no message, repr or log line shows it (issue
# 9, item 7) ---------------------------------------------------------------------------------------


KINDS = ["sync", "async"]


def secret_of(vendor: Vendor) -> str:
    return ACCESS_KEY if vendor is BIRD else BEARER_TOKEN


def header_of(vendor: Vendor) -> str:
    return f"AccessKey {ACCESS_KEY}" if vendor is BIRD else f"Bearer {BEARER_TOKEN}"


def echoing_401(vendor: Vendor) -> dict[str, Any]:
    quoted = f"invalid access key {header_of(vendor)}"
    if vendor is BIRD:
        return {"code": secret_of(vendor), "message": quoted, "details": {"sent": header_of(vendor)}}
    return {"type": "about:blank", "title": quoted, "status": 401, "detail": quoted, "errorCode": secret_of(vendor)}


def everything_shown(error: BaseException) -> str:
    parts = [str(error), repr(error), repr(error.args), *getattr(error, "__notes__", [])]
    for name in ("message", "code", "body", "reason", "field", "request_id"):
        parts.append(repr(getattr(error, name, None)))
    return "\n".join(parts)


async def failing_listing(vendor: Vendor, kind: str, reply: httpx.Response) -> BaseException:
    transport = httpx.MockTransport(lambda request: reply)
    client = vendor.client(kind, "https://api.example", transport=transport, retry_policy=None, max_retries=0)
    pager = list_pager(client, vendor)
    try:
        await items(pager)
    except Exception as error:  # noqa: BLE001 - the error is what is examined
        return error
    finally:
        await _close(client)
    raise AssertionError("the listing did not fail")


async def _close(client: Any) -> None:
    if hasattr(client, "aclose"):
        await client.aclose()
    else:
        client.close()


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_401_quoting_the_credential_does_not_show_it(
    vendor: Vendor, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reply = httpx.Response(401, json=echoing_401(vendor), headers={"x-request-id": secret_of(vendor)})

    error = await failing_listing(vendor, kind, reply)

    assert isinstance(error, AuthenticationError)
    shown = everything_shown(error)
    assert secret_of(vendor) not in shown
    assert "***" in str(error)
    assert secret_of(vendor) not in caplog.text


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_2xx_body_quoting_the_credential_where_a_uuid_belongs_does_not_show_it(
    vendor: Vendor, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    page = vendor.page([1]).json()
    items_field, id_field = ("results", "id") if vendor is BIRD else ("conversations", "conversationid")
    page[items_field][0][id_field] = header_of(vendor)
    reply = httpx.Response(200, json=page)

    error = await failing_listing(vendor, kind, reply)

    assert isinstance(error, ResponseValidationError)
    assert secret_of(vendor) not in everything_shown(error)
    assert secret_of(vendor).encode() not in error.body
    assert secret_of(vendor) not in caplog.text


@pytest.mark.anyio
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vendor", VENDORS, ids=lambda vendor: vendor.name)
async def test_a_long_token_cut_short_in_an_echo_is_still_hidden(vendor: Vendor, kind: str) -> None:
    # The echo keeps 40 characters of a value: the start of a credential, not all of it.
    page = vendor.page([1]).json()
    items_field, id_field = ("results", "id") if vendor is BIRD else ("conversations", "conversationid")
    page[items_field][0][id_field] = secret_of(vendor) * 3
    error = await failing_listing(vendor, kind, httpx.Response(200, json=page))

    assert isinstance(error, ResponseValidationError)
    assert secret_of(vendor)[:12] not in everything_shown(error)


# -- the functions underneath -------------------------------------------------------------------


def test_error_from_response_scrubs_message_code_body_and_request_id() -> None:
    secret = "k3y-0123456789"
    body = (
        b'{"code": "k3y-0123456789", "message": "invalid access key AccessKey k3y-0123456789",'
        b' "details": {"k3y-0123456789": ["k3y-0123456789"]}}'
    )
    error = error_from_response(401, {"x-request-id": secret}, body, credentials=[secret])

    assert isinstance(error, APIError)
    assert secret not in everything_shown(error)
    assert error.message == "invalid access key AccessKey ***"
    assert error.code == "***"
    assert error.body == {"code": "***", "message": "invalid access key AccessKey ***", "details": {"***": ["***"]}}


def test_without_credentials_scrubs_a_validation_error_in_place() -> None:
    secret = "eyJhbGciOiJSUzI1NiJ9.body.signature"
    error = ResponseValidationError(
        status_code=200,
        body=f'{{"id": "{secret}"}}'.encode(),
        reason=f"expected uuid, got '{secret[:20]}…'",
        field=f"[{secret}]",
    )
    error.add_note(f"note {secret}")

    assert without_credentials(error, [secret]) is error
    assert secret[:10] not in everything_shown(error)
    assert error.body == b'{"id": "***"}'


# -- An APIError carries the response's headers: the vendor's and the rate-limit ones, never a
# request header, a cookie or a credential ---------------------------------------------------------


def _refusal(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        403,
        json={"code": "Forbidden", "message": "no"},
        headers=[
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Limit", "50"),
            ("x-ms-correlation-id", "corr-1"),
            ("Set-Cookie", "session=abc"),
            ("X-Echo", f"you sent {request.headers['authorization']}"),
            ("Warning", "one"),
            ("Warning", "two"),
        ],
    )


@pytest.mark.anyio
@pytest.mark.loopback
async def test_api_error_exposes_the_response_headers_and_nothing_secret(vendor: Vendor, kind: str) -> None:
    with scripted(_refusal) as (_script, base_url):
        client = vendor.client(kind, base_url)
        with pytest.raises(errors.PermissionDeniedError) as caught:
            await items(list_pager(client, vendor))
        await close(client)

    headers = caught.value.headers
    assert headers["x-ratelimit-remaining"] == "0"
    assert headers["x-ratelimit-limit"] == "50"
    assert headers["x-ms-correlation-id"] == "corr-1"
    assert headers["content-type"] == "application/json"
    assert headers["warning"] == "one, two"
    assert headers["set-cookie"] == "***"
    assert headers["x-echo"].startswith("you sent ") and headers["x-echo"].endswith("***")
    assert "authorization" not in headers and "user-agent" not in headers
    shown = repr(headers) + repr(caught.value) + str(caught.value)
    assert ACCESS_KEY not in shown and BEARER_TOKEN not in shown
    assert pickle.loads(pickle.dumps(caught.value)).headers == headers


@pytest.mark.anyio
@pytest.mark.loopback
def test_an_error_built_by_hand_has_no_headers() -> None:
    assert errors.APIError(status_code=500, message="boom").headers == {}


# -- Item 7 of issue 9: a server that quotes the caller's credential back --------------------------


def secret_for(vendor: str) -> str:
    return child.ACCESS_KEY if vendor == "bird" else child.BEARER_TOKEN


def header_for(vendor: str) -> str:
    return f"AccessKey {child.ACCESS_KEY}" if vendor == "bird" else f"Bearer {child.BEARER_TOKEN}"


def assert_never_shown(outcome: ListingOutcome, secret: str) -> None:
    assert "error repr:" in outcome.stderr  # the child did write its error's repr there
    assert secret not in (outcome.error_message or "")
    assert secret not in outcome.stderr
    assert secret not in json.dumps(dict(outcome.error_attributes))


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_401_quoting_the_credential_never_shows_it(vendor: str, mode: str) -> None:
    quoted = f"invalid access key {header_for(vendor)}"
    body: dict[str, object]
    if vendor == "bird":
        body = {"code": secret_for(vendor), "message": quoted}
    else:
        body = {"title": quoted, "status": 401, "detail": quoted, "errorCode": secret_for(vendor)}
    with serve(json_page(body, status=401, headers={"x-request-id": secret_for(vendor)})) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=30)
    assert outcome.error_type == "AuthenticationError", outcome.error_message
    assert "***" in (outcome.error_message or "")
    assert_never_shown(outcome, secret_for(vendor))


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_a_page_quoting_the_credential_where_an_id_belongs_never_shows_it(vendor: str, mode: str) -> None:
    body = page_body(vendor, [1], None)
    items, id_field = ("results", "id") if vendor == "bird" else ("conversations", "conversationid")
    body[items][0][id_field] = header_for(vendor)
    with serve(json_page(body)) as server:
        outcome = run_listing(vendor, mode, server.base_url, timeout=30)
    assert outcome.error_type == "ResponseValidationError", outcome.error_message
    assert_never_shown(outcome, secret_for(vendor))
