"""The msgspec fast path for reading JSON bodies, used when the ``speedups`` extra is installed.

msgspec reads a page in about half the time ``json.loads`` takes. :func:`~conversation_clients._decoding.parse_json_object`
tries it first (:data:`FAST_DECODER`); anything it refuses is read again by ``json.loads``, so a
body gives the same value, or the same error, with or without it. Called no shallower than
``json.loads`` (:func:`decode_as_deep_as_json`), it never accepts a body ``json.loads`` would
find nested too deeply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

__all__ = ["FAST_DECODER", "JSON_LOADS_FRAMES", "decode_as_deep_as_json", "fast_decoder"]


def fast_decoder() -> tuple[Callable[[bytes], object], tuple[type[Exception], ...]] | None:
    """msgspec's JSON decoder to plain Python objects and the errors it raises; None without msgspec.

    msgspec comes with the ``speedups`` extra (``pip install 'conversation-clients[speedups]'``):
    it reads a page in about half the time ``json.loads`` takes. Without it, the standard
    library reads every body, with the same results and errors.

    >>> import json
    >>> decode, errors = fast_decoder() or (json.loads, (ValueError,))
    >>> decode(b'{"id": 18446744073709551616}')
    {'id': 18446744073709551616}
    """
    try:
        import msgspec  # noqa: PLC0415 - optional: imported once, here
    except ImportError:
        return None
    return msgspec.json.Decoder().decode, (msgspec.DecodeError, ValueError, RecursionError)


# The decoder _decoding._parse_json tries first, and what it raises when it refuses a body; None
# runs the standard library alone (the tests run both ways). msgspec reads UTF-8 JSON into the same
# dicts, lists, strings, exact ints (past 64 bits too), floats, bools and Nones as json.loads:
# a duplicate key keeps its last value in its first place, and it honours
# sys.get_int_max_str_digits(). Whatever it refuses (a byte order mark, NaN and Infinity, 1e400,
# a lone surrogate escape, every malformed body) is read again by json.loads, which gives
# today's value or today's error.
FAST_DECODER = fast_decoder()

# "Nested too deeply" depends on the stack: json.loads reaches its scanner through three Python
# functions and a call of the scanner object, and each nesting level of the body counts against
# the same recursion limit; msgspec counts from where it is called. Up to Python 3.11 the limit
# is sys.getrecursionlimit(), which Python frames count against: called three frames deeper,
# msgspec refuses exactly the depths json.loads would refuse, and a fourth frame is a margin.
# From 3.12 the limit is the C recursion limit (1500 levels in 3.12, 10000 in 3.13), which
# Python frames do not count against but the call of an object does (json.loads's call of its
# scanner): there, called directly, msgspec would read a body one level deeper than json.loads
# refuses. So msgspec is also called through an object's ``__call__`` (_CountedCall): a margin
# of two levels on 3.11, 3.12 and 3.13 (measured). A body msgspec refuses is read by json.loads
# anyway, so msgspec never accepts a body json.loads, called from _decoding._parse_json, would
# find nested too deeply (tests hold the boundary on each version).
JSON_LOADS_FRAMES: Final = 4


class _CountedCall:
    """Calls ``decode`` as the call of an object, which counts against the C recursion limit
    (the nesting limit from Python 3.12) as json.loads's call of its scanner object does."""

    __slots__ = ("decode",)

    def __init__(self, decode: Callable[[bytes], object]) -> None:
        self.decode = decode

    def __call__(self, content: bytes) -> object:
        return self.decode(content)


def decode_as_deep_as_json(
    decode: Callable[[bytes], object], content: bytes, frames: int = JSON_LOADS_FRAMES
) -> object:
    """``decode(content)``, called ``frames`` frames deeper and as an object's call (see :data:`JSON_LOADS_FRAMES`).

    >>> import json
    >>> decode_as_deep_as_json(json.loads, b"[[1]]")
    [[1]]
    """
    if frames:
        return decode_as_deep_as_json(decode, content, frames - 1)
    return _CountedCall(decode)(content)
