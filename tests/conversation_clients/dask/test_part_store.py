"""A distributed export's folder (:mod:`conversation_clients.dask._part_store`): parts, checkpoints,
leases and the manifest, on fsspec's in-memory file system."""

from __future__ import annotations

import pytest

from conversation_clients.dask import Destination, ExportMismatch, LayoutError
from conversation_clients.dask._destination import Storage
from conversation_clients.dask._part_store import (
    MANIFEST_NAME,
    LeaseLost,
    TargetStore,
    check_target_name,
    prepare_folder,
)

FILE = "bird-w1.jsonl"


def page(number: int) -> bytes:
    return "".join(f'{{"page":{number},"n":{n}}}\n' for n in range(3)).encode()


@pytest.fixture
def storage(memory_url: str) -> Storage:
    return Destination(memory_url).open()


def names_under(storage: Storage, folder: str) -> list[str]:
    if not storage.exists(folder):
        return []
    return sorted(path.rsplit("/", 1)[1] for path in storage.filesystem.find(storage.path(folder)))


def test_pages_become_parts_then_one_file_and_the_parts_go(storage: Storage) -> None:
    store = TargetStore(storage, FILE)
    store.take_over("a1")
    store.commit_page("a1", page(0), next_token="t1", items=3)
    checkpoint = store.commit_page("a1", page(1), next_token=None, items=3)
    assert (checkpoint.state, checkpoint.parts, checkpoint.items) == ("listed", 2, 6)
    assert storage.read(FILE) is None  # not before it is put together
    assert names_under(storage, FILE + ".parts") == ["00000000-a1.jsonl", "00000001-a1.jsonl"]
    finished = store.finish("a1")
    assert finished.state == "finished" and store.load() == finished
    assert storage.read(FILE) == page(0) + page(1)
    assert names_under(storage, FILE + ".parts") == []


def test_a_part_the_checkpoint_does_not_name_is_never_read(storage: Storage) -> None:
    store = TargetStore(storage, FILE)
    store.take_over("a1")
    store.commit_page("a1", page(0), next_token="t1", items=3)
    # a1 wrote its second part and died before its checkpoint
    storage.write(f"{FILE}.parts/00000001-a1.jsonl", page(99))
    checkpoint = store.take_over("a2")
    assert (checkpoint.token, checkpoint.parts) == ("t1", 1)  # it goes on from the page after the named part
    store.commit_page("a2", page(1), next_token=None, items=3)
    store.finish("a2")
    assert storage.read(FILE) == page(0) + page(1)


def test_an_attempt_whose_target_was_taken_over_writes_nothing_more(storage: Storage) -> None:
    zombie, retry = TargetStore(storage, FILE), TargetStore(storage, FILE)
    zombie.take_over("old")
    zombie.commit_page("old", page(0), next_token="t1", items=3)
    retry.take_over("new")  # the scheduler presumed "old" dead and ran the task again
    with pytest.raises(LeaseLost):
        zombie.commit_page("old", page(1), next_token="t2", items=3)
    assert names_under(storage, FILE + ".parts") == ["00000000-old.jsonl"]
    retry.commit_page("new", page(1), next_token=None, items=3)
    with pytest.raises(LeaseLost):
        zombie.finish("old")
    checkpoint = retry.finish("new")
    assert checkpoint.runs == ((0, "old"), (1, "new")) and checkpoint.attempts == 2
    assert storage.read(FILE) == page(0) + page(1)


def test_a_finished_target_is_not_taken_over(storage: Storage) -> None:
    store = TargetStore(storage, FILE)
    store.take_over("a1")
    store.commit_page("a1", page(0), next_token=None, items=3)
    finished = store.finish("a1")
    assert store.take_over("a2") == finished


def test_a_checkpoint_that_cannot_be_read_or_names_a_missing_part_is_a_layout_error(storage: Storage) -> None:
    store = TargetStore(storage, FILE)
    storage.write(FILE + ".checkpoint.json", b"{not json")
    with pytest.raises(LayoutError, match=rf"{FILE}\.checkpoint\.json: not JSON"):
        store.load()
    store.storage.write(FILE + ".checkpoint.json", b'{"format": 1, "file": "bird-w2.jsonl", "parts": 0, "items": 0}')
    with pytest.raises(LayoutError, match="is 'bird-w2.jsonl''s checkpoint"):
        store.load()
    storage.remove_folder(FILE + ".checkpoint.json")
    store.take_over("a1")
    store.commit_page("a1", page(0), next_token=None, items=3)
    storage.remove_folder(FILE + ".parts")
    with pytest.raises(LayoutError, match="00000000-a1.jsonl is missing, but the checkpoint names it"):
        store.finish("a1")


@pytest.mark.parametrize(
    "document",
    [
        b'{"format": 2, "file": "f"}',
        b'{"format": 1, "file": "f", "parts": 1, "items": 0, "runs": [[1, "a"]]}',
        b'{"format": 1, "file": "f", "parts": 1, "items": 0, "runs": [["0", "a"]]}',
        b'{"format": 1, "file": "f", "parts": 0, "items": 0, "state": "done"}',
        b'{"format": 1, "file": "f", "parts": 0, "items": 0, "token": 5}',
    ],
    ids=["format", "runs-do-not-start-at-0", "run-index-not-a-number", "state", "token"],
)
def test_a_malformed_checkpoint_is_refused(storage: Storage, document: bytes) -> None:
    storage.write("f.checkpoint.json", document)
    with pytest.raises(LayoutError):
        TargetStore(storage, "f").load()


@pytest.mark.parametrize("name", ["../escape.jsonl", "a/b.jsonl", ".hidden", "", "x" * 201, "w\n1"])
def test_a_target_name_that_is_no_plain_file_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="cannot name a target's file"):
        check_target_name(name)


def test_the_manifest_is_written_once_and_a_different_export_is_refused(storage: Storage) -> None:
    prepare_folder(storage, {"vendor": "bird", "limit": "7"}, [FILE])
    written = storage.read(MANIFEST_NAME)
    prepare_folder(storage, {"vendor": "bird", "limit": "7"}, [FILE])  # the same export: nothing changes
    assert storage.read(MANIFEST_NAME) == written
    with pytest.raises(ExportMismatch, match=r"written by a different export \(limit: '7' then, '9' now\)"):
        prepare_folder(storage, {"vendor": "bird", "limit": "9"}, [FILE])
    prepare_folder(
        storage, {"vendor": "bird", "limit": "7"}, [FILE, "bird-w2.jsonl"]
    )  # one more target: the same export
    assert storage.read(MANIFEST_NAME) == written


def test_a_folder_holding_a_targets_file_but_no_manifest_is_refused(storage: Storage) -> None:
    storage.write(FILE, b"someone's data\n")
    with pytest.raises(ExportMismatch, match=f"holds {FILE} but no {MANIFEST_NAME}"):
        prepare_folder(storage, {}, [FILE])
    assert storage.read(FILE) == b"someone's data\n" and storage.read(MANIFEST_NAME) is None
