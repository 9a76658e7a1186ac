"""The transport rules for credentials (:mod:`conversation_clients._security`): https only, plain
http to loopback hosts only, and ``http://*.localhost`` not trusted as loopback by its name.
"""

from __future__ import annotations

import ipaddress

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients._security import (
    InsecureTransportError,
    is_loopback_host,
    require_secure_base_url,
    require_secure_transport,
    same_origin,
)
from tests.support.hostile.harness import run_listing
from tests.support.hostile.pages import MODES, VENDOR_NAMES, page_body
from tests.support.hostile.server import json_page, serve

SECRET = "s3cr3t-DO-NOT-LEAK"


# -- is_loopback_host -------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LocalHost",
        "localhost.",
        "127.0.0.1",
        "127.255.255.254",
        "127.1.2.3",
        "::1",
        "[::1]",
        "0:0:0:0:0:0:0:1",
    ],
)
def test_loopback_hosts_are_recognised(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host",
    [
        "",
        "example.com",
        "localhost.example.com",
        "notlocalhost",
        "evil-localhost",
        ".localhost",
        # RFC 6761 reserves *.localhost for loopback, but this machine's resolver sends such
        # names to DNS, which may answer any address: the name alone proves nothing.
        "api.localhost",
        "a.b.localhost",
        "API.LOCALHOST.",
        "localhost..",
        "127.0.0.1.example.com",
        "128.0.0.1",
        "10.0.0.1",
        "0.0.0.0",
        "::",
        "[::]",
        "::2",
        "[::1",
        " localhost",
    ],
)
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback_host(host)


@given(st.ip_addresses(v=4))
def test_an_ipv4_address_is_loopback_exactly_when_in_127_slash_8(
    address: ipaddress.IPv4Address,
) -> None:
    assert is_loopback_host(str(address)) == (address in ipaddress.ip_network("127.0.0.0/8"))


@given(st.ip_addresses(v=6))
def test_the_only_loopback_ipv6_address_is_colon_colon_1(address: ipaddress.IPv6Address) -> None:
    expected = address == ipaddress.IPv6Address("::1")
    assert is_loopback_host(str(address)) == expected
    assert is_loopback_host(f"[{address}]") == expected


# -- require_secure_transport -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://api.bird.com/v1",
        "https://example.com:8443/",
        "http://localhost/",
        "http://localhost:8080/x",
        "http://127.0.0.1:9000/",
        "http://[::1]:9000/",
    ],
)
def test_secure_or_loopback_request_urls_are_allowed(url: str) -> None:
    require_secure_transport(httpx.URL(url))


@pytest.mark.parametrize(
    "url",
    [
        "http://api.bird.com/",
        "http://10.0.0.5/",
        "ws://api.bird.com/",
        "http://[::2]/",
        "http://api.localhost/",
        "http://evil.localhost:8080/x",
    ],
)
def test_other_request_urls_are_refused_naming_the_host(url: str) -> None:
    parsed = httpx.URL(url)
    with pytest.raises(InsecureTransportError) as caught:
        require_secure_transport(parsed)
    message = str(caught.value)
    assert repr(parsed.host) in message
    assert "https" in message
    assert "loopback" in message


def test_the_refusal_names_only_what_is_trusted_as_loopback() -> None:
    with pytest.raises(InsecureTransportError) as caught:
        require_secure_transport(httpx.URL("http://api.localhost/"))

    message = str(caught.value)
    assert "(localhost, 127.0.0.0/8, ::1)" in message
    assert "*.localhost names are resolved through DNS and are not trusted" in message


def test_a_base_url_on_a_localhost_subdomain_is_refused() -> None:
    with pytest.raises(InsecureTransportError):
        require_secure_base_url("http://sandbox.localhost:8080")


def test_insecure_transport_error_is_a_value_error() -> None:
    assert issubclass(InsecureTransportError, ValueError)


# -- require_secure_base_url ------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_url", "expected"),
    [
        ("https://api.bird.com", "https://api.bird.com"),
        ("https://api.bird.com/", "https://api.bird.com"),
        ("https://api.bird.com/workspaces/", "https://api.bird.com/workspaces"),
        ("https://api.bird.com/workspaces//", "https://api.bird.com/workspaces"),
        ("HTTPS://Org-C.crm.Dynamics.com/", "https://org-c.crm.dynamics.com"),
        ("http://localhost:8080/api/", "http://localhost:8080/api"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
    ],
)
def test_base_urls_are_accepted_and_trailing_slashes_removed(given_url: str, expected: str) -> None:
    result = require_secure_base_url(given_url)
    assert isinstance(result, httpx.URL)
    assert str(result) == expected


def test_base_url_may_be_an_httpx_url() -> None:
    assert require_secure_base_url(httpx.URL("https://h/a/")) == httpx.URL("https://h/a")


def test_encoded_slashes_in_the_base_path_are_preserved() -> None:
    assert str(require_secure_base_url("https://h/a%2Fb/")) == "https://h/a%2Fb"


def test_the_stripped_base_url_works_as_an_httpx_base_url() -> None:
    base = require_secure_base_url("https://api.bird.com/workspaces/")
    with httpx.Client(base_url=base) as client:
        request = client.build_request("GET", "conversations")
    assert request.url == httpx.URL("https://api.bird.com/workspaces/conversations")


def test_plain_http_base_url_to_a_real_host_is_insecure() -> None:
    with pytest.raises(InsecureTransportError, match="'api.bird.com'"):
        require_secure_base_url("http://api.bird.com/")


@pytest.mark.parametrize("url", ["ftp://api.bird.com/", "file:///etc/passwd", "api.bird.com/v1", "/relative/path", ""])
def test_non_http_schemes_and_relative_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="base_url must be an absolute https:// URL") as caught:
        require_secure_base_url(url)
    assert not isinstance(caught.value, InsecureTransportError)


@pytest.mark.parametrize("url", ["https://", "https:///path"])
def test_a_base_url_without_host_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="must include a host"):
        require_secure_base_url(url)


@pytest.mark.parametrize(
    ("url", "expected_message"),
    [
        (f"https://user:{SECRET}@api.bird.com/", "credentials in URLs are refused"),
        (f"https://{SECRET}@api.bird.com/", "credentials in URLs are refused"),
        (f"https://api.bird.com/?access_key={SECRET}", "query string or fragment"),
        (f"https://api.bird.com/#{SECRET}", "query string or fragment"),
        (f"https://api.bird.com:{SECRET}/", "not a valid URL"),
        (f"https://api.bird.com/\x00{SECRET}", "not a valid URL"),
    ],
)
def test_refusals_never_echo_secrets_from_the_url(url: str, expected_message: str) -> None:
    with pytest.raises(ValueError) as caught:
        require_secure_base_url(url, argument="server_url")
    error = caught.value
    assert expected_message in str(error)
    assert "server_url" in str(error)
    assert SECRET not in str(error)
    assert SECRET not in repr(error.args)
    # httpx's own InvalidURL message quotes the URL; it must not ride along as context.
    assert error.__cause__ is None
    assert error.__context__ is None


def test_a_base_url_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="base_url must be a str or httpx.URL, not bytes"):
        require_secure_base_url(b"https://api.bird.com")  # type: ignore[arg-type]


# -- same_origin ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://h/a", "https://h/b?x=1"),
        ("https://h/", "https://h:443/"),
        ("http://h/", "http://h:80/"),
        # httpx keeps an explicit default port when the scheme was typed in upper case.
        ("https://h/", "HTTPS://h:443/"),
        ("http://h/", "HTTP://h:80/"),
        ("https://H.example/", "https://h.example/"),
        ("http://[::1]:8000/", "http://[::1]:8000/other"),
    ],
)
def test_same_origin(a: str, b: str) -> None:
    assert same_origin(httpx.URL(a), httpx.URL(b))
    assert same_origin(httpx.URL(b), httpx.URL(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://h/", "http://h/"),
        ("https://h/", "https://h:8443/"),
        ("http://h/", "http://h:443/"),
        ("https://h/", "https://g/"),
        ("https://h/", "https://h.evil.example/"),
    ],
)
def test_different_origin(a: str, b: str) -> None:
    assert not same_origin(httpx.URL(a), httpx.URL(b))
    assert not same_origin(httpx.URL(b), httpx.URL(a))


# -- Item 8 of issue 9: ``http://*.localhost`` is not trusted as loopback by its name --------------


@pytest.mark.hostile
@pytest.mark.subprocess
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
@pytest.mark.parametrize("name", ["api.localhost", "evil.example.localhost"])
def test_a_localhost_subdomain_gets_no_credentials(name: str, vendor: str, mode: str) -> None:
    with serve(json_page(page_body(vendor, [1], None))) as server:
        base_url = server.base_url.replace("127.0.0.1", name)
        outcome = run_listing(vendor, mode, base_url, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "InsecureTransportError", outcome.error_message
    assert name in (outcome.error_message or "")
    assert requests == 0
