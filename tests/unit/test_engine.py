"""The index store: versions and swap, writing with a lock, health, filters, pages."""
import os
import threading
import time
from datetime import date

import pytest

from search.engine import POINTER, IndexBusy, IndexStore, IndexUnavailable
from search.facets import Filters
from search.records import IndexDocument, SearchRequest
from tests.unit.search_index import build, ranking

TODAY = date(2026, 6, 1).toordinal()


def doc(doc_id, name, **fields):
    return IndexDocument(id=doc_id, name=name, **fields)


def test_build_writes_a_version_and_points_current_at_it(tmp_path):
    store = IndexStore(str(tmp_path))
    first = store.build([doc("1", "Mật ong rừng")])
    assert os.path.islink(tmp_path / POINTER) and store.current_path() == first
    second = store.build([doc("2", "Chè xanh")])
    assert store.current_path() == second and not os.path.exists(first)
    assert ranking(store, "che") == ["2"] and ranking(store, "mat ong") == []


def test_progress_is_reported_per_document(tmp_path):
    seen = []
    IndexStore(str(tmp_path)).build([doc(str(i), f"Sản phẩm {i}") for i in range(5)], progress=seen.append)
    assert seen == [1] * 5


def test_apply_upserts_deletes_and_drops_a_producer(tmp_path):
    store = IndexStore(str(tmp_path))
    store.build([doc("1", "Mật ong rừng", producer_id=7), doc("2", "Mật ong hoa nhãn", producer_id=7),
                 doc("3", "Mật ong bạc hà", producer_id=8)])
    assert sorted(ranking(store, "mat ong")) == ["1", "2", "3"]
    store.apply(upserts=[doc("3", "Mật ong bạc hà Mèo Vạc", producer_id=8), doc("4", "Mật ong cà phê")])
    assert sorted(ranking(store, "mat ong")) == ["1", "2", "3", "4"]
    assert ranking(store, "meo vac") == ["3"]
    store.apply(deletes=["4"], delete_producers=["7"])
    assert ranking(store, "mat ong") == ["3"]
    assert store.health().doc_count == 1


def test_updates_replace_rather_than_duplicate(tmp_path):
    store = IndexStore(str(tmp_path))
    store.build([doc("1", "Cá chạch")])
    for round_ in range(5):
        store.apply(upserts=[doc("1", f"Cá chạch sấy khô {round_}")])
    assert ranking(store, "ca chach") == ["1"]
    assert ranking(store, "say kho 4") == ["1"] and ranking(store, "say kho 3") == []


def test_missing_index(tmp_path):
    store = IndexStore(str(tmp_path / "nowhere"))
    with pytest.raises(IndexUnavailable) as error:
        store.search(SearchRequest("mật ong"))
    assert error.value.reason == "missing"
    assert store.health().ok is False and store.health().reason == "missing"


def test_truncated_segment_is_detected(tmp_path):
    store = build(str(tmp_path))
    assert store.health().ok and ranking(store, "mat ong")
    version = store.current_path()
    biggest = max((os.path.join(version, name) for name in os.listdir(version)), key=os.path.getsize)
    with open(biggest, "r+b") as fh:
        fh.truncate(os.path.getsize(biggest) // 3)
    fresh = IndexStore(str(tmp_path))  # another worker opening the damaged version
    assert not fresh.health().ok
    with pytest.raises(IndexUnavailable) as error:
        fresh.search(SearchRequest("mat ong"))
    assert error.value.reason == "damaged"


def hold_writer(store, seconds, started):
    writer = store.open().writer()
    started.set()
    time.sleep(seconds)
    writer.cancel()


def test_a_second_writer_waits_for_the_lock(tmp_path):
    store = IndexStore(str(tmp_path))
    store.build([doc("1", "Mật ong")])
    started = threading.Event()
    holder = threading.Thread(target=hold_writer, args=(store, 0.4, started))
    holder.start()
    started.wait()
    began = time.monotonic()
    store.apply(upserts=[doc("2", "Chè xanh")], timeout=2.0, retries=0)
    holder.join()
    assert time.monotonic() - began >= 0.3
    assert ranking(store, "che xanh") == ["2"]


def test_busy_lock_through_every_retry_raises_index_busy(tmp_path):
    store = IndexStore(str(tmp_path))
    store.build([doc("1", "Mật ong")])
    writer = store.open().writer()
    try:
        with pytest.raises(IndexBusy):
            store.apply(upserts=[doc("2", "Chè xanh")], timeout=0.05, retries=2, backoff=0.01)
    finally:
        writer.cancel()
    store.apply(upserts=[doc("2", "Chè xanh")], timeout=0.05, retries=0)
    assert ranking(store, "che xanh") == ["2"]


def test_stale_lock_file_does_not_block_and_is_left_alone(tmp_path):  # F6
    store = IndexStore(str(tmp_path))
    store.build([doc("1", "Mật ong")])
    lock = os.path.join(store.current_path(), "MAIN_WRITELOCK")
    with open(lock, "w") as fh:
        fh.write("left by a worker that was killed")
    store.apply(upserts=[doc("2", "Chè xanh")], timeout=0.1, retries=0)
    assert os.path.exists(lock) and ranking(store, "che xanh") == ["2"]


def shop(tmp_path):
    store = IndexStore(str(tmp_path))
    valid, expired = date(2025, 1, 1).toordinal() + 1200, date(2025, 1, 1).toordinal()
    store.build([
        doc("1", "Mật ong rừng", group="food", province=8, stars=4, valid_until=valid),
        doc("2", "Mật ong bạc hà", group="food", province=8, stars=5, valid_until=expired),
        doc("3", "Rượu mật ong", group="drinks", province=15, stars=3, valid_until=valid),
        doc("4", "Mật ong hoa nhãn", group="food", province=33),
    ])
    return store


def test_facets_count_valid_stars_only(tmp_path):
    result = shop(tmp_path).search(SearchRequest("mật ong", today=TODAY))
    assert result.total == 4
    assert dict(result.facets.group) == {"food": 3, "drinks": 1}
    assert dict(result.facets.province) == {8: 2, 15: 1, 33: 1}
    assert dict(result.facets.stars) == {4: 1, 3: 1}  # the 5-star certificate has expired


def test_filters_and_pages(tmp_path):
    store = shop(tmp_path)
    food = store.search(SearchRequest("mật ong", Filters(group="food"), today=TODAY))
    assert food.total == 3 and {h.id for h in food.hits} == {"1", "2", "4"}
    assert dict(food.facets.group) == {"food": 3, "drinks": 1}
    starred = store.search(SearchRequest("mật ong", Filters(stars=5), today=TODAY))
    assert starred.total == 0 and starred.hits == []
    pages = [store.search(SearchRequest("mật ong", page=p, per_page=3, today=TODAY)) for p in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [3, 1, 0]
    assert len({h.id for p in pages for h in p.hits}) == 4


def test_filters_without_text_browse_the_index(tmp_path):
    store = shop(tmp_path)
    result = store.search(SearchRequest("", Filters(province=8), today=TODAY))
    assert result.total == 2
    assert store.search(SearchRequest("")).total == 0


def test_each_thread_reads_its_own_snapshot(tmp_path):
    store = shop(tmp_path)
    found = {}

    def worker(name):
        found[name] = ranking(store, "mat ong rung")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(value == ["1"] for value in found.values())


def test_many_saves_merge_small_segments_without_losing_anything(tmp_path):
    from search.index_writing import SMALL_SEGMENT_BATCH

    store = IndexStore(str(tmp_path))
    store.build([doc(str(i), f"Mật ong rừng số {i}", producer_id=i % 3) for i in range(50)])
    for round_ in range(3 * SMALL_SEGMENT_BATCH):
        store.apply(upserts=[doc(str(round_ % 7), f"Chè xanh đợt {round_}", producer_id=1)])
        if round_ == SMALL_SEGMENT_BATCH + 3:
            store.apply(deletes=["20"])
    segments = store.open()._read_toc().segments
    assert len(segments) <= SMALL_SEGMENT_BATCH + 1
    assert store.health().doc_count == 49
    assert sorted(ranking(store, "che xanh"), key=int) == ["0", "1", "2", "3", "4", "5", "6"]
    assert ranking(store, f"dot {3 * SMALL_SEGMENT_BATCH - 1}") == [str((3 * SMALL_SEGMENT_BATCH - 1) % 7)]
    assert ranking(store, "so 20") == [] and ranking(store, "so 21") == ["21"]
    store.apply(delete_producers=["1"])
    assert ranking(store, "che xanh") == [] and ranking(store, "so 22") == []  # producer 1's products
    assert ranking(store, "so 21") == ["21"]
