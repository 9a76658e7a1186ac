"""The credentials themselves, apart from the httpx flows that send them (:mod:`conversation_clients.auth`).

What a secret may look like before it goes into an ``Authorization`` header
(:func:`require_valid_secret`: checked without ever echoing it), what a bearer token source
returned (:func:`checked_token`), and the cache that keeps a token until it should be refreshed
(:class:`TokenCache`: no lock, no I/O, testable with a fake clock alone).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable

import attrs

__all__ = [
    "FetchedToken",
    "TokenCache",
    "checked_token",
    "close_if_coroutine",
    "describe_callable",
    "needs_refresh",
    "require_valid_secret",
]


def _secret_problem(value: str, *, scheme_word: str) -> str | None:
    """Describe what makes ``value`` unusable in an Authorization header, or None.

    The description names a category of character, never the character or its
    position, so it cannot be used to reconstruct the secret.
    """
    if not value:
        return "is empty"
    if value[: len(scheme_word) + 1].lower() == f"{scheme_word.lower()} ":
        return f"must not start with {scheme_word!r}; pass only the secret, the prefix is added"
    for character in value:
        code = ord(character)
        if code > 0x7E and code != 0x7F:
            return "contains a non-ASCII character"
        if character in " \t\r\n\v\f":
            return "contains whitespace or a line break"
        if code < 0x20 or code == 0x7F:
            return "contains a control character"
    return None


def require_valid_secret(value: object, *, argument: str, scheme_word: str) -> str:
    """Return ``value`` if it can go into an Authorization header; raise otherwise.

    Raises ``TypeError``/``ValueError`` whose message names ``argument`` and the
    problem, with the value itself withheld.
    """
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be a str, not {type(value).__name__}")
    problem = _secret_problem(value, scheme_word=scheme_word)
    if problem is not None:
        raise ValueError(
            f"{argument} {problem}; it must be non-empty printable ASCII without whitespace (the value is not shown)"
        )
    return value


@attrs.frozen(repr=False)
class FetchedToken:
    """A token a source gave, and when it expires; its repr never shows the token."""

    value: str
    # Unix seconds; None when the source gives no expiry (a string or a callable),
    # in which case only a 401 retires the token.
    expires_on: float | None

    def __repr__(self) -> str:
        return f"FetchedToken(value='***', expires_on={self.expires_on!r})"


def needs_refresh(expires_on: float | None, *, now: float, refresh_margin: float) -> bool:
    """Whether a token expiring at ``expires_on`` should be replaced before use at ``now``.

    Refreshing ``refresh_margin`` seconds early leaves room for clock skew and for
    the time the request spends in flight.
    """
    return expires_on is not None and now >= expires_on - refresh_margin


class TokenCache:
    """The current bearer token and the decisions about whether it may be sent.

    Holds no lock and does no I/O, so it can be tested with a fake clock alone;
    :class:`~conversation_clients.auth.BearerTokenAuth` serialises the fetches around it. The
    token lives in a single attribute holding an immutable value, so readers never see a torn
    update.
    """

    def __init__(self, *, refresh_margin: float, clock: Callable[[], float]) -> None:
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._token: FetchedToken | None = None

    def usable_token(self, *, rejected: str | None = None) -> str | None:
        """Return the cached token if it may be sent, or None if a fetch is needed.

        ``rejected`` is the token a server just answered 401 to. If the cache still
        holds it, it is dropped; if it holds a different one, a concurrent request
        has already fetched a replacement and that one is returned, so N requests
        failing together cause one fetch, not N.
        """
        token = self._token
        if token is None:
            return None
        if rejected is not None and token.value == rejected:
            self._token = None
            return None
        if needs_refresh(token.expires_on, now=self._clock(), refresh_margin=self._refresh_margin):
            return None
        return token.value

    def store(self, token: FetchedToken) -> str:
        """Cache a freshly fetched token and return its value.

        A fresh token is used even if it is already inside the refresh margin (a
        credential with very short-lived tokens): the next request simply asks the
        credential again.
        """
        self._token = token
        return token.value


def describe_callable(function: Callable[..., object]) -> str:
    # __qualname__ rather than repr(): repr(functools.partial(fetch, secret)) shows
    # the bound arguments.
    name = getattr(function, "__qualname__", None)
    return name if isinstance(name, str) else type(function).__qualname__


def close_if_coroutine(awaitable: object) -> None:
    # An un-awaited coroutine would otherwise trigger "coroutine ... was never awaited".
    if inspect.iscoroutine(awaitable):
        awaitable.close()


def checked_token(result: object, *, origin: str, from_credential: bool) -> FetchedToken:
    """What a token source returned, checked, as a :class:`FetchedToken`; never echoes a token.

    A credential's ``get_token()`` (``from_credential``) must return an object with a str
    ``.token`` and a finite numeric ``.expires_on`` (unix seconds); a callable, a str. Anything
    else is a ``TypeError``/``ValueError`` naming ``origin``, the source as described to the user.
    A non-finite ``expires_on`` (NaN, infinity) is an error, not "refresh every time": such a
    credential is broken, and refreshing on every request would hide it while multiplying calls
    to the token service (which throttles); NaN compared with any time is false, so before this
    check such a token was never refreshed at all.

    >>> checked_token("eyJ0eXAiOi", origin="<callable fetch>()", from_credential=False)
    FetchedToken(value='***', expires_on=None)
    """
    if from_credential:
        origin = f"{origin}.get_token()"
        token = getattr(result, "token", None)
        expires_on = getattr(result, "expires_on", None)
        if not isinstance(token, str):
            raise TypeError(
                f"{origin} must return an object with a str .token, "
                f"got {type(result).__name__} whose .token is {type(token).__name__}"
            )
        if isinstance(expires_on, bool) or not isinstance(expires_on, (int, float)):
            raise TypeError(
                f"{origin} must return an object with a numeric .expires_on "
                f"(unix seconds), got {type(expires_on).__name__}"
            )
        if not math.isfinite(expires_on):
            raise ValueError(
                f"{origin} must return an object with a finite .expires_on (unix seconds), got {expires_on!r}"
            )
        require_valid_secret(token, argument=f"the token from {origin}", scheme_word="Bearer")
        return FetchedToken(token, expires_on=float(expires_on))
    value = require_valid_secret(result, argument=f"the token from {origin}()", scheme_word="Bearer")
    return FetchedToken(value, expires_on=None)
