"""Where an index stands in the change log (search.changes.advance) and how the index
records it (search.engine), without Flask."""
import threading
import time

from search.changes import MAX_GAPS, LogPosition, advance
from search.engine import IndexStore
from search.records import IndexDocument


def test_applying_in_order_moves_the_position_without_gaps():
    assert advance(LogPosition(3), [4, 5, 6], now=100.0) == LogPosition(6, {})


def test_a_number_not_visible_yet_is_remembered_and_applied_when_it_commits():
    # PostgreSQL: the transaction holding 5 commits after the one holding 6.
    after_six = advance(LogPosition(4), [6], now=100.0)
    assert after_six == LogPosition(6, {5: 100.0})
    after_five = advance(after_six, [5], now=101.0)
    assert after_five == LogPosition(6, {})


def test_a_gap_that_never_fills_expires_after_the_grace_period():
    position = advance(LogPosition(1), [3], now=100.0, grace=60)
    assert position.gaps == {2: 100.0}
    assert advance(position, [], now=159.0, grace=60).gaps == {2: 100.0}
    assert advance(position, [], now=160.0, grace=60).gaps == {}  # rolled back: it never will


def test_old_gaps_keep_their_first_seen_time():
    position = advance(LogPosition(1), [3], now=100.0)
    position = advance(position, [5], now=200.0)
    assert position == LogPosition(5, {2: 100.0, 4: 200.0})


def test_gaps_are_capped():
    position = advance(LogPosition(0), [3 * MAX_GAPS], now=1.0)
    assert len(position.gaps) <= MAX_GAPS and position.seq == 3 * MAX_GAPS
    assert max(position.gaps) == 3 * MAX_GAPS - 1


def test_position_round_trips_through_json():
    position = LogPosition(42, {40: 1700000000.5, 7: 1.0})
    assert LogPosition.from_json(position.to_json()) == position


def test_a_build_swaps_in_only_between_catch_ups(tmp_path):
    """A catch-up reads the position, applies and records it in one version: a build
    that finishes meanwhile waits for the change lock before it swaps."""
    store = IndexStore(str(tmp_path))
    first = store.build([IndexDocument(id="1", name="Mật ong rừng")], position=LogPosition(5).to_json())
    built = {}
    with store.change_lock() as locked:
        assert locked
        builder = threading.Thread(target=lambda: built.update(path=store.build(
            [IndexDocument(id="2", name="Chè xanh")], position=LogPosition(9).to_json())))
        builder.start()
        time.sleep(0.5)
        assert store.current_path() == first and LogPosition.from_json(store.read_position()).seq == 5
    builder.join(timeout=30)
    assert store.current_path() == built["path"] != first
    assert LogPosition.from_json(store.read_position()).seq == 9


def test_digests_are_read_back_for_every_live_document(tmp_path):
    store = IndexStore(str(tmp_path))
    documents = [IndexDocument(id="1", name="Mật ong rừng"), IndexDocument(id="2", name="Chè xanh")]
    store.build(documents)
    store.apply(upserts=[IndexDocument(id="2", name="Chè xanh Tân Cương")], deletes=["1"])
    assert store.digests() == {"2": IndexDocument(id="2", name="Chè xanh Tân Cương").digest()}
