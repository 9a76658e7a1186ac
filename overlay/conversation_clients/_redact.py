"""Redaction helpers: turn URLs, headers and tokens into text that is safe to log.

Anything that reaches a log line or an exception message passes through here first,
so API keys, bearer tokens and page tokens never leave the process in clear text.
The rules err on the side of hiding too much: a masked ``sortKey`` costs nothing,
a leaked ``accessKey`` does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from urllib.parse import unquote_plus

import httpx

MASK = "***"

# Substrings of query parameter names whose values are secret (matched case-insensitively).
# "code" covers OAuth authorization codes; it also hides harmless ones like "countryCode".
_SENSITIVE_QUERY_NAME_PARTS = ("token", "key", "secret", "password", "signature", "code")

_SENSITIVE_HEADER_NAMES = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie"}
)
_SENSITIVE_HEADER_NAME_PARTS = ("key", "token", "secret")


def is_sensitive_query_name(name: str) -> bool:
    """Tell whether a query parameter's value must be hidden, judging by its name.

    >>> is_sensitive_query_name("pageToken"), is_sensitive_query_name("limit")
    (True, False)
    """
    lowered = name.lower()
    return any(part in lowered for part in _SENSITIVE_QUERY_NAME_PARTS)


def is_sensitive_header_name(name: str) -> bool:
    """Tell whether a header's value must be hidden, judging by its name.

    >>> is_sensitive_header_name("Authorization"), is_sensitive_header_name("Accept")
    (True, False)
    """
    lowered = name.lower()
    return lowered in _SENSITIVE_HEADER_NAMES or any(
        part in lowered for part in _SENSITIVE_HEADER_NAME_PARTS
    )


def redact_url(url: httpx.URL) -> str:
    """Return the URL's path and query with the values of sensitive parameters masked.

    Scheme, host, user info and fragment are left out: they are not needed to tell
    requests apart in a log, and user info may hold a password.

    >>> redact_url(httpx.URL("https://api.example/v1/conversations?limit=5&pageToken=abc"))
    '/v1/conversations?limit=5&pageToken=***'
    """
    path = url.raw_path.split(b"?", 1)[0].decode("ascii", errors="replace")
    raw_query = url.query.decode("ascii", errors="replace")
    if not raw_query:
        return path
    return f"{path}?{_redact_query(raw_query)}"


def _redact_query(raw_query: str) -> str:
    # Work on the percent-encoded text so that the logged query looks like the one sent,
    # but decode each name before judging it so "page%54oken" is still caught.
    redacted: list[str] = []
    for pair in raw_query.split("&"):
        name, has_value, _value = pair.partition("=")
        if has_value and is_sensitive_query_name(unquote_plus(name)):
            redacted.append(f"{name}={MASK}")
        else:
            redacted.append(pair)
    return "&".join(redacted)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Copy headers into a plain dict, masking credentials, cookies and key/token/secret headers.

    Accepts ``httpx.Headers`` (repeated headers arrive joined by commas) or any mapping.

    >>> redact_headers({"Authorization": "Bearer abc", "Accept": "application/json"})
    {'Authorization': '***', 'Accept': 'application/json'}
    """
    return {
        name: MASK if is_sensitive_header_name(name) else value for name, value in headers.items()
    }


def fingerprint(secret: str) -> str:
    """Describe a secret well enough to compare two log lines, without revealing it.

    Gives the length and the first 8 hex digits of its SHA-256; meant for high-entropy
    values such as page tokens, not for short passwords (a short value can be guessed
    back from its hash).

    >>> fingerprint("abc")
    'len=3 sha256:ba7816bf'
    """
    digest = hashlib.sha256(secret.encode("utf-8", errors="surrogatepass")).hexdigest()
    return f"len={len(secret)} sha256:{digest[:8]}"
