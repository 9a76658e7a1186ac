"""Logging: one switch that turns it on, and a filter that keeps secrets out of every line.

The package logs to ``conversation_clients`` (and its children). httpx logs every request's
URL at INFO, page tokens included, and httpcore logs response headers at DEBUG, where a
server may echo a credential. So the filter is attached to those libraries' loggers as well
as ours: whatever level the application turns on, no line that a listing causes carries a
page token, a credential or a URL's password. The filter runs only for records a logger is
enabled for, so it costs nothing while logging is off.

``CONVERSATION_CLIENTS_LOG=debug`` (or ``info``, ``warning``, ``error``) switches logging on
without touching code, as ``OPENAI_LOG`` and ``AZURE_LOG_LEVEL`` do: a stderr handler on the
package's logger and httpx's, at that level (httpcore's too at ``debug``).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import warnings
import weakref
from collections.abc import Mapping
from urllib.parse import unquote_plus

from conversation_clients._redact import MASK, is_sensitive_query_name, scrub_secrets

__all__ = ["LOG_ENV", "SecretsFilter", "configure_from_environment", "hide_in_logs", "scrub_log_text"]

#: The environment variable that switches the package's logging on.
LOG_ENV = "CONVERSATION_CLIENTS_LOG"

_LEVELS: Mapping[str, int] = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}

#: Every logger a listing writes through: ours, httpx's and httpcore's (a filter applies only
#: to records created on the logger it is attached to, not to its children's).
GUARDED_LOGGERS = (
    "conversation_clients",
    "conversation_clients.auth",
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)

# name=value pairs of a query string, wherever a URL appears in a line (printed as text or as
# a repr of bytes); the name is judged by _redact's rules, so pageToken, continuationtoken,
# accessKey, ... are masked.
_QUERY_PAIR = re.compile(r"(?P<lead>[?&;])(?P<name>[^=&;\s\"'#<>]+)=(?P<value>[^&;\s\"'#<>]*)")
# user:password@ in a URL (a proxy URL, for example)
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s\"']+@")

#: How many of one owner's credentials stay hidden, the newest ones (see :func:`hide_in_logs`).
SECRETS_KEPT_PER_OWNER = 8

# The credentials clients hold and requests carry, by the object holding them (oldest first);
# gone with it.
_secrets_by_owner: weakref.WeakKeyDictionary[object, tuple[str, ...]] = weakref.WeakKeyDictionary()
_secrets_lock = threading.Lock()


def hide_in_logs(owner: object, secret: str) -> None:
    """Remember ``secret`` (a credential ``owner`` sends) so that no log line shows it.

    ``owner`` is any object that can be weakly referenced; its secrets are forgotten when it is
    garbage-collected. An owner keeps its last :data:`SECRETS_KEPT_PER_OWNER` secrets, not only
    the newest: a token refreshed while requests carrying the one before are still in flight
    must not make their responses' log lines (httpcore's, which print the headers a server
    echoes) show the old one. The bound keeps a long-running refresher (a new token every
    hour, for months) from holding, and scrubbing every line against, every token it ever had.

    It is not the bound that keeps an in-flight request's credential hidden, though: an auth
    object also registers each token under an owner of its own, which every request sent with
    that token holds (a request extension), and a request lives as long as it can be answered
    (httpx holds it while it sends it and reads the response). So however many refreshes
    overtake a slow request, its token stays hidden until the last request carrying it is gone,
    and the entries cost one per token in use, not one per request.

    >>> class Auth: ...
    >>> auth = Auth()
    >>> hide_in_logs(auth, "k3y-v4lue-0123")
    >>> hide_in_logs(auth, "k3y-v4lue-4567")
    >>> scrub_log_text("bad key k3y-v4lue-0123, and k3y-v4lue-4567")
    'bad key ***, and ***'
    """
    with _secrets_lock:
        held = _secrets_by_owner.get(owner, ())
        if held and held[-1] == secret:
            return  # the usual case: the same credential on one more request
        kept = tuple(known for known in held if known != secret)
        _secrets_by_owner[owner] = (*kept[max(0, len(kept) - SECRETS_KEPT_PER_OWNER + 1) :], secret)


def scrub_log_text(text: str) -> str:
    """``text`` with sensitive query values, URL passwords and held credentials masked.

    >>> scrub_log_text('HTTP Request: GET https://api.bird.com/w?limit=5&pageToken=abc "HTTP/1.1 200 OK"')
    'HTTP Request: GET https://api.bird.com/w?limit=5&pageToken=*** "HTTP/1.1 200 OK"'
    >>> scrub_log_text("connect http://user:pw@proxy.local:3128")
    'connect http://***@proxy.local:3128'
    """
    if "=" in text:
        text = _QUERY_PAIR.sub(_mask_sensitive_pair, text)
    if "@" in text:
        text = _USERINFO.sub(lambda match: f"{match['scheme']}{MASK}@", text)
    with _secrets_lock:
        held = list(dict.fromkeys(secret for secrets in _secrets_by_owner.values() for secret in secrets if secret))
    return scrub_secrets(text, held) if held else text


def _mask_sensitive_pair(match: re.Match[str]) -> str:
    # a value masked already (our own lines are) keeps what follows it, e.g. "***: retrying"
    if not match["value"].startswith(MASK) and is_sensitive_query_name(unquote_plus(match["name"])):
        return f"{match['lead']}{match['name']}={MASK}"
    return match[0]


class SecretsFilter(logging.Filter):
    """Rewrites each record's message (and its exception text) through :func:`scrub_log_text`.

    >>> record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "GET %s", ("/w?pageToken=abc",), None)
    >>> SecretsFilter().filter(record), record.getMessage()
    (True, 'GET /w?pageToken=***')
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = scrub_log_text(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub_log_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = scrub_log_text(record.exc_text)
        return True


_FILTER = SecretsFilter()


def guard_loggers() -> None:
    """Attach the secrets filter to every logger in :data:`GUARDED_LOGGERS` (once each).

    >>> guard_loggers()
    >>> any(isinstance(f, SecretsFilter) for f in logging.getLogger("httpx").filters)
    True
    """
    for name in GUARDED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, SecretsFilter) for existing in logger.filters):
            logger.addFilter(_FILTER)


def configure_from_environment(environ: Mapping[str, str] | None = None) -> int | None:
    """Switch logging on from :data:`LOG_ENV`; return the level set, or None when it is unset.

    A stderr handler goes on the package's logger and httpx's (and httpcore's at ``debug``),
    unless that logger already has a handler. An unknown value warns and changes nothing.

    >>> configure_from_environment({})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     configure_from_environment({LOG_ENV: "loud"})
    >>> print(caught[0].message)
    CONVERSATION_CLIENTS_LOG='loud' is not one of debug, info, warning, error; logging left as it is
    """
    value = (os.environ if environ is None else environ).get(LOG_ENV, "").strip().lower()
    if not value:
        return None
    level = _LEVELS.get(value)
    if level is None:
        warnings.warn(
            f"{LOG_ENV}={value!r} is not one of {', '.join(_LEVELS)}; logging left as it is",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    names = ["conversation_clients", "httpx", *(["httpcore"] if level <= logging.DEBUG else [])]
    for name in names:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            logger.addHandler(handler)
    return level
