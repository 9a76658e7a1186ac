"""Client-construction options from a careless caller (issue 9, items 10 and 11): refused when the
client is built, with TypeError for a wrong kind and ValueError for a bad value, naming the option."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from conversation_clients._checks import (
    require_max_retries,
    require_polling_interval,
    require_prefetch,
    require_retry_policy,
    require_timeout,
    require_transport,
)
from conversation_clients._settings import AsyncClientOptions, SyncClientOptions
from conversation_clients.bird import AsyncBirdClient, BirdClient
from conversation_clients.omnichannel import AsyncOmnichannelClient, OmnichannelClient
from conversation_clients.retry import RetryPolicy
from tests.integration.harness import ACCESS_KEY, BEARER_TOKEN, CHANNEL_ID, ORGANIZATION_ID

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


def sync_transport() -> httpx.BaseTransport:
    return httpx.HTTPTransport()


def async_transport() -> httpx.AsyncBaseTransport:
    return httpx.AsyncHTTPTransport()


# -- item 10: timeouts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timeout", "error", "message"),
    [
        (httpx.Timeout(None), ValueError, "timeout.connect"),
        (httpx.Timeout(5, read=None), ValueError, "timeout.read"),
        (httpx.Timeout(5, pool=None), ValueError, "timeout.pool"),
        (httpx.Timeout(5, write=-1), ValueError, "timeout.write"),
        (httpx.Timeout(math.nan), ValueError, "timeout.connect"),
        (httpx.Timeout(5, connect=math.inf), ValueError, "timeout.connect"),
        (-1, ValueError, "timeout must be a finite number of seconds above 0"),
        (0, ValueError, "timeout must be a finite number of seconds above 0"),
        (math.nan, ValueError, "timeout must be a finite number of seconds above 0"),
        (math.inf, ValueError, "timeout must be a finite number of seconds above 0"),
        ("5", TypeError, "timeout must be a number of seconds or an httpx.Timeout, not str"),
        (True, TypeError, "timeout must be a number of seconds or an httpx.Timeout, not bool"),
        (None, ValueError, "timeout"),
    ],
)
@pytest.mark.parametrize("client", CLIENTS)
def test_a_timeout_that_waits_forever_or_cannot_work_is_refused_at_construction(
    client: str, timeout: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message.replace(".", r"\.")):
        build(client, timeout=timeout)


def test_a_timeout_component_error_says_which_and_what_it_got() -> None:
    with pytest.raises(ValueError) as caught:
        require_timeout(httpx.Timeout(5, read=None))
    assert str(caught.value) == (
        "timeout.read must be a finite number of seconds above 0, got None (None would wait forever)"
    )


@pytest.mark.parametrize("timeout", [5, 0.5, httpx.Timeout(5), httpx.Timeout(30, connect=2)])
def test_finite_positive_timeouts_are_accepted(timeout: float | httpx.Timeout) -> None:
    checked = require_timeout(timeout)
    assert isinstance(checked, httpx.Timeout)
    assert all(value is not None and value > 0 for value in checked.as_dict().values())


# -- item 11: the other options -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"retry_policy": "x"}, TypeError, "retry_policy must be a RetryPolicy or None, not str"),
        ({"retry_policy": {"max_retries": 1}}, TypeError, "retry_policy must be a RetryPolicy or None, not dict"),
        ({"max_retries": "2"}, TypeError, "max_retries must be an int, not str"),
        ({"max_retries": 2.0}, TypeError, "max_retries must be an int, not float"),
        ({"max_retries": True}, TypeError, "max_retries must be an int, not bool"),
        ({"max_retries": -1}, ValueError, "max_retries must be >= 0"),
        ({"max_retries": "2", "retry_policy": RetryPolicy()}, TypeError, "max_retries must be an int"),
        ({"prefetch": "no"}, TypeError, "prefetch must be a bool or \"always\", not str 'no'"),
        ({"prefetch": 0}, TypeError, 'prefetch must be a bool or "always", not int$'),
        ({"prefetch": "Always"}, TypeError, "prefetch must be a bool or \"always\", not str 'Always'"),
        ({"transport": "x"}, TypeError, "transport must be"),
    ],
)
@pytest.mark.parametrize("client", CLIENTS)
def test_wrong_options_are_refused_at_construction(
    client: str, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        build(client, **options)


@pytest.mark.parametrize("client", ["bird-sync", "omnichannel-sync"])
def test_an_async_transport_given_to_a_sync_client_is_refused(client: str) -> None:
    with pytest.raises(TypeError, match=r"transport must be an httpx\.BaseTransport .* not AsyncHTTPTransport"):
        build(client, transport=async_transport())


@pytest.mark.parametrize("client", ["bird-async", "omnichannel-async"])
def test_a_sync_transport_given_to_an_async_client_is_refused(client: str) -> None:
    with pytest.raises(TypeError, match=r"transport must be an httpx\.AsyncBaseTransport .* not HTTPTransport"):
        build(client, transport=sync_transport())


@pytest.mark.parametrize(
    ("interval", "error", "message"),
    [
        ("x", TypeError, "polling_warning_interval must be a number of seconds or None, not str"),
        (True, TypeError, "polling_warning_interval must be a number of seconds or None, not bool"),
        (-1, ValueError, "polling_warning_interval must be a finite number of seconds >= 0"),
        (math.nan, ValueError, "polling_warning_interval must be a finite number of seconds >= 0"),
        (math.inf, ValueError, "polling_warning_interval must be a finite number of seconds >= 0"),
    ],
)
@pytest.mark.parametrize("client", ["omnichannel-sync", "omnichannel-async"])
def test_a_bad_polling_warning_interval_is_refused_at_construction(
    client: str, interval: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        build(client, polling_warning_interval=interval)


@pytest.mark.anyio
@pytest.mark.parametrize("client", CLIENTS)
async def test_good_options_still_build(client: str) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    built = build(
        client, timeout=httpx.Timeout(3, connect=1), retry_policy=RetryPolicy(max_retries=1), prefetch=False,
        transport=transport, max_retries=0,
    )  # fmt: skip
    if hasattr(built, "aclose"):
        await built.aclose()
    else:
        built.close()


def test_the_checks_return_what_they_accept() -> None:
    policy = RetryPolicy()
    transport = sync_transport()
    assert require_retry_policy(policy) is policy
    assert require_retry_policy(None) is None
    assert require_max_retries(3) == 3
    assert require_prefetch(False) is False
    assert require_prefetch("always") == "always"
    require_transport(None, asynchronous=False)
    require_transport(transport, asynchronous=False)
    transport.close()
    assert require_polling_interval(None) is None
    assert require_polling_interval(60) == 60.0


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
