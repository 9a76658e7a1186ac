"""The registered vendors (:mod:`conversation_clients._vendors`): generation lists each vendor
module, and each holds its profile.
"""

from __future__ import annotations

from conversation_clients import _operations
from conversation_clients._vendors import vendor_profiles


def test_generation_lists_each_vendor_module_and_each_holds_its_profile() -> None:
    assert _operations.VENDOR_MODULES == ("conversation_clients.bird", "conversation_clients.omnichannel")
    assert [profile.name for profile in vendor_profiles()] == ["bird", "omnichannel"]
