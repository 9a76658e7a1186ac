"""httpx authentication (:mod:`conversation_clients.auth`): access keys and bearer tokens (strings,
callables, credentials), refreshed after a 401 or near expiry, in memory and over loopback HTTP; a
credential that fails is a ``CredentialError`` (against hostile servers, in bounded child
processes).
"""

from __future__ import annotations

import asyncio
import functools
import gc
import http.server
import logging
import math
import string
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, NamedTuple

import attrs
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients import auth as auth_module
from conversation_clients import errors
from conversation_clients._logging import hide_in_logs

# white-box tests of the token cache and the refresh decisions
from conversation_clients._security import InsecureTransportError
from conversation_clients.auth import (
    AccessKeyAuth,
    AccessTokenLike,
    AsyncTokenCredential,
    BearerTokenAuth,
    TokenCredential,
    _should_retry,  # pyright: ignore[reportPrivateUsage]
)
from conversation_clients.errors import CredentialError
from tests.support.hostile.child import BEARER_TOKEN
from tests.support.hostile.harness import run_listing
from tests.support.hostile.pages import MODES, item_id, page_body
from tests.support.hostile.server import json_page, serve
from tests.support.scripted import OMNI, close, items, omni_client, scripted

SECRET = "s3cr3t-DO-NOT-LEAK"
SCOPE = "https://contoso-c.crm.dynamics.com/.default"
URL = "https://api.example.com/conversations"


# -- fakes ------------------------------------------------------------------------------


class FakeAccessToken(NamedTuple):
    token: str
    expires_on: int


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class CountingTokenFactory:
    """A zero-argument token callable returning SECRET-1, SECRET-2, ... (or a fixed token)."""

    def __init__(self, fixed: str | None = None) -> None:
        self.calls = 0
        self._fixed = fixed

    def __call__(self) -> str:
        self.calls += 1
        return self._fixed if self._fixed is not None else f"{SECRET}-{self.calls}"


class FakeCredential:
    """A synchronous credential: tokens SECRET-1, SECRET-2, ... each valid until expires_on."""

    def __init__(self, *, expires_on: int = 4_000_000_000, fixed: str | None = None) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.expires_on = expires_on
        self._fixed = fixed

    def get_token(self, *scopes: str) -> FakeAccessToken:
        self.calls.append(scopes)
        token = self._fixed if self._fixed is not None else f"{SECRET}-{len(self.calls)}"
        return FakeAccessToken(token, self.expires_on)


class FakeAsyncCredential:
    """An azure.identity.aio-style credential whose get_token is a coroutine."""

    def __init__(self, *, delay: float = 0.0, expires_on: int = 4_000_000_000) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.expires_on = expires_on
        self._delay = delay

    async def get_token(self, *scopes: str) -> FakeAccessToken:
        self.calls.append(scopes)
        number = len(self.calls)
        await asyncio.sleep(self._delay)
        return FakeAccessToken(f"{SECRET}-{number}", self.expires_on)


class FakeServer:
    """MockTransport handler: 200 for an accepted Authorization header, else 401."""

    def __init__(self, accepted: Callable[[str | None], bool] = lambda header: True) -> None:
        self.authorizations: list[str | None] = []
        self.bodies: list[bytes] = []
        self._accepted = accepted

    def __call__(self, request: httpx.Request) -> httpx.Response:
        header = request.headers.get("Authorization")
        self.authorizations.append(header)
        self.bodies.append(request.read())
        return httpx.Response(200 if self._accepted(header) else 401)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


class StreamConsumingTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Reads request bodies by iterating the stream, as real transports do.

    (MockTransport calls request.read() first, which would make any body replayable
    and hide a missing requires_request_body.)
    """

    def __init__(self, server: FakeServer) -> None:
        self._server = server

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        body = b"".join(request.stream)
        return self._server(self._copy(request, body))

    @staticmethod
    def _copy(request: httpx.Request, body: bytes) -> httpx.Request:
        return httpx.Request(request.method, request.url, headers=request.headers, content=body)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        body = b"".join([chunk async for chunk in request.stream])
        return self._server(self._copy(request, body))


def accept_only(*headers: str) -> Callable[[str | None], bool]:
    return lambda header: header in headers


def bearer(token: str) -> str:
    return f"Bearer {token}"


# -- AccessKeyAuth ----------------------------------------------------------------------


def test_access_key_header_is_set_exactly() -> None:
    server = FakeServer()
    with httpx.Client(transport=server.transport(), auth=AccessKeyAuth(SECRET)) as client:
        response = client.get(URL)
    assert response.status_code == 200
    assert server.authorizations == [f"AccessKey {SECRET}"]


@pytest.mark.anyio
async def test_access_key_header_is_set_by_the_async_client() -> None:
    server = FakeServer()
    auth = AccessKeyAuth(SECRET)
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        await client.get(URL)
    assert server.authorizations == [f"AccessKey {SECRET}"]


def test_access_key_replaces_an_existing_authorization_header() -> None:
    server = FakeServer()
    with httpx.Client(transport=server.transport(), auth=AccessKeyAuth(SECRET)) as client:
        client.get(URL, headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert server.authorizations == [f"AccessKey {SECRET}"]


def test_access_key_401_is_returned_without_retry() -> None:
    server = FakeServer(accepted=accept_only())
    with httpx.Client(transport=server.transport(), auth=AccessKeyAuth(SECRET)) as client:
        response = client.get(URL)
    assert response.status_code == 401
    assert len(server.authorizations) == 1


@given(st.text(alphabet=string.ascii_letters + string.digits + string.punctuation, min_size=1))
def test_any_printable_ascii_key_becomes_the_exact_header(key: str) -> None:
    request = httpx.Request("GET", URL)
    sent = next(AccessKeyAuth(key).sync_auth_flow(request))
    assert sent.headers["Authorization"] == f"AccessKey {key}"


def test_access_key_repr_and_str_hide_the_key() -> None:
    auth = AccessKeyAuth(SECRET)
    assert repr(auth) == "AccessKeyAuth(access_key='***')"
    assert str(auth) == "AccessKeyAuth(access_key='***')"
    assert SECRET not in repr(vars(auth).keys())


BAD_SECRETS = [
    pytest.param("", "is empty", id="empty"),
    pytest.param(f" {SECRET}", "contains whitespace or a line break", id="leading-space"),
    pytest.param(f"{SECRET} ", "contains whitespace or a line break", id="trailing-space"),
    pytest.param(f"{SECRET}\r\nX-Injected: 1", "contains whitespace or a line break", id="crlf"),
    pytest.param(f"{SECRET}\n", "contains whitespace or a line break", id="lf"),
    pytest.param(f"{SECRET}\t", "contains whitespace or a line break", id="tab"),
    pytest.param(f"{SECRET}\x00", "contains a control character", id="nul"),
    pytest.param(f"{SECRET}\x7f", "contains a control character", id="del"),
    pytest.param(f"{SECRET}\x1b[31m", "contains a control character", id="escape"),
    pytest.param(f"{SECRET}é", "contains a non-ASCII character", id="latin1"),
    pytest.param(f"{SECRET}\u00a0", "contains a non-ASCII character", id="nbsp"),
    pytest.param(f"{SECRET}\u2028", "contains a non-ASCII character", id="line-separator"),
    pytest.param(f"{SECRET}🔑", "contains a non-ASCII character", id="emoji"),
]


@pytest.mark.parametrize(("key", "problem"), BAD_SECRETS)
def test_bad_access_keys_are_rejected_without_echoing(key: str, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        AccessKeyAuth(key)
    message = str(caught.value)
    assert message.startswith("access_key ")
    assert problem in message
    assert SECRET not in message
    assert SECRET not in repr(caught.value.args)


def test_access_key_with_its_scheme_prefix_is_rejected_with_a_hint() -> None:
    with pytest.raises(ValueError, match="must not start with 'AccessKey'") as caught:
        AccessKeyAuth(f"accesskey {SECRET}")
    assert SECRET not in str(caught.value)


def test_non_string_access_key_is_a_type_error_without_echoing() -> None:
    with pytest.raises(TypeError, match="access_key must be a str, not bytes") as caught:
        AccessKeyAuth(SECRET.encode())  # type: ignore[arg-type]
    assert SECRET not in str(caught.value)


BAD_CHARACTERS = st.one_of(
    st.characters(categories=["Cc"]),  # control characters, including CR, LF, NUL, DEL
    st.characters(categories=["Zs", "Zl", "Zp"]),  # spaces and separators, ASCII or not
    st.characters(min_codepoint=0x80),  # anything non-ASCII
)


@given(prefix=st.text(), bad=BAD_CHARACTERS, suffix=st.text())
def test_secrets_with_illegal_characters_never_leak_into_errors(prefix: str, bad: str, suffix: str) -> None:
    value = f"{prefix}{SECRET}{bad}{suffix}"
    constructors: list[Callable[[], object]] = [
        lambda: AccessKeyAuth(value),
        lambda: BearerTokenAuth(value),
    ]
    for construct in constructors:
        with pytest.raises(ValueError) as caught:
            construct()
        for text in (str(caught.value), repr(caught.value), repr(caught.value.args)):
            assert SECRET not in text
            assert value not in text


@given(prefix=st.text(), bad=BAD_CHARACTERS)
def test_illegal_tokens_from_a_callable_never_leak_into_errors(prefix: str, bad: str) -> None:
    value = f"{prefix}{SECRET}{bad}"
    auth = BearerTokenAuth(lambda: value)
    with pytest.raises(CredentialError) as caught:
        next(auth.sync_auth_flow(httpx.Request("GET", URL)))
    assert isinstance(caught.value.__cause__, ValueError)
    assert SECRET not in str(caught.value.__cause__)
    assert "the token from <callable" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value.args)


# -- Transport security (both auth classes) --------------------------------------------


def make_auths() -> list[httpx.Auth]:
    return [
        AccessKeyAuth(SECRET),
        BearerTokenAuth(SECRET),
        BearerTokenAuth(CountingTokenFactory()),
        BearerTokenAuth(FakeCredential(), scopes=[SCOPE]),
    ]


@pytest.mark.parametrize("auth", make_auths(), ids=repr)
@pytest.mark.parametrize("url", ["http://api.example.com/x", "http://10.1.2.3/", "http://[::2]/"])
def test_plain_http_to_a_real_host_is_refused_before_sending(auth: httpx.Auth, url: str) -> None:
    server = FakeServer()
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        with pytest.raises(InsecureTransportError) as caught:
            client.get(url)
    assert server.authorizations == []
    assert SECRET not in str(caught.value)


@pytest.mark.anyio
@pytest.mark.parametrize("auth", make_auths(), ids=repr)
async def test_plain_http_is_refused_before_sending_by_the_async_client(auth: httpx.Auth) -> None:
    server = FakeServer()
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        with pytest.raises(InsecureTransportError):
            await client.get("http://api.example.com/")
    assert server.authorizations == []


def test_a_refused_callable_or_credential_is_not_even_asked_for_a_token() -> None:
    factory = CountingTokenFactory()
    credential = FakeCredential()
    for auth in (BearerTokenAuth(factory), BearerTokenAuth(credential, scopes=[SCOPE])):
        with pytest.raises(InsecureTransportError):
            next(auth.sync_auth_flow(httpx.Request("GET", "http://api.example.com/")))
    assert factory.calls == 0
    assert credential.calls == []


@pytest.mark.parametrize("auth", make_auths(), ids=repr)
@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/x", "http://localhost/x", "http://[::1]:9/"],
)
def test_plain_http_to_loopback_is_allowed(auth: httpx.Auth, url: str) -> None:
    server = FakeServer()
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        response = client.get(url)
    assert response.status_code == 200
    assert len(server.authorizations) == 1
    assert server.authorizations[0] is not None


@pytest.mark.parametrize("auth", make_auths(), ids=repr)
def test_plain_http_to_a_localhost_subdomain_sends_nothing(auth: httpx.Auth) -> None:
    # *.localhost goes through DNS on this machine: a resolver may point it anywhere.
    server = FakeServer()
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        with pytest.raises(InsecureTransportError):
            client.get("http://app.localhost/")
    assert server.authorizations == []


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    authorizations: list[str | None] = []

    def do_GET(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        type(self).authorizations.append(self.headers.get("Authorization"))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output quiet."""


@pytest.fixture
def loopback_server() -> Iterator[tuple[str, list[str | None]]]:
    authorizations: list[str | None] = []
    handler = type("Handler", (_RecordingHandler,), {"authorizations": authorizations})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", authorizations
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_real_loopback_request_carries_the_key_and_never_logs_it(
    loopback_server: tuple[str, list[str | None]], caplog: pytest.LogCaptureFixture
) -> None:
    url, authorizations = loopback_server
    caplog.set_level(logging.DEBUG)
    with httpx.Client(auth=AccessKeyAuth(SECRET), trust_env=False) as client:
        response = client.get(url)
    assert response.status_code == 200
    assert authorizations == [f"AccessKey {SECRET}"]
    assert any(record.name.startswith("httpcore") for record in caplog.records)
    assert SECRET not in caplog.text


# -- BearerTokenAuth: plain strings -----------------------------------------------------


def test_bearer_string_header_is_set_exactly() -> None:
    server = FakeServer()
    with httpx.Client(transport=server.transport(), auth=BearerTokenAuth(SECRET)) as client:
        client.get(URL)
        client.get(URL)
    assert server.authorizations == [bearer(SECRET), bearer(SECRET)]


def test_bearer_string_401_passes_through_without_retry() -> None:
    server = FakeServer(accepted=accept_only())
    auth = BearerTokenAuth(SECRET)
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        response = client.get(URL)
    assert response.status_code == 401
    assert server.authorizations == [bearer(SECRET)]
    assert not auth.can_refresh


def test_bearer_token_with_its_scheme_prefix_is_rejected_with_a_hint() -> None:
    with pytest.raises(ValueError, match="must not start with 'Bearer'") as caught:
        BearerTokenAuth(f"Bearer {SECRET}")
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(("token", "problem"), BAD_SECRETS)
def test_bad_bearer_strings_are_rejected_without_echoing(token: str, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        BearerTokenAuth(token)
    assert str(caught.value).startswith("token ")
    assert problem in str(caught.value)
    assert SECRET not in str(caught.value)


# -- BearerTokenAuth: callables ---------------------------------------------------------


def test_callable_is_called_once_and_its_token_cached() -> None:
    server = FakeServer()
    factory = CountingTokenFactory()
    with httpx.Client(transport=server.transport(), auth=BearerTokenAuth(factory)) as client:
        for _ in range(3):
            client.get(URL)
    assert factory.calls == 1
    assert server.authorizations == [bearer(f"{SECRET}-1")] * 3


def test_callable_401_fetches_once_and_retries_once_with_the_new_token() -> None:
    server = FakeServer(accepted=accept_only(bearer(f"{SECRET}-2")))
    factory = CountingTokenFactory()
    with httpx.Client(transport=server.transport(), auth=BearerTokenAuth(factory)) as client:
        response = client.get(URL)
        assert response.status_code == 200
        assert len(response.history) == 1
        assert response.history[0].status_code == 401
        # The replacement is cached for the next request.
        client.get(URL)
    assert factory.calls == 2
    assert server.authorizations == [
        bearer(f"{SECRET}-1"),
        bearer(f"{SECRET}-2"),
        bearer(f"{SECRET}-2"),
    ]


def test_callable_second_401_is_returned_as_is() -> None:
    server = FakeServer(accepted=accept_only())
    factory = CountingTokenFactory()
    with httpx.Client(transport=server.transport(), auth=BearerTokenAuth(factory)) as client:
        response = client.get(URL)
    assert response.status_code == 401
    assert factory.calls == 2
    assert server.authorizations == [bearer(f"{SECRET}-1"), bearer(f"{SECRET}-2")]


def test_no_retry_when_the_refreshed_token_is_the_refused_one() -> None:
    server = FakeServer(accepted=accept_only())
    factory = CountingTokenFactory(fixed=SECRET)
    with httpx.Client(transport=server.transport(), auth=BearerTokenAuth(factory)) as client:
        response = client.get(URL)
    assert response.status_code == 401
    assert factory.calls == 2
    assert server.authorizations == [bearer(SECRET)]


def test_streamed_request_body_is_replayed_on_retry() -> None:
    server = FakeServer(accepted=accept_only(bearer(f"{SECRET}-2")))

    def body() -> Iterator[bytes]:
        yield b'{"text": '
        yield b'"hello"}'

    with httpx.Client(
        transport=StreamConsumingTransport(server), auth=BearerTokenAuth(CountingTokenFactory())
    ) as client:
        response = client.post(URL, content=body())
    assert response.status_code == 200
    assert server.bodies == [b'{"text": "hello"}'] * 2


@pytest.mark.anyio
async def test_streamed_request_body_is_replayed_on_async_retry() -> None:
    server = FakeServer(accepted=accept_only(bearer(f"{SECRET}-2")))

    async def body() -> AsyncIterator[bytes]:
        yield b'{"text": '
        yield b'"hello"}'

    async with httpx.AsyncClient(
        transport=StreamConsumingTransport(server), auth=BearerTokenAuth(CountingTokenFactory())
    ) as client:
        response = await client.post(URL, content=body())
    assert response.status_code == 200
    assert server.bodies == [b'{"text": "hello"}'] * 2


def test_callable_returning_a_non_string_is_a_credential_error() -> None:
    auth = BearerTokenAuth(lambda: SECRET.encode())  # type: ignore[arg-type, return-value]
    expected = r"the token from <callable .*<lambda>>\(\) must be a str, not bytes"
    with pytest.raises(CredentialError, match=expected):
        next(auth.sync_auth_flow(httpx.Request("GET", URL)))


# -- BearerTokenAuth: credentials -------------------------------------------------------


def test_credential_is_asked_with_the_scopes_and_its_token_cached() -> None:
    server = FakeServer()
    credential = FakeCredential()
    auth = BearerTokenAuth(credential, scopes=[SCOPE, "offline_access"])
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        client.get(URL)
        client.get(URL)
    assert credential.calls == [(SCOPE, "offline_access")]
    assert server.authorizations == [bearer(f"{SECRET}-1")] * 2


def test_credential_401_refreshes_once_and_retries_with_the_new_token() -> None:
    server = FakeServer(accepted=accept_only(bearer(f"{SECRET}-2")))
    credential = FakeCredential()
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(credential.calls) == 2
    assert server.authorizations == [bearer(f"{SECRET}-1"), bearer(f"{SECRET}-2")]


def test_credential_second_401_is_returned_as_is() -> None:
    server = FakeServer(accepted=accept_only())
    credential = FakeCredential()
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        response = client.get(URL)
    assert response.status_code == 401
    assert len(credential.calls) == 2
    assert server.authorizations == [bearer(f"{SECRET}-1"), bearer(f"{SECRET}-2")]


@pytest.mark.parametrize("status", [200, 403, 404, 500])
def test_responses_other_than_401_do_not_refresh(status: int) -> None:
    credential = FakeCredential()
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    transport = httpx.MockTransport(lambda request: httpx.Response(status))
    with httpx.Client(transport=transport, auth=auth) as client:
        assert client.get(URL).status_code == status
    assert len(credential.calls) == 1


def test_credential_token_is_refreshed_only_once_the_margin_is_reached() -> None:
    clock = FakeClock(now=1_000.0)
    server = FakeServer()
    credential = FakeCredential(expires_on=2_000)
    auth = BearerTokenAuth(credential, scopes=[SCOPE], refresh_margin=300.0, clock=clock)
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        client.get(URL)
        clock.now = 1_699.999
        client.get(URL)
        assert len(credential.calls) == 1
        clock.now = 1_700.0  # == expires_on - refresh_margin
        credential.expires_on = 5_000
        client.get(URL)
        assert len(credential.calls) == 2
        clock.now = 4_699.0
        client.get(URL)
    assert len(credential.calls) == 2
    assert server.authorizations == [
        bearer(f"{SECRET}-1"),
        bearer(f"{SECRET}-1"),
        bearer(f"{SECRET}-2"),
        bearer(f"{SECRET}-2"),
    ]


def test_a_fresh_token_already_inside_the_margin_is_still_used() -> None:
    clock = FakeClock(now=1_000.0)
    server = FakeServer()
    credential = FakeCredential(expires_on=1_100)  # shorter-lived than the 300 s margin
    auth = BearerTokenAuth(credential, scopes=[SCOPE], clock=clock)
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        client.get(URL)
        client.get(URL)
    assert server.authorizations == [bearer(f"{SECRET}-1"), bearer(f"{SECRET}-2")]
    assert len(credential.calls) == 2


class OddAccessToken:
    def __init__(self, token: object, expires_on: object) -> None:
        self.token = token
        self.expires_on = expires_on


class OddCredential:
    def __init__(self, result: object) -> None:
        self.result = result

    def get_token(self, *scopes: str) -> Any:  # deliberately not AccessTokenLike
        return self.result


@pytest.mark.parametrize(
    ("result", "cause", "message"),
    [
        (
            OddAccessToken(SECRET.encode(), 1),
            TypeError,
            "a str .token, got OddAccessToken whose .token is bytes",
        ),
        (SECRET, TypeError, "a str .token, got str whose .token is NoneType"),
        (
            OddAccessToken(SECRET, str(4_000_000_000)),
            TypeError,
            "numeric .expires_on (unix seconds), got str",
        ),
        (OddAccessToken(SECRET, True), TypeError, "numeric .expires_on (unix seconds), got bool"),
        (OddAccessToken(SECRET, math.nan), ValueError, "finite .expires_on"),
        (OddAccessToken(SECRET, math.inf), ValueError, "finite .expires_on"),
        (OddAccessToken(SECRET, -math.inf), ValueError, "finite .expires_on"),
        (
            OddAccessToken(f"{SECRET}\r\n", 1),
            ValueError,
            "OddCredential>.get_token() contains whitespace",
        ),
        (OddAccessToken(f"Bearer {SECRET}", 1), ValueError, "must not start with 'Bearer'"),
    ],
)
def test_malformed_credential_results_are_credential_errors_without_echoing(
    result: object, cause: type[Exception], message: str
) -> None:
    auth = BearerTokenAuth(OddCredential(result), scopes=[SCOPE])
    with pytest.raises(CredentialError) as caught:
        next(auth.sync_auth_flow(httpx.Request("GET", URL)))
    assert message in str(caught.value)
    assert "<credential OddCredential>" in str(caught.value)
    assert isinstance(caught.value.__cause__, cause)
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)
    assert SECRET not in repr(caught.value.args)


class RaisingCredential:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def get_token(self, *scopes: str) -> FakeAccessToken:
        raise self.error


class RaisingAsyncCredential:
    def __init__(self, error: Exception) -> None:
        self.error = error

    async def get_token(self, *scopes: str) -> FakeAccessToken:
        raise self.error


def raise_runtime_error() -> str:
    raise RuntimeError("token endpoint unreachable")


@pytest.mark.parametrize(
    ("source", "scopes", "named"),
    [
        (RaisingCredential(RuntimeError("boom")), [SCOPE], "<credential RaisingCredential>"),
        (RaisingCredential(TypeError("bad")), [SCOPE], "<credential RaisingCredential>"),
        (raise_runtime_error, [], "<callable raise_runtime_error>"),
    ],
)
def test_a_source_that_raises_is_a_credential_error_keeping_the_cause(
    source: Any, scopes: list[str], named: str
) -> None:
    auth = BearerTokenAuth(source, scopes=scopes)
    server = FakeServer()
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        with pytest.raises(CredentialError) as caught:
            client.get(URL)
    assert named in str(caught.value)
    assert type(caught.value.__cause__).__name__ in str(caught.value)
    assert caught.value.__cause__ is not None
    assert server.authorizations == []


def test_a_callable_returning_a_non_string_is_a_credential_error() -> None:
    auth = BearerTokenAuth(lambda: 42)  # type: ignore[arg-type, return-value]
    with pytest.raises(CredentialError, match=r"<callable .*<lambda>>\(\) must be a str, not int") as caught:
        next(auth.sync_auth_flow(httpx.Request("GET", URL)))
    assert isinstance(caught.value.__cause__, TypeError)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "credential",
    [
        RaisingAsyncCredential(RuntimeError("boom")),
        RaisingCredential(RuntimeError("boom")),
        OddCredential(OddAccessToken(SECRET, math.nan)),
        OddCredential(OddAccessToken(12345, 1)),
    ],
    ids=lambda credential: type(credential).__name__,
)
async def test_async_client_credential_failures_are_credential_errors(credential: Any) -> None:
    server = FakeServer()
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        with pytest.raises(CredentialError) as caught:
            await client.get(URL)
    assert caught.value.__cause__ is not None
    assert SECRET not in str(caught.value)
    assert server.authorizations == []


@pytest.mark.anyio
async def test_async_callable_failure_is_a_credential_error() -> None:
    auth = BearerTokenAuth(raise_runtime_error)
    async with httpx.AsyncClient(transport=FakeServer().transport(), auth=auth) as client:
        with pytest.raises(CredentialError, match="raise_runtime_error") as caught:
            await client.get(URL)
    assert isinstance(caught.value.__cause__, RuntimeError)


def test_a_nan_expiry_is_never_cached_as_valid_forever() -> None:
    # Before: NaN compared false with everything, so the token was never refreshed.
    credential = OddCredential(OddAccessToken(SECRET, math.nan))
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    for _ in range(2):
        with pytest.raises(CredentialError, match="finite .expires_on"):
            next(auth.sync_auth_flow(httpx.Request("GET", URL)))


def test_a_credential_that_recovers_is_asked_again_after_a_failure() -> None:
    outcomes: list[Exception | FakeAccessToken] = [RuntimeError("down"), FakeAccessToken(SECRET, 4_000_000_000)]

    class Flaky:
        def get_token(self, *scopes: str) -> FakeAccessToken:
            outcome = outcomes.pop(0)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

    server = FakeServer()
    auth = BearerTokenAuth(Flaky(), scopes=[SCOPE])
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        with pytest.raises(CredentialError):
            client.get(URL)
        assert client.get(URL).status_code == 200
    assert server.authorizations == [bearer(SECRET)]


def test_async_credential_with_the_sync_client_is_a_clear_type_error() -> None:
    credential = FakeAsyncCredential()
    server = FakeServer()
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    with httpx.Client(transport=server.transport(), auth=auth) as client:
        with pytest.raises(TypeError, match="async credentials need httpx.AsyncClient"):
            client.get(URL)
    # The coroutine was closed, so collecting it raises no "never awaited" warning
    # (which pytest's filterwarnings=error would turn into a failure).
    gc.collect()
    assert server.authorizations == []
    assert len(credential.calls) == 0  # the coroutine body never started


# -- BearerTokenAuth: async -------------------------------------------------------------


@pytest.mark.anyio
async def test_async_client_with_a_sync_credential_refreshes_after_401() -> None:
    server = FakeServer(accepted=accept_only(bearer(f"{SECRET}-2")))
    credential = FakeCredential()
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        first = await client.get(URL)
        second = await client.get(URL)
    assert (first.status_code, second.status_code) == (200, 200)
    assert credential.calls == [(SCOPE,), (SCOPE,)]
    assert server.authorizations == [bearer(f"{SECRET}-{n}") for n in (1, 2, 2)]


@pytest.mark.anyio
async def test_async_client_with_an_async_credential_refreshes_after_401() -> None:
    server = FakeServer(accepted=accept_only(bearer(f"{SECRET}-2")))
    credential = FakeAsyncCredential()
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        first = await client.get(URL)
        second = await client.get(URL)
    assert (first.status_code, second.status_code) == (200, 200)
    assert credential.calls == [(SCOPE,), (SCOPE,)]
    assert server.authorizations == [bearer(f"{SECRET}-{n}") for n in (1, 2, 2)]


@pytest.mark.anyio
async def test_async_client_second_401_is_returned_as_is() -> None:
    server = FakeServer(accepted=accept_only())
    credential = FakeAsyncCredential()
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        response = await client.get(URL)
    assert response.status_code == 401
    assert len(credential.calls) == 2
    assert server.authorizations == [bearer(f"{SECRET}-1"), bearer(f"{SECRET}-2")]


@pytest.mark.anyio
async def test_async_client_refreshes_on_expiry() -> None:
    clock = FakeClock(now=0.0)
    server = FakeServer()
    credential = FakeCredential(expires_on=1_000)
    auth = BearerTokenAuth(credential, scopes=[SCOPE], refresh_margin=100.0, clock=clock)
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        await client.get(URL)
        clock.now = 899.0
        await client.get(URL)
        clock.now = 900.0
        await client.get(URL)
    assert server.authorizations == [bearer(f"{SECRET}-{n}") for n in (1, 1, 2)]


@pytest.mark.anyio
async def test_async_string_token_is_never_refetched() -> None:
    server = FakeServer(accepted=accept_only())
    auth = BearerTokenAuth(SECRET)
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        response = await client.get(URL)
    assert response.status_code == 401
    assert server.authorizations == [bearer(SECRET)]


# -- concurrency ------------------------------------------------------------------------


@pytest.mark.anyio
async def test_concurrent_async_requests_share_one_fetch() -> None:
    server = FakeServer()
    credential = FakeAsyncCredential(delay=0.01)
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        responses = await asyncio.gather(*(client.get(URL) for _ in range(10)))
    assert [response.status_code for response in responses] == [200] * 10
    assert len(credential.calls) == 1


@pytest.mark.anyio
async def test_concurrent_async_401s_share_one_refresh() -> None:
    server = FakeServer(accepted=lambda header: header != bearer(f"{SECRET}-1"))
    credential = FakeAsyncCredential(delay=0.01)
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        responses = await asyncio.gather(*(client.get(URL) for _ in range(10)))
    assert [response.status_code for response in responses] == [200] * 10
    assert len(credential.calls) == 2


def test_the_auth_object_survives_more_than_one_event_loop() -> None:
    clock = FakeClock(now=0.0)
    credential = FakeAsyncCredential(delay=0.001, expires_on=1_000)
    auth = BearerTokenAuth(credential, scopes=[SCOPE], clock=clock)

    async def burst() -> None:
        # Concurrent requests make the tasks wait on the lock, which binds it to the loop.
        async with httpx.AsyncClient(transport=FakeServer().transport(), auth=auth) as client:
            await asyncio.gather(*(client.get(URL) for _ in range(3)))

    asyncio.run(burst())
    clock.now = 1_000.0  # past expiry, so the second loop fetches (and locks) again
    credential.expires_on = 10_000
    asyncio.run(burst())  # an asyncio.Lock bound to the first loop would fail here
    assert len(credential.calls) == 2


class SlowCredential(FakeCredential):
    def get_token(self, *scopes: str) -> FakeAccessToken:
        time.sleep(0.05)  # wide window for other threads to pile in
        return super().get_token(*scopes)


def test_concurrent_threads_share_one_fetch() -> None:
    credential = SlowCredential()
    auth = BearerTokenAuth(credential, scopes=[SCOPE])
    server = FakeServer()
    thread_count = 8
    start = threading.Barrier(thread_count)
    statuses: list[int] = []

    def request() -> None:
        with httpx.Client(transport=server.transport(), auth=auth) as client:
            start.wait()
            statuses.append(client.get(URL).status_code)

    threads = [threading.Thread(target=request) for _ in range(thread_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * thread_count
    assert len(credential.calls) == 1


@pytest.mark.parametrize(
    ("status", "can_refresh", "expected"),
    [(401, True, True), (401, False, False), (403, True, False), (200, True, False)],
)
def test_should_retry(status: int, can_refresh: bool, expected: bool) -> None:
    assert _should_retry(status, can_refresh=can_refresh) is expected


# -- construction -----------------------------------------------------------------------


def test_scopes_are_required_with_a_credential() -> None:
    with pytest.raises(ValueError, match="scopes is required with a credential"):
        BearerTokenAuth(FakeCredential())


@pytest.mark.parametrize("token", [SECRET, CountingTokenFactory()], ids=["str", "callable"])
def test_scopes_are_refused_without_a_credential(token: str | CountingTokenFactory) -> None:
    with pytest.raises(ValueError, match="scopes only apply when token is a credential") as caught:
        BearerTokenAuth(token, scopes=[SCOPE])
    assert SECRET not in str(caught.value)


def test_a_single_scope_string_is_refused() -> None:
    with pytest.raises(TypeError, match="not one string"):
        BearerTokenAuth(FakeCredential(), scopes=SCOPE)


@pytest.mark.parametrize("scopes", [[""], [SCOPE, 3]])
def test_empty_or_non_string_scopes_are_refused(scopes: list[object]) -> None:
    with pytest.raises(ValueError, match="non-empty strings"):
        BearerTokenAuth(FakeCredential(), scopes=scopes)  # type: ignore[arg-type]


@pytest.mark.parametrize("margin", [-1.0, float("nan"), float("inf")])
def test_bad_refresh_margins_are_refused(margin: float) -> None:
    with pytest.raises(ValueError, match="refresh_margin"):
        BearerTokenAuth(FakeCredential(), scopes=[SCOPE], refresh_margin=margin)


def test_non_numeric_refresh_margin_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="refresh_margin must be a number, not str"):
        BearerTokenAuth(SECRET, refresh_margin="300")  # type: ignore[arg-type]


def test_non_callable_clock_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="clock"):
        BearerTokenAuth(SECRET, clock=1.0)  # type: ignore[arg-type]


def test_unsupported_token_types_are_refused_without_echoing() -> None:
    with pytest.raises(TypeError, match="not bytes") as caught:
        BearerTokenAuth(SECRET.encode())  # type: ignore[arg-type]
    assert SECRET not in str(caught.value)


def test_protocols_match_duck_typed_credentials() -> None:
    assert isinstance(FakeCredential(), TokenCredential)
    assert isinstance(FakeAsyncCredential(), AsyncTokenCredential)
    assert isinstance(FakeAccessToken("t", 1), AccessTokenLike)
    assert not isinstance(object(), TokenCredential)
    # Statically, the fakes satisfy the protocols too (checked by mypy).
    credential: TokenCredential = FakeCredential()
    async_credential: AsyncTokenCredential = FakeAsyncCredential()
    assert callable(credential.get_token)
    assert callable(async_credential.get_token)


# -- repr and leak checks ---------------------------------------------------------------


def named_token_function() -> str:
    return SECRET


@pytest.mark.parametrize(
    ("auth", "expected"),
    [
        (BearerTokenAuth(SECRET), "BearerTokenAuth(token='***')"),
        (
            BearerTokenAuth(named_token_function),
            "BearerTokenAuth(token=<callable named_token_function>)",
        ),
        (
            BearerTokenAuth(CountingTokenFactory()),
            "BearerTokenAuth(token=<callable CountingTokenFactory>)",
        ),
        (
            BearerTokenAuth(functools.partial(str, SECRET)),
            "BearerTokenAuth(token=<callable partial>)",
        ),
        (
            BearerTokenAuth(FakeCredential(), scopes=[SCOPE]),
            f"BearerTokenAuth(token=<credential FakeCredential>, scopes=['{SCOPE}'])",
        ),
    ],
)
def test_bearer_repr_shows_the_kind_of_source_only(auth: BearerTokenAuth, expected: str) -> None:
    assert repr(auth) == expected
    assert str(auth) == expected


def test_no_secret_anywhere_across_a_full_refresh_cycle(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server = FakeServer(accepted=accept_only(bearer(f"{SECRET}-2")))
    credential = FakeCredential()
    bearer_auth = BearerTokenAuth(credential, scopes=[SCOPE])
    key_auth = AccessKeyAuth(SECRET)
    observed: list[str] = []
    with httpx.Client(transport=server.transport(), auth=bearer_auth) as client:
        response = client.get(URL)
        client.get(URL, auth=key_auth)
        with pytest.raises(InsecureTransportError) as refused:
            client.get("http://api.example.com/")
        observed += [repr(refused.value), str(refused.value), repr(refused.value.args)]
    assert response.status_code == 200
    assert server.authorizations[:2] == [bearer(f"{SECRET}-1"), bearer(f"{SECRET}-2")]
    # The debug log really did cover the fetch and the retry, so its silence means something.
    messages = [record.getMessage() for record in caplog.records]
    assert any("fetching a bearer token" in message for message in messages)
    assert any("retrying once" in message for message in messages)
    observed += [
        caplog.text,
        repr(bearer_auth),
        str(bearer_auth),
        repr(key_auth),
        str(key_auth),
        repr(response),
        repr(response.request),
        repr(response.request.headers),
        repr(bearer_auth._cache._token),  # pyright: ignore[reportPrivateUsage]  # the cached token's repr
    ]
    for text in observed:
        assert SECRET not in text


@pytest.mark.anyio
async def test_no_secret_in_async_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server = FakeServer(accepted=accept_only(bearer(f"{SECRET}-2")))
    auth = BearerTokenAuth(FakeAsyncCredential(), scopes=[SCOPE])
    async with httpx.AsyncClient(transport=server.transport(), auth=auth) as client:
        response = await client.get(URL)
    assert response.status_code == 200
    assert any("retrying once" in record.getMessage() for record in caplog.records)
    assert SECRET not in caplog.text
    assert SECRET not in repr(auth)


# -- Omnichannel only: bearer token refresh over real HTTP, and the no-polling warning -------------


@attrs.frozen
class AccessToken:
    token: str
    expires_on: int


class RotatingCredential:
    """An azure-identity style credential handing out token-1, token-2, ..."""

    def __init__(self, lifetime: float = 3600) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.lifetime = lifetime

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.calls.append(scopes)
        return AccessToken(token=f"token-{len(self.calls)}", expires_on=int(time.time() + self.lifetime))


def _only_token(accepted: str) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] != f"Bearer {accepted}":
            return httpx.Response(401, json={"title": "Unauthorized", "status": 401, "errorCode": 30002})
        return OMNI.page(range(1))

    return answer


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_401_refreshes_the_credential_once_and_retries(kind: str) -> None:
    credential = RotatingCredential()
    scope = "https://0000-c.crm.dynamics.com/.default"
    with scripted(_only_token("token-2"), _only_token("token-2")) as (script, base_url):
        client = omni_client(kind, base_url, token=credential, scope=scope)
        assert len(await items(client.list_conversations())) == 1
        await close(client)
    assert [request.headers["authorization"] for request in script.requests] == ["Bearer token-1", "Bearer token-2"]
    assert credential.calls == [(scope,), (scope,)]


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_second_401_is_an_authentication_error(kind: str) -> None:
    credential = RotatingCredential()
    with scripted(_only_token("never"), _only_token("never"), _only_token("never")) as (script, base_url):
        client = omni_client(kind, base_url, token=credential, scope="s/.default")
        with pytest.raises(errors.AuthenticationError) as caught:
            await items(client.list_conversations())
        await close(client)
    assert caught.value.code == 30002
    assert len(script.requests) == 2
    assert "token-" not in str(caught.value)


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_token_near_expiry_is_refreshed_before_sending(kind: str) -> None:
    credential = RotatingCredential(lifetime=60)  # inside the 300 s refresh margin
    with scripted(OMNI.page(range(1), "t2"), OMNI.page(range(1, 2))) as (script, base_url):
        client = omni_client(kind, base_url, token=credential, scope="s/.default")
        await items(client.list_conversations())
        await close(client)
    assert [request.headers["authorization"] for request in script.requests] == ["Bearer token-1", "Bearer token-2"]


@pytest.mark.anyio
@pytest.mark.loopback
async def test_a_callable_token_is_called_again_after_a_401(kind: str) -> None:
    handed_out: list[str] = []

    def next_token() -> str:
        handed_out.append(f"token-{len(handed_out) + 1}")
        return handed_out[-1]

    with scripted(_only_token("token-2"), _only_token("token-2")) as (_, base_url):
        client = omni_client(kind, base_url, token=next_token)
        assert len(await items(client.list_conversations())) == 1
        await close(client)
    assert handed_out == ["token-1", "token-2"]


# -- Item 4 of issue 9: a credential that fails is a ``CredentialError`` (cause kept, no token
# shown), with ``resume_token`` when it fails mid-listing ------------------------------------------


FAILURES = ["raises", "nan", "not_a_string"]


def credential_for(mode: str) -> str:
    return "failing_after" if mode == "sync" else "async_failing_after"


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", FAILURES)
def test_a_credential_failing_mid_listing_is_a_credential_error_with_the_resume_token(failure: str, mode: str) -> None:
    pages = json_page(page_body("omnichannel", [1], "page-2")), json_page(page_body("omnichannel", [2], None))
    with serve(*pages) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, credential=credential_for(mode),
            credential_options={"good": 1, "failure": failure}, timeout=30,
        )  # fmt: skip
        requests = len(server.requests)
    assert outcome.error_type == "CredentialError", outcome.error_message
    assert outcome.resume_token == "page-2"
    assert outcome.items == (item_id(1),)
    assert requests == 1  # nothing sent without a token
    assert BEARER_TOKEN not in (outcome.error_message or "")
    assert "FailingCredential" in (outcome.error_message or "")


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failure", FAILURES)
def test_a_credential_failing_at_once_is_a_credential_error_before_anything_is_sent(failure: str, mode: str) -> None:
    with serve(json_page(page_body("omnichannel", [1], None))) as server:
        outcome = run_listing(
            "omnichannel", mode, server.base_url, credential=credential_for(mode),
            credential_options={"good": 0, "failure": failure}, timeout=30,
        )  # fmt: skip
        requests = len(server.requests)
    assert outcome.error_type == "CredentialError", outcome.error_message
    assert outcome.resume_token is None
    assert requests == 0


def test_a_bearer_token_is_registered_for_log_scrubbing_once_however_many_requests_carry_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # each request holds its token's registration (it stays hidden while the request lives, as
    # test_logging's refresh tests show), registered once per token, not once per request
    registered: list[str] = []

    def counted(owner: object, secret: str) -> None:
        registered.append(secret)
        hide_in_logs(owner, secret)

    monkeypatch.setattr(auth_module, "hide_in_logs", counted)
    auth = BearerTokenAuth(lambda: SECRET)
    for _ in range(5):
        flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.example/"))
        assert next(flow).headers["Authorization"] == f"Bearer {SECRET}"
    assert registered == [SECRET, SECRET]  # the auth object's, and the token's hold on the requests
