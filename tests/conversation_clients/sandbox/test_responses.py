"""Response builders both vendors' answers share (:mod:`conversation_clients.sandbox._responses`):
a method quoted in a 405 is cut short.
"""

from __future__ import annotations

from conversation_clients.sandbox import Sandbox
from tests.support.sandbox_wire import (
    BIRD_HEADERS,
    bird_path,
    sandbox_http,
)


def test_a_long_method_name_is_cut_short_in_the_message() -> None:
    with sandbox_http(Sandbox(), "in-process", BIRD_HEADERS) as http:
        response = http.request("X" * 5000, bird_path())

    assert response.status_code == 405
    assert len(response.json()["message"]) < 100
