"""Transport rules for credentials: https only, plain http only to loopback hosts.

Both vendors' credentials (a Bird access key, an Entra bearer token) are long-lived
enough that sending one over plain http to a real host is a leak, so every place
that attaches or configures credentials goes through these checks.

None of the messages raised here echo a URL's userinfo, path, query or fragment:
those are the parts of a URL where secrets end up.
"""

from __future__ import annotations

import ipaddress

import httpx

from conversation_clients.errors import InsecureTransportError

__all__ = [
    "InsecureTransportError",
    "is_loopback_host",
    "require_secure_base_url",
    "require_secure_transport",
    "same_origin",
]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback_host(host: str) -> bool:
    """Return whether ``host`` names the local machine (so plain http cannot leave it).

    Accepts the name ``localhost``, any IPv4 address in 127.0.0.0/8, and ``::1`` with or
    without brackets. Matching is case-insensitive; a single trailing dot (fully qualified
    form) is allowed on the name.

    Other ``*.localhost`` names are refused, although RFC 6761 reserves them for loopback:
    resolvers (this machine's among them) send them to DNS, which may answer any address,
    and the credential goes out with the request's first bytes, before any check of the
    address connected to could stop it. ``localhost`` itself comes from the hosts file.

    Example:
        >>> is_loopback_host("localhost"), is_loopback_host("[::1]"), is_loopback_host("127.8.0.1")
        (True, True, True)
        >>> is_loopback_host("example.com"), is_loopback_host("api.localhost")
        (False, False)
    """
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    name = host.lower()
    if name.endswith("."):
        name = name[:-1]
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    # 127.0.0.0/8 for IPv4, exactly ::1 for IPv6.
    return address.is_loopback


def require_secure_transport(url: httpx.URL) -> None:
    """Raise :class:`InsecureTransportError` unless credentials may be sent to ``url``.

    Allowed: any ``https`` URL, and ``http`` to a loopback host. Every other scheme
    is refused too, since none of them protect the credential.

    Example:
        >>> require_secure_transport(httpx.URL("https://api.bird.com/"))
        >>> require_secure_transport(httpx.URL("http://127.0.0.1:8000/"))
        >>> require_secure_transport(httpx.URL("http://api.bird.com/"))
        Traceback (most recent call last):
        ...
        conversation_clients.errors.InsecureTransportError: refusing to send ...
    """
    if url.scheme == "https":
        return
    if url.scheme == "http" and is_loopback_host(url.host):
        return
    raise InsecureTransportError.for_host(url.host, scheme=url.scheme or "(no scheme)")


def require_secure_base_url(url: str | httpx.URL, *, argument: str = "base_url") -> httpx.URL:
    """Parse and check a client's base URL before any credential is attached to it.

    Refuses (``ValueError``, naming ``argument``): unparsable URLs, schemes other than
    http/https, a missing host, userinfo (``https://user:pass@host``: credentials in
    URLs end up in logs and reprs), and a query string or fragment (a base URL's
    query is mangled when paths are appended, and is where URL-borne keys live).
    Refuses plain http to a non-loopback host with :class:`InsecureTransportError`.

    Returns the URL with trailing slashes removed from its path, so that
    ``https://host/api`` and ``https://host/api/`` configure the same client;
    ``httpx.Client(base_url=...)`` adds back the one slash it needs.

    Example:
        >>> require_secure_base_url("https://nest.messagebird.com/")
        URL('https://nest.messagebird.com')
        >>> require_secure_base_url("http://localhost:8080/api/")
        URL('http://localhost:8080/api')
    """
    # caller input, checked at run time whatever the annotation says
    if not isinstance(url, (str, httpx.URL)):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a str or httpx.URL, not {type(url).__name__}")

    # Parse outside the ``except`` block: httpx's InvalidURL message quotes the URL,
    # and raising inside the handler would keep it around as __context__.
    parsed: httpx.URL | None
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = None
    if parsed is None:
        raise ValueError(f"{argument} is not a valid URL")

    if parsed.scheme not in _DEFAULT_PORTS:
        raise ValueError(
            f"{argument} must be an absolute https:// URL (or http:// to a loopback host "
            "for local testing), e.g. 'https://api.example.com'"
        )
    if not parsed.host:
        raise ValueError(f"{argument} must include a host name")
    if parsed.userinfo:
        raise ValueError(
            f"{argument} must not contain a user name or password; credentials in URLs are "
            "refused, pass them to the auth object instead"
        )
    if parsed.query or parsed.fragment:
        raise ValueError(f"{argument} must not contain a query string or fragment")
    require_secure_transport(parsed)

    return parsed.copy_with(raw_path=parsed.raw_path.rstrip(b"/"))


def same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    """Return whether two URLs share scheme, host and effective port.

    An absent port counts as the scheme's default, so ``https://h`` and
    ``https://h:443`` are the same origin.

    Example:
        >>> same_origin(httpx.URL("https://h/a"), httpx.URL("https://h:443/b"))
        True
        >>> same_origin(httpx.URL("https://h/"), httpx.URL("http://h/"))
        False
    """
    return a.scheme == b.scheme and a.host.lower() == b.host.lower() and _effective_port(a) == _effective_port(b)


def _effective_port(url: httpx.URL) -> int | None:
    return url.port if url.port is not None else _DEFAULT_PORTS.get(url.scheme)
