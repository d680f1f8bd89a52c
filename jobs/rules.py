"""Pure rules of background jobs (no Flask, no database)."""
from __future__ import annotations

from dataclasses import dataclass


def percent(done: int, total: int | None) -> int | None:
    """Whole percent done, never above 100; None when the total is not known yet."""
    if not total or total <= 0:
        return None
    return max(0, min(100, (max(0, done) * 100) // total))


@dataclass
class ProgressGate:
    """Decides when a progress figure is worth writing: when it changed, at most once per
    `interval` seconds, except the last one (done == total), written at once so the page
    never waits at 99 %. `now` comes from the caller's clock (monotonic seconds)."""

    interval: float
    last_written_at: float | None = None
    last_written: tuple[int, int | None] | None = None

    def due(self, now: float, figure: tuple[int, int | None]) -> bool:
        if figure == self.last_written:
            return False
        if figure[1] is not None and figure[0] >= figure[1]:
            return True
        return self.last_written_at is None or now - self.last_written_at >= self.interval

    def written(self, now: float, figure: tuple[int, int | None]) -> None:
        self.last_written_at, self.last_written = now, figure
