"""A third vendor, "Acme", written as a real one would be: one module with its profile and its client.

What a third vendor under ``overlay/conversation_clients/`` holds, and nothing else: its profile
(its facts, its command line, its sandbox fake) and its client class. Acme reuses a generated
operation (Bird's conversation listing, so the sandbox can serve it) under its own name, its
own credential variable and its own command, ``conversation-clients acme list``. It is
registered as generation registers a vendor: its module name in ``_operations.VENDOR_MODULES``
(see ``test_third_vendor.py``).
"""

from __future__ import annotations

from typing import Any, Final

import attrs
import httpx

from conversation_clients._client import client_settings
from conversation_clients._command_credentials import AccessKeyFromEnvironment
from conversation_clients._commands import ClientSettings, ListCommand, Option, Role
from conversation_clients._operations.bird_conversations import SyncOperations, list_conversations_listing
from conversation_clients._profile import VendorProfile
from conversation_clients._tables import Field, format_when, item_table
from conversation_clients.auth import AccessKeyAuth
from conversation_clients.errors import ErrorReader
from conversation_clients.sandbox import SandboxSetup

ACME_KEY_ENV: Final = "ACME_ACCESS_KEY"
#: The path Acme's sandbox fake serves (the sandbox dispatches to it from the profile alone).
ACME_STATUS_PATH: Final = "/acme/status"


def open_acme_client(settings: ClientSettings) -> AcmeClient:
    """An :class:`AcmeClient` for a command."""
    return AcmeClient(settings.credentials.secret, base_url=settings.base_url, **settings.transfer_options())


@attrs.frozen
class AcmeApi:
    """Acme's sandbox fake: one status route, showing that the sandbox built it from the profile."""

    seed: int

    def serves(self, path: str) -> bool:
        return path == ACME_STATUS_PATH

    def answer(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"vendor": "acme", "seed": self.seed})

    def fault(self, kind: str, *, retry_after_seconds: float) -> httpx.Response:
        return httpx.Response(int(kind) if kind.isdigit() else 500, json={"fault": kind})

    def rate_limited(self, retry_after: float) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": str(retry_after)}, json={"fault": "429"})


def acme_api(setup: SandboxSetup) -> AcmeApi:
    """Acme's fake API for a sandbox (``ACME.sandbox_api`` names it)."""
    return AcmeApi(seed=setup.seed)


ACME: Final = VendorProfile(
    name="acme",
    display_name="Acme",
    base_url=None,
    make_auth=AccessKeyAuth,
    errors=ErrorReader(code_fields=("code",), message_fields=("message",), request_id_headers=("x-acme-request",)),
    sandbox_routes=(ACME_STATUS_PATH,),
    sandbox_api=f"{__name__}:acme_api",
    command_title="Acme Threads API",
    commands=(
        ListCommand(
            name="list",
            help="list a workspace's threads",
            description=f"List an Acme workspace's threads. Credentials: {ACME_KEY_ENV}.",
            # --limit, --reverse, --resource and --page-token come from the operation's parameters
            options=(
                Option(
                    "--workspace-id",
                    "the workspace (a UUID); optional with --sandbox",
                    metavar="ID",
                    required=True,
                    sandbox_value=lambda sandbox: sandbox.workspace_id,
                ),
                Option(
                    "--base-url",
                    "API base URL",
                    metavar="URL",
                    role=Role.BASE_URL,
                    required=True,
                    refused_with_sandbox=True,
                ),  # fmt: skip
            ),
            check=list_conversations_listing,
            method="list_conversations",
            open_client=open_acme_client,
            credentials=AccessKeyFromEnvironment(
                ACME_KEY_ENV, "an Acme access key", sandbox_secret=lambda sandbox: sandbox.bird_access_key
            ),
            table=item_table(
                Field("THREAD", 36, lambda thread: str(thread.id)),
                Field("STARTED (UTC)", 19, lambda thread: format_when(thread.created_at)),
            ),
            noun="thread",
        ),
    ),
)
PROFILE: Final = ACME


class AcmeClient(SyncOperations):
    """Acme's client: the generated methods, with Acme's profile."""

    def __init__(
        self, access_key: str, *, base_url: str, transport: httpx.BaseTransport | None = None, **options: Any
    ) -> None:
        settings = client_settings(
            ACME,
            auth=ACME.make_auth(access_key),
            base_url=base_url,
            timeout=options.pop("timeout", 30.0),
            max_retries=options.pop("max_retries", 2),
            retry_policy=None,
            max_response_bytes=options.pop("max_response_bytes", 1 << 24),
            attempt_timeout=options.pop("attempt_timeout", 60.0),
            page_timeout=options.pop("page_timeout", 300.0),
        )
        super().__init__(settings, transport=transport, **options)
