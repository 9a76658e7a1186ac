"""Durable writes to local files: what makes a rename survive a crash (:func:`fsync_directory`).

A file replaced by writing a temporary one, fsyncing it and renaming it over the old one
(``os.replace``) is whole on disk, but the rename itself is only durable once the directory that
holds it is fsynced too. The one-machine export's checkpoint
(:mod:`conversation_clients.cli.checkpoint`) and the files a distributed export writes to a local
folder (:mod:`conversation_clients.dask._destination`) are replaced so.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["fsync_directory"]


def fsync_directory(directory: Path) -> None:
    """Make the renames into ``directory`` durable: fsync the directory, where the system allows it.

    Best effort: some systems cannot open a directory (or fsync one); nothing is raised then.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     fsync_directory(Path(folder))
    >>> fsync_directory(Path("/no/such/directory"))
    """
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
