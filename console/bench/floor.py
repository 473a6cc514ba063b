"""Floor benchmarks (BENCH.md): event_to_pixel_p50/p99_ms, gui_thread_cpu_percent,
tile_wall_repaint_ms — 2,000 agents, 200 queues, 2,000 events/s, a 1920×1080 window.

Events come from the lab's simulation of the 2,000-agent preset, generated ahead of time and
then posted by a feeder thread at the target rate into the floor controller's inbox — the
same entry point the AMI client's I/O thread uses. As in the console, each event is applied
to the store and journalled into a record on the GUI thread, the record's writer threads
hashing and committing beside it. Latency is measured from that post to the
moment the delegate paints the tile of the agent the event concerns (only events of agents
whose tiles are on screen can be painted, so only those are counted).
"""

from __future__ import annotations

import bisect
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[k]


def build_floor(scenario: str = "power-2000", warm_s: float = 600.0) -> Any:
    from PySide6.QtWidgets import QApplication

    from console.bench.sim_feed import SimFeed
    from console.floor_controller import FloorController
    from console.floor_view import FloorView
    from cti.state.config import FloorConfig
    from cti.state.store import FloorStore

    app = QApplication.instance() or QApplication([])
    feed = SimFeed(scenario, seed=1)
    clock = [feed.clock()]
    store = FloorStore(FloorConfig(wrapup_s=20), lambda: clock[0])
    # In one-second steps, so the store's clock follows the events (wrap-ups end on time
    # rather than all at once on the first flush).
    for _ in range(int(warm_s)):
        for ev in feed.advance(1.0):
            store.apply(ev)
        clock[0] = feed.clock()
    clock[0] = feed.clock()
    store.resync_items(feed.snapshot_items())
    view = FloorView(lambda: clock[0])
    view.resize(1920, 1080)
    ctl = FloorController(store, view, store.apply, now=lambda: clock[0])
    ctl.rebuild()
    view.show()
    for _ in range(5):
        app.processEvents()
    return app, feed, clock, store, view, ctl


def bench_floor(quick: bool) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QTimer

    from console.record_link import RecordLink
    from widgets.agent_tiles import ROW_ROLE

    app, feed, clock, store, view, ctl = build_floor()
    folder = tempfile.TemporaryDirectory(prefix="hotline-bench-floor-")
    record = RecordLink.open(Path(folder.name) / "floor.sqlite3")
    if not record.ok:
        raise RuntimeError(f"the benchmark's record did not open: {record.error}")
    rate = 2000.0
    seconds = 5.0 if quick else 20.0
    # Pre-generate enough events (with their simulated times) for the run.
    events: list[tuple[float, Any]] = []
    while len(events) < rate * seconds:
        for ev in feed.advance(2.0):
            events.append((feed.clock(), ev))
    events = events[: int(rate * seconds)]
    import gc

    gc.freeze()  # as the console does once its floor is live (see main.build_console)

    painted: dict[str, list[float]] = {}
    delegate = view.tile_delegate
    original_paint = delegate.paint

    def paint(painter: Any, option: Any, index: Any) -> None:
        original_paint(painter, option, index)
        row = index.data(ROW_ROLE)
        if row is not None:
            painted.setdefault(row.key, []).append(time.monotonic())

    delegate.paint = paint  # type: ignore[method-assign]

    def apply(item: Any) -> None:
        sim_t, ev = item
        clock[0] = max(clock[0], sim_t)
        store.apply(ev)
        record.journal(ev)  # what console.pbx_link.Intake does after the store

    ctl._apply_event = apply
    posted: list[tuple[float, str]] = []

    warmup_s = 1.0  # the first second (caches filling, first layout) is not measured

    def feeder() -> None:
        t0 = time.monotonic()
        for i, item in enumerate(events):
            due = t0 + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            now = time.monotonic()
            ctl.inbox.put((now, item))
            iface = getattr(item[1], "interface", None)
            if iface and now - t0 >= warmup_s:
                posted.append((now, iface))

    ctl.start()
    thread = threading.Thread(target=feeder, name="bench-feeder")
    cpu0 = time.thread_time()
    wall0 = time.monotonic()
    thread.start()
    loop = QEventLoop()
    stopper = QTimer()
    stopper.setInterval(50)
    stopper.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    stopper.start()
    loop.exec()
    # let the last flush paint
    end = time.monotonic() + 0.4
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    cpu = time.thread_time() - cpu0
    wall = time.monotonic() - wall0
    # CPU over the whole run including the warm-up second: a conservative figure.
    stopper.stop()
    thread.join()
    ctl.stop()
    record.close()
    folder.cleanup()

    visible: set[str] = set()
    vp = view.wall.viewport().rect()
    for r in range(view.proxy.rowCount()):
        idx = view.proxy.index(r, 0)
        if view.wall.visualRect(idx).intersects(vp):
            visible.add(idx.data(ROW_ROLE).key)
    latencies = []
    for t, key in posted:
        if key not in visible:
            continue
        times = painted.get(key, [])
        i = bisect.bisect_left(times, t)
        if i < len(times):
            latencies.append((times[i] - t) * 1000.0)

    # Full repaint of the visible wall (cache warm, clock advanced so the times change).
    delegate.paint = original_paint  # type: ignore[method-assign]
    samples = []
    for _ in range(20 if quick else 60):
        clock[0] += 1.0
        t0 = time.perf_counter()
        view.wall.viewport().repaint()
        samples.append((time.perf_counter() - t0) * 1000.0)
    view.close()
    return {
        "event_to_pixel_p50_ms": _percentile(latencies, 0.5),
        "event_to_pixel_p99_ms": _percentile(latencies, 0.99),
        "gui_thread_cpu_percent": 100.0 * cpu / wall,
        "tile_wall_repaint_ms": statistics.median(samples),
        "event_to_pixel_samples": float(len(latencies)),
    }


if __name__ == "__main__":
    print(bench_floor(True))
