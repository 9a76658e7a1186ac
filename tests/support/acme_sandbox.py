"""The third vendor's sandbox fake: one module.

What a third vendor's module under ``overlay/conversation_clients/sandbox/`` holds: its ``FAKE``
(its routes and the factory of its fake API), keyed by its vendor module's name
(:mod:`tests.support.acme_vendor`). It is registered in the sandbox's registry
(``sandbox._fake_registry.FAKE_MODULES``, see ``test_third_vendor.py``).
"""

from __future__ import annotations

from typing import Final

import attrs
import httpx

from conversation_clients.sandbox import SandboxSetup, VendorFake
from tests.support.acme_vendor import ACME

#: The path Acme's sandbox fake serves (the sandbox dispatches to it from the registry alone).
ACME_STATUS_PATH: Final = "/acme/status"


@attrs.frozen
class AcmeApi:
    """Acme's sandbox fake: one status route, showing that the sandbox built it from the registry."""

    seed: int

    def serves(self, path: str) -> bool:
        return path == ACME_STATUS_PATH

    def answer(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"vendor": "acme", "seed": self.seed})

    def fault(self, kind: str, *, retry_after_seconds: float) -> httpx.Response:
        return httpx.Response(int(kind) if kind.isdigit() else 500, json={"fault": kind})

    def rate_limited(self, retry_after: float) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": str(retry_after)}, json={"fault": "429"})


def acme_api(setup: SandboxSetup) -> AcmeApi:
    """Acme's fake API for a sandbox (the factory of :data:`FAKE`)."""
    return AcmeApi(seed=setup.seed)


FAKE: Final = VendorFake(vendor=ACME.name, routes=(ACME_STATUS_PATH,), api=acme_api)
