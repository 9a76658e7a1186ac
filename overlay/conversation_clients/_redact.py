"""Redaction helpers: turn URLs, headers and tokens into text that is safe to log.

Anything that reaches a log line or an exception message passes through here first,
so API keys, bearer tokens and page tokens never leave the process in clear text.
The rules err on the side of hiding too much: a masked ``sortKey`` costs nothing,
a leaked ``accessKey`` does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast
from urllib.parse import unquote_plus

if TYPE_CHECKING:
    import httpx

MASK = "***"

# Substrings of query parameter names whose values are secret (matched case-insensitively).
# "code" covers OAuth authorization codes; it also hides harmless ones like "countryCode".
_SENSITIVE_QUERY_NAME_PARTS = ("token", "key", "secret", "password", "signature", "code")

_SENSITIVE_HEADER_NAMES = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
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
    return lowered in _SENSITIVE_HEADER_NAMES or any(part in lowered for part in _SENSITIVE_HEADER_NAME_PARTS)


def redact_url(url: httpx.URL) -> str:
    """Return the URL's path and query with the values of sensitive parameters masked.

    Scheme, host, user info and fragment are left out: they are not needed to tell
    requests apart in a log, and user info may hold a password.

    >>> import httpx
    >>> redact_url(httpx.URL("https://api.example/v1/conversations?limit=5&pageToken=abc"))
    '/v1/conversations?limit=5&pageToken=***'
    """
    path = url.raw_path.split(b"?", 1)[0].decode("ascii", errors="replace")
    raw_query = url.query.decode("ascii", errors="replace")
    if not raw_query:
        return path
    return f"{path}?{_redact_query(raw_query)}"


class RedactedURL:
    """:func:`redact_url` of ``url``, made when first shown (``str``, ``repr``, a log line's ``%s``).

    What a request's log lines and messages name it by: a request that succeeds at once is
    never shown, and pays nothing.

    >>> import httpx
    >>> target = RedactedURL(httpx.URL("https://api.example/v1/x?pageToken=abc"))
    >>> f"GET {target}", target
    ('GET /v1/x?pageToken=***', '/v1/x?pageToken=***')
    """

    __slots__ = ("_text", "_url")

    def __init__(self, url: httpx.URL) -> None:
        self._url = url
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = redact_url(self._url)
        return self._text

    def __repr__(self) -> str:
        return repr(str(self))


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
    return {name: MASK if is_sensitive_header_name(name) else value for name, value in headers.items()}


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


#: A fragment of a credential this long, cut where a message was shortened, is still hidden.
MIN_HIDDEN_PREFIX_CHARS = 8


def credentials_sent(request_headers: Mapping[str, str]) -> tuple[str, ...]:
    """The secrets a request carried in its ``Authorization`` header, for :func:`scrub_secrets`.

    The secret is the part after the scheme (``AccessKey``, ``Bearer``), or the whole value
    when there is no scheme; scrubbing it also hides it inside the full header value.

    >>> credentials_sent({"Authorization": "AccessKey k3y-v4lue"})
    ('k3y-v4lue',)
    >>> credentials_sent({"Accept": "application/json"})
    ()
    """
    lowered = {name.lower(): value for name, value in request_headers.items()}
    return _secret_of(lowered.get("authorization", ""))


def _secret_of(authorization: str) -> tuple[str, ...]:
    value = authorization.strip()
    if not value:
        return ()
    _scheme, has_space, secret = value.partition(" ")
    secret = secret.strip() if has_space else value
    return (secret,) if secret else ()


def credentials_sent_with(response: httpx.Response) -> tuple[str, ...]:
    """:func:`credentials_sent` for the request that got ``response`` (none if it has no request).

    >>> import httpx
    >>> request = httpx.Request("GET", "https://h/", headers={"Authorization": "Bearer t0ken"})
    >>> credentials_sent_with(httpx.Response(401, request=request))
    ('t0ken',)
    """
    try:
        request = response.request
    except RuntimeError:  # a response built by hand, with no request
        return ()
    # httpx's headers are looked up without regard to case (repeated ones joined, as items() joins them)
    return _secret_of(request.headers.get("authorization", ""))


def scrub_secrets(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every occurrence of each secret replaced by ``***``.

    A secret's escaped forms (as ``repr`` and JSON write it) are hidden too, and so is a
    leading fragment of at least :data:`MIN_HIDDEN_PREFIX_CHARS` characters, which is what
    a message shortened with ``…`` keeps of a long token.

    >>> scrub_secrets("invalid access key AccessKey k3y-v4lue-0123", ["k3y-v4lue-0123"])
    'invalid access key AccessKey ***'
    >>> scrub_secrets("got 'eyJhbGciOiJSUzI1…'", ["eyJhbGciOiJSUzI1NiJ9.payload.sig"])
    "got '***…'"

    Several secrets may share a long prefix (two bearer tokens from one issuer do): every
    whole occurrence of each is masked before any fragment is, longest first, so that one
    secret's fragment rule cannot mask only the common prefix of another and leave its tail.

    >>> scrub_secrets("old eyJ0eXAi.one, new eyJ0eXAi.two", ["eyJ0eXAi.one", "eyJ0eXAi.two"])
    'old ***, new ***'
    """
    forms = sorted(
        dict.fromkeys(
            form for secret in secrets if secret for form in (secret, repr(secret)[1:-1], json.dumps(secret)[1:-1])
        ),
        key=len,
        reverse=True,
    )
    for form in forms:
        text = text.replace(form, MASK)
    for form in forms:
        text = _scrub_form(text, form)
    return text


def _scrub_form(text: str, form: str) -> str:
    needle = form[: min(len(form), MIN_HIDDEN_PREFIX_CHARS)]
    if needle not in text:
        return text
    pieces: list[str] = []
    start = 0
    while (found := text.find(needle, start)) != -1:
        end = found + len(needle)
        if len(needle) == len(form) or len(needle) >= MIN_HIDDEN_PREFIX_CHARS:
            # extend the match as far as the text keeps following the secret
            while end < len(text) and end - found < len(form) and text[end] == form[end - found]:
                end += 1
        pieces.append(text[start:found])
        pieces.append(MASK)
        start = end
    pieces.append(text[start:])
    return "".join(pieces)


def scrub_secrets_in_json(value: object, secrets: Sequence[str]) -> object:
    """A parsed JSON value with :func:`scrub_secrets` applied to every string in it (keys too).

    >>> scrub_secrets_in_json({"message": "bad key k3y-v4lue-0123", "n": 1}, ["k3y-v4lue-0123"])
    {'message': 'bad key ***', 'n': 1}
    """
    if not secrets:
        return value
    if isinstance(value, str):
        return scrub_secrets(value, secrets)
    if isinstance(value, list):
        return [scrub_secrets_in_json(item, secrets) for item in cast(list[object], value)]
    if isinstance(value, dict):
        return {
            scrub_secrets(str(key), secrets): scrub_secrets_in_json(item, secrets)
            for key, item in cast(dict[object, object], value).items()
        }
    return value


def scrub_secrets_in_bytes(content: bytes, secrets: Sequence[str]) -> bytes:
    """Raw bytes with each secret (as UTF-8, and JSON-escaped) replaced by ``***``.

    >>> scrub_secrets_in_bytes(b'{"message": "key k3y"}', ["k3y"])
    b'{"message": "key ***"}'
    """
    for secret in secrets:
        if not secret:
            continue
        for form in dict.fromkeys((secret, json.dumps(secret)[1:-1])):
            content = content.replace(form.encode("utf-8", errors="surrogatepass"), MASK.encode())
    return content
