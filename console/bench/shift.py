"""rss_mb_after_shift: resident memory of the console after an accelerated 8-hour shift of
the 2,000-agent preset (BENCH.md): the lab's simulation feeds the real store, floor controller,
tile wall and record (journal on its writer thread); the wall is repainted as the shift goes.
`--quick` runs one hour."""

from __future__ import annotations

import gc
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:  # not Linux: peak RSS is the best we have
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_shift(quick: bool) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from console.bench.sim_feed import SimFeed
    from console.floor_controller import FloorController
    from console.floor_view import FloorView
    from console.record_link import RecordLink
    from cti.state.config import FloorConfig
    from cti.state.store import FloorStore

    app = QApplication.instance() or QApplication([])
    hours = 1.0 if quick else 8.0
    with tempfile.TemporaryDirectory() as tmp:
        record = RecordLink.open(Path(tmp) / "shift.sqlite3")
        feed = SimFeed("power-2000", seed=1)
        clock = [feed.clock()]
        store = FloorStore(FloorConfig(wrapup_s=20), lambda: clock[0])
        view = FloorView(lambda: clock[0])
        view.resize(1920, 1080)
        view.show()

        def apply(ev: object) -> None:
            store.apply(ev)
            record.journal(ev)

        ctl = FloorController(store, view, apply, now=lambda: clock[0])
        for ev in feed.advance(60):
            apply(ev)
        clock[0] = feed.clock()
        store.resync_items(feed.snapshot_items())
        ctl.rebuild()
        start_rss = rss_mb()
        t0 = time.monotonic()
        events = 0
        end = feed.clock() + hours * 3600
        while feed.clock() < end:
            for ev in feed.advance(10.0):
                ctl.inbox.put((time.monotonic(), ev))
                events += 1
            clock[0] = feed.clock()
            ctl.flush()
            if record.record is not None and int(feed.clock()) % 60 < 10:
                # The shift runs ~100x faster than a PBX sends; a real console's writer is
                # never behind by more than a batch, so let it catch up every simulated minute
                # (an unbounded backlog would measure the speed-up, not the console).
                record.record.flush()
            if events % 50 < 10:
                view.wall.viewport().repaint()
            app.processEvents()
        record.close()
        view.close()
        gc.collect()
        return {
            "rss_mb_after_shift": rss_mb(),
            "rss_mb_after_start": start_rss,
            "shift_events": float(events),
            "shift_wall_s": time.monotonic() - t0,
        }


if __name__ == "__main__":
    print(bench_shift(True))
