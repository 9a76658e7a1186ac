"""Where a distributed export writes: an fsspec URL (:class:`Destination`) and its files (:class:`Storage`).

A :class:`Destination` is what a task is given: the URL and the storage options, picklable, and
shown without its credentials (a task's arguments appear in Dask's dashboard and in its workers'
"Compute Failed" log lines). Each task opens it where it runs (:meth:`Destination.open`).

:class:`Storage` writes whole files only, each one all or nothing, so that a checkpoint names
nothing half-written:

* on a local (or mounted, shared) file system (``file://``, or a plain path), a file is written
  to a temporary name of its own, fsynced, renamed over the old one (``os.replace``) and its
  directory fsynced, as the one-machine export writes its checkpoint;
* on an object store (``s3://``, ``gs://``, ``az://``, ``memory://``...) an object is put whole,
  and a reader sees the old one or the new one, never a mix; there is no append, which is why
  the export writes a target's pages as parts (:mod:`~conversation_clients.dask._part_store`).

Example::

    storage = Destination("memory://exports/run-1").open()
    storage.write("a.json", b"{}")
    assert storage.read("a.json") == b"{}"
"""

from __future__ import annotations

import contextlib
import os
import urllib.parse
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import fsspec  # pyright: ignore[reportMissingTypeStubs]
from fsspec.implementations.local import LocalFileSystem  # pyright: ignore[reportMissingTypeStubs]

from conversation_clients._durable import fsync_directory

# fsspec has no type annotations: used through Any, here only
_FSSPEC: Any = fsspec

__all__ = ["Destination", "DestinationError", "Storage"]

_TEMPORARY_SUFFIX: Final = ".tmp"


class DestinationError(ValueError):
    """A destination that cannot be opened: an unknown protocol, or its fsspec backend not installed."""


def _shown(url: str) -> str:
    """``url`` without what may hold a secret: the user and password, the query (SAS tokens and the like).

    >>> _shown("ftp://me:hunter2@host/out?sig=abc")
    'ftp://***@host/out'
    >>> _shown("s3://bucket/exports")
    's3://bucket/exports'
    """
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _options(options: Mapping[str, Any]) -> dict[str, Any]:
    return dict(options)


def _no_options() -> dict[str, Any]:
    return {}


def _options_repr(options: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{name!r}: <hidden>" for name in sorted(options)) + "}"


@attrs.frozen(repr=False)
class Destination:
    """An export's folder: an fsspec URL (``s3://bucket/exports``, ``file:///mnt/shared/out``,
    ``memory://...`` in tests) and the options of its file system (``storage_options``, as
    ``fsspec.open`` takes them). Picklable; its repr shows neither the options' values nor a
    password or query in the URL.

    Prefer credentials the workers find themselves (``AWS_*`` variables, an instance role) to
    ``storage_options``: the options travel with every task.

    >>> Destination("s3://bucket/out", {"key": "AKIA...", "secret": "..."})
    Destination('s3://bucket/out', storage_options={'key': <hidden>, 'secret': <hidden>})
    """

    url: str
    storage_options: Mapping[str, Any] = attrs.field(factory=_no_options, converter=_options)

    def __repr__(self) -> str:
        options = f", storage_options={_options_repr(self.storage_options)}" if self.storage_options else ""
        return f"Destination({_shown(self.url)!r}{options})"

    @property
    def shown(self) -> str:
        """The URL as messages show it (no password, no query).

        >>> Destination("memory://exports/run-1").shown
        'memory://exports/run-1'
        """
        return _shown(self.url)

    def open(self) -> Storage:
        """The file system and the folder's path in it; :class:`DestinationError` if it cannot be opened."""
        try:
            filesystem, root = _FSSPEC.core.url_to_fs(self.url, **self.storage_options)
        except ImportError as error:  # fsspec: "Install s3fs to access S3"
            raise DestinationError(f"{self.shown}: {error}") from None
        except ValueError as error:  # fsspec: "Protocol not known: ..."
            raise DestinationError(f"{self.shown}: {error}") from None
        return Storage(filesystem, str(root).rstrip("/"), self.shown)


class Storage:
    """The files of one :class:`Destination`, by name relative to its folder (``a/b.json``).

    Every write replaces a whole file (all or nothing, see the module); ``read`` gives None for
    a file that is not there.
    """

    def __init__(self, filesystem: Any, root: str, shown: str) -> None:
        self.filesystem = filesystem
        self.root = root
        #: the destination's URL as messages show it
        self.shown = shown
        #: a file system of this machine (or mounted on it): written with os calls, fsynced
        self.local = isinstance(filesystem, LocalFileSystem)

    def __repr__(self) -> str:
        return f"Storage({self.shown!r})"

    def path(self, name: str) -> str:
        """The full path of ``name`` in the file system."""
        return f"{self.root}/{name}" if name else self.root

    def shown_path(self, name: str) -> str:
        """``name`` as messages show it: the destination's URL and the name."""
        return f"{self.shown.rstrip('/')}/{name}"

    def read(self, name: str) -> bytes | None:
        """The bytes of ``name``, or None when there is no such file."""
        try:
            data: bytes = self.filesystem.cat_file(self.path(name))
        except FileNotFoundError:
            return None
        return data

    def exists(self, name: str) -> bool:
        """Whether ``name`` is there (a file, or a folder holding files)."""
        return bool(self.filesystem.exists(self.path(name)))

    def write(self, name: str, data: bytes) -> None:
        """Replace ``name`` with ``data``, all or nothing."""
        self.write_chunks(name, (data,))

    def write_chunks(self, name: str, chunks: Iterable[bytes]) -> None:
        """Replace ``name`` with ``chunks`` one after the other, streamed (never all in memory), all or nothing."""
        if self.local:
            self._write_local(Path(self.path(name)), chunks)
            return
        with self.filesystem.open(self.path(name), "wb") as file:  # an object is put whole when it is closed
            for chunk in chunks:
                file.write(chunk)

    def _write_local(self, path: Path, chunks: Iterable[bytes]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a name of its own: two writers of one file (a retried task and the one it replaced) never share one
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{_TEMPORARY_SUFFIX}")
        try:
            with open(temporary, "wb") as file:
                for chunk in chunks:
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        fsync_directory(path.parent)

    def remove_temporaries(self, name: str) -> None:
        """Remove what a killed local write of ``name`` left behind (its temporary files); object stores leave none."""
        if not self.local:
            return
        path = Path(self.path(name))
        for leftover in path.parent.glob(f".{path.name}.*{_TEMPORARY_SUFFIX}"):
            leftover.unlink(missing_ok=True)

    def remove_folder(self, name: str) -> None:
        """Remove the folder ``name`` and everything in it (nothing if it is not there)."""
        with contextlib.suppress(FileNotFoundError):
            self.filesystem.rm(self.path(name), recursive=True)
