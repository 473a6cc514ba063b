"""The store benchmark still runs (figures are not asserted: benchmarks are not tests)."""

from __future__ import annotations

import pytest

from cti.state.bench_store import bench_store


@pytest.mark.timeout(60)
def test_bench_store_quick_runs() -> None:
    result = bench_store(quick=True)
    assert set(result) == {"store_events_per_s", "store_bytes_per_agent"}
    assert all(v > 0 for v in result.values())
