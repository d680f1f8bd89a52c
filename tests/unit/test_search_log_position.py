"""Where an index stands in the change log: search.changes.advance, without Flask."""
from search.changes import MAX_GAPS, LogPosition, advance


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
