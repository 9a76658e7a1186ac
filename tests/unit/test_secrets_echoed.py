"""A server that quotes the caller's credential back: no message, repr or log line shows it (issue 9, item 7)."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from conversation_clients.errors import (
    APIError,
    AuthenticationError,
    ResponseValidationError,
    error_from_response,
    without_credentials,
)
from tests.integration.harness import ACCESS_KEY, BEARER_TOKEN, BIRD, VENDORS, Vendor, items, list_pager

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
