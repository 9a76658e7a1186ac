"""Item 8 of issue 9: ``http://*.localhost`` is not trusted as loopback by its name.

This machine's resolver sends such names to DNS, which may answer any address; the credential
would leave with the request's first bytes. Only ``localhost`` itself, 127.0.0.0/8 and ``::1``
get credentials over plain http.
"""

from __future__ import annotations

import pytest

from tests.hostile.harness import run_listing
from tests.hostile.pages import MODES, VENDORS, page_body
from tests.hostile.server import json_page, serve


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("name", ["api.localhost", "evil.example.localhost"])
def test_a_localhost_subdomain_gets_no_credentials(name: str, vendor: str, mode: str) -> None:
    with serve(json_page(page_body(vendor, [1], None))) as server:
        base_url = server.base_url.replace("127.0.0.1", name)
        outcome = run_listing(vendor, mode, base_url, timeout=30)
        requests = len(server.requests)
    assert outcome.error_type == "InsecureTransportError", outcome.error_message
    assert name in (outcome.error_message or "")
    assert requests == 0
