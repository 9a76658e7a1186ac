"""Typed clients that list conversations from Bird and from Dynamics 365 Contact Center.

Builds on the generated packages ``bird_conversations`` and ``omnichannel_messaging``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("conversation-clients")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
