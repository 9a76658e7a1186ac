"""Every HTTP method gets the vendor's answer: GET lists, HEAD is GET without a body, the rest 405 with Allow.

Each case runs in-process and on loopback: both ways go through the same code and must answer alike.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
import pytest

from conversation_clients.sandbox import SANDBOX_BIRD_ACCESS_KEY, SANDBOX_MISSING_ID, Faults, Sandbox
from tests.sandbox.helpers import BIRD_HEADERS, OMNICHANNEL_HEADERS, OMNICHANNEL_PATH, WAYS, bird_path, sandbox_http

#: Methods the endpoints do not allow: the usual ones, the two http.server had no handler for
#: (it answered its 501 HTML page) and a WebDAV one no library names.
OTHER_METHODS = ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND")
WITH_A_BODY = {"POST", "PUT", "PATCH", "PROPFIND"}
ALLOW = "GET, HEAD"


def send(http: httpx.Client, method: str, path: str) -> httpx.Response:
    return http.request(method, path, content=b'{"name": "x"}' if method in WITH_A_BODY else None)


def headers_of(response: httpx.Response, *, leave_out: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return sorted(
        (name.lower(), value) for name, value in response.headers.multi_items() if name.lower() not in leave_out
    )


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("method", OTHER_METHODS)
def test_bird_answers_any_other_method_with_405_allow_and_its_error_body(method: str, way: str) -> None:
    with sandbox_http(Sandbox(), way, BIRD_HEADERS) as http:
        response = send(http, method, bird_path())
        after = http.get(bird_path())  # the connection is still good for the next request

    assert response.status_code == 405
    assert response.headers["allow"] == ALLOW
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "code": "MethodNotAllowed",
        "message": f"method {method} is not allowed here",
        "details": {},
    }
    assert after.status_code == 200


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("method", OTHER_METHODS)
def test_omnichannel_answers_any_other_method_with_405_allow_and_a_problem(method: str, way: str) -> None:
    with sandbox_http(Sandbox(), way, OMNICHANNEL_HEADERS) as http:
        response = send(http, method, OMNICHANNEL_PATH)
        after = http.get(OMNICHANNEL_PATH)

    assert response.status_code == 405
    assert response.headers["allow"] == ALLOW
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    uuid.UUID(response.headers["x-ms-correlation-id"])
    body = response.json()
    assert body == {
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        "title": "Method Not Allowed",
        "status": 405,
        "detail": f"The method {method} is not allowed on this resource.",
    }
    assert after.status_code == 200


def test_a_long_method_name_is_cut_short_in_the_message() -> None:
    with sandbox_http(Sandbox(), "in-process", BIRD_HEADERS) as http:
        response = http.request("X" * 5000, bird_path())

    assert response.status_code == 405
    assert len(response.json()["message"]) < 100


# (vendor, headers, path, query): the successful page, a later page, and errors of each kind.
HEAD_CASES: dict[str, tuple[Mapping[str, str], str, dict[str, Any]]] = {
    "bird page": (BIRD_HEADERS, bird_path(), {"limit": 7}),
    "bird 401": ({"Authorization": "AccessKey wrong"}, bird_path(), {}),
    "bird 404 workspace": (BIRD_HEADERS, bird_path(SANDBOX_MISSING_ID), {}),
    "bird 404 route": (BIRD_HEADERS, "/workspaces", {}),
    "bird 400": (BIRD_HEADERS, bird_path(), {"limit": 0}),
    "omnichannel page": (OMNICHANNEL_HEADERS, OMNICHANNEL_PATH, {"PageSize": 3}),
    "omnichannel 401": ({}, OMNICHANNEL_PATH, {}),
    "omnichannel 400": (OMNICHANNEL_HEADERS, OMNICHANNEL_PATH, {"PageSize": 0}),
    "omnichannel 404 route": (OMNICHANNEL_HEADERS, "/nowhere", {}),
}


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("case", HEAD_CASES)
def test_head_is_get_without_a_body(case: str, way: str) -> None:
    headers, path, query = HEAD_CASES[case]
    with sandbox_http(Sandbox(conversations_per_workspace=20), way, headers) as http:
        get = http.get(path, params=query)
        head = http.head(path, params=query)
        again = http.get(path, params=query)  # a HEAD leaves the connection usable

    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content)) != "0"
    # every header as the GET had it, Content-Length included; the correlation id is new per request
    assert headers_of(head, leave_out=("x-ms-correlation-id",)) == headers_of(get, leave_out=("x-ms-correlation-id",))
    assert again.content == get.content


@pytest.mark.parametrize("way", WAYS)
def test_head_of_a_fault_is_the_fault_without_a_body(way: str) -> None:
    sandbox = Sandbox(faults=Faults(failure_rate=1.0, kinds=("503",)))
    with sandbox_http(sandbox, way, BIRD_HEADERS) as http:
        head = http.head(bird_path())

    assert head.status_code == 503 and head.content == b"" and int(head.headers["content-length"]) > 0


def test_head_counts_as_a_request_and_goes_through_the_rate_limit() -> None:
    sandbox = Sandbox(faults=Faults(requests_per_second=1))
    with sandbox_http(sandbox, "in-process", BIRD_HEADERS) as http:
        statuses = [http.head(bird_path()).status_code for _ in range(3)]

    assert statuses[0] == 200 and 429 in statuses
    assert sandbox.request_count == 3


def raw_exchange(base_url: str, request: bytes) -> bytes:
    """Send ``request`` as is on a new connection and read until the server closes it (bounded)."""
    host, port = httpx.URL(base_url).host, httpx.URL(base_url).port
    assert port is not None
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
                assert len(received) < 1_000_000
        except ConnectionResetError:
            pass  # a server closing with input unread resets the connection; what came before counts
    return received


@pytest.mark.parametrize(
    "request_line",
    [b"OPTIONS * HTTP/1.1", b"CONNECT api.bird.com:443 HTTP/1.1", b"TRACE /workspaces HTTP/1.1"],
)
def test_the_loopback_server_answers_targets_that_are_not_paths_without_a_traceback(
    request_line: bytes, capfd: pytest.CaptureFixture[str]
) -> None:
    with Sandbox().serve() as base_url:
        answer = raw_exchange(
            base_url,
            request_line
            + f"\r\nHost: x\r\nAuthorization: AccessKey {SANDBOX_BIRD_ACCESS_KEY}\r\n".encode()
            + b"Connection: close\r\n\r\n",
        )

    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 4"), answer[:200]
    assert b"501" not in status_line and b"<html" not in answer.lower()
    assert "Traceback" not in capfd.readouterr().err


def test_an_absolute_form_target_is_answered_for_its_path() -> None:
    with Sandbox().serve() as base_url:
        answer = raw_exchange(
            base_url,
            f"GET http://api.bird.com{bird_path()}?limit=1 HTTP/1.1\r\nHost: api.bird.com\r\n"
            f"Authorization: AccessKey {SANDBOX_BIRD_ACCESS_KEY}\r\nConnection: close\r\n\r\n".encode(),
        )

    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b'"results":[{' in answer


def test_a_content_length_that_is_not_a_number_gets_a_plain_400() -> None:
    with Sandbox().serve() as base_url:
        answer = raw_exchange(base_url, b"POST /workspaces HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"Connection: close" in answer


def test_a_chunked_body_is_answered_then_the_connection_closed() -> None:
    # The body is not read, so what is left of it must not be taken for a next request: the
    # server answers and closes (raw_exchange reads until it does, bounded by its timeout).
    with Sandbox().serve() as base_url:
        answer = raw_exchange(
            base_url,
            f"POST {bird_path()} HTTP/1.1\r\nHost: x\r\nAuthorization: AccessKey {SANDBOX_BIRD_ACCESS_KEY}\r\n".encode()
            + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n",
        )

    assert answer.startswith(b"HTTP/1.1 405 ")
    assert answer.count(b"HTTP/1.1 ") == 1


@pytest.mark.anyio
async def test_the_async_transport_answers_methods_alike() -> None:
    async with httpx.AsyncClient(
        transport=Sandbox().async_transport(), base_url="https://sandbox", headers=OMNICHANNEL_HEADERS
    ) as http:
        options = await http.options(OMNICHANNEL_PATH)
        get = await http.get(OMNICHANNEL_PATH)
        head = await http.head(OMNICHANNEL_PATH)

    assert options.status_code == 405 and options.headers["allow"] == ALLOW
    assert options.json()["status"] == 405
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
