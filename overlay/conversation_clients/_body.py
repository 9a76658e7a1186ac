"""Reading a response body within a size cap, without I/O: feed raw chunks, get the decoded body.

httpx's own decoders inflate each received chunk whole (``decompress(chunk)`` has no
``max_length``), so one 64 KB chunk of a gzip-applied-twice body can expand to gigabytes in a
single call. :class:`BoundedBody` decodes ``Content-Encoding`` itself, a bounded step at a
time, and counts both the bytes received and the bytes each decoding stage produces: past
``limit`` it raises :class:`~conversation_clients.errors.ResponseTooLargeError`, before the
memory is spent. The clients install :func:`bound_response` as an httpx response hook, so
that every read of a body is decoded and capped this way, httpx's own reads included (it reads
a 401's body before an auth flow retries); the drivers in :mod:`conversation_clients._flow`
read bodies through a :class:`BoundedBody` as well, which covers an ``httpx.Client`` without
the hook.

>>> import gzip
>>> body = BoundedBody(content_encoding="gzip", limit=1024, status_code=200)
>>> body.feed(gzip.compress(b'{"results": []}'))
>>> body.finish()
b'{"results": []}'
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import AsyncIterator, Callable, Iterator

import httpx

from conversation_clients._defaults import DEFAULT_MAX_RESPONSE_BYTES as DEFAULT_MAX_RESPONSE_BYTES
from conversation_clients.errors import APIConnectionError, ResponseTooLargeError

__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "BoundedBody",
    "CollectedBody",
    "already_bounded",
    "body_reader",
    "bound_response",
    "decoded_response",
    "require_byte_limit",
    "whole_response",
]

#: Only the encodings :class:`BoundedBody` decodes are asked for.
ACCEPT_ENCODING = "gzip, deflate"
#: A decoder never produces more than this per call, whatever the compression ratio.
_STEP = 64 * 1024


def require_byte_limit(value: object, name: str = "max_response_bytes") -> int:
    """``value`` if it is a positive int (not a bool); else ``TypeError``/``ValueError``.

    >>> require_byte_limit(1024)
    1024
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int (bytes), not {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


class _Inflater:
    """One ``gzip`` or ``deflate`` stage: output comes out ``_STEP`` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        # deflate is meant to be zlib-wrapped, but some servers send raw deflate: as httpx does,
        # try the wrapper and fall back to raw on the first chunk.
        self._try_raw = encoding == "deflate"
        self._head = b""
        self._decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS)

    def decode(self, data: bytes, emit: Callable[[bytes], None]) -> None:
        try:
            self._decode(data, emit)
        except zlib.error as error:
            raise httpx.DecodingError(f"invalid {self._encoding} body: {error}") from error

    def _decode(self, data: bytes, emit: Callable[[bytes], None]) -> None:
        if self._try_raw:
            self._head += data
            if len(self._head) < 2:
                return  # a zlib header is two bytes: wait for both before deciding
            data, self._head, self._try_raw = self._head, b"", False
            if not _is_zlib_header(data):
                self._decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
        pending = data
        while pending and not self._decompressor.eof:
            emit(self._decompressor.decompress(pending, _STEP))
            pending = self._decompressor.unconsumed_tail

    def finish(self, emit: Callable[[bytes], None]) -> None:
        if self._head:  # one byte in all: too short for either form
            raise httpx.DecodingError(f"invalid {self._encoding} body: truncated")
        try:
            # all input was drained above, so what is left is at most the decoder's window
            emit(self._decompressor.flush())
        except zlib.error as error:
            raise httpx.DecodingError(f"invalid {self._encoding} body: {error}") from error


def _is_zlib_header(head: bytes) -> bool:
    # RFC 1950: compression method 8 (deflate), and the two bytes a multiple of 31
    return head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _encodings(content_encoding: str | None, status_code: int) -> list[str]:
    encodings = [part.strip().lower() for part in (content_encoding or "").split(",")]
    encodings = [encoding for encoding in encodings if encoding not in ("", "identity")]
    for encoding in encodings:
        if encoding not in ("gzip", "deflate"):
            raise APIConnectionError(
                f"the response (HTTP {status_code}) is encoded with {encoding!r}, which this client "
                f"does not decode (it asks for {ACCEPT_ENCODING})"
            )
    return encodings


class BoundedBody:
    """Collects a body from raw chunks, decoding ``content_encoding``, never past ``limit`` bytes.

    ``limit`` bounds the bytes received and the output of every decoding stage (stacked
    encodings such as ``gzip, gzip`` included). An encoding other than gzip, deflate or
    identity is an :class:`~conversation_clients.errors.APIConnectionError` (raised here,
    before any byte is read); a corrupt stream is an ``httpx.DecodingError``.

    >>> body = BoundedBody(content_encoding=None, limit=4, status_code=404)
    >>> body.feed(b"12345")
    Traceback (most recent call last):
    ...
    conversation_clients.errors.ResponseTooLargeError: response body (HTTP 404) exceeds max_response_bytes=4; stopped reading it
    """

    def __init__(self, *, content_encoding: str | None, limit: int, status_code: int) -> None:
        self._limit = limit
        self._status_code = status_code
        # Content-Encoding lists encodings in the order they were applied: undo the last first.
        encodings = _encodings(content_encoding, status_code) if content_encoding else []
        self._stages = [_Inflater(encoding) for encoding in reversed(encodings)]
        self._produced = [0] * (len(self._stages) + 1)  # [received, after stage 1, ...]
        self._chunks: list[bytes] = []

    @property
    def limit(self) -> int:
        """The cap: bytes received, and bytes each decoding stage produces."""
        return self._limit

    def expect_length(self, content_length: str | None) -> None:
        """Fail at once when a ``Content-Length`` header already announces more than the limit."""
        if content_length is not None and content_length.strip().isdigit() and int(content_length) > self._limit:
            raise self._too_large()

    def feed(self, raw: bytes) -> None:
        """Add a chunk as received from the network."""
        self._pass(0, raw)

    def take(self) -> bytes:
        """The decoded bytes produced since the last :meth:`take` (for streaming them on)."""
        taken = b"".join(self._chunks)
        self._chunks.clear()
        return taken

    def finish(self) -> bytes:
        """The decoded body (what :meth:`take` has not handed out), once every chunk has been fed."""
        for index, stage in enumerate(self._stages):
            stage.finish(functools.partial(self._pass, index + 1))
        return self.take()

    def _pass(self, level: int, data: bytes) -> None:
        if not data:
            return
        self._produced[level] += len(data)
        if self._produced[level] > self._limit:
            raise self._too_large()
        if level == len(self._stages):
            self._chunks.append(data)
        else:
            self._stages[level].decode(data, functools.partial(self._pass, level + 1))

    def _too_large(self) -> ResponseTooLargeError:
        return ResponseTooLargeError(limit=self._limit, status_code=self._status_code)


class CollectedBody:
    """A body read through :func:`bound_response`'s stream (decoded and capped already): chunks joined.

    >>> body = CollectedBody()
    >>> body.feed(b'{"results": '); body.feed(b"[]}")
    >>> body.finish()
    b'{"results": []}'
    """

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def feed(self, decoded: bytes) -> None:
        """Add a chunk as read from the response."""
        self._chunks.append(decoded)

    def finish(self) -> bytes:
        """The body."""
        return b"".join(self._chunks)


class _DecodedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response's raw stream, decoded through a :class:`BoundedBody` as it is read."""

    def __init__(self, raw: httpx.SyncByteStream | httpx.AsyncByteStream, body: BoundedBody) -> None:
        self._raw = raw
        self._body = body

    @property
    def limit(self) -> int:
        """The cap of the body read through it."""
        return self._body.limit

    def __iter__(self) -> Iterator[bytes]:
        if not isinstance(self._raw, httpx.SyncByteStream):
            raise RuntimeError("attempted to read an async response synchronously")
        for chunk in self._raw:
            self._body.feed(chunk)
            yield self._body.take()
        yield self._body.finish()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if not isinstance(self._raw, httpx.AsyncByteStream):
            raise RuntimeError("attempted to read a sync response asynchronously")
        async for chunk in self._raw:
            self._body.feed(chunk)
            yield self._body.take()
        yield self._body.finish()

    def close(self) -> None:
        if isinstance(self._raw, httpx.SyncByteStream):
            self._raw.close()

    async def aclose(self) -> None:
        if isinstance(self._raw, httpx.AsyncByteStream):
            await self._raw.aclose()


def already_bounded(response: httpx.Response, limit: int) -> bool:
    """Whether reading ``response`` decodes it and caps it at ``limit`` bytes or fewer already
    (:func:`bound_response` swapped its stream): a second :class:`BoundedBody` would add nothing.

    >>> response = httpx.Response(200, stream=httpx.ByteStream(b"{}"))
    >>> already_bounded(response, 1024)
    False
    >>> bound_response(response, limit=1024)
    >>> already_bounded(response, 1024), already_bounded(response, 512)
    (True, False)
    """
    stream = response.stream
    return isinstance(stream, _DecodedStream) and stream.limit <= limit


def bound_response(response: httpx.Response, *, limit: int) -> None:
    """An httpx response hook: from now on, whoever reads ``response`` reads it decoded and capped.

    httpx reads some bodies itself (a 401's, before an auth flow retries with a new token), with
    its own unbounded decoders; this hook runs before any read. It swaps the response's stream
    for one decoded by :class:`BoundedBody` and drops ``Content-Encoding`` (httpx then decodes
    nothing) and ``Content-Length`` (which counted the encoded bytes). A body already read (an
    in-process transport) is left as it is.

    >>> response = httpx.Response(200, headers={"Content-Length": "9999"}, stream=httpx.ByteStream(b"{}"))
    >>> bound_response(response, limit=1024)
    Traceback (most recent call last):
    ...
    conversation_clients.errors.ResponseTooLargeError: response body (HTTP 200) exceeds max_response_bytes=1024; stopped reading it
    """
    if response.is_stream_consumed:
        return
    headers = response.headers
    body = BoundedBody(content_encoding=headers.get("content-encoding"), limit=limit, status_code=response.status_code)
    body.expect_length(headers.get("content-length"))
    response.stream = _DecodedStream(response.stream, body)
    for name in ("content-encoding", "content-length"):
        if name in headers:
            del headers[name]


def body_reader(response: httpx.Response, limit: int) -> BoundedBody | CollectedBody:
    """What a driver feeds ``response``'s raw chunks to, for its decoded body within ``limit`` bytes.

    A :class:`BoundedBody` for its ``Content-Encoding`` (none when an in-process transport has read
    the body whole already), checked against its ``Content-Length``; or, when its stream already
    decodes and caps it (:func:`already_bounded`), a :class:`CollectedBody`: once is enough.

    >>> response = httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b""))
    >>> type(body_reader(response, 1024)).__name__
    'BoundedBody'
    """
    if already_bounded(response, limit):
        return CollectedBody()
    headers = response.headers
    encoding = None if response.is_stream_consumed else headers.get("content-encoding")
    body = BoundedBody(content_encoding=encoding, limit=limit, status_code=response.status_code)
    body.expect_length(headers.get("content-length"))
    return body


_BODY_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
_RAW_BODY_HEADERS = frozenset(name.encode("ascii") for name in _BODY_HEADERS)


def whole_response(response: httpx.Response, limit: int) -> httpx.Response:
    """``response``, whose body an in-process transport has read whole already (``is_stream_consumed``:
    httpx.MockTransport, the sandbox), checked and described as :func:`body_reader` and
    :func:`decoded_response` would: over ``limit`` (its ``Content-Length`` or its body), a
    :class:`~conversation_clients.errors.ResponseTooLargeError`; else ``response`` itself, its body
    headers saying what ``.content`` is. The headers are read once, and rewritten only when they
    say something else.

    >>> response = httpx.Response(200, content=b"{}", headers={"Content-Encoding": "identity"})
    >>> sorted(whole_response(response, 1024).headers.items())
    [('content-length', '2')]
    """
    content = response.content
    headers = response.headers
    found = [(name.lower(), value) for name, value in headers.raw if name.lower() in _RAW_BODY_HEADERS]
    lengths = [value for name, value in found if name == b"content-length"]
    # as BoundedBody.expect_length reads it: one Content-Length, all digits (repeated ones are joined)
    announced = int(lengths[0]) if len(lengths) == 1 and lengths[0].strip().isdigit() else 0
    if announced > limit or len(content) > limit:
        raise ResponseTooLargeError(limit=limit, status_code=response.status_code)
    length = str(len(content))
    if found != [(b"content-length", length.encode("ascii"))]:
        _describe(headers, length)
    return response


def _describe(headers: httpx.Headers, length: str) -> None:
    # no header says the body is encoded, or of any other length than the decoded one's
    for name in _BODY_HEADERS:
        if name in headers:
            del headers[name]
    headers["Content-Length"] = length


def decoded_response(response: httpx.Response, content: bytes, *, read_whole: bool = False) -> httpx.Response:
    """``response`` as the rest of the code knows it: ``.content`` is ``content``, its decoded body,
    and no header describes another encoding or length of it (``Content-Length`` is the decoded one).

    ``read_whole``: an in-process transport had read the body already (``content`` is its
    ``.content``), so ``response`` itself is handed on, its body headers rewritten; else a new
    response is made.

    >>> request = httpx.Request("GET", "https://api.example/")
    >>> headers = {"Content-Encoding": "gzip", "X-Kept": "1"}
    >>> response = httpx.Response(200, headers=headers, stream=httpx.ByteStream(b""), request=request)
    >>> decoded = decoded_response(response, b'{"ok": true}')
    >>> decoded.json(), sorted(decoded.headers.items())
    ({'ok': True}, [('content-length', '12'), ('x-kept', '1')])
    """
    if read_whole:
        _describe(response.headers, str(len(content)))
        return response
    kept = [(name, value) for name, value in response.headers.multi_items() if name not in _BODY_HEADERS]
    return httpx.Response(
        response.status_code,
        headers=kept,
        content=content,
        request=response.request,
        extensions=response.extensions,
    )
