"""Decode a response body into a generated model, or raise a typed error that says where it is wrong.

The overlay promises that a 2xx body that is not JSON, or does not fit its model, is a
:class:`~conversation_clients.errors.ResponseValidationError` that names the field
(``results[3].lastMessage.createdAt``), says what is wrong, and keeps the raw bytes.

How: :func:`decode_model` reads the JSON (:func:`parse_json_object`: with the ``speedups`` extra
installed, msgspec first, :mod:`conversation_clients._fast_json`; ``json.loads`` behind it, with
the same values and errors) and calls the model's ``from_dict`` (:func:`build_model`, with the
cyclic garbage collector paused: :func:`collector_paused`). Only when ``from_dict`` fails does
:func:`conversation_clients._schema_errors.explain` walk the payload against the schema to find
where it breaks it.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Mapping
from typing import Any, Final, Protocol, Self, TypeVar, cast

from conversation_clients import _fast_json
from conversation_clients._schema_errors import SchemaRef, explain, json_type, shorten
from conversation_clients.errors import ResponseValidationError

__all__ = ["SupportsFromDict", "build_model", "collector_paused", "decode_model", "parse_json_object"]

# What ``from_dict`` raises on a body that does not fit its model (see conversation_clients._schema_errors).
_MODEL_ERRORS: Final = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)


class SupportsFromDict(Protocol):
    """A generated model: anything with ``from_dict(mapping) -> instance``."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any], /) -> Self: ...


M = TypeVar("M", bound=SupportsFromDict)


def decode_model(model: type[M], response_content: bytes, *, status_code: int, schema: SchemaRef) -> M:
    """Parse a JSON body into ``model``, or raise :class:`ResponseValidationError` saying where.

    Whatever the bytes, this returns a model or raises ``ResponseValidationError``
    (``.body`` is ``response_content`` whole; ``.field`` the path of the first problem, or
    None when the body is not a JSON object at all). The model's own exception is chained
    as ``__cause__``.

    >>> from omnichannel_messaging.models import ActiveConversationPage
    >>> ref = SchemaRef("omnichannel_messaging", "/components/schemas/ActiveConversationPage")
    >>> body = b'{"conversations": [{"conversationid": "nope", "timestamp": "2025-04-15T12:36:40Z"}]}'
    >>> try:
    ...     decode_model(ActiveConversationPage, body, status_code=200, schema=ref)
    ... except ResponseValidationError as error:
    ...     print(error.field, "|", error.reason)
    conversations[0].conversationid | not a valid uuid: 'nope'
    """
    payload = parse_json_object(response_content, status_code=status_code)
    return build_model(model, payload, response_content, status_code=status_code, schema=schema)


def parse_json_object(response_content: bytes, *, status_code: int) -> dict[str, Any]:
    """The first half of :func:`decode_model`: the body as a JSON object, or ``ResponseValidationError``.

    >>> parse_json_object(b'{"results": []}', status_code=200)
    {'results': []}
    """
    payload = _parse_json(response_content, status_code)
    if not isinstance(payload, dict):
        raise ResponseValidationError(
            status_code=status_code,
            body=response_content,
            reason=f"expected a JSON object, got {json_type(payload)}",
        )
    return cast(dict[str, Any], payload)  # a JSON object: its keys are strings


def build_model(
    model: type[M], payload: dict[str, Any], response_content: bytes, *, status_code: int, schema: SchemaRef
) -> M:
    """The second half of :func:`decode_model`: ``model.from_dict(payload)``, failures explained.

    ``response_content`` is the body ``payload`` was parsed from; the error keeps it.

    >>> from omnichannel_messaging.models import ProblemDetails
    >>> ref = SchemaRef("omnichannel_messaging", "/components/schemas/ProblemDetails")
    >>> build_model(ProblemDetails, {"title": "Gone"}, b'{"title": "Gone"}', status_code=200, schema=ref).title
    'Gone'
    """
    try:
        with collector_paused():
            return model.from_dict(payload)
    except _MODEL_ERRORS as exc:
        raise explain(exc, payload, response_content, status_code, schema) from exc


class collector_paused:  # noqa: N801 - used as a function, in a with statement
    """Pause Python's cyclic garbage collector for the block, if it is running; resume it after.

    Building a page's models allocates thousands of objects. The collector runs after every
    700 allocations and walks every young object still alive, the page's whole JSON tree
    included, again and again: a third of the build time (``nox -s bench``). The models form
    no reference cycles, so nothing waits on the collector meanwhile; the objects counted
    during the pause are looked at once, at the next allocation after it. Mercurial builds
    large structures the same way (``util.nogc``). A collector the application turned off
    stays off; one another thread turns off during the pause is turned back on at its end
    (the switch is process-wide, and nothing tells the two apart).

    >>> with collector_paused():
    ...     gc.isenabled()
    False

    A class, not a generator-based context manager: one is entered for every page.
    """

    __slots__ = ("_pausing",)

    def __init__(self) -> None:
        self._pausing = False

    def __enter__(self) -> None:
        self._pausing = gc.isenabled()
        if self._pausing:
            gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self._pausing:
            gc.enable()


def _parse_json(content: bytes, status_code: int) -> object:
    fast = _fast_json.FAST_DECODER  # read here, at each call: the tests and the benchmarks switch it
    if fast is not None:
        decode, refusals = fast
        try:
            return _fast_json.decode_as_deep_as_json(decode, content)
        except refusals:
            pass  # read again below, as without msgspec: the same value, or the same error

    def fail(reason: str) -> ResponseValidationError:
        return ResponseValidationError(status_code=status_code, body=content, reason=f"body is not JSON: {reason}")

    try:
        # RFC 8259: JSON between systems is UTF-8. json.loads(bytes) would also guess
        # UTF-16/32; decoding first rejects those. A UTF-8 byte order mark is tolerated.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"not valid UTF-8 (byte 0x{content[exc.start]:02x} at offset {exc.start})") from exc
    if not text.strip(" \t\r\n"):
        raise fail("empty body")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except ValueError as exc:  # e.g. an integer past Python's int-from-text digit limit
        raise fail(shorten(str(exc), 80)) from exc
    except RecursionError as exc:
        raise fail("nested too deeply") from exc
