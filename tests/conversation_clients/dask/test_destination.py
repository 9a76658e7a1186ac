"""Where a distributed export writes (:mod:`conversation_clients.dask._destination`): fsspec URLs,
whole-file writes, and no credential in a repr."""

from __future__ import annotations

import importlib.util
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from conversation_clients.dask import Destination, DestinationError

SECRET = "wJalrXUtnFEMI-not-a-real-secret"


def test_the_repr_and_messages_show_no_option_value_password_or_query() -> None:
    destination = Destination(f"ftp://me:{SECRET}@files.example/out?sig={SECRET}", {"secret": SECRET, "key": "AKIA"})
    storage = Destination(f"memory://me:{SECRET}@/out").open()
    shown = [repr(destination), destination.shown, repr(storage), storage.shown_path("a.json")]
    assert all(SECRET not in text and "AKIA" not in text for text in shown)
    assert destination.shown == "ftp://***@files.example/out"
    assert "'secret': <hidden>" in repr(destination)


def test_a_destination_pickles_with_its_options(memory_url: str) -> None:
    destination = Destination(memory_url, {"skip_instance_cache": True})
    again = pickle.loads(pickle.dumps(destination))
    assert again == destination and again.storage_options == {"skip_instance_cache": True}


def test_a_file_is_replaced_whole_and_a_missing_one_reads_as_none(memory_url: str) -> None:
    storage = Destination(memory_url).open()
    assert storage.read("a/b.json") is None
    storage.write("a/b.json", b"first, and longer")
    storage.write("a/b.json", b"second")
    assert storage.read("a/b.json") == b"second"
    assert storage.exists("a") and storage.exists("a/b.json")
    storage.remove_folder("a")
    storage.remove_folder("a")  # gone already: nothing to do
    assert not storage.exists("a/b.json")


def _failing_after(chunks: list[bytes]) -> Iterator[bytes]:
    yield from chunks
    raise OSError(28, "No space left on device")


def test_a_local_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    storage = Destination(tmp_path.as_uri()).open()
    assert storage.local
    storage.write("data.jsonl", b"old\n")
    with pytest.raises(OSError, match="No space left"):
        storage.write_chunks("data.jsonl", _failing_after([b"new, half"]))
    assert (tmp_path / "data.jsonl").read_bytes() == b"old\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data.jsonl"]


def test_temporaries_a_killed_local_write_left_are_removed(tmp_path: Path) -> None:
    storage = Destination(str(tmp_path)).open()  # a plain path is a local folder too
    (tmp_path / ".c.json.0123456789ab.tmp").write_bytes(b"half")
    storage.write("c.json", b"{}")
    storage.remove_temporaries("c.json")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["c.json"]


@pytest.mark.parametrize(
    ("url", "says"),
    [("nosuch://bucket/out", "Protocol not known"), ("s3://bucket/out", "s3fs")],
    ids=["unknown-protocol", "backend-not-installed"],
)
def test_a_destination_that_cannot_be_opened_is_a_destination_error(url: str, says: str) -> None:
    if says == "s3fs" and importlib.util.find_spec("s3fs") is not None:  # pragma: no cover - s3:// opens there
        pytest.skip("s3fs is installed here")
    with pytest.raises(DestinationError, match=says):
        Destination(url).open()
