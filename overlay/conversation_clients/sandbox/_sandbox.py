"""The :class:`Sandbox`: the vendors' list endpoints over deterministic demo data, with faults.

:class:`~conversation_clients.sandbox._server.SandboxServer` answers every registered vendor's
fake API; this class is what the package's users and its command line build: the sandbox with
Bird's and Omnichannel's own options (their ids, missing ids and credentials), their data as
sent, and their clients on its transports. A third vendor's fake is served by every
:class:`Sandbox` without a change here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Final

from conversation_clients.bird import AsyncBirdClient, BirdClient
from conversation_clients.omnichannel import AsyncOmnichannelClient, OmnichannelClient
from conversation_clients.sandbox._bird_data import bird_conversation, bird_conversation_index
from conversation_clients.sandbox._bird_fake import BirdApi
from conversation_clients.sandbox._bird_message_data import bird_messages
from conversation_clients.sandbox._constants import (
    SANDBOX_BIRD_ACCESS_KEY,
    SANDBOX_BIRD_BASE_URL,
    SANDBOX_CHANNEL_ID,
    SANDBOX_MISSING_ID,
    SANDBOX_OMNICHANNEL_BASE_URL,
    SANDBOX_OMNICHANNEL_TOKEN,
    SANDBOX_ORGANIZATION_ID,
    SANDBOX_WORKSPACE_ID,
)
from conversation_clients.sandbox._fake import SandboxSetup
from conversation_clients.sandbox._faults import Faults
from conversation_clients.sandbox._omnichannel_data import omnichannel_conversation
from conversation_clients.sandbox._omnichannel_fake import OmnichannelApi
from conversation_clients.sandbox._server import NO_FAULTS, SandboxServer
from conversation_clients.sandbox._tokens import PageTokens

__all__ = ["Sandbox", "default_sandbox"]

#: Far more than any test or benchmark needs, and small enough for the 4-byte offsets in tokens.
MAX_CONVERSATIONS: Final = 1_000_000_000

DEFAULT_SANDBOX_WORKSPACES: Final = (
    SANDBOX_WORKSPACE_ID,
    "9d2f7a61-3b4c-4e5d-8f60-7a1b2c3d4e04",
    "e7c1a9b3-5d2e-4f60-a1b2-c3d4e5f60705",
)
DEFAULT_SANDBOX_CHANNELS: Final = (SANDBOX_CHANNEL_ID, "2b9e4d1c-8f7a-4c3b-9e2d-1a0f8e7d6c06")


def _uuid_strings(values: Sequence[str], argument: str, *, may_be_empty: bool = False) -> tuple[str, ...]:
    # caller input: a bare string is a Sequence[str] too, and the annotation stops nothing at run time
    if isinstance(values, str) or not isinstance(values, Sequence):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"{argument} must be a sequence of UUID strings, not {type(values).__name__}")
    canonical = tuple(_uuid_string(value, argument) for value in values)
    if not canonical and not may_be_empty:
        raise ValueError(f"{argument} must name at least one")
    if len(set(canonical)) != len(canonical):
        raise ValueError(f"{argument} must not repeat an id")
    return canonical


def _uuid_string(value: str, argument: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValueError(f"{argument}: {str(value)[:64]!r} is not a UUID") from None


def _existing(values: tuple[str, ...], argument: str) -> tuple[str, ...]:
    if SANDBOX_MISSING_ID in values:
        raise ValueError(f"{argument}: {SANDBOX_MISSING_ID} is SANDBOX_MISSING_ID, the id that names nothing")
    return values


def _missing(
    values: Sequence[str], argument: str, *, existing: tuple[str, ...], existing_argument: str
) -> tuple[str, ...]:
    missing = _uuid_strings(values, argument, may_be_empty=True)
    both = [value for value in missing if value in existing]
    if both:
        raise ValueError(f"{argument}: {both[0]} is also in {existing_argument}; an id cannot be both")
    # the reserved id first, and once: it is missing whatever was given
    return (SANDBOX_MISSING_ID, *(value for value in missing if value != SANDBOX_MISSING_ID))


def _secret(value: str, argument: str) -> str:
    # caller input, checked at run time whatever the annotation says
    if not isinstance(value, str) or not value:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"{argument} must be a non-empty string")
    return value


class Sandbox(SandboxServer):
    """Bird's and Omnichannel's list endpoints, in-process or on loopback, with injectable faults.

    Each workspace holds ``conversations_per_workspace`` Bird conversations, each with its
    messages (see :meth:`bird_messages`), and each channel as many active Omnichannel conversations. Conversation ``i`` is computed from (``seed``,
    workspace or channel, ``i``) when a page needs it, so listings of any size cost no memory and
    every run sees the same data. Ids are kept in canonical (lower-case) form.

    Every well-formed workspace id is served, and every well-formed organization and channel id:
    a script run against the sandbox with one's real ids works. ``workspaces``, ``channels`` and
    ``organization_id`` name the ones the sandbox offers (the first of each is what its clients,
    the pytest plugin and the command line default to). :data:`SANDBOX_MISSING_ID` and the ids in
    ``missing_workspaces`` / ``missing_channels`` are not found, with the vendors' errors.

    >>> sandbox = Sandbox(conversations_per_workspace=12)
    >>> with sandbox.bird_client() as bird:
    ...     len(list(bird.list_conversations(SANDBOX_WORKSPACE_ID)))
    12
    >>> sandbox.request_count  # two pages of Bird's default 10
    2
    """

    def __init__(
        self,
        *,
        conversations_per_workspace: int = 25,
        workspaces: Sequence[str] = (SANDBOX_WORKSPACE_ID,),
        channels: Sequence[str] = (SANDBOX_CHANNEL_ID,),
        organization_id: str = SANDBOX_ORGANIZATION_ID,
        bird_access_key: str = SANDBOX_BIRD_ACCESS_KEY,
        omnichannel_token: str = SANDBOX_OMNICHANNEL_TOKEN,
        faults: Faults = NO_FAULTS,
        seed: int = 0,
        missing_workspaces: Sequence[str] = (),
        missing_channels: Sequence[str] = (),
    ) -> None:
        count = conversations_per_workspace
        # caller input (here and below), checked at run time whatever the annotations say
        if isinstance(count, bool) or not isinstance(count, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"conversations_per_workspace must be an int, not {type(count).__name__}")
        if not 0 <= count <= MAX_CONVERSATIONS:
            raise ValueError(f"conversations_per_workspace must be between 0 and {MAX_CONVERSATIONS}, got {count}")
        if not isinstance(faults, Faults):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"faults must be a Faults, not {type(faults).__name__}")
        if isinstance(seed, bool) or not isinstance(seed, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"seed must be an int, not {type(seed).__name__}")
        workspace_ids = _existing(_uuid_strings(workspaces, "workspaces"), "workspaces")
        channel_ids = _existing(_uuid_strings(channels, "channels"), "channels")
        self._missing_workspaces = _missing(
            missing_workspaces, "missing_workspaces", existing=workspace_ids, existing_argument="workspaces"
        )
        self._missing_channels = _missing(
            missing_channels, "missing_channels", existing=channel_ids, existing_argument="channels"
        )
        # the vendors' own options, checked in the order they always were; each fake takes its own
        options: dict[str, Any] = {
            "workspaces": workspace_ids,
            "missing_workspaces": self._missing_workspaces,
            "bird_access_key": _secret(bird_access_key, "bird_access_key"),
            "organization_id": _existing((_uuid_string(organization_id, "organization_id"),), "organization_id")[0],
            "channels": channel_ids,
            "missing_channels": self._missing_channels,
            "omnichannel_token": _secret(omnichannel_token, "omnichannel_token"),
        }
        setup = SandboxSetup(seed=seed, tokens=PageTokens.for_seed(seed), conversations=count, options=options)
        super().__init__(setup, faults=faults)

    @property
    def _bird(self) -> BirdApi:
        # looked up each time: add_conversations builds the fakes again
        return self.api_of(BirdApi)

    @property
    def _omnichannel(self) -> OmnichannelApi:
        return self.api_of(OmnichannelApi)

    def __repr__(self) -> str:
        return (
            f"Sandbox(conversations_per_workspace={self.conversations_per_workspace}, "
            f"workspaces={self.workspaces!r}, channels={self.channels!r}, faults={self.faults!r}, seed={self.seed})"
        )

    # -- what it was built with -------------------------------------------------------------

    @property
    def conversations_per_workspace(self) -> int:
        """How many conversations each workspace (and each channel) holds."""
        return self._bird.conversations_per_workspace

    @property
    def workspaces(self) -> tuple[str, ...]:
        """The Bird workspaces it was built with, the first being the default (any other is served too)."""
        return self._bird.workspaces

    @property
    def channels(self) -> tuple[str, ...]:
        """The Omnichannel channels it was built with, the first being the clients' default (any other is served too)."""
        return self._omnichannel.channels

    @property
    def missing_workspaces(self) -> tuple[str, ...]:
        """The workspace ids answered with Bird's 404: :data:`SANDBOX_MISSING_ID`, then those given.

        >>> Sandbox().missing_workspaces
        ('00000000-0000-0000-0000-000000000000',)
        """
        return self._missing_workspaces

    @property
    def missing_channels(self) -> tuple[str, ...]:
        """The channel ids answered with Omnichannel's 404 (30004): :data:`SANDBOX_MISSING_ID`, then those given."""
        return self._missing_channels

    @property
    def organization_id(self) -> str:
        """The Omnichannel organization."""
        return self._omnichannel.organization_id

    @property
    def bird_access_key(self) -> str:
        """The access key Bird requests must carry."""
        return self._bird.access_key

    @property
    def omnichannel_token(self) -> str:
        """The bearer token Omnichannel requests must carry."""
        return self._omnichannel.token

    def add_conversations(self, count: int) -> None:
        """Give every workspace and channel ``count`` more conversations (Bird's with their messages).

        New data between two runs of something incremental: what was there stays as it was, and
        the new conversations come after the others in each listing, the newest of Omnichannel's
        and, in Bird's newest-first listing, older than the others
        (:meth:`SandboxServer.add_conversations`).

        >>> sandbox = Sandbox(conversations_per_workspace=2)
        >>> with sandbox.bird_client() as bird:
        ...     before = [conversation.id for conversation in bird.list_conversations(SANDBOX_WORKSPACE_ID)]
        ...     sandbox.add_conversations(3)
        ...     after = [conversation.id for conversation in bird.list_conversations(SANDBOX_WORKSPACE_ID)]
        >>> after[:2] == before, len(after), sandbox.conversations_per_workspace
        (True, 5, 5)
        """
        # caller input: its type is checked by the server's add_conversations; the bound is the sandbox's
        valid = isinstance(count, int) and not isinstance(count, bool)  # pyright: ignore[reportUnnecessaryIsInstance]
        if valid and self.conversations + count > MAX_CONVERSATIONS:
            raise ValueError(f"count: a sandbox holds at most {MAX_CONVERSATIONS} conversations a workspace")
        super().add_conversations(count)

    def bird_conversation(self, workspace_id: str, index: int) -> dict[str, Any]:
        """Conversation ``index`` of a workspace exactly as the sandbox sends it (index 0 is the newest).

        >>> Sandbox().bird_conversation(SANDBOX_WORKSPACE_ID, 0)["lastMessage"]["recipients"] is None
        True
        """
        return bird_conversation(self.seed, workspace_id, index)

    def bird_messages(self, workspace_id: str, conversation_id: str) -> list[dict[str, Any]]:
        """Every message of a conversation exactly as the sandbox sends them, newest first.

        The newest is the conversation's ``lastMessage``; a conversation without one has none.
        ``conversation_id`` must be one the workspace's listing returns (else ``ValueError``).

        >>> sandbox = Sandbox()
        >>> conversation = sandbox.bird_conversation(SANDBOX_WORKSPACE_ID, 0)
        >>> sandbox.bird_messages(SANDBOX_WORKSPACE_ID, conversation["id"])[0]["id"] == conversation["lastMessage"]["id"]
        True
        """
        index = bird_conversation_index(self.seed, workspace_id, self.conversations_per_workspace, conversation_id)
        if index is None:
            raise ValueError(f"{str(conversation_id)[:64]!r} is no conversation of workspace {workspace_id}")
        return bird_messages(self.seed, workspace_id, index)

    def omnichannel_conversation(self, channel_id: str, index: int) -> dict[str, Any]:
        """Active conversation ``index`` of a channel exactly as the sandbox sends it (index 0 is the oldest).

        >>> sorted(Sandbox().omnichannel_conversation(SANDBOX_CHANNEL_ID, 0))
        ['conversationid', 'timestamp']
        """
        return omnichannel_conversation(self.seed, channel_id, index)

    # -- clients -----------------------------------------------------------------------------

    def _bird_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"access_key": self.bird_access_key, "base_url": SANDBOX_BIRD_BASE_URL, **options}

    def _omnichannel_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {
            "base_url": SANDBOX_OMNICHANNEL_BASE_URL,
            "organization_id": self.organization_id,
            "channel_id": self.channels[0],
            "token": self.omnichannel_token,
            # Tests list the same sandbox over and over; that is not the polling Microsoft forbids.
            "polling_warning_interval": None,
            **options,
        }

    def bird_client(self, **options: Any) -> BirdClient:
        """A :class:`~conversation_clients.BirdClient` on the in-process transport, with the sandbox's key.

        ``options`` go to the client and win over the defaults (``retry_policy``, ``max_retries``,
        ``access_key``, ``base_url``, ``transport``...). ``transport=None`` with the ``base_url`` of
        :meth:`serve` sends real HTTP.

        >>> with Sandbox(conversations_per_workspace=3).bird_client(max_retries=0) as bird:
        ...     [str(conversation.status) for conversation in bird.list_conversations(SANDBOX_WORKSPACE_ID)]
        ['active', 'closed', 'active']
        """
        return BirdClient(**self._bird_options({"transport": self.transport(), **options}))

    def async_bird_client(self, **options: Any) -> AsyncBirdClient:
        """An :class:`~conversation_clients.AsyncBirdClient` on the in-process async transport.

        Example::

            async with sandbox.async_bird_client() as bird:
                conversations = [c async for c in bird.list_conversations(SANDBOX_WORKSPACE_ID)]
        """
        return AsyncBirdClient(**self._bird_options({"transport": self.async_transport(), **options}))

    def omnichannel_client(self, **options: Any) -> OmnichannelClient:
        """An :class:`~conversation_clients.OmnichannelClient` for the first channel, on the in-process transport.

        ``polling_warning_interval`` defaults to None here (pass it to keep the warning).

        >>> with Sandbox(conversations_per_workspace=3).omnichannel_client() as omnichannel:
        ...     len(list(omnichannel.list_conversations(page_size=2)))
        3
        """
        return OmnichannelClient(**self._omnichannel_options({"transport": self.transport(), **options}))

    def async_omnichannel_client(self, **options: Any) -> AsyncOmnichannelClient:
        """An :class:`~conversation_clients.AsyncOmnichannelClient` on the in-process async transport.

        Example::

            async with sandbox.async_omnichannel_client() as omnichannel:
                conversations = [c async for c in omnichannel.list_conversations()]
        """
        return AsyncOmnichannelClient(**self._omnichannel_options({"transport": self.async_transport(), **options}))


def default_sandbox() -> Sandbox:
    """The demo data behind the CLI's ``--sandbox``: three workspaces and two channels of 42 conversations.

    :data:`SANDBOX_WORKSPACE_ID` and :data:`SANDBOX_CHANNEL_ID` come first. 42 conversations
    make five pages at Bird's default page size (10); Omnichannel's default (50) holds them in
    one, so ask for a smaller page size to see it page. Each call builds a new sandbox.

    >>> sandbox = default_sandbox()
    >>> sandbox.workspaces[0] == SANDBOX_WORKSPACE_ID, sandbox.conversations_per_workspace
    (True, 42)
    """
    return Sandbox(
        conversations_per_workspace=42, workspaces=DEFAULT_SANDBOX_WORKSPACES, channels=DEFAULT_SANDBOX_CHANNELS
    )
