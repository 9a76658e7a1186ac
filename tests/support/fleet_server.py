"""A loopback sandbox that counts what a fan-out does to it: requests in flight, and 429s."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import Any

import attrs
import httpx

from conversation_clients import AsyncBirdClient, AsyncOmnichannelClient, BirdClient, OmnichannelClient
from conversation_clients.fleet import Channel
from conversation_clients.loopback import serve
from conversation_clients.retry import RetryPolicy
from conversation_clients.sandbox import SANDBOX_MISSING_ID, Faults, Sandbox

NO_FAULTS = Faults()
FAST_RETRIES = RetryPolicy(max_retries=2, initial_delay=0.001, max_delay=0.002)


class CountingSandbox:
    """Serves a :class:`Sandbox` on loopback, counting requests in flight (their maximum) and 429s.

    ``intercept`` may answer a request itself (return a response) before the sandbox does.
    """

    def __init__(
        self, sandbox: Sandbox, intercept: Callable[[httpx.Request], httpx.Response | None] | None = None
    ) -> None:
        self.sandbox = sandbox
        self.intercept = intercept
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests = 0
        self.rate_limited = 0
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.in_flight += 1
            self.requests += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            response = self.intercept(request) if self.intercept is not None else None
            if response is None:
                response = self.sandbox.handle(request)
            if response.status_code == 429:
                with self._lock:
                    self.rate_limited += 1
            return response
        finally:
            with self._lock:
                self.in_flight -= 1


@contextmanager
def counting_sandbox(
    *,
    faults: Faults = NO_FAULTS,
    conversations: int = 25,
    intercept: Callable[[httpx.Request], httpx.Response | None] | None = None,
) -> Generator[tuple[CountingSandbox, str], None, None]:
    counting = CountingSandbox(Sandbox(conversations_per_workspace=conversations, faults=faults), intercept)
    with serve(counting) as base_url:
        yield counting, base_url


def workspace(number: int) -> str:
    return str(uuid.UUID(int=0x5A3D1B0E_7C2F_4E8A_9B61_000000000000 + number))


def channel(number: int) -> Channel:
    return Channel(
        "0f6e2a4c-91d3-4b7e-8c05-3a9b7d1e5c02", str(uuid.UUID(int=0xC4B8E1F2_6A0D_4F3B_A7E9_000000000000 + number))
    )


@attrs.frozen
class FleetVendor:
    """What a fan-out test needs of a vendor: its targets, a client, a listing per target."""

    name: str
    target: Callable[[int], Any]
    missing: Any
    malformed: Any
    client: Callable[..., Any]
    # typed Any: the tests using it run for both kinds of client
    listing: Callable[[Any], Callable[[Any, str | None], Any]]
    item_id: Callable[[Any], str]
    expected_ids: Callable[[Sandbox, Any], list[str]]


def _bird_client(kind: str, sandbox: Sandbox, base_url: str, **options: Any) -> BirdClient | AsyncBirdClient:
    options.setdefault("retry_policy", FAST_RETRIES)
    maker = BirdClient if kind == "sync" else AsyncBirdClient
    return maker(sandbox.bird_access_key, base_url=base_url, **options)


def _omni_client(
    kind: str, sandbox: Sandbox, base_url: str, **options: Any
) -> OmnichannelClient | AsyncOmnichannelClient:
    options.setdefault("retry_policy", FAST_RETRIES)
    maker = OmnichannelClient if kind == "sync" else AsyncOmnichannelClient
    # no organization or channel: each target gives its own per call
    return maker(base_url, token=sandbox.omnichannel_token, polling_warning_interval=None, **options)


def _bird_listing(client: Any) -> Callable[[str, str | None], Any]:
    return lambda target, token: client.list_conversations(target, limit=10, page_token=token)


def _omni_listing(client: Any) -> Callable[[Channel, str | None], Any]:
    return lambda target, token: client.list_conversations(
        organization_id=target.organization_id, channel_id=target.channel_id, page_size=10, continuation_token=token
    )


def _bird_ids(sandbox: Sandbox, target: str) -> list[str]:
    return [sandbox.bird_conversation(target, index)["id"] for index in range(sandbox.conversations_per_workspace)]


def _omni_ids(sandbox: Sandbox, target: Channel) -> list[str]:
    return [
        sandbox.omnichannel_conversation(target.channel_id, index)["conversationid"]
        for index in range(sandbox.conversations_per_workspace)
    ]


BIRD_FLEET = FleetVendor(
    name="bird",
    target=workspace,
    missing=SANDBOX_MISSING_ID,
    malformed="not-a-uuid",
    client=_bird_client,
    listing=_bird_listing,
    item_id=lambda conversation: str(conversation.id),
    expected_ids=_bird_ids,
)
OMNI_FLEET = FleetVendor(
    name="omnichannel",
    target=channel,
    missing=Channel("0f6e2a4c-91d3-4b7e-8c05-3a9b7d1e5c02", SANDBOX_MISSING_ID),
    malformed=Channel("0f6e2a4c-91d3-4b7e-8c05-3a9b7d1e5c02", "not-a-uuid"),
    client=_omni_client,
    listing=_omni_listing,
    item_id=lambda conversation: str(conversation.conversationid),
    expected_ids=_omni_ids,
)
FLEET_VENDORS = [BIRD_FLEET, OMNI_FLEET]
