"""Compression bombs built by streaming, so that neither the tests nor the server hold the
inflated body: a block of zeros is compressed once, ended with a full flush (which resets the
compressor's window), and the same compressed bytes are repeated.

>>> import zlib
>>> bomb = b"".join(deflate_zeros(1 << 20, container="zlib"))
>>> len(bomb) < 2000, len(zlib.decompress(bomb))
(True, 1048576)
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import Literal

__all__ = ["deflate_zeros", "gzip_zeros", "gzip_twice"]

_BLOCK = 1 << 20
_WBITS = {"gzip": 31, "zlib": 15, "raw": -15}
Container = Literal["gzip", "zlib", "raw"]


def _repeated_block() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(bytes(_BLOCK)) + compressor.flush(zlib.Z_FULL_FLUSH)


def _crc_of_zeros(size: int) -> int:
    # zlib.crc32 of `size` zero bytes, computed block by block (fast enough: ~1 s for 4 GB)
    crc, block = 0, bytes(_BLOCK)
    whole, rest = divmod(size, _BLOCK)
    for _ in range(whole):
        crc = zlib.crc32(block, crc)
    return zlib.crc32(bytes(rest), crc)


def deflate_zeros(size: int, *, container: Container = "gzip", checksum: bool = False) -> Iterator[bytes]:
    """Yield a ``container`` stream that inflates to ``size`` zero bytes (a multiple of 1 MiB).

    ``checksum=False`` writes a zero CRC in a gzip trailer (a client that stops at its cap never
    reads it); ``True`` computes the real one. The zlib container's Adler-32 is always right.
    """
    if size % _BLOCK:
        raise ValueError("size must be a multiple of 1 MiB")
    block = _repeated_block()
    blocks = size // _BLOCK
    if container == "gzip":
        yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    elif container == "zlib":
        yield b"\x78\xda"
    for _ in range(blocks):
        yield block
    yield b"\x03\x00"  # an empty final fixed-Huffman block
    if container == "gzip":
        crc = _crc_of_zeros(size) if checksum else 0
        yield struct.pack("<II", crc, size & 0xFFFFFFFF)
    elif container == "zlib":
        adler = 1
        for _ in range(blocks):
            adler = zlib.adler32(bytes(_BLOCK), adler)
        yield struct.pack(">I", adler)


def gzip_zeros(size: int, *, checksum: bool = False) -> bytes:
    """One gzip layer over ``size`` zero bytes (1 GB -> about 1 MB).

    >>> import gzip
    >>> gzip.decompress(gzip_zeros(1 << 20, checksum=True)) == bytes(1 << 20)
    True
    """
    return b"".join(deflate_zeros(size, container="gzip", checksum=checksum))


def gzip_twice(size: int, *, checksum: bool = False) -> bytes:
    """gzip applied twice over ``size`` zero bytes (4 GB -> about 10 KB): ``Content-Encoding: gzip, gzip``.

    >>> import gzip
    >>> len(gzip.decompress(gzip.decompress(gzip_twice(1 << 20, checksum=True))))
    1048576
    """
    outer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = deflate_zeros(size, container="gzip", checksum=checksum)
    return b"".join(outer.compress(part) for part in parts) + outer.flush()
