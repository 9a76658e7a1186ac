"""Contains some shared types for properties"""

import datetime
from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, BinaryIO, Generic, Literal, TypeVar

from attrs import define
from dateutil.parser import isoparse


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

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
    longer carry the text, so they are written with ``isoformat``.
    """

    wire_text: str | None = None


def parse_datetime(text: str) -> datetime.datetime:
    """Parse an RFC 3339 / ISO 8601 date-time, keeping sub-microsecond text.

    >>> parse_datetime("2025-04-15T12:36:40.9049594Z").microsecond
    904959
    """
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        value = isoparse(text)
    # RFC 3339: "YYYY-MM-DDTHH:MM:SS" is 19 characters; a fraction, if any, starts right after.
    if len(text) <= 26 or text[19:20] not in (".", ","):
        return value
    end = 20
    while end < len(text) and text[end].isdigit():
        end += 1
    if end - 20 <= 6:
        return value
    precise = WireDatetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        value.tzinfo,
        fold=value.fold,
    )
    precise.wire_text = text
    return precise


def format_datetime(value: datetime.datetime) -> str:
    """Write a date-time as ISO 8601, as the server sent it when it was parsed from text.

    >>> format_datetime(parse_datetime("2025-04-15T12:36:40.9049594Z"))
    '2025-04-15T12:36:40.9049594Z'
    """
    wire_text = value.wire_text if isinstance(value, WireDatetime) else None
    return wire_text if wire_text is not None else value.isoformat()


T = TypeVar("T")


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
    "parse_datetime",
]
