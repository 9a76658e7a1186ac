"""Contains some shared types for properties"""

import datetime
import enum
from collections.abc import Callable, Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, BinaryIO, Final, Generic, Literal, NoReturn, TypeVar, cast
from uuid import UUID, SafeUUID

from attrs import define
from attrs import fields as attrs_fields
from dateutil.parser import isoparse

T = TypeVar("T")


class Unset(enum.Enum):
    """The type of ``UNSET``, its one member: the value of an optional property a body left out.

    An enum of one member, so that mypy and pyright narrow ``str | Unset`` on ``is UNSET``,
    ``is not UNSET``, ``==`` and ``!=`` (a plain class narrows only on ``isinstance`` and
    truthiness), and so that copies and pickles give back ``UNSET`` itself. It reads as
    ``UNSET`` in reprs and is falsy.

    >>> UNSET, bool(UNSET), list(Unset)
    (UNSET, False, [UNSET])
    """

    UNSET = "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


class WireDatetime(datetime.datetime):
    """A datetime parsed from text finer than microseconds, which remembers that text.

    ``datetime`` holds microseconds; .NET services send seven fractional digits
    (``2025-04-15T12:36:40.9049594Z``). Keeping the text lets ``to_dict`` write the
    instant back exactly as it came. Arithmetic and ``replace`` give values that no
    longer carry the text (``wire_text`` is None), so they are written with ``isoformat``.

    >>> parsed = parse_datetime("2025-04-15T12:36:40.9049594Z")
    >>> parsed.wire_text, (parsed + datetime.timedelta(seconds=1)).wire_text
    ('2025-04-15T12:36:40.9049594Z', None)
    """

    # The text is kept in a slot rather than in an instance __dict__: a dict per date-time, made
    # to hold one string, cost a page of 250 Omnichannel conversations about 25 µs. A slot has
    # no class-level default, so wire_text is a property that answers None while the slot is
    # empty (values made by arithmetic, replace, copy, pickle or the constructor).
    __slots__ = ("_wire_text",)
    _wire_text: str | None

    @property
    def wire_text(self) -> str | None:
        """The text this value was parsed from, or None."""
        return getattr(self, "_wire_text", None)

    @wire_text.setter
    def wire_text(self, text: str | None) -> None:
        self._wire_text = text


def parse_datetime(text: str) -> datetime.datetime:
    """Parse an RFC 3339 / ISO 8601 date-time, keeping sub-microsecond text.

    The date-time must carry its UTC offset (``Z`` or ``+02:00``), as RFC 3339 requires: a
    local time names no instant, and the models promise aware datetimes. Without one,
    ``ValueError``.

    >>> parse_datetime("2025-04-15T12:36:40.9049594Z").microsecond
    904959
    >>> parse_datetime("2025-04-15T12:36:40")
    Traceback (most recent call last):
    ...
    ValueError: date-time without a UTC offset: '2025-04-15T12:36:40'
    """
    try:
        value = _datetime_from_iso(text)
    except ValueError:
        value = isoparse(text)
    if value.tzinfo is None:
        raise ValueError(f"date-time without a UTC offset: {text!r}")
    # RFC 3339: "YYYY-MM-DDTHH:MM:SS" is 19 characters; a fraction, if any, starts right after.
    # Seven digits or more there (.NET writes seven) are finer than a datetime holds: the value
    # is copied into a WireDatetime that keeps the text. (The seven characters are tested
    # first: that fails at once for the usual three or six digits. Once text[20:27] is seven
    # characters, text[19] exists.)
    if text[20:27].isdigit() and text[19] in _FRACTION_MARKS:
        # The copy is made from the value's pickle state (ten bytes, and the tzinfo itself):
        # WireDatetime(state, tzinfo) is the one way into a datetime subclass that does not
        # build it from eight Python ints, which is what WireDatetime(...) with fields and
        # WireDatetime.fromisoformat both do (0.29 µs against 0.07 for the plain parse; the
        # state and the copy take 0.18). The state of __reduce__ (pickle protocol 2) leaves
        # fold out: both parsers give fold=0, always (tests compare fold).
        precise = _wire_datetime_from_state(*_datetime_state(value)[1])
        precise._wire_text = text  # pyright: ignore[reportPrivateUsage] - the property's setter costs a call
        return precise
    return value


# Looked up once: parse_datetime runs for every date-time of every page.
_FRACTION_MARKS = (".", ",")
_datetime_from_iso = datetime.datetime.fromisoformat
# (typeshed knows neither the state __reduce__ returns nor the constructor taking it)
_datetime_state = cast(
    "Callable[[datetime.datetime], tuple[object, tuple[bytes, datetime.tzinfo]]]",
    datetime.datetime.__reduce__,
)
_wire_datetime_from_state = cast(
    "Callable[[bytes, datetime.tzinfo], WireDatetime]", WireDatetime
)


def format_datetime(value: datetime.datetime) -> str:
    """Write a date-time as ISO 8601, as the server sent it when it was parsed from text.

    >>> format_datetime(parse_datetime("2025-04-15T12:36:40.9049594Z"))
    '2025-04-15T12:36:40.9049594Z'
    """
    wire_text = value.wire_text if isinstance(value, WireDatetime) else None
    return wire_text if wire_text is not None else value.isoformat()


def parse_uuid(text: str) -> UUID:
    """Parse a UUID as ``uuid.UUID(text)`` does, at half the cost for the usual 36-character form.

    ``UUID.__init__`` handles five argument forms before it reaches the text; a page holds
    hundreds of ids, so the common case builds the value directly. Anything else (braces,
    a ``urn:uuid:`` prefix, or text that is no UUID at all) goes to ``UUID`` itself, so the
    same texts are accepted and the same errors raised.

    >>> parse_uuid("36a7ae52-f244-4c1a-972a-f33ab8c950f4") == UUID("36a7ae52-f244-4c1a-972a-f33ab8c950f4")
    True
    """
    digits = text.replace("-", "")
    if len(digits) != 32:
        return UUID(text)
    value = _new_object(UUID)
    # UUID is immutable: its own __init__ sets its two slots the same way (object.__setattr__);
    # the slots' own setters, looked up once, skip finding them on every call.
    _set_uuid_int(value, int(digits, 16))
    _set_uuid_is_safe(value, _SAFETY_UNKNOWN)
    return value


def wrong_type(value: object, expected: str) -> NoReturn:
    """Raise the ``TypeError`` of a generated ``from_dict`` given a value of the wrong JSON type.

    >>> wrong_type("lots", "integer")
    Traceback (most recent call last):
    ...
    TypeError: expected integer, got string
    """
    raise TypeError(f"expected {expected}, got {json_type_name(value)}")


def json_type_name(value: object) -> str:
    """What JSON calls ``value``'s type, as the error messages say it; NaN and infinities by name.

    >>> [json_type_name(value) for value in (None, True, 1, 1.5, float("nan"), "", [], {})]
    ['null', 'boolean', 'integer', 'number', 'NaN', 'string', 'array', 'object']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (_INFINITY, -_INFINITY):
            return "Infinity" if value > 0 else "-Infinity"
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


_INFINITY = float("inf")


def is_number(value: object) -> bool:
    """Whether ``value`` is a JSON number: an int or a finite float, not a bool.

    ``json.loads`` reads ``NaN`` and ``Infinity``, which RFC 8259 does not allow; a number
    field refuses them.

    >>> [is_number(value) for value in (3, 2.5, True, float("nan"), float("inf"), "3")]
    [True, True, False, False, False, False]
    """
    # x - x is 0.0 for every finite float, NaN for NaN and the infinities.
    return type(value) is int or (type(value) is float and value - value == 0.0)


def list_of(value: object, element_type: type[T], expected: str) -> list[T]:
    """``value`` if it is a JSON array of ``element_type`` (``expected`` names it in errors), else ``TypeError``.

    ``int`` elements are ints and not bools; ``float`` elements are any JSON number.

    >>> list_of(["vip"], str, "string")
    ['vip']
    >>> list_of(["vip", 1], str, "string")
    Traceback (most recent call last):
    ...
    TypeError: expected string, got integer
    """
    if type(value) is not list:
        wrong_type(value, "array")
    elements = cast("list[object]", value)
    if element_type is float:
        for element in elements:
            if not is_number(element):
                wrong_type(element, expected)
    else:
        for element in elements:
            if type(element) is not element_type:
                wrong_type(element, expected)
    return cast("list[T]", elements)


def require_mapping(value: object) -> None:
    """Pass a mapping (``from_dict`` reads any); raise ``TypeError`` for any other value.

    ``from_dict`` tests ``type(src_dict) is dict`` inline, and calls this for anything else.

    >>> require_mapping([])
    Traceback (most recent call last):
    ...
    TypeError: expected object, got array
    """
    if not isinstance(value, Mapping):
        wrong_type(value, "object")


# Looked up once: attribute access on an Enum class costs more than the rest of parse_uuid.
_SAFETY_UNKNOWN = SafeUUID.unknown
_new_object = object.__new__
_set_uuid_int = UUID.__dict__["int"].__set__
_set_uuid_is_safe = UUID.__dict__["is_safe"].__set__


def init_subclass(parsed: T, generated_class: type) -> T:
    """Rebuild ``parsed``, a subclass instance made by a generated model's ``from_dict``, through its ``__init__``.

    ``from_dict`` sets the generated attributes directly, without ``__init__``: the generated
    classes have nothing for it to run. A subclass may (attributes of its own with defaults,
    validators, ``__attrs_post_init__``), so its instance is built again by calling the
    subclass with the attributes already parsed; the unknown keys are carried over.
    """
    values = {
        attribute.alias: getattr(parsed, attribute.name)
        for attribute in attrs_fields(generated_class)
        if attribute.init
    }
    rebuilt = type(parsed)(**values)
    unknown_keys = getattr(
        parsed, "additional_properties", None
    )  # absent where a schema forbids them
    if unknown_keys is not None:
        rebuilt.additional_properties = unknown_keys  # type: ignore[attr-defined]
    return rebuilt


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "RequestFiles",
    "Response",
    "Unset",
    "WireDatetime",
    "format_datetime",
    "init_subclass",
    "is_number",
    "json_type_name",
    "list_of",
    "parse_datetime",
    "parse_uuid",
    "require_mapping",
    "wrong_type",
]
