"""Omnichannel only: bearer token refresh over real HTTP, and the no-polling warning."""

from __future__ import annotations

import time
import warnings
from typing import Any

import attrs
import httpx
import pytest

from conversation_clients import PollingWarning, errors
from tests.integration.harness import OMNI, close, items, omni_client, scripted

pytestmark = pytest.mark.anyio


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


async def test_a_401_refreshes_the_credential_once_and_retries(kind: str) -> None:
    credential = RotatingCredential()
    scope = "https://0000-c.crm.dynamics.com/.default"
    with scripted(_only_token("token-2"), _only_token("token-2")) as (script, base_url):
        client = omni_client(kind, base_url, token=credential, scope=scope)
        assert len(await items(client.list_conversations())) == 1
        await close(client)
    assert [request.headers["authorization"] for request in script.requests] == ["Bearer token-1", "Bearer token-2"]
    assert credential.calls == [(scope,), (scope,)]


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


async def test_a_token_near_expiry_is_refreshed_before_sending(kind: str) -> None:
    credential = RotatingCredential(lifetime=60)  # inside the 300 s refresh margin
    with scripted(OMNI.page(range(1), "t2"), OMNI.page(range(1, 2))) as (script, base_url):
        client = omni_client(kind, base_url, token=credential, scope="s/.default")
        await items(client.list_conversations())
        await close(client)
    assert [request.headers["authorization"] for request in script.requests] == ["Bearer token-1", "Bearer token-2"]


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


async def test_starting_listings_in_quick_succession_warns(kind: str) -> None:
    with scripted(OMNI.page(range(1)), OMNI.page(range(1)), OMNI.page(range(1))) as (_, base_url):
        client = omni_client(kind, base_url, polling_warning_interval=60.0)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            await items(client.list_conversations())
            await items(client.list_conversations(continuation_token="resume"))
        with pytest.warns(PollingWarning, match="polling"):
            client.list_conversations()
        await close(client)


async def test_polling_warning_can_be_turned_off(kind: str) -> None:
    with scripted() as (_, base_url):
        client = omni_client(kind, base_url, polling_warning_interval=None)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            client.list_conversations()
            client.list_conversations()
        await close(client)


def test_the_docstring_says_not_to_poll() -> None:
    from conversation_clients import AsyncOmnichannelClient, OmnichannelClient

    for client_class in (OmnichannelClient, AsyncOmnichannelClient):
        doc = client_class.list_conversations.__doc__ or ""
        assert "polling" in doc
