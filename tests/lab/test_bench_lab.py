"""The lab benchmark still runs (figures are reported by `main.py bench`, never asserted)."""

from __future__ import annotations

import pytest

from cti.lab.bench_lab import bench_lab


@pytest.mark.timeout(60)
def test_bench_lab_quick_reports_both_figures() -> None:
    figures = bench_lab(quick=True)
    assert set(figures) == {"lab_events_per_s_speed1", "lab_events_per_s_speed60"}
    assert all(v > 0 for v in figures.values())
