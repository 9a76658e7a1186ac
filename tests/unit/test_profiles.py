"""Vendor profiles: each vendor's facts in one value, read by the vendor-neutral code."""

from __future__ import annotations

import json
import warnings

import httpx
import pytest

from conversation_clients import OmnichannelClient
from conversation_clients._operations import omnichannel_messaging as omnichannel_operations
from conversation_clients._profile import VendorProfile
from conversation_clients.bird import BIRD
from conversation_clients.errors import GENERIC_ERRORS, BadRequestError, error_from_response, error_reader_of
from conversation_clients.omnichannel import OMNICHANNEL, PollingWarning
from conversation_clients.sandbox import Sandbox
from conversation_clients.sandbox._vendors import vendor_fakes

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


def test_the_profiles_hold_each_vendors_facts() -> None:
    assert BIRD.base_url == "https://api.bird.com" and OMNICHANNEL.base_url is None
    assert BIRD.polling_guard is None and OMNICHANNEL.polling_guard is not None
    assert (
        OMNICHANNEL.held_parameters
        == omnichannel_operations.HELD_PARAMETERS
        == {
            "channel-id": "_channel_id",
            "organization-id": "_organization_id",
        }
    )
    assert BIRD.held_parameters == {}


@pytest.mark.parametrize("profile", [BIRD, OMNICHANNEL], ids=lambda profile: profile.name)
def test_the_sandbox_serves_every_route_of_the_vendors_fake(profile: VendorProfile) -> None:
    sandbox = Sandbox()
    with sandbox.bird_client() as bird:  # a conversation the sandbox's first workspace holds
        conversation = next(iter(bird.list_conversations(sandbox.workspaces[0])))
    ids = {"{workspaceId}": sandbox.workspaces[0], "{conversationId}": str(conversation.id)}
    with sandbox.bird_client() if profile is BIRD else sandbox.omnichannel_client() as client:
        http = client._http  # pyright: ignore[reportPrivateUsage]  # the sandbox's transport and credentials
        held = {header: str(getattr(client, attribute)) for header, attribute in profile.held_parameters.items()}
        for route in vendor_fakes()[profile.name].routes:
            path = route
            for placeholder, value in ids.items():
                path = path.replace(placeholder, value)
            assert http.get(path, headers=held).status_code == 200, route


def test_the_polling_warning_points_at_the_callers_line() -> None:
    with OmnichannelClient(
        "https://m-org.crm.omnichannelengagementhub.com", organization_id="11111111-2222-3333-4444-555555555555",
        channel_id="66666666-7777-8888-9999-000000000000", token="t",
    ) as omni:  # fmt: skip
        omni.list_conversations()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            omni.list_conversations()
            omni.list_conversations(continuation_token="resumed")  # resuming is not polling
    assert [warning.category for warning in caught] == [PollingWarning]
    assert caught[0].filename == __file__
