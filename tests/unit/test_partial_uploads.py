"""Pieces of an upload kept across a dropped connection (media.partial), without Flask."""
import pytest

from media.partial import PartialStore, PartialUploadError


def test_pieces_resume_where_the_stored_bytes_end(tmp_path):
    store = PartialStore(tmp_path, max_size=1000)
    data = bytes(range(256)) * 3
    upload = store.start(7, "giay-chung-nhan.jpg", "image/jpeg", len(data))
    store.append(7, upload.id, 0, data[:300])
    # The connection dropped after the server stored the piece; the phone sends it again.
    with pytest.raises(PartialUploadError) as refused:
        store.append(7, upload.id, 0, data[:300])
    assert refused.value.code == "bad_offset" and refused.value.offset == 300
    assert store.get(7, upload.id).offset == 300
    store.append(7, upload.id, 300, data[300:])
    finished = store.finished(7, upload.id)
    assert finished.complete and finished.path.read_bytes() == data
    assert (finished.name, finished.content_type) == ("giay-chung-nhan.jpg", "image/jpeg")


def test_only_the_owner_can_add_or_use_a_part(tmp_path):
    store = PartialStore(tmp_path, max_size=1000)
    upload = store.start(7, "a.jpg", "image/jpeg", 10)
    for call in (lambda: store.get(8, upload.id), lambda: store.append(8, upload.id, 0, b"x"),
                 lambda: store.finished(8, upload.id), lambda: store.get(7, "../../etc/passwd")):
        with pytest.raises(PartialUploadError) as refused:
            call()
        assert refused.value.code == "unknown"


def test_sizes_are_bounded_and_unfinished_parts_cannot_be_used(tmp_path):
    store = PartialStore(tmp_path, max_size=100)
    for size in (0, -1, 101):
        with pytest.raises(PartialUploadError):
            store.start(1, "a.jpg", "image/jpeg", size)
    upload = store.start(1, "a.jpg", "image/jpeg", 10)
    with pytest.raises(PartialUploadError) as refused:
        store.append(1, upload.id, 0, b"x" * 11)
    assert refused.value.code == "too_large"
    store.append(1, upload.id, 0, b"x" * 4)
    with pytest.raises(PartialUploadError) as refused:
        store.finished(1, upload.id)
    assert refused.value.code == "incomplete"


def test_stale_parts_are_removed(tmp_path):
    store = PartialStore(tmp_path, max_size=100)
    upload = store.start(1, "a.jpg", "image/jpeg", 10)
    assert store.remove_stale(older_than=3600) == 0
    assert store.remove_stale(older_than=0, now=upload.path.stat().st_mtime + 10) == 2
    with pytest.raises(PartialUploadError):
        store.get(1, upload.id)
