"""An export's checkpoint: per target, the last completed page's next token and its file's length.

The core is pure: :class:`Checkpoint` and :class:`TargetProgress` are values, and
:func:`page_written`, :func:`mismatch`, :func:`encode` and :func:`decode` are plain
functions. The shell at the end (:func:`load`, :func:`save`, :func:`append_durably`,
:func:`truncate`) does the file I/O, in the order that makes an export exactly-once:

1. a page's lines are appended to its target's file, which is flushed and fsynced;
2. then the checkpoint, naming the file's new length and the page's next token, replaces the
   old one atomically (a temporary file in the same directory, fsynced, ``os.replace``, the
   directory fsynced).

Whatever stops the process (a kill, or a write that fails: a full disk, a quota, an I/O
error), the checkpoint on disk names a length its file has reached and the token of the page
that comes right after those bytes. A rerun truncates each unfinished target's file to that
length (dropping a page written after the last checkpoint, or half of one) and lists on from
that token: every item once, in order. A target's file is created by its first page, and only
a file the checkpoint names is ever cut back.

A rerun may name targets the checkpoint does not hold (they start at their beginning) and leave
out targets nothing was written for (:func:`reconcile`), so that an export whose id was unknown
can be run again without it; a target dropped that way is removed from the checkpoint
(:func:`without`).

Example::

    checkpoint = Checkpoint.start(fingerprint, ["bird-w1.jsonl"])
    offset = append_durably(directory / "bird-w1.jsonl", page_bytes)
    checkpoint = page_written(checkpoint, "bird-w1.jsonl", next_token=page.next_token, offset=offset)
    save(directory, checkpoint)
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Generator, Iterable, Mapping
from pathlib import Path
from typing import Any, Final, cast

import attrs

from conversation_clients._durable import fsync_directory

__all__ = [
    "CHECKPOINT_NAME",
    "LOCK_NAME",
    "Checkpoint",
    "CheckpointError",
    "CheckpointMismatch",
    "TargetProgress",
    "append_durably",
    "decode",
    "encode",
    "exclusive",
    "load",
    "mismatch",
    "page_written",
    "reconcile",
    "save",
    "truncate",
    "without",
]

#: The checkpoint's file name inside the export's directory.
CHECKPOINT_NAME: Final = "export-checkpoint.json"
#: The file an export locks while it writes to the directory.
LOCK_NAME: Final = "export-checkpoint.lock"
_FORMAT: Final = 1
_TEMPORARY_SUFFIX: Final = ".tmp"


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read: not JSON, or not a checkpoint of this format."""


class CheckpointMismatch(ValueError):
    """A checkpoint written by a different command (vendor, origin, data-changing options, or a started target left out)."""


@attrs.frozen
class TargetProgress:
    """One target's progress: the token of its next page (None: its first), its file's length, whether it is done.

    >>> TargetProgress()
    TargetProgress(token=None, offset=0, finished=False)
    """

    token: str | None = None
    offset: int = 0
    finished: bool = False


@attrs.frozen
class Checkpoint:
    """What an export has written for good: its command's ``fingerprint`` and each target's progress, by file name.

    >>> checkpoint = Checkpoint.start({"vendor": "bird"}, ["bird-a.jsonl"])
    >>> checkpoint.targets["bird-a.jsonl"], checkpoint.finished
    (TargetProgress(token=None, offset=0, finished=False), False)
    """

    fingerprint: Mapping[str, Any]
    targets: Mapping[str, TargetProgress]

    @classmethod
    def start(cls, fingerprint: Mapping[str, Any], files: Iterable[str]) -> Checkpoint:
        """A new export's checkpoint: every target at its start."""
        return cls(dict(fingerprint), {name: TargetProgress() for name in files})

    @property
    def finished(self) -> bool:
        """Every target is finished."""
        return all(progress.finished for progress in self.targets.values())


def page_written(checkpoint: Checkpoint, file: str, *, next_token: str | None, offset: int) -> Checkpoint:
    """``checkpoint`` after a page of ``file``'s target was written up to ``offset``; no next token: finished.

    >>> checkpoint = page_written(Checkpoint.start({}, ["a"]), "a", next_token="t2", offset=120)
    >>> checkpoint.targets["a"]
    TargetProgress(token='t2', offset=120, finished=False)
    >>> page_written(checkpoint, "a", next_token=None, offset=200).finished
    True
    """
    if file not in checkpoint.targets:
        raise KeyError(f"{file!r} is not a target of this checkpoint")
    progress = TargetProgress(token=next_token, offset=offset, finished=next_token is None)
    return attrs.evolve(checkpoint, targets={**checkpoint.targets, file: progress})


def mismatch(checkpoint: Checkpoint, fingerprint: Mapping[str, Any]) -> str | None:
    """What differs between the command that wrote ``checkpoint`` and ``fingerprint`` (None: the same command).

    >>> mismatch(Checkpoint.start({"vendor": "bird", "targets": ["a"]}, ["a"]), {"vendor": "bird", "targets": ["b"]})
    "targets: ['a'] then, ['b'] now"
    """
    differences = [
        f"{key}: {checkpoint.fingerprint.get(key)!r} then, {fingerprint.get(key)!r} now"
        for key in sorted(set(checkpoint.fingerprint) | set(fingerprint))
        if checkpoint.fingerprint.get(key) != fingerprint.get(key)
    ]
    return "; ".join(differences) or None


def reconcile(checkpoint: Checkpoint, fingerprint: Mapping[str, Any], files: Iterable[str]) -> Checkpoint:
    """``checkpoint`` made the checkpoint of the export ``fingerprint`` over ``files``; :class:`CheckpointMismatch`
    if that would lose or mix anything.

    The export must be the same but for its targets (:func:`mismatch` of everything else). A
    target among ``files`` the checkpoint does not hold is added at its start (whether its file
    may be written is the caller's to check: it holds no bytes of this export). A target the
    checkpoint holds but ``files`` leaves out is dropped if nothing was written for it (an unknown
    id, say); one with pages written is a mismatch, as its file would be left half done.

    >>> old = Checkpoint.start({"vendor": "bird", "targets": ["a", "b"]}, ["a", "b"])
    >>> old = page_written(old, "a", next_token=None, offset=9)
    >>> sorted(reconcile(old, {"vendor": "bird", "targets": ["a", "c"]}, ["a", "c"]).targets)
    ['a', 'c']
    >>> reconcile(old, {"vendor": "bird", "targets": ["b"]}, ["b"])
    Traceback (most recent call last):
    ...
    conversation_clients.cli.checkpoint.CheckpointMismatch: targets: 'a' has pages written but is not a target now
    """
    files = list(files)
    different = mismatch(checkpoint, {**fingerprint, "targets": checkpoint.fingerprint.get("targets")})
    if different is not None:
        raise CheckpointMismatch(different)
    started = [
        file for file, progress in checkpoint.targets.items() if file not in files and progress != TargetProgress()
    ]
    if started:
        raise CheckpointMismatch(f"targets: {sorted(started)[0]!r} has pages written but is not a target now")
    return Checkpoint(dict(fingerprint), {file: checkpoint.targets.get(file, TargetProgress()) for file in files})


def without(checkpoint: Checkpoint, file: str) -> Checkpoint:
    """``checkpoint`` without ``file``'s target, which nothing was written for (a target the API does not know).

    >>> without(Checkpoint.start({"targets": ["a", "b"]}, ["a", "b"]), "b")
    Checkpoint(fingerprint={'targets': ['a']}, targets={'a': TargetProgress(token=None, offset=0, finished=False)})
    """
    if checkpoint.targets[file] != TargetProgress():
        raise ValueError(f"{file!r} has pages written: its target cannot be dropped")
    targets = {name: progress for name, progress in checkpoint.targets.items() if name != file}
    return Checkpoint({**checkpoint.fingerprint, "targets": sorted(targets)}, targets)


def encode(checkpoint: Checkpoint) -> bytes:
    """The checkpoint as its file holds it (JSON).

    >>> decode(encode(Checkpoint.start({"vendor": "bird"}, ["a"]))) == Checkpoint.start({"vendor": "bird"}, ["a"])
    True
    """
    document = {
        "format": _FORMAT,
        "fingerprint": checkpoint.fingerprint,
        "targets": {name: attrs.asdict(progress) for name, progress in checkpoint.targets.items()},
    }
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _progress(name: str, value: object) -> TargetProgress:
    if not isinstance(value, dict):
        raise CheckpointError(f"target {name!r}: not an object")
    fields = cast("dict[str, object]", value)  # JSON: string keys
    token, offset, finished = fields.get("token"), fields.get("offset"), fields.get("finished")
    if not (token is None or isinstance(token, str)):
        raise CheckpointError(f"target {name!r}: token is not a string")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise CheckpointError(f"target {name!r}: offset is not a whole number >= 0")
    if not isinstance(finished, bool):
        raise CheckpointError(f"target {name!r}: finished is not true or false")
    return TargetProgress(token=token, offset=offset, finished=finished)


def decode(data: bytes) -> Checkpoint:
    """A checkpoint from its file's bytes; :class:`CheckpointError` if they are not one.

    >>> decode(b"{}")
    Traceback (most recent call last):
    ...
    conversation_clients.cli.checkpoint.CheckpointError: not a checkpoint of format 1
    """
    try:
        parsed: object = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckpointError(f"not JSON: {error}") from None
    document = cast("dict[str, object]", parsed) if isinstance(parsed, dict) else {}  # JSON: string keys
    if document.get("format") != _FORMAT:
        raise CheckpointError(f"not a checkpoint of format {_FORMAT}")
    fingerprint, targets = document.get("fingerprint"), document.get("targets")
    if not isinstance(fingerprint, dict) or not isinstance(targets, dict):
        raise CheckpointError("fingerprint and targets must be objects")
    progress = cast("dict[str, object]", targets)
    return Checkpoint(
        cast("dict[str, Any]", fingerprint), {name: _progress(name, value) for name, value in progress.items()}
    )


# -- the shell: files ------------------------------------------------------------------------


def load(directory: Path) -> Checkpoint | None:
    """The checkpoint in ``directory`` (None: there is none); :class:`CheckpointError` if unreadable."""
    try:
        data = (directory / CHECKPOINT_NAME).read_bytes()
    except FileNotFoundError:
        return None
    return decode(data)


def save(directory: Path, checkpoint: Checkpoint) -> None:
    """Replace ``directory``'s checkpoint with ``checkpoint`` atomically: old or new, never half of either.

    An ``OSError`` (a full disk, say) leaves the old checkpoint, and no temporary file behind.
    """
    temporary = directory / (CHECKPOINT_NAME + _TEMPORARY_SUFFIX)
    try:
        with open(temporary, "wb") as file:
            file.write(encode(checkpoint))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, directory / CHECKPOINT_NAME)
    except BaseException:
        with contextlib.suppress(OSError):  # the half-written copy: it would hold the space
            temporary.unlink(missing_ok=True)
        raise
    fsync_directory(directory)


def append_durably(path: Path, data: bytes) -> int:
    """Append ``data`` to ``path``, flush and fsync it; return the file's new length."""
    with open(path, "ab") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
        return os.fstat(file.fileno()).st_size


def truncate(path: Path, offset: int) -> None:
    """Cut ``path`` back to ``offset`` bytes, durably; a missing file is left missing (nothing was written).

    A file shorter than ``offset`` (or missing) lost bytes the checkpoint says were written: that
    is not a state an export leaves, so it is refused (:class:`CheckpointError`) rather than padded.
    """
    try:
        file = open(path, "r+b")  # noqa: SIM115 - closed by the with below; not created when missing
    except FileNotFoundError:
        if offset:
            raise CheckpointError(f"{path.name} is missing, but the checkpoint recorded {offset} bytes of it") from None
        return
    with file:
        length = os.fstat(file.fileno()).st_size
        if length < offset:
            raise CheckpointError(f"{path.name} has {length} bytes, fewer than the {offset} the checkpoint recorded")
        if length > offset:
            file.truncate(offset)
            os.fsync(file.fileno())


@contextlib.contextmanager
def exclusive(directory: Path) -> Generator[None]:
    """Hold ``directory``'s export lock for the block: two exports writing one directory would mix
    their pages. :class:`CheckpointError` if another process holds it. The lock ends with the
    process however it ends (``kill -9`` included). Where ``fcntl`` is missing (Windows), no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(directory / LOCK_NAME, "a+b") as file:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CheckpointError(f"another export is writing to {directory}") from None
        yield
