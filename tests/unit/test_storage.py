"""media.storage: generated keys, traversal-safe paths, atomic all-or-nothing saves, orphan cleanup."""

import errno
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from media.images import process_upload
from media.storage import KEY_PATTERN, ImageStore, InvalidImageKey, StorageError
from test_images_factories import corner_marked, encode

HOUR = 3600


@dataclass
class FakeRendition:
    target_width: int
    data: bytes


@dataclass
class FakeProcessed:
    renditions: tuple


def processed(*widths, size=50_000):
    return FakeProcessed(tuple(FakeRendition(width, bytes([width % 256]) * size) for width in widths))


def all_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.fixture
def store(tmp_path):
    return ImageStore(tmp_path / "uploads")


def test_save_writes_each_rendition_under_a_generated_fanned_out_name(store):
    key = store.save(processed(160, 480, 1200))

    assert KEY_PATTERN.fullmatch(key)
    for width in (160, 480, 1200):
        path = store.path_for(key, width)
        assert path == store.root / key[:2] / f"{key}-{width}.webp"
        assert path.read_bytes() == bytes([width % 256]) * 50_000
        assert store.exists(key, width)
    assert not store.exists(key, 320)
    assert store.widths(key) == [160, 480, 1200]
    assert [path.name for path in all_files(store.root)] == sorted(f"{key}-{w}.webp" for w in (160, 480, 1200))


def test_saved_files_are_readable_by_the_web_server(store):
    key = store.save(processed(160))

    mode = store.path_for(key, 160).stat().st_mode & 0o777
    assert mode == 0o644 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_every_save_gets_a_new_key(store):
    keys = {store.save(processed(160)) for _ in range(20)}

    assert len(keys) == 20


def test_a_real_processed_image_round_trips(store):
    result = process_upload(encode(corner_marked(), "PNG"))

    key = store.save(result)

    for rendition in result.renditions:
        assert store.path_for(key, rendition.target_width).read_bytes() == rendition.data


@pytest.mark.parametrize(
    "key",
    [
        "../../app.py",
        "a.php%00.jpg",
        "x.jpg.php",
        "a" * 300,
        "../" + "a" * 29,
        "ab/" + "c" * 29,
        "A" * 32,
        "g" * 32,
        "a" * 31,
        "a" * 33,
        "a" * 32 + "\n",
        "",
        None,
        b"a" * 32,
    ],
)
def test_keys_that_the_store_never_makes_are_refused(store, key):
    for use in (lambda: store.path_for(key, 160), lambda: store.exists(key, 160), lambda: store.delete(key)):
        with pytest.raises(InvalidImageKey):
            use()


@pytest.mark.parametrize("width", [0, -160, 10_000, True, "160", 160.0, None])
def test_widths_that_the_store_never_makes_are_refused(store, width):
    with pytest.raises(InvalidImageKey):
        store.path_for("a" * 32, width)


def test_paths_stay_inside_the_root(store):
    path = store.path_for("0123456789abcdef0123456789abcdef", 480)

    assert path.resolve().is_relative_to(store.root)


def test_delete_removes_only_that_keys_renditions(store):
    key = store.save(processed(160, 480))
    neighbour = key[:-1] + ("0" if key[-1] != "0" else "1")  # same fan-out directory
    neighbour_file = store.path_for(neighbour, 160)
    neighbour_file.write_bytes(b"other image")

    assert store.delete(key) == 2
    assert store.delete(key) == 0
    assert not store.exists(key, 160) and store.widths(key) == []
    assert neighbour_file.read_bytes() == b"other image"


def test_delete_and_cleanup_also_remove_jpeg_copies(store):
    key = store.save(processed(160, 480))
    jpeg_copy = store.path_for(key, 480).with_suffix(".jpg")
    jpeg_copy.write_bytes(b"jpeg made for a feed")
    assert store.widths(key) == [160, 480]
    assert store.delete(key) == 3
    assert not jpeg_copy.exists()

    orphan = store.save(processed(160))
    orphan_jpeg = store.path_for(orphan, 160).with_suffix(".jpg")
    orphan_jpeg.write_bytes(b"jpeg")
    removed = store.cleanup_orphans(set(), older_than_seconds=0, now=time.time() + 10)
    assert orphan_jpeg in removed and not orphan_jpeg.exists()


def test_disk_full_on_the_first_write_leaves_nothing(store, monkeypatch):
    def disk_full(descriptor, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", disk_full)

    with pytest.raises(StorageError) as failure:
        store.save(processed(160, 480, 1200))

    assert failure.value.errno == errno.ENOSPC
    assert all_files(store.root) == []


def test_disk_full_part_way_removes_renditions_already_written(store, monkeypatch):
    real_write = os.write
    budget = {"bytes": 50_000 + 20_000}  # first rendition fits, the second runs out mid-file

    def filling_disk(descriptor, data):
        if budget["bytes"] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        allowed = bytes(data[: budget["bytes"]])
        budget["bytes"] -= len(allowed)
        return real_write(descriptor, allowed)

    monkeypatch.setattr(os, "write", filling_disk)

    with pytest.raises(StorageError):
        store.save(processed(160, 480, 1200))

    assert all_files(store.root) == []


@pytest.mark.parametrize("failing_call", ["fsync", "replace"])
def test_fsync_or_rename_failure_leaves_nothing(store, monkeypatch, failing_call):
    real = getattr(os, failing_call)
    calls = {"count": 0}

    def fails_on_second_call(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, failing_call, fails_on_second_call)

    with pytest.raises(StorageError) as failure:
        store.save(processed(160, 480))

    assert failure.value.errno == errno.EIO
    assert all_files(store.root) == []


def test_short_writes_are_completed(store, monkeypatch):
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda descriptor, data: real_write(descriptor, bytes(data[:1000])))

    key = store.save(processed(160))

    assert store.path_for(key, 160).read_bytes() == bytes([160]) * 50_000


def test_a_write_that_makes_no_progress_is_a_failure(store, monkeypatch):
    monkeypatch.setattr(os, "write", lambda descriptor, data: 0)

    with pytest.raises(StorageError):
        store.save(processed(160))
    assert all_files(store.root) == []


def test_an_interrupt_mid_write_removes_the_temp_file(store, monkeypatch):
    def interrupted(descriptor, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "write", interrupted)

    with pytest.raises(KeyboardInterrupt):
        store.save(processed(160))
    assert all_files(store.root) == []


def test_cleanup_removes_old_orphans_and_temp_files_only(store):
    kept_key = store.save(processed(160, 480))
    orphan_key = store.save(processed(160, 480))
    fresh_orphan_key = store.save(processed(160))
    old_temp = store.root / orphan_key[:2] / f"{orphan_key}-1200.webp.0123456789ab.tmp"
    fresh_temp = store.root / kept_key[:2] / f"{kept_key}-1200.webp.ba9876543210.tmp"
    stranger = store.root / kept_key[:2] / "notes.txt"
    misplaced = store.root / "zz"
    for path in (old_temp, fresh_temp, stranger):
        path.write_bytes(b"x")
    misplaced.mkdir()
    (misplaced / f"{orphan_key}-160.webp").write_bytes(b"x")
    for path in all_files(store.root):
        if path != fresh_temp and fresh_orphan_key not in path.name:
            age(path, 2 * HOUR)

    removed = store.cleanup_orphans({kept_key}, older_than_seconds=HOUR)

    assert sorted(removed) == sorted(
        [store.path_for(orphan_key, 160), store.path_for(orphan_key, 480), old_temp]
    )
    assert store.widths(kept_key) == [160, 480]
    assert store.widths(fresh_orphan_key) == [160]
    assert fresh_temp.exists() and stranger.exists() and (misplaced / f"{orphan_key}-160.webp").exists()


def test_crash_between_temp_file_and_commit_is_cleaned_and_the_next_upload_works(store):
    # F1: the process died after writing, before the DB row existed.
    crashed_key = store.save(processed(160, 480))
    leftover = store.root / crashed_key[:2] / f"{crashed_key}-1200.webp.deadbeef0000.tmp"
    leftover.write_bytes(b"half an image")
    for path in all_files(store.root):
        age(path, 2 * HOUR)

    store.cleanup_orphans(referenced_keys=[], older_than_seconds=HOUR)
    next_key = store.save(processed(160))

    assert all_files(store.root) == [store.path_for(next_key, 160)]


def test_cleanup_of_an_empty_store_is_a_no_op(store):
    assert store.cleanup_orphans(set()) == []


def test_a_bulk_save_without_fsync_is_made_durable_before_its_rows_commit(store, monkeypatch):
    """An import writes many photos with sync=False, then fsyncs their files and folders at once."""
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real_fsync(fd)))
    keys = [store.save(processed(160, 480), sync=False) for _ in range(3)]
    assert synced == []  # nothing synced while writing
    store.make_durable(keys)
    files = {str(store.path_for(key, width)) for key in keys for width in (160, 480)}
    assert files <= set(synced)
    assert {str(store.path_for(key, 160).parent) for key in keys} <= set(synced) and str(store.root) in synced
    assert all(store.widths(key) == [160, 480] for key in keys)
