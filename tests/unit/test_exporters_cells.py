"""Formula-injection guard and its exact inverse."""
import random

import pytest

from catalog.exporters import neutralise_cell, restore_cell
from catalog.exporters.cells import FORMULA_TRIGGERS


@pytest.mark.parametrize(
    "text, guarded",
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+84912345678", "'+84912345678"),
        ("-50% mật ong", "'-50% mật ong"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\0x", "'\0x"),
        ("'=A1", "''=A1"),  # a typed apostrophe survives the round trip
        ("''+1", "'''+1"),
        ("Mật ong = ngon", "Mật ong = ngon"),
        ("'trích dẫn'", "'trích dẫn'"),
        ("''", "''"),
        ("", ""),
    ],
)
def test_neutralise_and_restore(text, guarded):
    assert neutralise_cell(text) == guarded
    assert restore_cell(guarded) == text


def test_restore_only_removes_a_guard():
    assert restore_cell("'bình thường") == "'bình thường"
    assert restore_cell("=A1") == "=A1"


def test_round_trip_on_random_texts():
    rng = random.Random(7)
    alphabet = FORMULA_TRIGGERS + "'a ư1"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        guarded = neutralise_cell(text)
        assert restore_cell(guarded) == text
        assert not guarded or guarded[0] not in FORMULA_TRIGGERS
