"""The httpx side of a client: the options its own httpx client is built with, and a caller's
``http_client`` used on the package's terms.

Both shells build their ``httpx.Client`` / ``httpx.AsyncClient`` from :func:`http_client_options`
(its base URL checked, the package's headers, a finite timeout, no redirects, one TLS context
shared by the process: :func:`shared_tls_context`). A caller's own httpx client is sent through
:class:`OnOurTerms` / :class:`OnOurTermsAsync` (the package's auth, no redirects), each request
built on the client's base URL (:func:`merged_url`). :func:`report_sent` is the httpx ``trace``
hook that tells the pagers a request is on the wire.
"""

from __future__ import annotations

import functools
import os
import ssl
import sys
from collections.abc import Mapping
from typing import Any

import httpx

from conversation_clients._checks import require_timeout
from conversation_clients._prefetch import request_sent
from conversation_clients._security import require_secure_base_url
from conversation_clients._version import __version__

__all__ = [
    "USER_AGENT",
    "OnOurTerms",
    "OnOurTermsAsync",
    "http_client_options",
    "merged_url",
    "report_sent",
    "report_sent_async",
    "shared_tls_context",
]

USER_AGENT = (
    f"conversation-clients/{__version__} httpx/{httpx.__version__} "
    f"python/{sys.version_info.major}.{sys.version_info.minor}"
)


def http_client_options(
    *,
    base_url: str,
    auth: httpx.Auth,
    timeout: float | httpx.Timeout | None,
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The options both shells give their httpx client; checks that ``base_url`` is safe.

    Redirects are not followed: neither API documents one, and a followed redirect could carry
    the request to another origin. A 3xx surfaces as an ``APIError``.
    """
    checked_timeout = require_timeout(timeout)  # every component finite and above 0
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **(extra_headers or {})}
    return {
        "base_url": require_secure_base_url(base_url),
        "auth": auth,
        "headers": headers,
        "timeout": checked_timeout,
        "follow_redirects": False,
        "verify": shared_tls_context(),
    }


def shared_tls_context() -> ssl.SSLContext:
    """The TLS context httpx would build for a client, built once per process and shared by every client.

    httpx builds one per client (certifi's roots, or those ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``
    name), and loading the roots costs about 16 ms of CPU each time: more than a page of a
    listing. Sharing is what httpx does for one client's connections already; a change of
    either variable gets a context of its own.

    >>> shared_tls_context() is shared_tls_context()
    True
    """
    return _tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=4)
def _tls_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # the arguments are the cache key: httpx reads the same variables itself
    return httpx.create_ssl_context(trust_env=True)


def merged_url(base_url: httpx.URL, path: str) -> httpx.URL:
    """``path`` under ``base_url``, joined as ``httpx.Client(base_url=...)`` joins them (whatever base URL the
    httpx client doing the sending has).

    >>> merged_url(httpx.URL("https://api.example/v1"), "/workspaces/w/conversations")
    URL('https://api.example/v1/workspaces/w/conversations')
    """
    url = httpx.URL(path)
    if not url.is_relative_url:
        return url
    base_path = base_url.raw_path if base_url.raw_path.endswith(b"/") else base_url.raw_path + b"/"
    return base_url.copy_with(raw_path=base_path + url.raw_path.lstrip(b"/"))


class OnOurTerms:
    """A caller's ``httpx.Client`` as the drivers use it: every request sent with the package's
    auth and never following a redirect, whatever the caller's client was built with."""

    def __init__(self, http: httpx.Client, auth: httpx.Auth) -> None:
        self._http, self._auth = http, auth

    def send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        return self._http.send(request, stream=stream, auth=self._auth, follow_redirects=False)


class OnOurTermsAsync:
    """:class:`OnOurTerms` for a caller's ``httpx.AsyncClient``."""

    def __init__(self, http: httpx.AsyncClient, auth: httpx.Auth) -> None:
        self._http, self._auth = http, auth

    async def send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        return await self._http.send(request, stream=stream, auth=self._auth, follow_redirects=False)


# httpcore's trace hook: a request is on the wire once its body has been sent (GETs have an
# empty one). The pagers wait for that before building the page they hold (request_sent).
_SENT_EVENT_SUFFIX = ".send_request_body.complete"


def report_sent(event: str, info: Mapping[str, Any]) -> None:
    """The ``trace`` request extension of the sync shell: tells the pager once the request is on the wire."""
    if event.endswith(_SENT_EVENT_SUFFIX):
        request_sent()


async def report_sent_async(event: str, info: Mapping[str, Any]) -> None:
    """:func:`report_sent` for the async shell, whose trace hooks are awaited."""
    report_sent(event, info)
