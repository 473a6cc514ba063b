"""Agents required for the next interval (Erlang C), shown against agents staffed now.

Forecast arrivals, first source that has data wins (the result says which one was used):
1. "history": the same interval on previous days of the record (`FloorConfig.history`);
2. "recent": today's arrival rate over the last `recent_window_s` (1 h by default, or since
   the queue's first activity today), scaled to one interval; needs at least 5 minutes of
   observation, because a rate from two calls in a minute staffs nonsense;
3. "none": no forecast, no required agents.
AHT: today's AHT of the queue (talk + wrap-up of completed calls), else `default_aht_s`.
The target comes from the configuration; a 100 % target is computed as 99.9 % (Erlang C never
reaches 100 %). Staffed = members logged in and reachable (not LOGGED_OUT / UNAVAILABLE).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from cti.state.config import FloorConfig
from cti.state.erlang import agents_required, traffic_erlangs
from cti.state.views import StaffingForecast

log = logging.getLogger(__name__)

MIN_RECENT_WINDOW_S = 300.0


def forecast_staffing(
    config: FloorConfig,
    queue: str,
    *,
    next_start: float,
    interval_s: float,
    first_activity: float | None,
    recent_joins: Iterable[float],
    today_aht_s: float | None,
    staffed: int,
    now: float,
) -> StaffingForecast:
    arrivals: float | None = None
    source = "none"
    if config.history is not None:
        arrivals = config.history.expected_arrivals(queue, next_start, interval_s)
        if arrivals is not None:
            source = "history"
    if arrivals is None and first_activity is not None:
        window = min(config.recent_window_s, now - first_activity)
        if window >= MIN_RECENT_WINDOW_S:
            horizon = now - window
            recent = sum(1 for t in recent_joins if t >= horizon)
            arrivals = recent / window * interval_s
            source = "recent"
    if today_aht_s is not None and today_aht_s > 0:
        aht, aht_source = today_aht_s, "today"
    else:
        aht, aht_source = config.default_aht_s, "default"
    target = min(config.target(queue), 0.999)
    threshold = config.threshold(queue)
    required: int | None = None
    predicted: float | None = None
    if arrivals is not None:
        try:
            result = agents_required(
                traffic_erlangs(arrivals, interval_s, aht),
                aht,
                target,
                threshold,
                config.max_occupancy,
            )
        except ValueError as exc:
            log.warning("staffing for %s not computed: %s", queue, exc)
        else:
            required = result.agents
            predicted = result.service_level * 100.0
    return StaffingForecast(
        interval_start=next_start,
        forecast_arrivals=arrivals,
        arrivals_source=source,
        aht_s=aht,
        aht_source=aht_source,
        sl_target_percent=config.target(queue) * 100.0,
        threshold_s=threshold,
        required_agents=required,
        predicted_sl_percent=predicted,
        staffed_agents=staffed,
    )
