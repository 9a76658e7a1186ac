"""The sandbox's registry of fakes (:mod:`conversation_clients.sandbox._fake_registry`): each
registered fake serves every route its vendor's fake declares.
"""

from __future__ import annotations

import pytest

from conversation_clients._profile import VendorProfile
from conversation_clients.bird import BIRD
from conversation_clients.omnichannel import OMNICHANNEL
from conversation_clients.sandbox import Sandbox
from conversation_clients.sandbox._fake_registry import vendor_fakes


@pytest.mark.parametrize("profile", [BIRD, OMNICHANNEL], ids=lambda profile: profile.name)
def test_the_sandbox_serves_every_route_of_the_vendors_fake(profile: VendorProfile) -> None:
    sandbox = Sandbox()
    with sandbox.bird_client() as bird:  # a conversation the sandbox's first workspace holds
        conversation = next(iter(bird.list_conversations(sandbox.workspaces[0])))
    ids = {"{workspaceId}": sandbox.workspaces[0], "{conversationId}": str(conversation.id)}
    with sandbox.bird_client() if profile is BIRD else sandbox.omnichannel_client() as client:
        http = client._http  # pyright: ignore[reportPrivateUsage]  # the sandbox's transport and credentials
        held = {header: str(getattr(client, attribute)) for header, attribute in profile.held_parameters.items()}
        for route in vendor_fakes()[profile.name].routes:
            path = route
            for placeholder, value in ids.items():
                path = path.replace(placeholder, value)
            assert http.get(path, headers=held).status_code == 200, route
