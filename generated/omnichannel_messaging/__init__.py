"""A client library for accessing Dynamics 365 Contact Center Messaging API (custom channels)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
