"""Redaction rules (:mod:`conversation_clients._redact`): what may appear in logs and messages."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversation_clients._redact import (
    credentials_sent,
    fingerprint,
    redact_headers,
    redact_url,
    scrub_secrets,
    scrub_secrets_in_bytes,
)


@pytest.mark.parametrize(
    "name",
    [
        "pageToken",
        "PAGETOKEN",
        "access_token",
        "api_key",
        "apiKey",
        "client_secret",
        "password",
        "sig-signature",
        "code",
        "authCode",
    ],
)
def test_redact_url_masks_sensitive_query_values(name: str) -> None:
    url = httpx.URL("https://api.example/v1/conversations", params={name: "SECRETVALUE"})

    assert redact_url(url) == f"/v1/conversations?{name}=***"


def test_redact_url_keeps_harmless_parameters_and_their_order() -> None:
    url = httpx.URL("https://api.example/v1/conversations?limit=25&pageToken=abc&status=active")

    assert redact_url(url) == "/v1/conversations?limit=25&pageToken=***&status=active"


def test_redact_url_masks_every_repeat_of_a_sensitive_parameter() -> None:
    url = httpx.URL("https://api.example/p?key=one&key=two")

    assert redact_url(url) == "/p?key=***&key=***"


def test_redact_url_decodes_names_before_judging_them() -> None:
    # "%54" is "T": an encoded name must not slip past the rule.
    url = httpx.URL("https://api.example/p?page%54oken=SECRETVALUE")

    assert "SECRETVALUE" not in redact_url(url)


def test_redact_url_leaves_out_host_user_info_and_fragment() -> None:
    url = httpx.URL("https://user:hunter2@api.example:8443/v1/x?limit=1#frag")

    assert redact_url(url) == "/v1/x?limit=1"


def test_redact_url_without_query_is_just_the_path() -> None:
    assert redact_url(httpx.URL("https://api.example/v1/conversations")) == "/v1/conversations"


def test_redact_url_keeps_valueless_flags() -> None:
    assert redact_url(httpx.URL("https://api.example/p?verbose&token=x")) == "/p?verbose&token=***"


@given(
    name=st.sampled_from(["pageToken", "apiKey", "secret", "password", "signature", "code"]),
    value=st.text(min_size=6, alphabet=st.characters(codec="utf-8")),
)
def test_redact_url_never_reveals_a_sensitive_value(name: str, value: str) -> None:
    url = httpx.URL("https://api.example/p", params={"limit": "5", name: value})
    encoded_value = url.query.decode("ascii").split(f"{name}=", 1)[1]

    assert encoded_value not in redact_url(url)


@pytest.mark.parametrize(
    "name",
    [
        "Authorization",
        "proxy-authorization",
        "Cookie",
        "Set-Cookie",
        "X-Api-Key",
        "Ocp-Apim-Subscription-Key",
        "X-Access-Token",
        "X-Client-Secret",
    ],
)
def test_redact_headers_masks_credentials(name: str) -> None:
    assert redact_headers({name: "SECRETVALUE", "Accept": "application/json"}) == {
        name: "***",
        "Accept": "application/json",
    }


def test_redact_headers_accepts_httpx_headers_and_keeps_harmless_values() -> None:
    headers = httpx.Headers({"authorization": "AccessKey SECRETVALUE", "x-ms-correlation-id": "c0ffee"})

    redacted = redact_headers(headers)

    assert redacted == {"authorization": "***", "x-ms-correlation-id": "c0ffee"}
    assert "SECRETVALUE" not in repr(redacted)


def test_fingerprint_describes_without_revealing() -> None:
    token = "SECRETTOKEN" * 3

    described = fingerprint(token)

    assert "SECRETTOKEN" not in described
    assert described.startswith(f"len={len(token)} sha256:")
    assert fingerprint(token) == described
    assert fingerprint(token + "x") != described


# -- scrubbing the caller's own credentials out of server text (issue 9, item 7) -------------


def test_credentials_sent_are_the_secret_after_the_scheme() -> None:
    assert credentials_sent({"authorization": "Bearer  abc.def "}) == ("abc.def",)
    assert credentials_sent({"Authorization": "rawsecretvalue"}) == ("rawsecretvalue",)
    assert credentials_sent({"Authorization": ""}) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key k3y-0123456789 again k3y-0123456789", "key *** again ***"),
        ("cut k3y-01234…", "cut ***…"),
        ("too short to tell k3y-012", "too short to tell k3y-012"),
        ("repr 'k3y-0123456789'", "repr '***'"),
        ("nothing here", "nothing here"),
    ],
)
def test_scrub_secrets_hides_whole_and_cut_credentials(text: str, expected: str) -> None:
    assert scrub_secrets(text, ["k3y-0123456789"]) == expected


def test_a_short_secret_is_hidden_only_whole() -> None:
    assert scrub_secrets("abc abd ab", ["abc"]) == "*** abd ab"


def test_escaped_forms_of_a_secret_are_hidden() -> None:
    secret = 'k3y"with\\quote0'
    assert scrub_secrets(f"json {json.dumps(secret)}", [secret]) == 'json "***"'
    assert scrub_secrets_in_bytes(json.dumps({"m": secret}).encode(), [secret]) == b'{"m": "***"}'
