"""Wall-clock aligned reporting intervals and days.

Rules:
- Intervals are aligned to the local wall clock from midnight (08:00-08:30, 08:30-09:00, ...),
  not to the moment the console started. The length must divide a day (15, 30 and 60 minutes
  are the ones offered in the UI; 30 is the default).
- "Local" is the time zone given to `IntervalClock` (the workstation's zone when None). Tests
  pass an explicit zone so they do not depend on the machine.
- Boundaries are half-open: a timestamp exactly on 08:30:00 belongs to 08:30-09:00.
- A day starts at local midnight. Per-agent "today" figures and the interval table reset there.

The clock caches the current day; on a day without a UTC-offset change (every day but the two
DST switch days) an interval start is arithmetic from local midnight, so the hot path (a few
lookups per event, often for older segments) never builds a datetime.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

SECONDS_PER_DAY = 86_400
ALLOWED_HINT = "15, 30 or 60"


class IntervalLengthError(ValueError):
    """The configured interval length does not divide a day into whole intervals."""


class IntervalClock:
    """Maps timestamps (epoch seconds) to wall-clock aligned intervals and days."""

    __slots__ = ("_day_end", "_day_start", "_end", "_start", "length_s", "minutes", "tz")

    def __init__(self, minutes: int = 30, tz: tzinfo | None = None) -> None:
        if minutes <= 0 or (24 * 60) % minutes != 0:
            raise IntervalLengthError(
                f"interval length {minutes} min does not divide a day; use {ALLOWED_HINT}"
            )
        self.minutes = minutes
        self.length_s = float(minutes * 60)
        self.tz = tz
        self._start = 0.0
        self._end = -1.0
        self._day_start = 0.0
        self._day_end = -1.0

    def _local(self, ts: float) -> datetime:
        if self.tz is None:
            return datetime.fromtimestamp(ts).astimezone()
        return datetime.fromtimestamp(ts, self.tz)

    def interval_start(self, ts: float) -> float:
        """Start (epoch seconds) of the interval containing `ts`."""
        if self._start <= ts < self._end:
            return self._start
        if not self._day_start <= ts < self._day_end:
            self.day_start(ts)
        day0 = self._day_start
        if self._day_end - day0 == SECONDS_PER_DAY:
            # No UTC-offset change today: intervals are plain arithmetic from midnight.
            start = day0 + ((ts - day0) // self.length_s) * self.length_s
            self._start = start
            self._end = start + self.length_s
            return start
        local = self._local(ts)
        minute_of_day = local.hour * 60 + local.minute
        floored = minute_of_day - minute_of_day % self.minutes
        start_dt = local.replace(hour=floored // 60, minute=floored % 60, second=0, microsecond=0)
        start = start_dt.timestamp()
        self._start = start
        self._end = start + self.length_s
        return start

    def interval_bounds(self, ts: float) -> tuple[float, float]:
        start = self.interval_start(ts)
        return start, start + self.length_s

    def day_start(self, ts: float) -> float:
        """Local midnight (epoch seconds) of the day containing `ts`."""
        if self._day_start <= ts < self._day_end:
            return self._day_start
        day = self._local(ts).date()
        # Both midnights are computed in local time so a DST day (23 h or 25 h) ends right.
        self._day_start = self._midnight(day)
        self._day_end = self._midnight(day + timedelta(days=1))
        return self._day_start

    def _midnight(self, day: date) -> float:
        if self.tz is None:
            return datetime(day.year, day.month, day.day).timestamp()  # naive = local
        return datetime(day.year, day.month, day.day, tzinfo=self.tz).timestamp()

    def day_end(self, ts: float) -> float:
        self.day_start(ts)
        return self._day_end

    def label(self, start: float) -> str:
        """'08:00-08:30' for the interval starting at `start` (for tables and tooltips)."""
        a = self._local(start)
        b = self._local(start + self.length_s)
        return f"{a:%H:%M}-{b:%H:%M}"


def split_by_intervals(t0: float, t1: float, clock: IntervalClock) -> list[tuple[float, float]]:
    """Split [t0, t1) into (interval_start, seconds) pieces, one per interval it touches."""
    pieces: list[tuple[float, float]] = []
    t = t0
    while t < t1:
        start, end = clock.interval_bounds(t)
        stop = min(end, t1)
        pieces.append((start, stop - t))
        t = stop
    return pieces
