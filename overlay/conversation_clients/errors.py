"""Exceptions raised by the conversation clients, and the rule that builds one from a response.

Every exception derives from :class:`ConversationClientError`, so callers can catch
one class. HTTP failures are :class:`APIError` subclasses chosen by status code; the
vendor's error code, message and request id are read where its profile's :class:`ErrorReader`
says (:data:`GENERIC_ERRORS`, every name either vendor uses, when none is given; the reading is
:mod:`conversation_clients._error_reading`'s):

* Bird: ``{"code": "NotFound", "message": "...", "details": {...}}``
* Omnichannel (RFC 7807): ``{"type", "title", "status", "detail"}`` plus a numeric error
  code whose field name is undocumented (``errorCode``, ``code`` or ``error_code``).

Messages never include request headers, query strings, bodies or tokens, so an
exception can be logged or shown as-is; a credential a server echoed is masked in the error and
in every exception it was raised from (:func:`without_credentials_in`, from
:mod:`conversation_clients._error_chain`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from conversation_clients._error_chain import RedactedException, scrub_chain, without_credentials_in
from conversation_clients._error_reading import (
    GENERIC_ERRORS,
    ErrorReader,
    error_reader_of,
    read_error,
    with_error_reader,
)
from conversation_clients._error_reading import REQUEST_ID_HEADERS as REQUEST_ID_HEADERS
from conversation_clients._redact import fingerprint, scrub_secrets, scrub_secrets_in_bytes

__all__ = [
    "PagerClosedError",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConversationClientError",
    "CredentialError",
    "ErrorReader",
    "GENERIC_ERRORS",
    "InsecureTransportError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedactedException",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "error_class_for_status",
    "error_from_response",
    "error_reader_of",
    "with_error_reader",
    "without_credentials",
    "without_credentials_in",
]

# Printed in an error's chain (and pickled) under its public name, as the classes defined here are.
RedactedException.__module__ = __name__

# Vendor messages are echoed into str(err); past this length they are cut, because
# some gateways put whole HTML pages or stack traces where a message belongs.
MAX_ECHOED_MESSAGE_CHARS: Final = 500


def _restore_exception(
    cls: type[ConversationClientError], args: tuple[Any, ...], state: dict[str, Any]
) -> ConversationClientError:
    # Subclasses take keyword-only arguments, which Exception's default pickling cannot
    # replay; rebuild from the stored message and attributes instead.
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ConversationClientError(Exception):
    """Base class of every error raised by the conversation clients.

    ``resume_token`` is filled in by pagination code: it is the page token that
    re-fetches the page that failed, so a caller can resume after fixing the cause.

    >>> try:
    ...     raise ConversationClientError("something went wrong")
    ... except ConversationClientError as error:
    ...     error.resume_token = "token-of-page-7"
    """

    resume_token: str | None

    def __init__(self, message: str, *, resume_token: str | None = None) -> None:
        super().__init__(message)
        self.resume_token = resume_token

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore_exception, (type(self), self.args, dict(self.__dict__)))


class InsecureTransportError(ConversationClientError, ValueError):
    """Credentials would have been sent over plain http to a non-loopback host.

    Raised before anything is sent, so nothing has left the process.

    Example:
        >>> raise InsecureTransportError.for_host("api.example.com")
        Traceback (most recent call last):
        ...
        conversation_clients.errors.InsecureTransportError: refusing ... to 'api.example.com': ...
    """

    @classmethod
    def for_host(cls, host: str, *, scheme: str = "http") -> InsecureTransportError:
        """Build the error for a request or base URL aimed at ``host`` over ``scheme``.

        The host is named because it is what the caller needs to fix and it is not a
        secret; nothing else of the URL is included.

        Example:
            >>> str(InsecureTransportError.for_host("example.com")).startswith("refusing")
            True
        """
        return cls(
            f"refusing to send credentials over plain {scheme} to {host!r}: "
            "credentials are only sent over https, and over plain http only to a loopback "
            "host (localhost, 127.0.0.0/8, ::1) for local testing; other *.localhost names "
            "are resolved through DNS and are not trusted"
        )


class APIError(ConversationClientError):
    """The server answered with a status that is not a success.

    Usually built by :func:`error_from_response`, which picks the subclass.

    >>> error = APIError(status_code=405, message="Method Not Allowed")
    >>> str(error)
    '405 Method Not Allowed'
    """

    status_code: int
    code: str | int | None
    message: str
    request_id: str | None
    body: object
    retry_after: float | None
    headers: Mapping[str, str]

    def __init__(
        self,
        *,
        status_code: int,
        message: str,
        code: str | int | None = None,
        request_id: str | None = None,
        body: object = None,
        retry_after: float | None = None,
        resume_token: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.message = message
        self.request_id = request_id
        self.body = body
        self.retry_after = retry_after
        self.headers = dict(headers or {})
        super().__init__(self._describe(), resume_token=resume_token)

    def _describe(self) -> str:
        import httpx  # loaded already: an API error comes from a response

        reason = httpx.codes.get_reason_phrase(self.status_code)
        status_line = f"{self.status_code} {reason}" if reason else f"HTTP {self.status_code}"
        text = status_line
        # The message is only worth repeating when the body said something of its own.
        if self.message and self.message not in (reason, status_line):
            text += f": {_one_line(self.message, MAX_ECHOED_MESSAGE_CHARS)}"
        extras: list[str] = []
        if self.code is not None:
            extras.append(f"code={_one_line(str(self.code), 100)}")
        if self.request_id is not None:
            extras.append(f"request_id={_one_line(self.request_id, 100)}")
        if self.retry_after is not None:
            extras.append(f"retry_after={self.retry_after:g}s")
        if extras:
            text += f" ({', '.join(extras)})"
        return text


class BadRequestError(APIError):
    """400 Bad Request or 422 Unprocessable Entity: the request itself is wrong."""


class AuthenticationError(APIError):
    """401 Unauthorized: the credentials are missing, wrong or expired."""


class PermissionDeniedError(APIError):
    """403 Forbidden: the credentials are valid but may not do this."""


class NotFoundError(APIError):
    """404 Not Found."""


class ConflictError(APIError):
    """409 Conflict."""


class RateLimitError(APIError):
    """429 Too Many Requests; ``retry_after`` holds the server's requested wait if it gave one."""


class ServerError(APIError):
    """Any status of 500 or above, including non-standard ones such as 520 or 599."""


class APIConnectionError(ConversationClientError):
    """The request could not be sent or the response could not be received.

    The httpx exception that caused it is chained as ``__cause__``.

    >>> str(APIConnectionError("ConnectError while sending GET /v1/conversations"))
    'ConnectError while sending GET /v1/conversations'
    """


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool timeout)."""


class ResponseTooLargeError(ConversationClientError):
    """A response body grew past the client's ``max_response_bytes``; reading stopped there.

    Counted while the body streams, after decompression (``Content-Encoding`` bombs included)
    and before it. Not retried: the same request would bring the same body. ``limit`` is the
    cap in bytes, ``status_code`` the status of the response whose body was cut off.

    >>> str(ResponseTooLargeError(limit=1024, status_code=200))
    'response body (HTTP 200) exceeds max_response_bytes=1024; stopped reading it'
    """

    limit: int
    status_code: int

    def __init__(self, *, limit: int, status_code: int, resume_token: str | None = None) -> None:
        self.limit = limit
        self.status_code = status_code
        super().__init__(
            f"response body (HTTP {status_code}) exceeds max_response_bytes={limit}; stopped reading it",
            resume_token=resume_token,
        )


class CredentialError(ConversationClientError):
    """A credential could not produce a usable token: it raised, or returned something unusable.

    The credential's own exception, if any, is chained as ``__cause__``; the message never
    quotes a token. Raised mid-listing, it carries ``resume_token`` like any listing failure.

    >>> str(CredentialError("the credential's get_token() raised RuntimeError"))
    "the credential's get_token() raised RuntimeError"
    """


class ResponseValidationError(ConversationClientError):
    """A 2xx response whose body is not JSON or does not fit the expected model.

    ``body`` keeps the raw bytes whole for debugging; the message never includes it.

    >>> error = ResponseValidationError(
    ...     status_code=200, body=b'{"results": 1}', reason="expected a list", field="results"
    ... )
    >>> str(error)
    'invalid response body (HTTP 200) at results: expected a list'
    """

    field: str | None
    body: bytes
    status_code: int
    reason: str

    def __init__(
        self,
        *,
        status_code: int,
        body: bytes,
        reason: str,
        field: str | None = None,
        resume_token: str | None = None,
    ) -> None:
        self.field = field
        self.body = body
        self.status_code = status_code
        self.reason = reason
        location = f" at {_one_line(field, 200)}" if field else ""
        super().__init__(
            f"invalid response body (HTTP {status_code}){location}: {_one_line(reason, MAX_ECHOED_MESSAGE_CHARS)}",
            resume_token=resume_token,
        )


class PagerClosedError(RuntimeError):
    """A pager iterated after its ``close()`` / ``aclose()``: a new iteration, or the next step of
    one under way when it was closed. Start a new listing (from a page's ``next_token`` to resume).

    A misuse of the pager, not a failure of the API: hence a ``RuntimeError``, as iterating a
    closed generator is, rather than a :class:`ConversationClientError`.
    """


class PaginationError(ConversationClientError):
    """Paging went wrong, e.g. the server handed back a page token it had already given.

    The token is kept in ``.token`` but the message shows only a fingerprint of it,
    because page tokens can carry credentials or personal data.

    >>> error = PaginationError("server repeated a page token", token="abc")
    >>> str(error)
    'server repeated a page token (token len=3 sha256:ba7816bf)'
    """

    token: str | None

    def __init__(self, reason: str, *, token: str | None = None, resume_token: str | None = None) -> None:
        self.token = token
        suffix = f" (token {fingerprint(token)})" if token is not None else ""
        super().__init__(f"{reason}{suffix}", resume_token=resume_token)


_CLASS_BY_STATUS: Final[Mapping[int, type[APIError]]] = {
    400: BadRequestError,
    422: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def error_class_for_status(status_code: int) -> type[APIError]:
    """Pick the :class:`APIError` subclass for an HTTP status.

    >>> error_class_for_status(422).__name__, error_class_for_status(520).__name__
    ('BadRequestError', 'ServerError')
    """
    if status_code >= 500:
        return ServerError
    return _CLASS_BY_STATUS.get(status_code, APIError)


def error_from_response(
    status_code: int,
    headers: Mapping[str, str],
    content: bytes,
    *,
    retry_after: float | None = None,
    credentials: Sequence[str] = (),
    reader: ErrorReader = GENERIC_ERRORS,
) -> APIError:
    """Build the typed error for a failed response. Never raises, whatever the bytes.

    ``headers`` may be ``httpx.Headers`` or any mapping; names are matched ignoring case.
    ``credentials`` are the secrets the request carried (see
    :func:`conversation_clients._redact.credentials_sent`): a server that quotes them back
    (``invalid access key AccessKey <key>``) gets them replaced by ``***`` in the message,
    ``.message``, ``.code``, ``.request_id`` and ``.body``, so that no repr or log line of
    the error shows them. ``reader`` names the vendor's code and message fields and request-id
    headers (a vendor profile's :class:`ErrorReader`; by default every name either vendor uses).
    The error's ``.headers`` are the response's, names lower-cased (a repeated header's values
    joined by commas), with cookies and any key, token or secret header masked and the
    credentials scrubbed from the rest; the request's headers are never kept.

    >>> error = error_from_response(
    ...     404,
    ...     {"X-MS-Correlation-Id": "c0ffee"},
    ...     b'{"code": "NotFound", "message": "conversation not found"}',
    ... )
    >>> type(error).__name__, str(error)
    ('NotFoundError', '404 Not Found: conversation not found (code=NotFound, request_id=c0ffee)')
    >>> str(error_from_response(401, {}, b'{"message": "bad key k3y-0123456"}', credentials=["k3y-0123456"]))
    '401 Unauthorized: bad key ***'
    >>> error_from_response(429, {"Retry-After": "2", "Set-Cookie": "s=1"}, b"").headers
    {'retry-after': '2', 'set-cookie': '***'}
    """
    details = read_error(status_code, headers, content, credentials=credentials, reader=reader)
    return error_class_for_status(status_code)(
        status_code=status_code,
        message=details.message,
        code=details.code,
        request_id=details.request_id,
        body=details.body,
        retry_after=retry_after,
        headers=details.headers,
    )


def without_credentials(error: ResponseValidationError, credentials: Sequence[str]) -> ResponseValidationError:
    """``error`` with ``credentials`` replaced by ``***`` in its message, reason, field, notes and body.

    Changes ``error`` in place and returns it, so that it can be re-raised with its traceback.
    A 2xx body that does not fit its model is echoed in part (up to 40 characters of a value);
    a server that puts the caller's key there must not see it reach a log. The exceptions it was
    raised from (the model's ``ValueError`` quoting the value, the JSON parser's error holding
    the document) are cleaned too, as :func:`without_credentials_in` does: a printed traceback
    shows them.

    >>> error = ResponseValidationError(status_code=200, body=b'"k3y-0123456"', reason="got 'k3y-0123456'")
    >>> str(without_credentials(error, ["k3y-0123456"])), error.body
    ("invalid response body (HTTP 200): got '***'", b'"***"')
    """
    if not credentials:
        return error
    error.args = tuple(scrub_secrets(arg, credentials) if isinstance(arg, str) else arg for arg in error.args)
    error.reason = scrub_secrets(error.reason, credentials)
    if error.field is not None:
        error.field = scrub_secrets(error.field, credentials)
    error.body = scrub_secrets_in_bytes(error.body, credentials)
    notes: list[str] | None = getattr(error, "__notes__", None)
    if notes is not None:
        error.__notes__ = [scrub_secrets(note, credentials) for note in notes]
    scrub_chain(error, credentials)
    return error


def _one_line(text: str, limit: int) -> str:
    # Control characters (newlines above all) in a vendor message could forge extra
    # log lines; flatten them, then cut to the limit.
    flattened = "".join(char if char.isprintable() else " " for char in text)
    if len(flattened) <= limit:
        return flattened
    return flattened[: limit - 1] + "…"
