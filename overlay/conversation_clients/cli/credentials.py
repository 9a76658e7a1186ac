"""Where a command's credentials come from: the sources (:mod:`conversation_clients._command_credentials`),
and the secrets of every registered vendor's commands, scrubbed from what is printed.

Arguments end up in shell history and process listings, so secrets are read from the
environment only; every variable a registered command's credential source names is scrubbed
from what is printed (:func:`secrets_from_env`). Nothing here names a vendor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from conversation_clients._command_credentials import (
    AZURE_SECRET_ENV_VARS,
    SANDBOX_SOURCE,
    AccessKeyFromEnvironment,
    BearerTokenFromEnvironment,
    Credentials,
    CredentialSource,
    GuardedCredential,
    TokenChoice,
    credential_errors,
    load_azure_identity,
)
from conversation_clients._command_credentials import choose_token_source as choose_token_source
from conversation_clients._command_credentials import secrets_from_env as _secrets_named
from conversation_clients._commands import CommandGroup
from conversation_clients.cli.commands import command_groups

__all__ = [
    "AZURE_SECRET_ENV_VARS",
    "SANDBOX_SOURCE",
    "SECRET_ENV_VARS",
    "AccessKeyFromEnvironment",
    "BearerTokenFromEnvironment",
    "CredentialSource",
    "Credentials",
    "GuardedCredential",
    "TokenChoice",
    "choose_token_source",
    "credential_errors",
    "load_azure_identity",
    "secret_variables",
    "secrets_from_env",
]


def secret_variables(groups: Sequence[CommandGroup]) -> tuple[str, ...]:
    """Every environment variable the commands of ``groups`` read a secret from, once each, in order.

    >>> secret_variables(command_groups())[-2:]
    ('AZURE_CLIENT_SECRET', 'AZURE_PASSWORD')
    """
    names = (name for group in groups for command in group.commands for name in command.credentials.secret_variables)
    return tuple(dict.fromkeys(names))


#: Environment variables whose values are scrubbed from everything printed on stderr (the
#: registered vendors' at import; :func:`secrets_from_env` takes the commands it is given).
SECRET_ENV_VARS: Final = secret_variables(command_groups())


def secrets_from_env(environ: Mapping[str, str], groups: Sequence[CommandGroup] | None = None) -> tuple[str, ...]:
    """The values, set in ``environ``, of the secret variables of ``groups`` (default: every registered vendor's).

    >>> secrets_from_env({"HOME": "/root"})
    ()
    """
    return _secrets_named(environ, secret_variables(command_groups() if groups is None else groups))
