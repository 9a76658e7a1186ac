"""The decisions about argument values: see :mod:`conversation_clients._command_arguments`, where they live.

The value parsers are named by the vendor modules' command declarations, so they live outside
the ``cli`` package (which a vendor module must not import); the names stay importable from here.
"""

from conversation_clients._command_arguments import (
    aware_datetime_text,
    guid,
    integer,
    non_negative_int,
    page_size_for,
    parse_since,
    positive_int,
    positive_seconds,
    since,
)

__all__ = [
    "aware_datetime_text",
    "guid",
    "integer",
    "non_negative_int",
    "page_size_for",
    "parse_since",
    "positive_int",
    "positive_seconds",
    "since",
]
