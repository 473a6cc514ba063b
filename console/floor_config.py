"""From the supervisor's settings to the store's FloorConfig and the tiles' thresholds.

The Erlang C forecast reads "the same interval on previous days" from the record. That is a
database query, so answers are cached per (queue, interval): the store asks on every queue
view, the record changes its answer at most once per interval.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from console.floor_adapter import TileThresholds
from console.settings import FloorSettings
from cti.state.config import FloorConfig
from cti.state.metrics import SlFormula

log = logging.getLogger(__name__)


class CachedHistory:
    """ArrivalHistory over a read-only view of the console's own record."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._review: Any = None
        self._failed = False
        self._cache: dict[tuple[str, float, float], float | None] = {}

    def expected_arrivals(
        self, queue: str, interval_start: float, interval_s: float
    ) -> float | None:
        key = (queue, interval_start, interval_s)
        if key in self._cache:
            return self._cache[key]
        value = None
        review = self._open()
        if review is not None:
            try:
                value = review.expected_arrivals(queue, interval_start, interval_s)
            except Exception as exc:  # a damaged or busy record must not stop the floor
                log.warning("arrival history unavailable: %s", exc)
        if len(self._cache) > 20_000:
            self._cache.clear()
        self._cache[key] = value
        return value

    def _open(self) -> Any:
        if self._review is None and not self._failed and self.path.exists():
            try:
                from db.review import open_review

                self._review = open_review(self.path)
            except Exception as exc:
                self._failed = True
                log.warning("cannot read the record for the forecast: %s", exc)
        return self._review

    def close(self) -> None:
        if self._review is not None:
            self._review.close()
            self._review = None


def floor_config(s: FloorSettings, history: Any = None) -> FloorConfig:
    try:
        formula = SlFormula(s.sl_formula)
    except ValueError:
        formula = SlFormula.ANSWERED_AND_LATE_ABANDONED
    return FloorConfig(
        interval_minutes=s.interval_minutes if s.interval_minutes in (15, 30, 60) else 30,
        sl_threshold_s=float(max(0, s.sl_threshold_s)),
        sl_target=min(1.0, max(0.01, s.sl_target_percent / 100.0)),
        sl_formula=formula,
        short_abandon_s=float(max(0, s.short_abandon_s)),
        wrapup_s=float(max(0, s.wrapup_s)),
        history=history,
    )


def tile_thresholds(s: FloorSettings) -> TileThresholds:
    return TileThresholds(
        talking=(float(s.talk_warn_s), float(s.talk_alarm_s)),
        wrap_up=(float(s.wrapup_warn_s), float(s.wrapup_alarm_s)),
        not_ready=(float(s.not_ready_warn_s), float(s.not_ready_alarm_s)),
    )
