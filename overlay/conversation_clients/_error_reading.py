"""Reading a vendor's error response: where it puts the error's code, message and request id.

Each vendor's profile holds an :class:`ErrorReader` (the field names of its error body, the
headers of its request id); the clients attach it to each request (:func:`with_error_reader`),
so that :func:`~conversation_clients.errors.error_from_response`, which builds the typed error
from what :func:`read_error` reads, stays vendor-neutral. Whatever the bytes, reading never
raises, and every value read has the request's credentials masked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, cast

import attrs

if TYPE_CHECKING:
    import httpx

from conversation_clients._redact import redact_headers, scrub_secrets, scrub_secrets_in_json

__all__ = [
    "ErrorDetails",
    "ErrorReader",
    "GENERIC_ERRORS",
    "REQUEST_ID_HEADERS",
    "error_reader_of",
    "read_error",
    "with_error_reader",
]

REQUEST_ID_HEADERS: Final = (
    "x-ms-correlation-id",
    "x-request-id",
    "request-id",
    "x-correlation-id",
)

_ERROR_CODE_FIELDS: Final = ("errorCode", "code", "error_code")
_MESSAGE_FIELDS: Final = ("message", "detail", "title")


@attrs.frozen
class ErrorReader:
    """Where one vendor puts an error's code, message and request id; each list is tried in order.

    A vendor's profile holds its reader (``conversation_clients.bird.BIRD.errors``); the clients
    attach it to each request (:func:`with_error_reader`), so :func:`read_error` stays
    vendor-neutral. :data:`GENERIC_ERRORS`, the default, tries every name either vendor uses.

    >>> reader = ErrorReader(code_fields=("code",), message_fields=("message",), request_id_headers=("x-request-id",))
    >>> read_error(404, {"x-request-id": "r1"}, b'{"code": "NotFound", "message": "gone"}', reader=reader).request_id
    'r1'
    """

    code_fields: tuple[str, ...]
    message_fields: tuple[str, ...]
    request_id_headers: tuple[str, ...]


#: What :func:`read_error` reads when no vendor is named: every field and header name known.
GENERIC_ERRORS: Final = ErrorReader(
    code_fields=_ERROR_CODE_FIELDS, message_fields=_MESSAGE_FIELDS, request_id_headers=REQUEST_ID_HEADERS
)

_READER_EXTENSION: Final = "conversation_clients.error_reader"


def with_error_reader(request: httpx.Request, reader: ErrorReader) -> httpx.Request:
    """Mark ``request`` with the reader for its error responses (an httpx request extension); returns it."""
    request.extensions[_READER_EXTENSION] = reader
    return request


def error_reader_of(request: httpx.Request) -> ErrorReader:
    """The reader a client attached to ``request``, or :data:`GENERIC_ERRORS`.

    >>> import httpx
    >>> error_reader_of(httpx.Request("GET", "https://x/")) is GENERIC_ERRORS
    True
    """
    reader = request.extensions.get(_READER_EXTENSION)
    return reader if isinstance(reader, ErrorReader) else GENERIC_ERRORS


@attrs.frozen
class ErrorDetails:
    """What a failed response says about its error, the request's credentials masked everywhere.

    ``body`` is the parsed JSON (the text, when it is not JSON; None when empty); ``message`` the
    vendor's, or the status's reason phrase; ``headers`` the response's, names lower-cased, with
    cookies and any key, token or secret header masked.
    """

    message: str
    code: str | int | None
    request_id: str | None
    body: object
    headers: dict[str, str]


def read_error(
    status_code: int,
    headers: Mapping[str, str],
    content: bytes,
    *,
    credentials: Sequence[str] = (),
    reader: ErrorReader = GENERIC_ERRORS,
) -> ErrorDetails:
    """Read a failed response's code, message and request id where ``reader`` says; never raises.

    ``headers`` may be ``httpx.Headers`` or any mapping; names are matched ignoring case.
    ``credentials`` are replaced by ``***`` in every value read (see
    :func:`~conversation_clients.errors.error_from_response`).

    >>> read_error(404, {"X-MS-Correlation-Id": "c0ffee"}, b'{"code": "NotFound", "message": "gone"}')
    ErrorDetails(message='gone', code='NotFound', request_id='c0ffee', body={'code': 'NotFound', 'message': 'gone'}, headers={'x-ms-correlation-id': 'c0ffee'})
    """
    body = scrub_secrets_in_json(_parse_body(content), credentials)
    fields = _error_fields(body, reader)
    request_id = _first_header(headers, reader.request_id_headers)
    return ErrorDetails(
        message=_first_message(fields, reader.message_fields) or _fallback_message(status_code),
        code=_first_code(fields, reader.code_fields),
        request_id=None if request_id is None else scrub_secrets(request_id, credentials),
        body=body,
        headers={name.lower(): scrub_secrets(value, credentials) for name, value in redact_headers(headers).items()},
    )


def _parse_body(content: bytes) -> object:
    if not content:
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        # ValueError covers malformed JSON and undecodable bytes; RecursionError a
        # pathologically nested document. Either way the text is still worth keeping.
        return content.decode("utf-8", errors="replace")


def _error_fields(body: object, reader: ErrorReader) -> Mapping[str, object]:
    if not isinstance(body, dict):
        return {}
    fields = cast(dict[str, object], body)  # a JSON object: its keys are strings
    # Dataverse-style services (which Dynamics shares infrastructure with) nest the
    # error as {"error": {"code", "message"}}; look inside when the top level is silent.
    nested = fields.get("error")
    if isinstance(nested, dict) and not any(key in fields for key in (*reader.code_fields, *reader.message_fields)):
        return cast(dict[str, object], nested)
    return fields


def _first_code(fields: Mapping[str, object], names: tuple[str, ...]) -> str | int | None:
    for name in names:
        value = fields.get(name)
        # bool is an int subclass, but true/false is never an error code.
        if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
            return value
    return None


def _first_message(fields: Mapping[str, object], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _fallback_message(status_code: int) -> str:
    import httpx  # loaded already: an error body comes from a response

    return httpx.codes.get_reason_phrase(status_code) or f"HTTP {status_code}"


def _first_header(headers: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    # Plain dicts are not case-insensitive, so compare lowered names ourselves.
    lowered = {name.lower(): value for name, value in headers.items()}
    for name in names:
        value = lowered.get(name)
        if value:
            return value
    return None
