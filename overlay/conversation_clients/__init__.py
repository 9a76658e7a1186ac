"""Typed clients that list conversations from Bird and from Dynamics 365 Contact Center.

Builds on the generated packages ``bird_conversations`` and ``omnichannel_messaging``; errors
live in :mod:`conversation_clients.errors`.

Example::

    from conversation_clients import BirdClient

    with BirdClient(access_key="...") as bird:
        for conversation in bird.list_conversations(workspace_id, limit=100):
            print(conversation.id)

Importing the package loads only its logging guards: each public name is imported from its
module on first use (PEP 562), so a program that never touches Omnichannel never loads its
clients or generated models, and the command line's ``--help`` loads neither vendor's.
Type checkers see every name through the ``TYPE_CHECKING`` imports below.
"""

import importlib
from typing import TYPE_CHECKING

from conversation_clients._logging import LOG_ENV, configure_from_environment, guard_loggers

if TYPE_CHECKING:
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

#: The module each public name is imported from on first use (the ``TYPE_CHECKING`` imports above,
#: as data; tests/project/test_startup.py holds the two equal).
_LAZY_NAMES: dict[str, str] = {
    "__version__": "conversation_clients._version",
    "BIRD_RATE_LIMIT": "conversation_clients.bird",
    "AsyncBirdClient": "conversation_clients.bird",
    "BirdClient": "conversation_clients.bird",
    "Channel": "conversation_clients.fleet",
    "FanOutStopped": "conversation_clients.fleet",
    "TargetFailure": "conversation_clients.fleet",
    "TargetPage": "conversation_clients.fleet",
    "fan_out": "conversation_clients.fleet",
    "fan_out_sync": "conversation_clients.fleet",
    "AsyncOmnichannelClient": "conversation_clients.omnichannel",
    "OmnichannelClient": "conversation_clients.omnichannel",
    "PollingWarning": "conversation_clients.omnichannel",
    "AsyncPager": "conversation_clients.pagination",
    "Page": "conversation_clients.pagination",
    "SyncPager": "conversation_clients.pagination",
    "RateLimit": "conversation_clients.ratelimit",
    "RateLimiter": "conversation_clients.ratelimit",
    "RetryPolicy": "conversation_clients.retry",
}

if not TYPE_CHECKING:  # hidden from the checkers: for them, a name missing above stays an error

    def __getattr__(name: str) -> object:
        module = _LAZY_NAMES.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # once: later lookups do not come here
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY_NAMES})


# Before any client exists: no log line, ours or httpx's, shows a page token or a credential,
# and CONVERSATION_CLIENTS_LOG switches logging on.
guard_loggers()
configure_from_environment()
