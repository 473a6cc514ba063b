"""The record benchmarks still run (tiny sizes; figures are not judged here)."""

from __future__ import annotations

import pytest

from db.bench_record import measure

KEYS = {
    "journal_rows_per_s",
    "intent_commit_p99_ms",
    "review_query_ms",
    "replay_jump_ms",
    "review_open_ms",
}


@pytest.mark.timeout(90)
def test_measure_returns_every_figure() -> None:
    figures = measure(
        2_000,
        10,
        3_000,
        agents=12,
        calls_per_day=400,
        review_days=2,
        replay_minutes=3,
    )
    assert set(figures) >= KEYS
    assert all(value > 0 for key, value in figures.items() if key in KEYS)
    assert figures["record_rows"] >= 3_000
