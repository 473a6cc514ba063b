"""At start-up, restore the day's figures from the record (cti.state.seed), a page per tick.

The console's earlier sessions of today with the same PBX journalled every event; this
applies them to the live store before the floor is shown, so a restart mid-shift keeps the
interval figures, the day's chart and each agent's calls today. Pages of 1,000 events on a
zero-delay timer (about 40 ms each) keep the window responsive; nothing else reads the store
until `finished` (main.py starts the floor and the alarms then; the PBX link is already
collecting events, which are applied after the day's history, in order).

The floor stays hidden while this runs (about 35,000 events a second here), so a day longer
than `MAX_ROWS` (about 11 s of it: a whole day of a 40-agent floor, the first 45 minutes of
a 2,000-agent one) is not restored: the figures then count from the start, and the
supervisor is told so (`skipped_rows`). A live floor now beats a complete one later.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import orjson
from PySide6.QtCore import QObject, QTimer, Signal

from console.settings import PbxSettings
from cti.state.intervals import IntervalClock
from cti.state.seed import DaySeed, PinnedClock
from db.errors import RecordError
from db.review import Review, open_review
from db.zone import wall_time
from widgets.segments import Segment

log = logging.getLogger(__name__)

PAGE = 1_000
MAX_ROWS = 400_000


class TodaySeed(QObject):
    """Signals:
    progress(int, int): rows read so far, rows to read (an estimate).
    finished(int): events applied (0 when there was nothing to restore or it failed).
    """

    progress = Signal(int, int)
    finished = Signal(int)

    def __init__(
        self,
        record_path: Path | None,
        opened_seq: int,
        pbx: str,
        store: Any,
        clock: PinnedClock,
        now: float | None = None,
        max_rows: int = MAX_ROWS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.record_path = record_path
        self.opened_seq = opened_seq
        self.pbx = pbx
        self.seed = DaySeed(store, clock)
        config = store.config
        self.midnight = IntervalClock(config.interval_minutes, config.tz).day_start(
            time.time() if now is None else now
        )
        self.review: Review | None = None
        self.ranges: list[tuple[int, int]] = []  # (after seq, before seq) still to read
        self.total = 0
        self.read = 0
        self.max_rows = max_rows
        self.skipped_rows = 0  # today's rows not restored because there were too many
        self.done = False
        self.timer = QTimer(self)
        self.timer.setObjectName("todaySeed")
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Plan the pages; with nothing to restore, `finished` is emitted before this returns."""
        try:
            self._plan()
        except RecordError as exc:
            log.warning("today's figures not restored from the record: %s", exc)
            self.ranges = []
        if self.total > self.max_rows:
            log.warning(
                "today's figures not restored: %d rows in the record would take too long",
                self.total,
            )
            self.skipped_rows, self.ranges = self.total, []
        if not self.ranges:
            self._finish()
            return
        log.info("restoring today's figures from the record: about %d rows", self.total)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._close()

    def _plan(self) -> None:
        if self.record_path is None or not self.record_path.exists():
            return
        self.review = open_review(self.record_path)
        first_today = self.review.journal_seq_at(self.midnight)
        if first_today is None:
            return
        sessions = [s for s in self.review.sessions() if s[0] < self.opened_seq]
        # A session whose PBX settings changed went on with another floor from there.
        switches = [
            c.seq
            for c in self.review.setting_changes()
            if c.setting in PbxSettings.IDENTITY_SETTINGS
        ]
        for i, (seq, _ts, details) in enumerate(sessions):
            before = sessions[i + 1][0] if i + 1 < len(sessions) else self.opened_seq
            before = min([before, *(c for c in switches if seq < c < before)])
            if details.get("pbx") != self.pbx or before <= first_today:
                continue  # another PBX's floor (the lab, another site), or an earlier day
            after = max(seq, first_today - 1)
            self.ranges.append((after, before))
            self.total += before - after

    def _tick(self) -> None:
        if not self.ranges or self.review is None:
            self._finish()
            return
        after, before = self.ranges[0]
        try:
            page = self.review.journal_page(after, before, self.midnight, PAGE)
        except RecordError as exc:
            log.warning("restoring today's figures stopped: %s", exc)
            self._finish()
            return
        for _seq, ts, name, fields in page:
            try:
                data = orjson.loads(fields)
            except orjson.JSONDecodeError:
                self.seed.skipped += 1
                continue
            if isinstance(data, dict):
                self.seed.apply(ts, name, data)
        if len(page) < PAGE:
            self.ranges.pop(0)
            self.read += before - after
        else:
            self.ranges[0] = (page[-1][0], before)
            self.read += page[-1][0] - after
        self.progress.emit(min(self.read, self.total), self.total)
        if not self.ranges:
            self._finish()

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        self.timer.stop()
        self._close()
        self.seed.finish()
        if self.seed.applied:
            log.info(
                "today's figures restored from the record: %d events (%d skipped)",
                self.seed.applied,
                self.seed.skipped,
            )
        self.finished.emit(self.seed.applied)

    def earlier_segments(self, interface: str) -> list[Segment]:
        """The agent's states over the part of today restored from the record (the agent
        panel's day bar, before this session's own); [] when nothing was restored."""
        first, last = self.seed.first_ts, self.seed.last_ts
        if self.record_path is None or first is None or last is None:
            return []
        try:
            with open_review(self.record_path) as review:
                day = wall_time(last, review.zone).date()
                found = review.agent_timeline(interface, day)
        except RecordError as exc:
            log.warning("agent %s: today's earlier states unreadable: %s", interface, exc)
            return []
        return [
            Segment(max(s.start, first), min(s.end, last), s.state.lower(), s.reason or "")
            for s in found
            if s.start < last and s.end > first
        ]

    def _close(self) -> None:
        if self.review is not None:
            self.review.close()
            self.review = None
