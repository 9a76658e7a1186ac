"""The sandbox's fixed identities and credentials, public so tests and demos can name them."""

from __future__ import annotations

from typing import Final

#: The access key the sandbox accepts (``Authorization: AccessKey sandbox-bird-access-key``).
SANDBOX_BIRD_ACCESS_KEY: Final = "sandbox-bird-access-key"
#: The bearer token the sandbox accepts (``Authorization: Bearer sandbox-omnichannel-token``).
SANDBOX_OMNICHANNEL_TOKEN: Final = "sandbox-omnichannel-token"
#: The Bird workspace every sandbox has unless told otherwise.
SANDBOX_WORKSPACE_ID: Final = "5a3d1b0e-7c2f-4e8a-9b61-0d4c2e8f1a01"
#: The Omnichannel organization (the ``organization-id`` header).
SANDBOX_ORGANIZATION_ID: Final = "0f6e2a4c-91d3-4b7e-8c05-3a9b7d1e5c02"
#: The Omnichannel custom channel (the ``channel-id`` header).
SANDBOX_CHANNEL_ID: Final = "c4b8e1f2-6a0d-4f3b-a7e9-52d1c0b8f603"
#: The one id that names nothing: every other well-formed id is served, so this is how to get the
#: vendors' "not found". As a Bird workspace: 404; as an Omnichannel channel: 404 (30004); as an
#: organization: 400 (30001). The nil UUID, which no vendor hands out.
SANDBOX_MISSING_ID: Final = "00000000-0000-0000-0000-000000000000"

#: Base URLs of the in-process clients. Nothing resolves them: the in-process transport answers
#: every request whatever its host, so they only have to be https (the clients refuse to send
#: credentials over plain http to anything but loopback).
SANDBOX_BIRD_BASE_URL: Final = "https://api.bird.sandbox"
SANDBOX_OMNICHANNEL_BASE_URL: Final = "https://m-sandbox.crm.omnichannelengagementhub.com"
