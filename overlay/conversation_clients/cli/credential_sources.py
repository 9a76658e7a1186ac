"""Where a command's credentials come from: the environment (never arguments), azure-identity, or the sandbox.

Arguments end up in shell history and process listings, so secrets are read from the
environment only; every variable a source names (:attr:`AccessKeyFromEnvironment.secret_variables`)
is scrubbed from what the command line prints (:func:`secrets_from_env`, with the variables of
every registered vendor's commands, :func:`conversation_clients.cli.commands.secret_variables`).
The vendors' command declarations (:mod:`conversation_clients.cli.bird_commands`, ...) declare their
commands' sources with these values; nothing here names a vendor.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, NoReturn, Protocol

import attrs

from conversation_clients.cli.command_errors import CredentialsError, UsageError, flag_message

if TYPE_CHECKING:
    from conversation_clients.auth import AccessTokenLike
    from conversation_clients.cli.sandbox_settings import SandboxSettings

__all__ = [
    "AZURE_SECRET_ENV_VARS",
    "AccessKeyFromEnvironment",
    "BearerTokenFromEnvironment",
    "CredentialSource",
    "Credentials",
    "GuardedCredential",
    "TokenChoice",
    "choose_token_source",
    "credential_errors",
    "load_azure_identity",
    "secrets_from_env",
]

#: The secrets azure-identity's ``EnvironmentCredential`` reads, scrubbed when a bearer token may come from it.
AZURE_SECRET_ENV_VARS: Final = ("AZURE_CLIENT_SECRET", "AZURE_PASSWORD")
SANDBOX_SOURCE: Final = "the sandbox credentials"
#: Where the continuation lines of a variable's help start in ``--help`` (after "  NAME  ").
_HELP_INDENT: Final = " " * 23
#: The width of a variable's help in ``--help``: argparse's own on an 80-column terminal.
_HELP_WIDTH: Final = 78

#: Reads a source's secret from the embedded sandbox's settings (for ``--sandbox``).
SandboxSecret = Callable[["SandboxSettings"], str]


def secrets_from_env(environ: Mapping[str, str], names: Sequence[str]) -> tuple[str, ...]:
    """The values of the variables ``names`` that are set, to be scrubbed from output.

    >>> secrets_from_env({"ACME_KEY": "k-123456", "HOME": "/root"}, ["ACME_KEY", "AZURE_PASSWORD"])
    ('k-123456',)
    """
    return tuple(environ[name] for name in names if environ.get(name))


def _no_sandbox_secret(variable: str) -> NoReturn:
    raise UsageError(f"--sandbox has no demo credentials for {variable}: give --base-url and set {variable}")


@contextlib.contextmanager
def credential_errors(name: str) -> Generator[None]:
    """Turn a credential's validation error into :class:`CredentialsError` naming where it came from.

    The validation messages never include the value, so neither does ours.

    >>> with credential_errors("ACME_ACCESS_KEY"):
    ...     raise ValueError("access_key contains whitespace (the value is not shown)")
    Traceback (most recent call last):
    ...
    conversation_clients.cli.command_errors.CredentialsError: ACME_ACCESS_KEY contains whitespace (the value is not shown)
    """
    try:
        yield
    except (ValueError, TypeError) as error:
        raise CredentialsError(flag_message(str(error), {"access_key": name, "token": name})) from None


@attrs.frozen
class Credentials:
    """What a client is given to authenticate: the secret (or token source), never printed."""

    secret: Any = attrs.field(repr=False)
    #: Where it came from (an environment variable, a credential class, the sandbox), for messages.
    source: str
    #: The token scope, for a credential that asks for tokens (azure-identity).
    scope: str | None = None


class CredentialSource(Protocol):
    """How a command finds its credentials; checked (no I/O) before any request is sent."""

    def for_sandbox(self, sandbox: SandboxSettings) -> Credentials:
        """The sandbox's own credentials (demo values)."""
        ...

    def from_environment(
        self, environ: Mapping[str, str], stack: contextlib.ExitStack[bool | None], options: Mapping[str, Any]
    ) -> Credentials:
        """The credentials from the environment; ``options`` are the command's credential options."""
        ...

    @property
    def secret_variables(self) -> tuple[str, ...]:
        """The environment variables whose values are scrubbed from what is printed."""
        ...

    @property
    def sandbox_secret(self) -> SandboxSecret | None:
        """Reads the sandbox's demo secret for it (None: ``--sandbox`` has none)."""
        ...

    def environment_help(self, vendor_title: str, commands: Sequence[str]) -> str:
        """Its lines of ``--help``'s "environment:" section, for the vendor's ``commands``."""
        ...


@attrs.frozen
class AccessKeyFromEnvironment:
    """An access key read from one environment variable (``what`` says what it is, in messages).

    ``sandbox_secret`` reads the sandbox's demo key (None: ``--sandbox`` has none for it).

    >>> source = AccessKeyFromEnvironment("ACME_ACCESS_KEY", "an Acme access key")
    >>> source.from_environment({"ACME_ACCESS_KEY": "k-123456"}, contextlib.ExitStack(), {})
    Credentials(source='ACME_ACCESS_KEY', scope=None)
    >>> print(source.environment_help("Acme", ["acme list"]))
      ACME_ACCESS_KEY      Acme access key (acme list)
    """

    variable: str
    what: str
    sandbox_secret: SandboxSecret | None = None

    @property
    def secret_variables(self) -> tuple[str, ...]:
        """The variable holding the key."""
        return (self.variable,)

    def environment_help(self, vendor_title: str, commands: Sequence[str]) -> str:
        """One line: the variable, then what it holds and for which commands."""
        return f"  {self.variable:<20} {vendor_title} access key ({', '.join(commands)})"

    def for_sandbox(self, sandbox: SandboxSettings) -> Credentials:
        """The sandbox's access key."""
        if self.sandbox_secret is None:
            _no_sandbox_secret(self.variable)
        return self._checked(Credentials(self.sandbox_secret(sandbox), SANDBOX_SOURCE))

    def from_environment(
        self, environ: Mapping[str, str], stack: contextlib.ExitStack[bool | None], options: Mapping[str, Any]
    ) -> Credentials:
        """The key in :attr:`variable`; a :class:`CredentialsError` when it is unset, empty or unusable."""
        access_key = environ.get(self.variable, "")
        if not access_key:
            raise CredentialsError(f"no credentials: set {self.variable} to {self.what} (or try --sandbox)")
        return self._checked(Credentials(access_key, self.variable))

    def _checked(self, credentials: Credentials) -> Credentials:
        from conversation_clients.auth import AccessKeyAuth  # the client's check; not loaded for --help

        with credential_errors(self.variable):
            AccessKeyAuth(credentials.secret)
        return credentials


@attrs.frozen
class TokenChoice:
    """Where a bearer token comes from: the environment or azure-identity."""

    source: str  # "env" or "azure"
    scope: str | None = None


def choose_token_source(
    env_token: str | None, scope: str | None, *, azure_available: bool, variable: str
) -> TokenChoice:
    """Decide where a bearer token comes from (``variable``, or azure-identity), or say clearly why there is none.

    >>> choose_token_source("eyJ...", None, azure_available=False, variable="ACME_TOKEN")
    TokenChoice(source='env', scope=None)
    >>> choose_token_source(None, "https://org-c.crm.dynamics.com/.default", azure_available=True, variable="ACME_TOKEN").source
    'azure'
    """
    if env_token:
        if scope:
            raise UsageError(
                f"--scope applies only to azure-identity credentials; {variable} is set "
                f"and would be used as it is: drop --scope or unset {variable}"
            )
        return TokenChoice("env")
    if not azure_available:
        raise CredentialsError(
            f"no credentials: set {variable} to a bearer token, or install "
            "conversation-clients[azure] and pass --scope to use azure-identity's EnvironmentCredential "
            "(or try --sandbox)"
        )
    if not scope:
        raise CredentialsError(
            f"no credentials: {variable} is not set; to use azure-identity's "
            "EnvironmentCredential instead, pass --scope https://<org-without-dashes>-c.<zone>.dynamics.com/.default"
        )
    return TokenChoice("azure", scope)


class GuardedCredential:
    """Wraps an azure-identity credential so that its failures become :class:`CredentialsError`.

    azure-identity raises its own exception classes (``CredentialUnavailableError``,
    ``ClientAuthenticationError``); the command reports them as credential problems (exit 3)
    in one line.
    """

    def __init__(self, inner: Any, name: str) -> None:
        self._inner = inner
        self._name = name

    def get_token(self, *scopes: str) -> AccessTokenLike:
        """Ask the wrapped credential for a token."""
        try:
            token: AccessTokenLike = self._inner.get_token(*scopes)
        except Exception as error:  # noqa: BLE001 - any failure of the credential is a credential problem
            detail = str(error).split("\n", 1)[0]
            raise CredentialsError(
                f"no token from {self._name}: {type(error).__name__}" + (f": {detail}" if detail else "")
            ) from None
        return token

    def close(self) -> None:
        """Close the wrapped credential, if it can be closed."""
        close = getattr(self._inner, "close", None)
        if callable(close):
            close()


def load_azure_identity() -> Any | None:
    """``azure.identity`` if it is installed (``conversation-clients[azure]``), else None."""
    try:
        return importlib.import_module("azure.identity")
    except ImportError:
        return None


@attrs.frozen
class BearerTokenFromEnvironment:
    """A bearer token from one environment variable or, when it is unset, azure-identity's
    ``EnvironmentCredential`` for the ``scope`` option.

    ``sandbox_secret`` reads the sandbox's demo token (None: ``--sandbox`` has none for it).

    >>> BearerTokenFromEnvironment("ACME_TOKEN").secret_variables
    ('ACME_TOKEN', 'AZURE_CLIENT_SECRET', 'AZURE_PASSWORD')
    """

    variable: str
    sandbox_secret: SandboxSecret | None = None

    @property
    def secret_variables(self) -> tuple[str, ...]:
        """The variable holding the token, and the secrets azure-identity may read instead."""
        return (self.variable, *AZURE_SECRET_ENV_VARS)

    def environment_help(self, vendor_title: str, commands: Sequence[str]) -> str:
        """The variable, what it holds and for which commands, and the azure-identity fallback."""
        import textwrap  # argparse loads it too, to lay out the options

        text = (
            f"  {self.variable:<20} {vendor_title} bearer token ({', '.join(commands)}); when unset and "
            "azure-identity is installed (conversation-clients[azure]), a token is fetched with "
            "azure.identity.EnvironmentCredential for --scope"
        )
        return "\n".join(textwrap.wrap(text, _HELP_WIDTH, subsequent_indent=_HELP_INDENT, break_on_hyphens=False))

    def for_sandbox(self, sandbox: SandboxSettings) -> Credentials:
        """The sandbox's bearer token."""
        if self.sandbox_secret is None:
            _no_sandbox_secret(self.variable)
        from conversation_clients.auth import BearerTokenAuth  # the client's check; not loaded for --help

        credentials = Credentials(self.sandbox_secret(sandbox), SANDBOX_SOURCE)
        with credential_errors("the sandbox token"):
            BearerTokenAuth(credentials.secret)
        return credentials

    def from_environment(
        self, environ: Mapping[str, str], stack: contextlib.ExitStack[bool | None], options: Mapping[str, Any]
    ) -> Credentials:
        """The token in :attr:`variable`, else a guarded azure-identity credential (closed with ``stack``)."""
        env_token = environ.get(self.variable) or None
        identity = None if env_token else load_azure_identity()
        choice = choose_token_source(
            env_token, options.get("scope"), azure_available=identity is not None, variable=self.variable
        )
        if choice.source == "env" and env_token is not None:
            from conversation_clients.auth import BearerTokenAuth  # the client's check; not loaded for --help

            with credential_errors(self.variable):
                BearerTokenAuth(env_token)
            return Credentials(env_token, self.variable)
        assert identity is not None
        try:
            credential = identity.EnvironmentCredential()
        except Exception as error:  # noqa: BLE001 - azure-identity's own exception classes
            raise CredentialsError(f"azure-identity's EnvironmentCredential: {type(error).__name__}") from None
        guarded = GuardedCredential(credential, "EnvironmentCredential")
        stack.callback(guarded.close)
        return Credentials(guarded, "azure-identity's EnvironmentCredential", choice.scope)
