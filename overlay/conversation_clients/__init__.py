"""Typed clients that list conversations from Bird and from Dynamics 365 Contact Center.

Builds on the generated packages ``bird_conversations`` and ``omnichannel_messaging``; errors
live in :mod:`conversation_clients.errors`.

Example::

    from conversation_clients import BirdClient

    with BirdClient(access_key="...") as bird:
        for conversation in bird.list_conversations(workspace_id, limit=100):
            print(conversation.id)
"""

from conversation_clients._logging import LOG_ENV, configure_from_environment, guard_loggers
from conversation_clients._version import __version__
from conversation_clients.bird import BIRD_RATE_LIMIT, AsyncBirdClient, BirdClient
from conversation_clients.fleet import Channel, FanOutStopped, TargetFailure, TargetPage, fan_out, fan_out_sync
from conversation_clients.omnichannel import AsyncOmnichannelClient, OmnichannelClient, PollingWarning
from conversation_clients.pagination import AsyncPager, Page, SyncPager
from conversation_clients.ratelimit import RateLimit, RateLimiter
from conversation_clients.retry import RetryPolicy

__all__ = [
    "AsyncBirdClient",
    "AsyncOmnichannelClient",
    "LOG_ENV",
    "AsyncPager",
    "BIRD_RATE_LIMIT",
    "BirdClient",
    "Channel",
    "FanOutStopped",
    "OmnichannelClient",
    "Page",
    "PollingWarning",
    "RateLimit",
    "RateLimiter",
    "RetryPolicy",
    "SyncPager",
    "TargetFailure",
    "TargetPage",
    "__version__",
    "fan_out",
    "fan_out_sync",
]

# Before any client exists: no log line, ours or httpx's, shows a page token or a credential,
# and CONVERSATION_CLIENTS_LOG switches logging on.
guard_loggers()
configure_from_environment()
