"""Pure job rules: the percentage shown and when a progress figure is written."""
from jobs.rules import ProgressGate, percent


def test_percent_is_whole_bounded_and_unknown_without_a_total():
    assert percent(0, 45000) == 0
    assert percent(22500, 45000) == 50
    assert percent(44999, 45000) == 99  # never 100 before the end
    assert percent(50, 40) == 100
    assert percent(5, None) is None and percent(5, 0) is None


def test_gate_writes_the_first_figure_then_at_most_once_per_interval():
    gate = ProgressGate(interval=0.5)
    assert gate.due(10.0, (1, 100))
    gate.written(10.0, (1, 100))
    assert not gate.due(10.2, (50, 100))  # too soon
    assert gate.due(10.5, (50, 100))
    gate.written(10.5, (50, 100))
    assert not gate.due(20.0, (50, 100))  # unchanged: nothing to write
    assert gate.due(20.0, (50, 200))  # the total became known


def test_gate_writes_the_last_figure_at_once():
    gate = ProgressGate(interval=0.5)
    gate.written(10.0, (99, 100))
    assert not gate.due(10.1, (99, 101))
    assert gate.due(10.1, (100, 100))
