"""Export the conversations of a Bird workspace and of an Omnichannel channel, as a consuming team would.

A small downstream program written only against the public API of ``conversation_clients``:
it lists both vendors page by page, decides per conversation what to do with ``match`` on the
generated enums (tolerating values the enums do not know yet), writes JSON Lines, checkpoints
``page.next_token`` after every page so a killed run can be restarted where it stopped, and
handles failures by error class, resuming from ``error.resume_token`` when waiting may help.

Configuration comes from arguments and the environment (secrets only from the environment)::

    BIRD_ACCESS_KEY=...  BIRD_WORKSPACE_ID=...  [BIRD_BASE_URL=...]
    OMNICHANNEL_TOKEN=...  OMNICHANNEL_BASE_URL=https://m-<org>.<geo>.omnichannelengagementhub.com
    OMNICHANNEL_ORGANIZATION_ID=...  OMNICHANNEL_CHANNEL_ID=...

    python examples/export_conversations.py [--vendor bird|omnichannel|both] [--async]
        [--output export.jsonl] [--checkpoint export.checkpoint.json] [--json]

``--sandbox`` needs none of that: it lists the embedded sandbox of ``conversation_clients``
in-process (``--sandbox`` or ``--sandbox in-process``) or over real loopback HTTP
(``--sandbox loopback``), optionally with injected faults (``--sandbox-failure-rate 0.2``)::

    python examples/export_conversations.py --sandbox loopback --sandbox-failure-rate 0.2 --json

Exit status: 0 done, 2 usage or configuration, 3 credentials rejected, 4 still rate limited,
5 network or server trouble, 6 other API error, 7 the server's paging is broken. A run that
stops early has saved its place in ``--checkpoint``; run it again with the same file to go on.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import enum
import json
import os
import sys
import time
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal, TextIO, assert_never, cast

import httpx

from bird_conversations.models import Conversation, ConversationStatus, PlatformStyle
from conversation_clients import AsyncBirdClient, BirdClient, OmnichannelClient, Page, PollingWarning, RetryPolicy
from conversation_clients.bird import BIRD_BASE_URL
from conversation_clients.errors import (
    APIConnectionError,
    AuthenticationError,
    ConversationClientError,
    PaginationError,
    RateLimitError,
    ServerError,
)
from conversation_clients.sandbox import SANDBOX_BIRD_BASE_URL, SANDBOX_OMNICHANNEL_BASE_URL, Faults, Sandbox
from omnichannel_messaging.models import ActiveConversation

__all__ = [
    "BirdReport",
    "Checkpoint",
    "Disposition",
    "ExitCode",
    "ExportFailed",
    "Medium",
    "OmnichannelReport",
    "Sink",
    "disposition_of",
    "export_bird",
    "export_bird_async",
    "export_omnichannel",
    "main",
    "medium_of",
]

Vendor = Literal["bird", "omnichannel"]
VENDORS: Final[tuple[Vendor, ...]] = ("bird", "omnichannel")

#: A server asking us to wait longer than this is not waited for: the run stops with its checkpoint.
MAX_RESUME_WAIT: Final = 300.0


class ExitCode(enum.IntEnum):
    """How the program ended; the shell sees the number."""

    OK = 0
    USAGE = 2
    CREDENTIALS = 3
    RATE_LIMITED = 4
    NETWORK = 5
    API = 6
    PAGINATION = 7


# -- what to do with one conversation --------------------------------------------------------------


class Disposition(enum.Enum):
    """What the export does with a Bird conversation, decided from its status."""

    OPEN = "open"
    FINISHED = "finished"
    SKIPPED = "skipped"  # spam and deleted conversations are not exported
    UNKNOWN = "unknown"  # a status newer than our generated models: exported, and reported


class Medium(enum.Enum):
    """How the customer reached us, decided from Bird's platform style."""

    EMAIL = "email"
    CHAT = "chat"
    GROUP = "group"
    UNKNOWN = "unknown"


def disposition_of(status: ConversationStatus) -> Disposition:
    """Decide from the status; a status the enum does not know yet is kept, not dropped.

    >>> disposition_of(ConversationStatus.ARCHIVED), disposition_of(ConversationStatus("snoozed"))
    (<Disposition.FINISHED: 'finished'>, <Disposition.UNKNOWN: 'unknown'>)
    """
    match status:
        case ConversationStatus.ACTIVE:
            return Disposition.OPEN
        case ConversationStatus.CLOSED | ConversationStatus.ARCHIVED:
            return Disposition.FINISHED
        case ConversationStatus.SPAM | ConversationStatus.DELETED:
            return Disposition.SKIPPED
        case _:
            # Type checkers see every member matched above, so to them this branch is unreachable;
            # at run time it is where a status Bird added after our spec lands: the tolerant
            # reader parsed it to a ConversationStatus that is none of its members. (Not asked as
            # `status in ConversationStatus`: from Python 3.12 every instance is `in` its class.)
            if status in list(ConversationStatus):
                # Only a member the generated enum gained after this match was written gets here,
                # and then it is no longer Never: the type checkers flag this line until it has a case.
                assert_never(status)
            return Disposition.UNKNOWN


def medium_of(style: PlatformStyle) -> Medium:
    """Decide from the platform style, tolerating styles the enum does not know yet.

    >>> medium_of(PlatformStyle.DIRECT_THREADED), medium_of(PlatformStyle("carrier-pigeon"))
    (<Medium.CHAT: 'chat'>, <Medium.UNKNOWN: 'unknown'>)
    """
    match style:
        case PlatformStyle.EMAIL:
            return Medium.EMAIL
        case PlatformStyle.DIRECT | PlatformStyle.DIRECT_MULTIPLE | PlatformStyle.DIRECT_THREADED:
            return Medium.CHAT
        case PlatformStyle.GROUP_MULTIPLE:
            return Medium.GROUP
        case _:
            if style in list(PlatformStyle):  # see disposition_of
                assert_never(style)
            return Medium.UNKNOWN


# -- where the export goes -------------------------------------------------------------------------


class CheckpointError(Exception):
    """The checkpoint file cannot be read."""


@dataclass
class Checkpoint:
    """Per vendor, the token of the next page to export and whether the export finished.

    Saved (atomically: written aside, then renamed) after every page. One file per
    workspace and channel: a token only means something to the listing that issued it.
    """

    path: Path
    next_tokens: dict[str, str | None] = field(default_factory=dict[str, str | None])
    done: set[str] = field(default_factory=set[str])

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        """Read ``path``; a file that does not exist yet is an empty checkpoint."""
        checkpoint = cls(path)
        try:
            raw: object = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return checkpoint
        except (OSError, ValueError) as error:
            raise CheckpointError(f"cannot read checkpoint {path}: {error}") from None
        if not isinstance(raw, dict):
            raise CheckpointError(f"checkpoint {path} is not a JSON object")
        for vendor, state in cast(dict[str, object], raw).items():  # a JSON object: string keys
            if vendor not in VENDORS or not isinstance(state, dict):
                raise CheckpointError(f"checkpoint {path}: unexpected entry {vendor!r}")
            entry = cast(dict[str, object], state)
            token, done = entry.get("next_token"), entry.get("done")
            if not (token is None or isinstance(token, str)) or not isinstance(done, bool):
                raise CheckpointError(f"checkpoint {path}: {vendor} needs next_token (string or null) and done")
            checkpoint.next_tokens[vendor] = token
            if done:
                checkpoint.done.add(vendor)
        return checkpoint

    def record(self, vendor: Vendor, next_token: str | None) -> None:
        """Note that every page before ``next_token`` is exported (None: the vendor is finished)."""
        self.next_tokens[vendor] = next_token
        if next_token is None:
            self.done.add(vendor)
        state = {name: {"next_token": token, "done": name in self.done} for name, token in self.next_tokens.items()}
        aside = self.path.with_name(self.path.name + ".tmp")
        aside.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        aside.replace(self.path)


@dataclass
class Sink:
    """Exported records (JSON Lines, optional) and the checkpoint (optional).

    Records of a page are flushed before the page's checkpoint is saved: a crash in between
    exports that page again on restart (at least once), never skips it.
    """

    output: TextIO | None = None
    checkpoint: Checkpoint | None = None

    def write(self, record: Mapping[str, str]) -> None:
        if self.output is not None:
            self.output.write(json.dumps(record, sort_keys=True) + "\n")

    def page_done(self, vendor: Vendor, next_token: str | None) -> None:
        if self.output is not None:
            self.output.flush()
        if self.checkpoint is not None:
            self.checkpoint.record(vendor, next_token)


# -- what an export reports ------------------------------------------------------------------------


@dataclass
class BirdReport:
    """What one run exported from a Bird workspace."""

    listed: int = 0
    exported: int = 0
    pages: int = 0
    resumes: int = 0
    complete: bool = False
    already_done: bool = False
    by_status: Counter[str] = field(default_factory=Counter[str])
    by_platform_style: Counter[str] = field(default_factory=Counter[str])
    unknown_values: set[str] = field(default_factory=set[str])

    def add_page(self, page: Page[Conversation], sink: Sink) -> None:
        for conversation in page.items:
            self._add(conversation, sink)
        self.pages += 1
        sink.page_done("bird", page.next_token)

    def _add(self, conversation: Conversation, sink: Sink) -> None:
        status, style = conversation.status, conversation.platform_style
        self.listed += 1
        self.by_status[status.value] += 1
        self.by_platform_style[style.value] += 1
        disposition, medium = disposition_of(status), medium_of(style)
        if disposition is Disposition.UNKNOWN:
            self.unknown_values.add(f"status={status.value}")
        if medium is Medium.UNKNOWN:
            self.unknown_values.add(f"platformStyle={style.value}")
        if disposition is Disposition.SKIPPED:
            return
        self.exported += 1
        sink.write(
            {
                "vendor": "bird",
                "id": str(conversation.id),
                "status": status.value,
                "disposition": disposition.value,
                "medium": medium.value,
                "created_at": conversation.created_at.isoformat(),
            }
        )

    def summary(self) -> dict[str, object]:
        return {
            "listed": self.listed,
            "exported": self.exported,
            "pages": self.pages,
            "resumes": self.resumes,
            "complete": self.complete,
            "already_done": self.already_done,
            "by_status": dict(sorted(self.by_status.items())),
            "by_platform_style": dict(sorted(self.by_platform_style.items())),
            "unknown_values": sorted(self.unknown_values),
        }

    def lines(self) -> list[str]:
        if self.already_done:
            return ["bird: already exported (per the checkpoint)"]
        lines = [
            f"bird: {self.listed} conversations in {_plural(self.pages, 'page')}, {self.exported} exported, "
            f"{self.listed - self.exported} skipped, {_plural(self.resumes, 'resume')}"
        ]
        lines.append(f"  status: {_counts(self.by_status)}")
        lines.append(f"  platform style: {_counts(self.by_platform_style)}")
        if self.unknown_values:
            lines.append(f"  values newer than our models: {', '.join(sorted(self.unknown_values))}")
        return lines


@dataclass
class OmnichannelReport:
    """What one run exported from an Omnichannel channel (every listed conversation is active)."""

    listed: int = 0
    pages: int = 0
    resumes: int = 0
    complete: bool = False
    already_done: bool = False
    by_hour: Counter[str] = field(default_factory=Counter[str])

    def add_page(self, page: Page[ActiveConversation], sink: Sink) -> None:
        for conversation in page.items:
            created = conversation.timestamp.astimezone(datetime.UTC)
            self.listed += 1
            self.by_hour[created.strftime("%Y-%m-%dT%H")] += 1
            sink.write(
                {
                    "vendor": "omnichannel",
                    "id": str(conversation.conversationid),
                    "created_at": created.isoformat(),
                }
            )
        self.pages += 1
        sink.page_done("omnichannel", page.next_token)

    def summary(self) -> dict[str, object]:
        return {
            "listed": self.listed,
            "exported": self.listed,
            "pages": self.pages,
            "resumes": self.resumes,
            "complete": self.complete,
            "already_done": self.already_done,
            "by_hour": dict(sorted(self.by_hour.items())),
        }

    def lines(self) -> list[str]:
        if self.already_done:
            return ["omnichannel: already exported (per the checkpoint)"]
        return [
            f"omnichannel: {self.listed} active conversations in {_plural(self.pages, 'page')}, "
            f"{_plural(self.resumes, 'resume')}",
            f"  busiest hours (UTC): {_counts(Counter(dict(self.by_hour.most_common(3))))}",
        ]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counter.most_common()) or "none"


# -- failures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """Resuming would not help (or we gave up): end the run with ``exit_code``."""

    exit_code: ExitCode
    reason: str


class ExportFailed(Exception):
    """A vendor's export stopped early; everything up to ``resume_token`` has been exported."""

    def __init__(self, vendor: Vendor, stop: Stop, *, resume_token: str | None, listed: int) -> None:
        super().__init__(f"{vendor}: {stop.reason}")
        self.vendor: Vendor = vendor
        self.exit_code = stop.exit_code
        self.resume_token = resume_token
        self.listed = listed


def after_error(error: ConversationClientError, *, resumes_done: int, max_resumes: int, backoff: float) -> float | Stop:
    """Seconds to wait before resuming from ``error.resume_token``, or why to stop instead.

    The client has already retried the request (``RetryPolicy``); this decides whether the
    listing as a whole is worth resuming, by the class of what went wrong.

    >>> after_error(RateLimitError(status_code=429, message="slow down", retry_after=2.0),
    ...             resumes_done=0, max_resumes=3, backoff=1.0)
    2.0
    >>> after_error(PaginationError("repeated token"), resumes_done=0, max_resumes=3, backoff=1.0).exit_code
    <ExitCode.PAGINATION: 7>
    """
    waiting = backoff * 2.0**resumes_done
    match error:
        case AuthenticationError():
            return Stop(ExitCode.CREDENTIALS, f"the credentials were rejected: {error}")
        case PaginationError():
            # resuming would fetch the same pages and meet the same repeated token
            return Stop(ExitCode.PAGINATION, f"the server's paging is broken: {error}")
        case RateLimitError(retry_after=retry_after):
            exit_code = ExitCode.RATE_LIMITED
            if retry_after is not None:
                if retry_after > MAX_RESUME_WAIT:
                    return Stop(exit_code, f"rate limited for {retry_after:g} s: {error}")
                waiting = max(waiting, retry_after)
        case APIConnectionError() | ServerError():
            exit_code = ExitCode.NETWORK
        case _:  # bad request, not found, an invalid response...: the same request fails the same way
            return Stop(ExitCode.API, str(error))
    if resumes_done >= max_resumes:
        return Stop(exit_code, f"still failing after {_plural(resumes_done, 'resume')}: {error}")
    return waiting


def _fail(vendor: Vendor, error: ConversationClientError, stop: Stop, listed: int) -> ExportFailed:
    return ExportFailed(vendor, stop, resume_token=error.resume_token, listed=listed)


# -- the exports -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResumeRules:
    """How often, and after how long, a failed listing is resumed from its ``resume_token``."""

    max_resumes: int = 3
    backoff: float = 1.0  # seconds before the first resume, doubling after each


def export_bird(
    client: BirdClient,
    workspace_id: str,
    sink: Sink,
    *,
    limit: int = 100,
    start_token: str | None = None,
    rules: ResumeRules = ResumeRules(),
    sleep: Callable[[float], None] = time.sleep,
) -> BirdReport:
    """Export a workspace's conversations from ``start_token`` (None: from the first page)."""
    report = BirdReport()
    token = start_token
    while True:
        try:
            for page in client.list_conversations(workspace_id, limit=limit, page_token=token).pages():
                report.add_page(page, sink)
            report.complete = True
            return report
        except ConversationClientError as error:
            decision = after_error(
                error, resumes_done=report.resumes, max_resumes=rules.max_resumes, backoff=rules.backoff
            )
            if isinstance(decision, Stop):
                raise _fail("bird", error, decision, report.listed) from error
            report.resumes += 1
            token = error.resume_token  # the page that failed: nothing lost, nothing repeated
            sleep(decision)


async def export_bird_async(
    client: AsyncBirdClient,
    workspace_id: str,
    sink: Sink,
    *,
    limit: int = 100,
    start_token: str | None = None,
    rules: ResumeRules = ResumeRules(),
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> BirdReport:
    """The async twin of :func:`export_bird` (the client prefetches the next page meanwhile)."""
    report = BirdReport()
    token = start_token
    while True:
        try:
            pager = client.list_conversations(workspace_id, limit=limit, page_token=token)
            # aclosing: leaving early cancels the prefetch in flight now, not at garbage collection
            async with contextlib.aclosing(pager.pages()) as pages:
                async for page in pages:
                    report.add_page(page, sink)
            report.complete = True
            return report
        except ConversationClientError as error:
            decision = after_error(
                error, resumes_done=report.resumes, max_resumes=rules.max_resumes, backoff=rules.backoff
            )
            if isinstance(decision, Stop):
                raise _fail("bird", error, decision, report.listed) from error
            report.resumes += 1
            token = error.resume_token
            await sleep(decision)


def export_omnichannel(
    client: OmnichannelClient,
    sink: Sink,
    *,
    page_size: int = 250,
    start_token: str | None = None,
    rules: ResumeRules = ResumeRules(),
    sleep: Callable[[float], None] = time.sleep,
) -> OmnichannelReport:
    """Export a channel's active conversations from ``start_token`` (None: from the first page)."""
    report = OmnichannelReport()
    token = start_token
    while True:
        try:
            with warnings.catch_warnings():
                if token is None and report.resumes:
                    # Starting over after the first page failed is a resume, not the polling
                    # Microsoft forbids (resuming from a token is never counted).
                    warnings.simplefilter("ignore", PollingWarning)
                pager = client.list_conversations(page_size=page_size, continuation_token=token)
            for page in pager.pages():
                report.add_page(page, sink)
            report.complete = True
            return report
        except ConversationClientError as error:
            decision = after_error(
                error, resumes_done=report.resumes, max_resumes=rules.max_resumes, backoff=rules.backoff
            )
            if isinstance(decision, Stop):
                raise _fail("omnichannel", error, decision, report.listed) from error
            report.resumes += 1
            token = error.resume_token
            sleep(decision)


# -- configuration ---------------------------------------------------------------------------------


class ConfigError(Exception):
    """The arguments and environment do not describe a runnable export."""


class Arguments(argparse.Namespace):
    """The parsed command line, typed (argparse fills these attributes)."""

    vendor: Literal["bird", "omnichannel", "both"]
    use_async: bool
    sandbox: Literal["in-process", "loopback"] | None
    sandbox_conversations: int
    sandbox_failure_rate: float
    sandbox_seed: int
    bird_workspace_id: str | None
    bird_base_url: str | None
    bird_limit: int
    omnichannel_base_url: str | None
    organization_id: str | None
    channel_id: str | None
    page_size: int
    max_retries: int
    max_resumes: int
    checkpoint: Path | None
    output: Path | None
    json: bool


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="export_conversations",
        description="Export Bird and Omnichannel conversations to JSON Lines, with checkpoints.",
        epilog="Secrets come from the environment only: BIRD_ACCESS_KEY, OMNICHANNEL_TOKEN.",
    )
    parser.add_argument("--vendor", choices=("bird", "omnichannel", "both"), default="both")
    parser.add_argument("--async", dest="use_async", action="store_true", help="list Bird with AsyncBirdClient")
    sandbox = parser.add_argument_group("sandbox (no account needed)")
    sandbox.add_argument(
        "--sandbox", nargs="?", const="in-process", choices=("in-process", "loopback"), default=None,
        help="list the embedded sandbox, in-process (the default) or over loopback HTTP",
    )  # fmt: skip
    sandbox.add_argument("--sandbox-conversations", type=int, default=42, metavar="N")
    sandbox.add_argument("--sandbox-failure-rate", type=float, default=0.0, metavar="RATE")
    sandbox.add_argument("--sandbox-seed", type=int, default=0, metavar="SEED", help="seed of the injected faults")
    bird = parser.add_argument_group("Bird")
    bird.add_argument("--bird-workspace-id", metavar="ID", help="default: $BIRD_WORKSPACE_ID")
    bird.add_argument("--bird-base-url", metavar="URL", help=f"default: $BIRD_BASE_URL or {BIRD_BASE_URL}")
    bird.add_argument("--bird-limit", type=int, default=100, metavar="N", help="page size, 1 to 100")
    omni = parser.add_argument_group("Omnichannel")
    omni.add_argument("--omnichannel-base-url", metavar="URL", help="default: $OMNICHANNEL_BASE_URL")
    omni.add_argument("--organization-id", metavar="ID", help="default: $OMNICHANNEL_ORGANIZATION_ID")
    omni.add_argument("--channel-id", metavar="ID", help="default: $OMNICHANNEL_CHANNEL_ID")
    omni.add_argument("--page-size", type=int, default=250, metavar="N", help="page size, 1 to 250")
    run = parser.add_argument_group("run")
    run.add_argument("--max-retries", type=int, default=2, metavar="N", help="retries of one request (client)")
    run.add_argument("--max-resumes", type=int, default=3, metavar="N", help="resumes of a failed listing")
    run.add_argument("--checkpoint", type=Path, metavar="PATH", help="save and resume progress here")
    run.add_argument("--output", type=Path, metavar="PATH", help="append exported records (JSON Lines)")
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    return parser


@dataclass(frozen=True)
class BirdTarget:
    """Where and as whom to list Bird conversations."""

    access_key: str = field(repr=False)
    workspace_id: str
    base_url: str
    transport: httpx.BaseTransport | None = None  # the sandbox's in-process transports, or the network
    async_transport: httpx.AsyncBaseTransport | None = None


@dataclass(frozen=True)
class OmnichannelTarget:
    """Where and as whom to list Omnichannel conversations."""

    base_url: str
    organization_id: str
    channel_id: str
    token: str = field(repr=False)
    transport: httpx.BaseTransport | None = None


@dataclass(frozen=True)
class Plan:
    """Everything a run needs, resolved from arguments and environment."""

    bird: BirdTarget | None
    omnichannel: OmnichannelTarget | None
    retry_policy: RetryPolicy
    rules: ResumeRules


def _setting(value: str | None, environ: Mapping[str, str], name: str, *, flag: str | None = None) -> str:
    found = value or environ.get(name)
    if not found:
        raise ConfigError(f"set {name}" + (f" or pass {flag}" if flag else "") + " (or try --sandbox)")
    return found


def plan_for(args: Arguments, environ: Mapping[str, str], stack: contextlib.ExitStack) -> Plan:
    """Resolve the targets; in sandbox mode build the sandbox (and serve it on loopback if asked)."""
    want_bird, want_omni = args.vendor in ("bird", "both"), args.vendor in ("omnichannel", "both")
    if args.sandbox is None:
        bird = omni = None
        if want_bird:
            bird = BirdTarget(
                access_key=_setting(None, environ, "BIRD_ACCESS_KEY"),
                workspace_id=_setting(args.bird_workspace_id, environ, "BIRD_WORKSPACE_ID", flag="--bird-workspace-id"),
                base_url=args.bird_base_url or environ.get("BIRD_BASE_URL") or BIRD_BASE_URL,
            )
        if want_omni:
            omni = OmnichannelTarget(
                base_url=_setting(args.omnichannel_base_url, environ, "OMNICHANNEL_BASE_URL", flag="--omnichannel-base-url"),
                organization_id=_setting(args.organization_id, environ, "OMNICHANNEL_ORGANIZATION_ID", flag="--organization-id"),
                channel_id=_setting(args.channel_id, environ, "OMNICHANNEL_CHANNEL_ID", flag="--channel-id"),
                token=_setting(None, environ, "OMNICHANNEL_TOKEN"),
            )  # fmt: skip
        return Plan(bird, omni, RetryPolicy(max_retries=args.max_retries), ResumeRules(args.max_resumes))

    given = [flag for flag, value in _target_flags(args) if value is not None]
    if given:
        raise ConfigError(f"{', '.join(given)} cannot be combined with --sandbox, which brings its own")
    try:
        sandbox = Sandbox(
            conversations_per_workspace=args.sandbox_conversations,
            faults=Faults(failure_rate=args.sandbox_failure_rate, seed=args.sandbox_seed),
        )
    except (TypeError, ValueError) as error:
        raise ConfigError(f"sandbox: {error}") from None
    if args.sandbox == "loopback":
        base_url = stack.enter_context(sandbox.serve())
        bird_url = omni_url = base_url
        transport, async_transport = None, None  # real HTTP to the loopback port
    else:
        bird_url, omni_url = SANDBOX_BIRD_BASE_URL, SANDBOX_OMNICHANNEL_BASE_URL
        transport, async_transport = sandbox.transport(), sandbox.async_transport()
    bird_target = BirdTarget(sandbox.bird_access_key, sandbox.workspaces[0], bird_url, transport, async_transport)
    omni_target = OmnichannelTarget(
        omni_url, sandbox.organization_id, sandbox.channels[0], sandbox.omnichannel_token, transport
    )
    # The sandbox answers at once and has no capacity to spare: retry and resume without waiting long.
    policy = RetryPolicy(max_retries=args.max_retries, initial_delay=0.001, max_delay=0.01)
    return Plan(
        bird_target if want_bird else None,
        omni_target if want_omni else None,
        policy,
        ResumeRules(args.max_resumes, backoff=0.001),
    )


def _target_flags(args: Arguments) -> Iterator[tuple[str, str | None]]:
    yield "--bird-workspace-id", args.bird_workspace_id
    yield "--bird-base-url", args.bird_base_url
    yield "--omnichannel-base-url", args.omnichannel_base_url
    yield "--organization-id", args.organization_id
    yield "--channel-id", args.channel_id


# -- running ---------------------------------------------------------------------------------------


@dataclass
class Summary:
    bird: BirdReport | None = None
    omnichannel: OmnichannelReport | None = None

    def as_json(self) -> str:
        vendors = {name: report.summary() for name, report in (("bird", self.bird), ("omnichannel", self.omnichannel))
                   if report is not None}  # fmt: skip
        return json.dumps(vendors, sort_keys=True)

    def lines(self) -> list[str]:
        return [*(self.bird.lines() if self.bird else []), *(self.omnichannel.lines() if self.omnichannel else [])]


def run(plan: Plan, args: Arguments, sink: Sink, summary: Summary) -> None:
    """Export each vendor in turn, filling ``summary`` as each finishes."""
    checkpoint = sink.checkpoint
    if plan.bird is not None:
        target = plan.bird
        if checkpoint is not None and "bird" in checkpoint.done:
            summary.bird = BirdReport(complete=True, already_done=True)
        else:
            start = checkpoint.next_tokens.get("bird") if checkpoint else None
            if args.use_async:
                summary.bird = asyncio.run(_bird_async(target, plan, args, sink, start))
            else:
                with BirdClient(
                    target.access_key,
                    base_url=target.base_url,
                    retry_policy=plan.retry_policy,
                    transport=target.transport,
                ) as client:
                    summary.bird = export_bird(
                        client, target.workspace_id, sink, limit=args.bird_limit, start_token=start, rules=plan.rules
                    )
    if plan.omnichannel is not None:
        target_omni = plan.omnichannel
        if checkpoint is not None and "omnichannel" in checkpoint.done:
            summary.omnichannel = OmnichannelReport(complete=True, already_done=True)
        else:
            start = checkpoint.next_tokens.get("omnichannel") if checkpoint else None
            with OmnichannelClient(
                target_omni.base_url,
                organization_id=target_omni.organization_id,
                channel_id=target_omni.channel_id,
                token=target_omni.token,
                retry_policy=plan.retry_policy,
                transport=target_omni.transport,
            ) as omni:
                summary.omnichannel = export_omnichannel(
                    omni, sink, page_size=args.page_size, start_token=start, rules=plan.rules
                )


async def _bird_async(target: BirdTarget, plan: Plan, args: Arguments, sink: Sink, start: str | None) -> BirdReport:
    async with AsyncBirdClient(
        target.access_key, base_url=target.base_url, retry_policy=plan.retry_policy, transport=target.async_transport
    ) as client:
        return await export_bird_async(
            client, target.workspace_id, sink, limit=args.bird_limit, start_token=start, rules=plan.rules
        )


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the export; return the exit status (see :class:`ExitCode`)."""
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv, namespace=Arguments())
    except SystemExit as exit_:  # argparse has printed the usage error (or --help)
        return ExitCode.USAGE if exit_.code else ExitCode.OK
    summary = Summary()
    try:
        with contextlib.ExitStack() as stack:
            plan = plan_for(args, os.environ if environ is None else environ, stack)
            checkpoint = Checkpoint.load(args.checkpoint) if args.checkpoint is not None else None
            output = stack.enter_context(args.output.open("a", encoding="utf-8")) if args.output is not None else None
            run(plan, args, Sink(output, checkpoint), summary)
    except (ConfigError, CheckpointError, ValueError) as error:
        # ValueError: the clients check their arguments (page sizes, UUIDs) before sending anything
        print(f"error: {error}", file=err)
        return ExitCode.USAGE
    except ExportFailed as failed:
        _print_summary(summary, args, out)
        print(f"error: {failed} (after {failed.listed} conversations this run)", file=err)
        if args.checkpoint is not None:
            print(f"progress saved: run again with --checkpoint {args.checkpoint} to go on", file=err)
        return failed.exit_code
    _print_summary(summary, args, out)
    return ExitCode.OK


def _print_summary(summary: Summary, args: Arguments, out: TextIO) -> None:
    if args.json:
        print(summary.as_json(), file=out)
    else:
        for line in summary.lines():
            print(line, file=out)


if __name__ == "__main__":
    sys.exit(main())
