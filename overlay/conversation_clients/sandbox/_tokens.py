"""Opaque page tokens: an offset plus a keyed checksum binding it to one listing.

A token says where the next page starts, and is signed together with the listing it belongs
to (vendor, workspace or channel, and the filters that decide which conversations are listed),
so a tampered token, or one from another workspace, filter or sandbox seed, is refused the way
the vendor refuses a bad token. The page size is not bound: a caller may change it when resuming.

Bird's tokens are URL-safe base64; Omnichannel documents its continuation token as a GUID, so
the sandbox's are GUID-shaped.

>>> tokens = PageTokens.for_seed(0)
>>> token = tokens.bird_token(20, binding="workspace-a")
>>> tokens.read_bird_token(token, binding="workspace-a")
20
>>> tokens.read_bird_token(token, binding="workspace-b") is None
True
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import uuid
from typing import Final

import attrs

__all__ = ["PageTokens"]

_MAC_BYTES: Final = 12
_BIRD_VERSION: Final = 1
_URLSAFE_BASE64: Final = re.compile(r"[A-Za-z0-9_-]+")


@attrs.frozen
class PageTokens:
    """Signs and reads page tokens with a key derived from the sandbox's seed.

    >>> tokens = PageTokens.for_seed(0)
    >>> token = tokens.omnichannel_token(50, binding="channel")
    >>> str(uuid.UUID(token)) == token, tokens.read_omnichannel_token(token, binding="channel")
    (True, 50)
    """

    key: bytes = attrs.field(repr=False)

    @classmethod
    def for_seed(cls, seed: int) -> PageTokens:
        """The token codec of a sandbox built with ``seed``."""
        return cls(hashlib.sha256(f"conversation-clients-sandbox-page-token|{seed}".encode()).digest())

    def _mac(self, kind: str, offset: int, binding: str) -> bytes:
        message = f"{kind}|{offset}|{binding}".encode()
        return hmac.new(self.key, message, hashlib.sha256).digest()[:_MAC_BYTES]

    def bird_token(self, offset: int, *, binding: str) -> str:
        """A Bird ``nextPageToken`` for the page starting at ``offset``."""
        payload = bytes([_BIRD_VERSION]) + offset.to_bytes(8) + self._mac("bird", offset, binding)
        return base64.urlsafe_b64encode(payload).decode().rstrip("=")

    def read_bird_token(self, token: str, *, binding: str) -> int | None:
        """The offset a Bird token stands for, or None if it is not one of ours for ``binding``."""
        # one spelling only: base64 decoders skip unknown characters and accept "+/" for "-_"
        if not _URLSAFE_BASE64.fullmatch(token):
            return None
        try:
            payload = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            return None
        if len(payload) != 1 + 8 + _MAC_BYTES or payload[0] != _BIRD_VERSION:
            return None
        offset = int.from_bytes(payload[1:9])
        return offset if hmac.compare_digest(payload[9:], self._mac("bird", offset, binding)) else None

    def omnichannel_token(self, offset: int, *, binding: str) -> str:
        """An Omnichannel ``continuationtoken`` (GUID-shaped) for the page starting at ``offset``."""
        return str(uuid.UUID(bytes=offset.to_bytes(4) + self._mac("omnichannel", offset, binding)))

    def read_omnichannel_token(self, token: str, *, binding: str) -> int | None:
        """The offset an Omnichannel token stands for, or None if it is not one of ours for ``binding``."""
        try:
            raw = uuid.UUID(token).bytes
        except ValueError:
            return None
        offset = int.from_bytes(raw[:4])
        return offset if hmac.compare_digest(raw[4:], self._mac("omnichannel", offset, binding)) else None
