"""A client's options, declared once (:mod:`conversation_clients._settings`): both kinds of client
take the same names, an unknown one is refused as Python refuses an unexpected keyword, and each
is documented where the client is.
"""

from __future__ import annotations

from typing import Any

import pytest

from conversation_clients._settings import AsyncClientOptions, SyncClientOptions
from conversation_clients.bird import AsyncBirdClient, BirdClient
from conversation_clients.omnichannel import AsyncOmnichannelClient, OmnichannelClient
from tests.support.scripted import (
    ACCESS_KEY,
    BEARER_TOKEN,
    BIRD,
    CHANNEL_ID,
    ORGANIZATION_ID,
    VENDORS,
)

BASE_URL = "https://api.example"
CLIENTS = ["bird-sync", "bird-async", "omnichannel-sync", "omnichannel-async"]


def build(name: str, **options: Any) -> Any:
    if name == "bird-sync":
        return BirdClient(ACCESS_KEY, base_url=BASE_URL, **options)
    if name == "bird-async":
        return AsyncBirdClient(ACCESS_KEY, base_url=BASE_URL, **options)
    common: dict[str, Any] = {"organization_id": ORGANIZATION_ID, "channel_id": CHANNEL_ID, "token": BEARER_TOKEN}
    if name == "omnichannel-sync":
        return OmnichannelClient(BASE_URL, **common, **options)
    return AsyncOmnichannelClient(BASE_URL, **common, **options)


# -- the options are declared once (_settings.ClientOptions) --------------------------------------


def test_both_kinds_of_client_take_the_same_option_names() -> None:
    # they differ in the types of transport and http_client only
    assert SyncClientOptions.__optional_keys__ == AsyncClientOptions.__optional_keys__
    assert SyncClientOptions.__required_keys__ == AsyncClientOptions.__required_keys__ == frozenset()


@pytest.mark.parametrize("client", CLIENTS)
def test_an_unknown_option_is_refused_as_python_refuses_an_unexpected_keyword(client: str) -> None:
    with pytest.raises(
        TypeError, match=r"^[A-Za-z]+Client\.__init__\(\) got an unexpected keyword argument 'max_retry'$"
    ):
        build(client, max_retry=2)


def test_an_unknown_option_is_refused_before_anything_else_is_checked() -> None:
    # as Python's argument binding refused it, before the credential or the base URL is read
    with pytest.raises(TypeError, match="unexpected keyword argument 'retries'"):
        BirdClient("", base_url="http://example.com", retries=1)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


@pytest.mark.parametrize("client", [BirdClient, OmnichannelClient])
def test_every_option_is_documented_where_the_client_is(client: type[object]) -> None:
    # the signature shows **options only: the docstring (rendered by the docs site) names each one;
    # the async clients' say they take the same arguments
    documented = client.__doc__ or ""
    missing = sorted(name for name in SyncClientOptions.__optional_keys__ if f"``{name}``" not in documented)
    assert missing == []


# -- Both vendors, sync and async, over real loopback HTTP: paging, resume, retries, errors --------


@pytest.mark.anyio
@pytest.mark.loopback
def test_the_default_timeout_is_finite() -> None:
    from conversation_clients._settings import DEFAULT_TIMEOUT

    for vendor in VENDORS:
        client = vendor.client("sync", "http://127.0.0.1:9", retry_policy=None)
        timeout = client._http.timeout
        assert timeout == DEFAULT_TIMEOUT
        assert all(value is not None and 0 < value <= 60 for value in (timeout.connect, timeout.read, timeout.pool))
        client.close()
    with pytest.raises(ValueError, match="timeout"):
        BIRD.client("sync", "http://127.0.0.1:9", timeout=None)
