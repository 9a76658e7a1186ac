"""A third vendor, "Acme", written as a real one would be: its vendor module, with its profile and its client.

What a third vendor's module under ``overlay/conversation_clients/`` holds, and nothing else:
its profile (the API's facts) and its client class, importing only the library below it. Acme
reuses a generated operation (Bird's conversation listing, so the sandbox can serve it) as its
own "document". It is registered as generation registers a vendor: its module name in
``_operations.VENDOR_MODULES`` (see ``test_third_vendor.py``). Its command line is
:mod:`tests.support.acme_commands`, its sandbox fake :mod:`tests.support.acme_sandbox`: each imports this
module, never the reverse.
"""

from __future__ import annotations

from typing import Final, Unpack

from conversation_clients._operations.bird_conversations import SyncOperations
from conversation_clients._profile import VendorProfile
from conversation_clients._settings import SyncClientOptions, client_settings
from conversation_clients.auth import AccessKeyAuth
from conversation_clients.errors import ErrorReader

ACME: Final = VendorProfile(
    name="acme",
    display_name="Acme",
    base_url=None,
    make_auth=AccessKeyAuth,
    errors=ErrorReader(code_fields=("code",), message_fields=("message",), request_id_headers=("x-acme-request",)),
)
#: The profile the package registers (``_operations.VENDOR_MODULES`` names this module).
PROFILE: Final = ACME


class AcmeClient(SyncOperations):
    """Acme's client: the generated methods, with Acme's profile."""

    def __init__(self, access_key: str, *, base_url: str, **options: Unpack[SyncClientOptions]) -> None:
        settings = client_settings(type(self), ACME, options, credentials=(access_key,), base_url=base_url)
        super().__init__(settings, **options)
