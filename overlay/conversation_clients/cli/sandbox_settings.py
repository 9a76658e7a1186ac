"""The embedded sandbox's demo credentials and ids, as ``--sandbox`` and ``sandbox serve`` use them.

The vendors' command declarations read them (an option's ``sandbox_value``, a credential
source's ``sandbox_secret``); the command line loads them (and so imports the sandbox, below it)
only when ``--sandbox`` is given or the sandbox is served.
"""

from __future__ import annotations

import attrs

__all__ = ["SandboxSettings"]


@attrs.frozen
class SandboxSettings:
    """The embedded sandbox's credentials and IDs (demo values, not secrets)."""

    bird_access_key: str
    omnichannel_token: str
    workspace_id: str
    organization_id: str
    channel_id: str
    missing_id: str

    @classmethod
    def load(cls) -> SandboxSettings:
        """Import the sandbox (only when asked for: it is not needed against a real API).

        >>> SandboxSettings.load().workspace_id == SandboxSettings.load().workspace_id
        True
        """
        from conversation_clients import sandbox

        return cls(
            bird_access_key=str(sandbox.SANDBOX_BIRD_ACCESS_KEY),
            omnichannel_token=str(sandbox.SANDBOX_OMNICHANNEL_TOKEN),
            workspace_id=str(sandbox.SANDBOX_WORKSPACE_ID),
            organization_id=str(sandbox.SANDBOX_ORGANIZATION_ID),
            channel_id=str(sandbox.SANDBOX_CHANNEL_ID),
            missing_id=str(sandbox.SANDBOX_MISSING_ID),
        )
