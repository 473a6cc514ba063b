"""The ingest benchmark still runs (speed is measured by `main.py bench`, never asserted)."""

from __future__ import annotations

import pytest

from cti.ami.bench_codec import bench_ingest
from cti.ami.events import AmiEvent, GenericEvent


@pytest.mark.timeout(60)
def test_bench_ingest_quick_runs_and_feeds_the_sink() -> None:
    seen: list[AmiEvent] = []
    figures = bench_ingest(quick=True, sink=seen.append)
    assert set(figures) == {
        "ingest_msgs_per_s",
        "panoramisk_parse_msgs_per_s",
        "ingest_ratio_vs_panoramisk",
    }
    assert all(v > 0 for v in figures.values())
    assert seen and not any(isinstance(e, GenericEvent) for e in seen)
