"""What a vendor is (:mod:`conversation_clients._profile`): each vendor's facts in its profile."""

from __future__ import annotations

from conversation_clients._operations import omnichannel_messaging as omnichannel_operations
from conversation_clients.bird import BIRD
from conversation_clients.omnichannel import OMNICHANNEL


def test_the_profiles_hold_each_vendors_facts() -> None:
    assert BIRD.base_url == "https://api.bird.com" and OMNICHANNEL.base_url is None
    assert BIRD.polling_guard is None and OMNICHANNEL.polling_guard is not None
    assert (
        OMNICHANNEL.held_parameters
        == omnichannel_operations.HELD_PARAMETERS
        == {
            "channel-id": "_channel_id",
            "organization-id": "_organization_id",
        }
    )
    assert BIRD.held_parameters == {}


def test_with_the_polling_warning_off_a_new_listing_calls_no_guard() -> None:
    assert OMNICHANNEL.polling_guard is not None
    assert OMNICHANNEL.polling_guard(None) is None  # nothing to warn about: its target is not even read
    assert OMNICHANNEL.polling_guard(60.0) is not None
