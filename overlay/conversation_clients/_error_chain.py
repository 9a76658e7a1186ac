"""Masking credentials in an exception and in every exception it was raised from.

A lower exception (a transport's, a parser's, a model's ``ValueError``) may quote what a server
sent, and a server may echo the caller's credential. ``traceback`` prints an error's whole
``__cause__``/``__context__`` chain, and error reporters walk it: :func:`without_credentials_in`
rewrites each exception on it in place, and puts a :class:`RedactedException` in place of one
whose text cannot be cleaned. :mod:`conversation_clients.errors` re-exports both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import cast, overload

from conversation_clients._redact import scrub_secrets, scrub_secrets_in_bytes

__all__ = ["RedactedException", "scrub_chain", "without_credentials_in"]


class RedactedException(Exception):
    """Stands in, in an error's chain, for a lower exception that kept showing a credential.

    :func:`without_credentials_in` masks a credential inside each exception an error was raised
    from; one whose text still shows it after that (its ``str`` is built from attributes that
    cannot be rewritten) is replaced by this, whose message is the original's type and text with
    the credential masked. It keeps the original's traceback, notes and chain.

    >>> str(RedactedException("ValueError: bad value '***'"))
    "ValueError: bad value '***'"
    """


@overload
def without_credentials_in(error: Exception, credentials: Sequence[str]) -> Exception: ...
@overload
def without_credentials_in(error: BaseException, credentials: Sequence[str]) -> BaseException: ...
def without_credentials_in(error: BaseException, credentials: Sequence[str]) -> BaseException:
    """``error`` and every exception it was raised from, with ``credentials`` replaced by ``***``.

    For a lower exception (a transport's, a parser's) that may quote what a server sent: its
    ``args``, notes and text attributes are rewritten in place, and so are those of each
    exception on its ``__cause__``/``__context__`` chain, which ``traceback`` prints and error
    reporters walk. Returns ``error``, or a :class:`RedactedException` in its place when its text
    could not be cleaned in place; ``__cause__``/``__context__`` links are replaced likewise.

    >>> error = ValueError("Invalid isoformat string: 'not a date: k3y-0123456'")
    >>> without_credentials_in(error, ["k3y-0123456"])
    ValueError("Invalid isoformat string: 'not a date: ***'")
    """
    if not credentials:
        return error
    clean = _scrubbed(error, credentials)
    scrub_chain(clean, credentials)
    return clean


def scrub_chain(error: BaseException, credentials: Sequence[str]) -> None:
    """Clean, in place, every exception ``error`` was raised from (not ``error`` itself).

    Walks ``__cause__`` and ``__context__`` (usually one object: ``raise ... from exc`` in exc's
    handler) without recursion, each exception once, and relinks each to its cleaned self.
    """
    if not credentials:
        return
    cleaned: dict[int, BaseException] = {id(error): error}
    pending = [error]
    while pending:
        current = pending.pop()
        suppress_context = current.__suppress_context__  # setting __cause__ would set it
        for name in ("__cause__", "__context__"):
            linked: BaseException | None = getattr(current, name)
            if linked is None:
                continue
            clean = cleaned.get(id(linked))
            if clean is None:
                clean = cleaned[id(linked)] = _scrubbed(linked, credentials)
                cleaned[id(clean)] = clean
                pending.append(clean)
            if clean is not linked:
                setattr(current, name, clean)
        current.__suppress_context__ = suppress_context


def _scrubbed(error: BaseException, credentials: Sequence[str]) -> BaseException:
    if not _shows(error, credentials):
        return error
    with contextlib.suppress(Exception):  # an exception class may refuse new args
        error.args = tuple(_scrub_value(arg, credentials) for arg in error.args)
    notes: object = getattr(error, "__notes__", None)
    if isinstance(notes, list):
        error.__notes__ = cast(list[str], [_scrub_value(note, credentials) for note in cast(list[object], notes)])
    attributes: dict[str, object] = getattr(error, "__dict__", {})  # e.g. JSONDecodeError.doc
    for name, value in list(attributes.items()):
        attributes[name] = _scrub_value(value, credentials)
    if isinstance(error, UnicodeDecodeError | UnicodeEncodeError | UnicodeTranslateError):
        with contextlib.suppress(Exception):
            error.object = _scrub_value(error.object, credentials)  # type: ignore[assignment]
    if not _shows(error, credentials):
        return error
    try:
        text = str(error)
    except Exception:  # noqa: BLE001 - a __str__ that fails shows nothing
        text = ""
    stand_in = RedactedException(f"{type(error).__qualname__}: {scrub_secrets(text, credentials)}")
    stand_in.__traceback__ = error.__traceback__
    stand_in.__cause__, stand_in.__context__ = error.__cause__, error.__context__
    stand_in.__suppress_context__ = error.__suppress_context__
    if isinstance(notes, list):
        stand_in.__notes__ = error.__notes__
    return stand_in


def _shows(error: BaseException, credentials: Sequence[str]) -> bool:
    try:
        texts: list[object] = [str(error), repr(error)]
    except Exception:  # noqa: BLE001 - what cannot be printed is replaced rather than trusted
        return True
    notes: object = getattr(error, "__notes__", None)
    if isinstance(notes, list):
        texts.extend(cast(list[object], notes))
    texts.extend(getattr(error, "__dict__", {}).values())
    if isinstance(error, UnicodeError):
        texts.append(getattr(error, "object", None))
    for text in texts:
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode("utf-8", errors="replace")
        if isinstance(text, str) and scrub_secrets(text, credentials) != text:
            return True
    return False


def _scrub_value(value: object, credentials: Sequence[str]) -> object:
    if isinstance(value, str):
        return scrub_secrets(value, credentials)
    if isinstance(value, bytes):
        return scrub_secrets_in_bytes(value, credentials)
    if isinstance(value, bytearray):
        return bytearray(scrub_secrets_in_bytes(bytes(value), credentials))
    if isinstance(value, tuple):
        return tuple(_scrub_value(item, credentials) for item in cast(tuple[object, ...], value))
    if isinstance(value, list):
        return [_scrub_value(item, credentials) for item in cast(list[object], value)]
    if isinstance(value, BaseException):  # httpcore's errors hold h11's as their argument
        return _scrubbed(value, credentials)
    return value
