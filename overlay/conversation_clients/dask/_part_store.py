"""How a distributed export lays out its folder: the manifest, and per target its parts and checkpoint.

Object stores have no append, and each target is written by a task of its own on any machine, so
a target's pages are not appended to one file as on one machine (``cli.checkpoint``). Instead:

``export-manifest.json``
    what the export is (its fingerprint: the vendor, the origin, the options that change the
    data), written first by the driver: an export into a folder written by a different one is
    refused rather than mixed.
``<target>.parts/<index>-<attempt>.jsonl``
    one part per page, each written whole, named by its index and by the attempt (one run of
    the target's task) that wrote it.
``<target>.checkpoint.json``
    the target's checkpoint (:class:`TargetCheckpoint`): which attempt holds the target now
    (its lease), how many parts it vouches for and which attempt wrote each, the token of the
    page after them, and whether the target is listed or finished.
``<target>``
    the target's JSON Lines file, put together from its parts once its last page is in; then
    the checkpoint says finished and the parts are removed.

The order that makes each item land once (:class:`TargetStore`): a page's part is written
whole, then the checkpoint naming it replaces the old one whole. A part the checkpoint does not
name (written by a task that died before its checkpoint, or by one that lost its lease) is never
read: a rerun lists on from the token after the named parts, and the final file is put together
from the named parts only.

A task starts by writing its own attempt into the checkpoint (taking the lease), and reads the
checkpoint back before each write: when another attempt has taken over (a retry started while
this one was presumed dead: a zombie), it stops with :class:`LeaseLost`, writing nothing more.
Its parts have names of their own, so nothing it wrote can be mistaken for the new attempt's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Literal, cast

import attrs

from conversation_clients.dask._destination import Storage

__all__ = [
    "MANIFEST_NAME",
    "ExportMismatch",
    "LayoutError",
    "LeaseLost",
    "TargetCheckpoint",
    "TargetStore",
    "check_target_name",
    "decode_checkpoint",
    "encode_checkpoint",
    "page_committed",
    "part_names",
    "prepare_folder",
]

#: What the export is, in the export's folder.
MANIFEST_NAME: Final = "export-manifest.json"
_FORMAT: Final = 1
_CHECKPOINT_SUFFIX: Final = ".checkpoint.json"
_PARTS_SUFFIX: Final = ".parts"
_SAFE_CHARACTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")

State = Literal["listing", "listed", "finished"]


class LayoutError(ValueError):
    """A checkpoint or manifest that cannot be read, or a part it names that is missing."""


class ExportMismatch(ValueError):
    """The folder holds a different export (another fingerprint or other targets), or files that are not an export's."""


class LeaseLost(Exception):
    """Another attempt took the target over: this one must write nothing more."""


def check_target_name(name: str) -> str:
    """``name`` if it can name a target's file: letters, digits, ``.``, ``_``, ``-``, not starting with a dot.

    >>> check_target_name("bird-w1.jsonl")
    'bird-w1.jsonl'
    >>> check_target_name("../etc/passwd")
    Traceback (most recent call last):
    ...
    ValueError: '../etc/passwd' cannot name a target's file: use letters, digits, '.', '_' and '-' (not first '.')
    """
    if not name or name.startswith(".") or not set(name) <= _SAFE_CHARACTERS or len(name) > 200:
        raise ValueError(
            f"{name[:64]!r} cannot name a target's file: use letters, digits, '.', '_' and '-' (not first '.')"
        )
    return name


@attrs.frozen
class TargetCheckpoint:
    """One target's checkpoint: what its parts hold for good, and which attempt may add to them.

    ``runs`` say which attempt wrote each part: ``(first index, attempt)``, the part at index
    ``i`` being the last run's at or before ``i``. ``parts`` parts are vouched for, holding
    ``items`` items; ``token`` lists the page after them (None with no part: the first page).

    >>> TargetCheckpoint("bird-w1.jsonl")
    TargetCheckpoint(file='bird-w1.jsonl', attempt=None, runs=(), parts=0, items=0, token=None, state='listing')
    """

    file: str
    attempt: str | None = None
    runs: tuple[tuple[int, str], ...] = ()
    parts: int = 0
    items: int = 0
    token: str | None = None
    state: State = "listing"

    @property
    def attempts(self) -> int:
        """How many attempts wrote parts."""
        return len({attempt for _, attempt in self.runs})


def page_committed(
    checkpoint: TargetCheckpoint, attempt: str, *, next_token: str | None, items: int
) -> TargetCheckpoint:
    """``checkpoint`` once ``attempt`` wrote the next part, of ``items`` items; no next token: listed.

    >>> first = page_committed(TargetCheckpoint("a", attempt="x"), "x", next_token="t2", items=7)
    >>> first.runs, first.parts, first.token, first.state
    (((0, 'x'),), 1, 't2', 'listing')
    >>> page_committed(first, "y", next_token=None, items=3).runs
    ((0, 'x'), (1, 'y'))
    """
    runs = checkpoint.runs
    if not runs or runs[-1][1] != attempt:
        runs = (*runs, (checkpoint.parts, attempt))
    return attrs.evolve(
        checkpoint,
        attempt=attempt,
        runs=runs,
        parts=checkpoint.parts + 1,
        items=checkpoint.items + items,
        token=next_token,
        state="listed" if next_token is None else "listing",
    )


def part_name(index: int, attempt: str) -> str:
    """The file name of the part at ``index`` written by ``attempt`` (sorted by index).

    >>> part_name(12, "3f2a")
    '00000012-3f2a.jsonl'
    """
    return f"{index:08d}-{attempt}.jsonl"


def part_names(checkpoint: TargetCheckpoint) -> Iterator[str]:
    """The names of the parts ``checkpoint`` vouches for, in order.

    >>> list(part_names(TargetCheckpoint("a", runs=((0, "x"), (2, "y")), parts=3)))
    ['00000000-x.jsonl', '00000001-x.jsonl', '00000002-y.jsonl']
    """
    runs = list(checkpoint.runs)
    for index in range(checkpoint.parts):
        attempt = next(attempt for start, attempt in reversed(runs) if start <= index)
        yield part_name(index, attempt)


def encode_checkpoint(checkpoint: TargetCheckpoint) -> bytes:
    """The checkpoint as its file holds it (JSON).

    >>> decode_checkpoint(encode_checkpoint(TargetCheckpoint("a", runs=((0, "x"),), parts=1)))
    TargetCheckpoint(file='a', attempt=None, runs=((0, 'x'),), parts=1, items=0, token=None, state='listing')
    """
    document = {"format": _FORMAT, **attrs.asdict(checkpoint)}
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _whole(document: Mapping[str, object], name: str) -> int:
    value = document.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise LayoutError(f"{name} is not a whole number >= 0")
    return value


def _text_or_none(document: Mapping[str, object], name: str) -> str | None:
    value = document.get(name)
    if not (value is None or isinstance(value, str)):
        raise LayoutError(f"{name} is not a string")
    return value


def _runs(value: object, parts: int) -> tuple[tuple[int, str], ...]:
    runs: list[tuple[int, str]] = []
    for run in cast("list[object]", value) if isinstance(value, list) else [None]:
        pair = cast("list[object]", run) if isinstance(run, list) else []
        if len(pair) != 2 or isinstance(pair[0], bool) or not isinstance(pair[0], int) or not isinstance(pair[1], str):
            raise LayoutError("runs are not [first index, attempt] pairs")
        runs.append((pair[0], pair[1]))
    starts = [start for start, _ in runs]
    if starts != sorted(set(starts)) or (parts and (not starts or starts[0] != 0)) or any(s >= parts for s in starts):
        raise LayoutError("runs do not cover the parts in order")
    return tuple(runs)


def _document(data: bytes) -> dict[str, object]:
    try:
        parsed: object = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LayoutError(f"not JSON: {error}") from None
    document = cast("dict[str, object]", parsed) if isinstance(parsed, dict) else {}  # JSON: string keys
    if document.get("format") != _FORMAT:
        raise LayoutError(f"not of format {_FORMAT}")
    return document


def decode_checkpoint(data: bytes) -> TargetCheckpoint:
    """A target's checkpoint from its file's bytes; :class:`LayoutError` if they are not one.

    >>> decode_checkpoint(b'{"format": 1, "file": "a", "parts": -1}')
    Traceback (most recent call last):
    ...
    conversation_clients.dask._part_store.LayoutError: parts is not a whole number >= 0
    """
    document = _document(data)
    file, state = document.get("file"), document.get("state", "listing")
    if not isinstance(file, str):
        raise LayoutError("file is not a string")
    if state not in ("listing", "listed", "finished"):
        raise LayoutError("state is not listing, listed or finished")
    parts = _whole(document, "parts")
    return TargetCheckpoint(
        file=file,
        attempt=_text_or_none(document, "attempt"),
        runs=_runs(document.get("runs", []), parts),
        parts=parts,
        items=_whole(document, "items"),
        token=_text_or_none(document, "token"),
        state=state,
    )


def _differences(then: Mapping[str, Any], now: Mapping[str, Any]) -> str | None:
    keys = sorted(set(then) | set(now))
    return (
        "; ".join(
            f"{key}: {then.get(key)!r} then, {now.get(key)!r} now" for key in keys if then.get(key) != now.get(key)
        )
        or None
    )


def prepare_folder(storage: Storage, fingerprint: Mapping[str, Any], files: Sequence[str]) -> None:
    """Make the export's folder this export's: its manifest written, or the one there checked.

    :class:`ExportMismatch` for a folder written by a different export (another ``fingerprint``,
    JSON values), or holding a target's file but no manifest. The targets may change from run to
    run: each has its own checkpoint, and one left out keeps it for a later run.
    """
    wanted = dict(fingerprint)
    data = storage.read(MANIFEST_NAME)
    if data is None:
        present = [file for file in files if storage.exists(file)]
        if present:
            raise ExportMismatch(f"{storage.shown} holds {present[0]} but no {MANIFEST_NAME}: it is not this export's")
        storage.write(
            MANIFEST_NAME, (json.dumps({"format": _FORMAT, **wanted}, indent=1, sort_keys=True) + "\n").encode()
        )
        return
    try:
        document = _document(data)
    except LayoutError as error:
        raise LayoutError(f"{storage.shown_path(MANIFEST_NAME)}: {error}") from None
    document.pop("format")
    different = _differences(document, json.loads(json.dumps(wanted)))  # as JSON holds it: tuples are lists
    if different is not None:
        raise ExportMismatch(f"{storage.shown_path(MANIFEST_NAME)} was written by a different export ({different})")


class TargetStore:
    """One target's parts, checkpoint and file in a :class:`Storage`, written in the order the module describes."""

    def __init__(self, storage: Storage, file: str) -> None:
        self.storage = storage
        self.file = check_target_name(file)
        self._checkpoint = file + _CHECKPOINT_SUFFIX
        self._parts = file + _PARTS_SUFFIX

    def load(self) -> TargetCheckpoint | None:
        """The target's checkpoint (None: it has none yet); :class:`LayoutError` if unreadable."""
        data = self.storage.read(self._checkpoint)
        if data is None:
            return None
        try:
            checkpoint = decode_checkpoint(data)
        except LayoutError as error:
            raise LayoutError(f"{self.storage.shown_path(self._checkpoint)}: {error}") from None
        if checkpoint.file != self.file:
            raise LayoutError(f"{self.storage.shown_path(self._checkpoint)} is {checkpoint.file!r}'s checkpoint")
        return checkpoint

    def _save(self, checkpoint: TargetCheckpoint) -> None:
        self.storage.write(self._checkpoint, encode_checkpoint(checkpoint))

    def _hold(self, attempt: str) -> TargetCheckpoint:
        """The checkpoint as it is now, if ``attempt`` still holds the lease; :class:`LeaseLost` otherwise."""
        checkpoint = self.load()
        if checkpoint is None or checkpoint.attempt != attempt:
            raise LeaseLost(f"{self.file}: another attempt took the target over")
        return checkpoint

    def take_over(self, attempt: str) -> TargetCheckpoint:
        """Start ``attempt`` on the target: its checkpoint (a new one if none), now naming ``attempt``.

        A finished target is left as it is.
        """
        checkpoint = self.load() or TargetCheckpoint(self.file)
        if checkpoint.state == "finished":
            return checkpoint
        checkpoint = attrs.evolve(checkpoint, attempt=attempt)
        self._save(checkpoint)
        return checkpoint

    def commit_page(self, attempt: str, data: bytes, *, next_token: str | None, items: int) -> TargetCheckpoint:
        """Write the next page (``data``, ``items`` items) as a part, then the checkpoint naming it."""
        checkpoint = self._hold(attempt)
        if checkpoint.state != "listing":
            raise LayoutError(f"{self.file}: a page after the last one")
        self.storage.write(f"{self._parts}/{part_name(checkpoint.parts, attempt)}", data)
        checkpoint = page_committed(checkpoint, attempt, next_token=next_token, items=items)
        self._save(checkpoint)
        return checkpoint

    def _part_chunks(self, names: Iterable[str]) -> Iterator[bytes]:
        for name in names:
            data = self.storage.read(f"{self._parts}/{name}")
            if data is None:
                raise LayoutError(
                    f"{self.storage.shown_path(self._parts)}/{name} is missing, but the checkpoint names it"
                )
            yield data

    def finish(self, attempt: str) -> TargetCheckpoint:
        """Put the target's file together from its parts, then say finished, then remove the parts."""
        checkpoint = self._hold(attempt)
        if checkpoint.state != "listed":
            raise LayoutError(f"{self.file}: finished before its last page")
        self.storage.write_chunks(self.file, self._part_chunks(part_names(checkpoint)))
        checkpoint = attrs.evolve(self._hold(attempt), state="finished")
        self._save(checkpoint)
        self.storage.remove_folder(self._parts)  # no longer read: what the file holds is vouched for
        self.storage.remove_temporaries(self._checkpoint)
        return checkpoint
