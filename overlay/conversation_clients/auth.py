"""httpx authentication for Bird (access keys) and Omnichannel (Entra bearer tokens).

Both classes are ``httpx.Auth`` objects: pass one as ``auth=`` to ``httpx.Client`` or
``httpx.AsyncClient`` (or to the generated clients, which forward it).

Rules shared by both, because a leaked credential is worse than a failed request:

* Secrets are validated before use (non-empty printable ASCII, no whitespace), so
  httpx never raises its own "invalid header value" error, whose message would
  quote the secret. Our messages name the argument and never the value. (Those checks,
  and the cache that keeps a bearer token until it expires, are
  :mod:`conversation_clients._credentials`'s.)
* ``repr()``/``str()`` never show a secret, and nothing here logs one.
* Credentials are only attached to ``https`` requests, or ``http`` to a loopback
  host for local testing; anything else raises
  :class:`~conversation_clients.errors.InsecureTransportError` before sending.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import math
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Sequence
from typing import Protocol, TypeAlias, runtime_checkable

import httpx

from ._credentials import (
    FetchedToken,
    TokenCache,
    checked_token,
    close_if_coroutine,
    describe_callable,
    require_valid_secret,
)
from ._logging import hide_in_logs
from ._prefetch import request_waiting
from ._security import require_secure_transport
from .errors import CredentialError

__all__ = [
    "AccessKeyAuth",
    "AccessTokenLike",
    "AsyncTokenCredential",
    "BearerTokenAuth",
    "BearerTokenSource",
    "TokenCredential",
]

_logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------
# Bird: AccessKey
# --------------------------------------------------------------------------------------


class AccessKeyAuth(httpx.Auth):
    """Bird authentication: sends ``Authorization: AccessKey <access_key>``.

    The key is checked when the object is created, and the request's URL is checked
    (https, or http to loopback) before the header is attached.

    Example:
        >>> auth = AccessKeyAuth("my-access-key")
        >>> auth
        AccessKeyAuth(access_key='***')
        >>> client = httpx.Client(base_url="https://api.bird.com", auth=auth)
        >>> client.close()
    """

    def __init__(self, access_key: str) -> None:
        require_valid_secret(access_key, argument="access_key", scheme_word="AccessKey")
        self._authorization = f"AccessKey {access_key}"
        hide_in_logs(self, access_key)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach the header and send once; a 401 is returned as-is (a key cannot refresh)."""
        require_secure_transport(request.url)
        request.headers["Authorization"] = self._authorization
        yield request

    def __repr__(self) -> str:
        return "AccessKeyAuth(access_key='***')"


# --------------------------------------------------------------------------------------
# Omnichannel: Bearer tokens and where they come from
# --------------------------------------------------------------------------------------


@runtime_checkable
class AccessTokenLike(Protocol):
    """What a credential's ``get_token`` returns, e.g. ``azure.core.credentials.AccessToken``.

    Example:
        >>> from typing import NamedTuple
        >>> class Token(NamedTuple):
        ...     token: str
        ...     expires_on: int
        >>> isinstance(Token("eyJ...", 1_700_000_000), AccessTokenLike)
        True
    """

    @property
    def token(self) -> str:
        """The bearer token itself."""
        ...

    @property
    def expires_on(self) -> int:
        """When the token expires, in unix seconds."""
        ...


@runtime_checkable
class TokenCredential(Protocol):
    """A synchronous azure-identity-style credential (e.g. ``DefaultAzureCredential``).

    Example:
        >>> class StaticCredential:
        ...     def get_token(self, *scopes: str) -> AccessTokenLike: ...
        >>> isinstance(StaticCredential(), TokenCredential)
        True
    """

    def get_token(self, *scopes: str) -> AccessTokenLike:
        """Return a token valid for ``scopes``."""
        ...


@runtime_checkable
class AsyncTokenCredential(Protocol):
    """An asynchronous credential (e.g. ``azure.identity.aio.DefaultAzureCredential``).

    Only usable with ``httpx.AsyncClient``; a synchronous client raises ``TypeError``.

    Example:
        >>> class AsyncStaticCredential:
        ...     async def get_token(self, *scopes: str) -> AccessTokenLike: ...
        >>> isinstance(AsyncStaticCredential(), AsyncTokenCredential)
        True
    """

    async def get_token(self, *scopes: str) -> AccessTokenLike:
        """Return a token valid for ``scopes``."""
        ...


BearerTokenSource: TypeAlias = str | Callable[[], str] | TokenCredential | AsyncTokenCredential
"""Anything :class:`BearerTokenAuth` accepts as ``token``."""


class _HeldToken:
    """A bearer token, hidden in log lines for as long as this object lives: its auth object holds
    it while the token is current, and each request sent with it holds it (a request extension)
    for as long as the request lives, however many refreshes follow."""

    __slots__ = ("__weakref__", "authorization", "token")

    def __init__(self, token: str) -> None:
        self.token = token
        self.authorization = f"Bearer {token}"
        hide_in_logs(self, token)

    def __repr__(self) -> str:
        return "_HeldToken('***')"


# The request extension that holds the token a request carries (see _HeldToken).
_HELD_TOKEN_EXTENSION = "conversation_clients.held_token"


def _should_retry(status_code: int, *, can_refresh: bool) -> bool:
    """Whether a response means "fetch a new token and try once more"."""
    return status_code == 401 and can_refresh


class BearerTokenAuth(httpx.Auth):
    """Omnichannel authentication: sends ``Authorization: Bearer <token>``.

    ``token`` may be:

    * a ``str``: sent as-is and never replaced; a 401 is returned to the caller.
    * a zero-argument callable returning a ``str``: called for the first request,
      then its result is cached and reused until a server answers 401, when it is
      called once more and the request retried once. (It is not called on every
      request; give a credential instead if tokens have a known expiry.)
    * a credential with ``get_token(*scopes)`` returning an object with ``.token``
      and ``.expires_on`` (unix seconds), e.g. from azure-identity. ``scopes`` is
      required, e.g. ``["https://<org>-c.<zone>.dynamics.com/.default"]``. The token
      is cached until ``clock() >= expires_on - refresh_margin`` and refreshed after
      a 401 (retrying the request once). Async credentials (``get_token`` is a
      coroutine function) work with ``httpx.AsyncClient`` only. A synchronous
      credential used with ``httpx.AsyncClient`` blocks the event loop while it
      fetches; prefer the ``azure.identity.aio`` variant there.

    A source that fails (raises, returns something that is not a usable token, or an
    ``expires_on`` that is not a finite number) raises
    :class:`~conversation_clients.errors.CredentialError`, naming the source, never the
    token, with the source's own exception as ``__cause__``; nothing is sent, and the next
    request asks the source again. A non-finite ``expires_on`` (NaN, infinity) is such a
    failure rather than "refresh every time": the credential is broken, and asking it on every
    request would hide that while multiplying calls to a token service that throttles.

    After a 401 the request is retried only if the refreshed token differs from the
    refused one; a second 401 is returned as-is. Concurrent requests share one fetch
    (a ``threading.Lock`` for sync clients, an ``asyncio.Lock`` per event loop for
    async ones). The request body is read before sending so that the retry can
    replay it.

    Example:
        >>> auth = BearerTokenAuth(lambda: "eyJ0eXAiOi...")
        >>> auth
        BearerTokenAuth(token=<callable <lambda>>)
        >>> class Credential:
        ...     def get_token(self, *scopes: str) -> AccessTokenLike: ...
        >>> BearerTokenAuth(Credential(), scopes=["https://org-c.crm.dynamics.com/.default"])
        BearerTokenAuth(token=<credential Credential>, scopes=['https://org-c.crm.dynamics.com/.default'])
    """

    # Read streamed bodies up front so the post-401 retry can send the body again.
    requires_request_body = True

    def __init__(
        self,
        token: BearerTokenSource,
        *,
        scopes: Sequence[str] = (),
        refresh_margin: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(scopes, (str, bytes)):
            raise TypeError("scopes must be a sequence of strings such as [scope], not one string")
        self._scopes = tuple(scopes)
        for scope in self._scopes:
            # caller input: the annotation does not stop a list holding other things
            if not isinstance(scope, str) or not scope:  # pyright: ignore[reportUnnecessaryIsInstance]
                raise ValueError("scopes must contain only non-empty strings")
        # caller input: a bool or a non-number gets a TypeError, whatever the annotation says
        if isinstance(refresh_margin, bool) or not isinstance(refresh_margin, (int, float)):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"refresh_margin must be a number, not {type(refresh_margin).__name__}")
        if not math.isfinite(refresh_margin) or refresh_margin < 0:
            raise ValueError("refresh_margin must be a finite number of seconds >= 0")
        if not callable(clock):
            raise TypeError("clock must be a zero-argument callable returning unix seconds")

        self._cache = TokenCache(refresh_margin=float(refresh_margin), clock=clock)
        self._credential: TokenCredential | AsyncTokenCredential | None = None
        self._callable: Callable[[], str] | None = None

        if isinstance(token, str):
            require_valid_secret(token, argument="token", scheme_word="Bearer")
            self._cache.store(FetchedToken(token, expires_on=None))
            self._source_description = "'***'"
        # The two protocols share the member name get_token, so this matches either kind, as
        # intended: whether get_token's result must be awaited is decided when it returns.
        elif isinstance(token, (TokenCredential, AsyncTokenCredential)):  # pyright: ignore[reportGeneralTypeIssues]
            if not self._scopes:
                raise ValueError(
                    "scopes is required with a credential, e.g. ['https://<org>-c.<zone>.dynamics.com/.default']"
                )
            self._credential = token
            self._source_description = f"<credential {type(token).__qualname__}>"
        elif callable(token):
            self._callable = token
            self._source_description = f"<callable {describe_callable(token)}>"
        else:
            raise TypeError(
                "token must be a str, a zero-argument callable returning a str, or a "
                f"credential with get_token(*scopes), not {type(token).__name__}"
            )
        if self._scopes and self._credential is None:
            raise ValueError("scopes only apply when token is a credential")

        self._thread_lock = threading.Lock()
        self._async_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None
        self._held: _HeldToken | None = None  # the token last sent

    @property
    def can_refresh(self) -> bool:
        """Whether a 401 leads to a new token and one retry (False for a plain string)."""
        return self._credential is not None or self._callable is not None

    def __repr__(self) -> str:
        scopes = f", scopes={list(self._scopes)!r}" if self._scopes else ""
        return f"BearerTokenAuth(token={self._source_description}{scopes})"

    # -- the flows ---------------------------------------------------------------------
    # Both read the same way; only how a token is obtained differs (blocking call under
    # a thread lock versus possibly-awaited call under an asyncio lock).

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send with the current token; after a 401, refresh once and retry once."""
        require_secure_transport(request.url)
        token = self._token_sync()
        response = yield self._authorize(request, token)
        if not _should_retry(response.status_code, can_refresh=self.can_refresh):
            return
        fresh = self._token_sync(rejected=token)
        if fresh != token:
            _logger.debug(
                "retrying once with a new bearer token from %s after 401",
                self._source_description,
            )
            yield self._authorize(request, fresh)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Async twin of :meth:`auth_flow` that can await an async credential."""
        require_secure_transport(request.url)
        await request.aread()
        token = await self._token_async()
        response = yield self._authorize(request, token)
        if not _should_retry(response.status_code, can_refresh=self.can_refresh):
            return
        fresh = await self._token_async(rejected=token)
        if fresh != token:
            _logger.debug(
                "retrying once with a new bearer token from %s after 401",
                self._source_description,
            )
            yield self._authorize(request, fresh)

    def _authorize(self, request: httpx.Request, token: str) -> httpx.Request:
        # Hidden while this auth object holds it and, whatever refreshes follow, for as long as
        # the request lives: its response may still come, and echo it. The request holds the
        # token's _HeldToken, registered once per token rather than once per request.
        held = self._held
        if held is None or held.token != token:
            hide_in_logs(self, token)
            held = self._held = _HeldToken(token)
        request.extensions[_HELD_TOKEN_EXTENSION] = held
        request.headers["Authorization"] = held.authorization
        return request

    # -- obtaining tokens --------------------------------------------------------------

    def _token_sync(self, *, rejected: str | None = None) -> str:
        cached = self._cache.usable_token(rejected=rejected)
        if cached is not None:
            return cached
        request_waiting()  # a pager holding a page need not wait for this request to go out
        with self._thread_lock:
            # Another thread may have fetched while this one waited for the lock.
            cached = self._cache.usable_token(rejected=rejected)
            if cached is not None:
                return cached
            try:
                result = self._begin_fetch()
            except CredentialError:
                raise  # already typed, and says more than a wrapper could
            except Exception as error:
                raise self._fetch_failed(error) from error
            if inspect.isawaitable(result):
                close_if_coroutine(result)
                raise TypeError(
                    f"{self._source_description} returned an awaitable; async credentials need httpx.AsyncClient"
                )
            return self._cache.store(self._finish_fetch(result))

    async def _token_async(self, *, rejected: str | None = None) -> str:
        cached = self._cache.usable_token(rejected=rejected)
        if cached is not None:
            return cached
        request_waiting()  # a pager holding a page need not wait for this request to go out
        async with self._lock_for_running_loop():
            cached = self._cache.usable_token(rejected=rejected)
            if cached is not None:
                return cached
            try:
                result = self._begin_fetch()
                if inspect.isawaitable(result):
                    result = await result
            except CredentialError:
                raise  # already typed, and says more than a wrapper could
            except Exception as error:
                raise self._fetch_failed(error) from error
            return self._cache.store(self._finish_fetch(result))

    def _lock_for_running_loop(self) -> asyncio.Lock:
        # Created lazily and per loop: an asyncio.Lock binds to the first loop that
        # waits on it, and one auth object may outlive a loop (e.g. asyncio.run twice).
        loop = asyncio.get_running_loop()
        current = self._async_lock
        if current is None or current[0] is not loop:
            current = (loop, asyncio.Lock())
            self._async_lock = current
        return current[1]

    def _begin_fetch(self) -> object:
        """Ask the source for a token; the result may be an awaitable (async credential)."""
        _logger.debug("fetching a bearer token from %s", self._source_description)
        if self._credential is not None:
            return self._credential.get_token(*self._scopes)
        if self._callable is not None:
            return self._callable()
        # A plain string is cached at construction and never rejected into a fetch.
        raise AssertionError("a plain string token is never re-fetched")

    def _fetch_failed(self, error: Exception) -> CredentialError:
        # The source's own exception stays on __cause__; its text is not copied, as we
        # cannot vouch for what a credential library puts in it.
        return CredentialError(
            f"could not get a bearer token from {self._source_description}: it raised {type(error).__name__}"
        )

    def _finish_fetch(self, result: object) -> FetchedToken:
        """Validate what the source returned (:func:`~conversation_clients._credentials.checked_token`),
        without ever echoing it.

        Anything unusable (a non-finite ``expires_on`` included) is a
        :class:`~conversation_clients.errors.CredentialError` whose ``__cause__`` is the
        ``TypeError``/``ValueError`` describing the problem.
        """
        try:
            return checked_token(result, origin=self._source_description, from_credential=self._credential is not None)
        except (TypeError, ValueError) as problem:
            raise CredentialError(str(problem)) from problem
