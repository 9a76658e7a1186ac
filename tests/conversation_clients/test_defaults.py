"""The library's defaults (:mod:`conversation_clients._defaults`): the limits a client has when it
is given none.
"""

from __future__ import annotations

from conversation_clients._flow import Limits


def test_the_clients_limits_default_to_16_mib_60_s_and_300_s() -> None:
    assert Limits() == Limits(max_response_bytes=16 * 1024 * 1024, attempt_timeout=60.0, page_timeout=300.0)
