"""Sets of documents as Python integers (bit n = document n). Pure.

AND, OR and popcount then run in C over the whole collection at once; these
helpers build such sets, read them back and keep the expensive ones.
"""
from collections import OrderedDict


def lowest_bits(bits: int, count: int) -> list:
    """The ``count`` lowest set bit positions (document numbers), ascending."""
    found = []
    while bits and len(found) < count:
        low = bits & -bits
        found.append(low.bit_length() - 1)
        bits ^= low
    return found


def bits_from_ids(ids, size: int = 0) -> int:
    """Bitset from document numbers (a bytearray is much faster than shifting)."""
    ids = list(ids)
    if not ids:
        return 0
    buffer = bytearray(max(size, max(ids) + 1) // 8 + 1)
    for docnum in ids:
        buffer[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(buffer, "little")


class BitsetCache:
    """LRU of bitsets within a byte budget, keyed by (segment, field, term).

    Segments never change once written, so their term bitsets stay valid from
    one snapshot to the next; deletions are applied per snapshot (``live``).
    """

    def __init__(self, budget: int):
        self.budget, self.used, self.items = budget, 0, OrderedDict()

    @staticmethod
    def _size(bits: int) -> int:
        return bits.bit_length() // 8 + 64

    def get(self, key):
        bits = self.items.get(key)
        if bits is not None:
            self.items.move_to_end(key)
        return bits

    def put(self, key, bits: int) -> None:
        self.items[key] = bits
        self.used += self._size(bits)
        while self.used > self.budget and len(self.items) > 1:
            _, old = self.items.popitem(last=False)
            self.used -= self._size(old)

    def keep_segments(self, keys) -> None:
        for key in [key for key in self.items if key[0] not in keys]:
            self.used -= self._size(self.items.pop(key))
