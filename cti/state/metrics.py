"""Queue figures per interval: definitions, service-level formulas, projection.

Definitions (DESIGN.md "Domain definitions"; shown to the user in tooltips):
- offered = callers that joined the queue and left it (answered + abandoned + other exits).
  A caller still waiting is not yet offered; the live "waiting" figure shows them.
- answered = connected to an agent (AgentConnect). Its wait is the event's HoldTime.
- answered within T = answered with wait <= T (Asterisk's own rule for "within service level").
- abandoned = the caller hung up while waiting (QueueCallerAbandon, wait = its HoldTime).
  short abandoned = abandoned with wait < the short-abandon threshold (5 s by default).
  abandoned within T = abandoned with wait <= T; abandoned after T = wait > T.
- other exits = left the queue without being answered or hanging up (timeout, exit key,
  leavewhenempty, or vanished during a PBX restart / link loss).
- ASA = mean wait of answered calls (abandoned waits are not in it; max wait includes them).
- AHT = mean (talk + hold + wrap-up) of completed calls. Asterisk's TalkTime runs from connect
  to completion, so it already contains hold; wrap-up is the queue's configured wrap-up time
  (Asterisk blocks the member for exactly that long).
- abandon % = abandoned / offered.
- occupancy = handling time / (handling time + ready-idle time) of the queue's members in the
  interval: talking, on hold and in wrap-up on this queue's calls vs. ready and not paused in
  this queue. Not-ready time is neither.

Which interval a call counts in: every outcome of a call (offered, answered, abandoned, its
wait) counts in the interval in which the call LEFT THE QUEUE, so a call that joined at
08:29:50 and was answered at 08:30:05 belongs to 08:30-09:00. Talk time and AHT count in the
interval in which the call was completed (AgentComplete). Arrivals for the forecast count at
join time. Agent time (occupancy) is split exactly at interval boundaries.

Service level: four formulas (`SlFormula`), the default being
`answered within T / (answered + abandoned after T)`: short and early abandons neither help
nor hurt; a caller who gave up after T counts as a miss.

Projection: every formula gains 1 in numerator and denominator for each further call answered
within T, so "calls needed" is the least k with (N + k) / (D + k) >= target.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass


class SlFormula(enum.Enum):
    """The service-level variants a centre can choose; `.text` is shown to the user."""

    ANSWERED_AND_LATE_ABANDONED = "answered_and_late_abandoned"
    ANSWERED = "answered"
    ANSWERED_AND_ABANDONED = "answered_and_abandoned"
    OFFERED = "offered"

    @property
    def text(self) -> str:
        return _FORMULA_TEXT[self]


_FORMULA_TEXT = {
    SlFormula.ANSWERED_AND_LATE_ABANDONED: "answered within T / (answered + abandoned after T)",
    SlFormula.ANSWERED: "answered within T / answered",
    SlFormula.ANSWERED_AND_ABANDONED: (
        "(answered within T + abandoned within T) / (answered + abandoned)"
    ),
    SlFormula.OFFERED: "answered within T / offered",
}

INTERVAL_RULE_TEXT = (
    "A call counts in the interval in which it left the queue (answered, abandoned or other "
    "exit); talk time counts in the interval in which the call was completed."
)


class IntervalCounts:
    """Mutable accumulator for one queue and one interval (internal to the store)."""

    __slots__ = (
        "abandoned",
        "abandoned_within",
        "answered",
        "answered_within",
        "arrivals",
        "available_s",
        "busy_s",
        "completed",
        "end",
        "max_wait",
        "offered",
        "other_exits",
        "short_abandoned",
        "start",
        "talk_sum",
        "wait_answered_sum",
        "wrapup_sum",
    )

    def __init__(self, start: float, end: float) -> None:
        self.start = start
        self.end = end
        self.offered = 0
        self.answered = 0
        self.answered_within = 0
        self.abandoned = 0
        self.short_abandoned = 0
        self.abandoned_within = 0
        self.other_exits = 0
        self.arrivals = 0
        self.completed = 0
        self.wait_answered_sum = 0.0
        self.max_wait: float | None = None
        self.talk_sum = 0.0
        self.wrapup_sum = 0.0
        self.busy_s = 0.0
        self.available_s = 0.0

    def _wait(self, wait: float) -> None:
        if self.max_wait is None or wait > self.max_wait:
            self.max_wait = wait

    def add_answered(self, wait: float, threshold: float) -> None:
        self.offered += 1
        self.answered += 1
        if wait <= threshold:
            self.answered_within += 1
        self.wait_answered_sum += wait
        self._wait(wait)

    def add_abandoned(self, wait: float, threshold: float, short: float) -> None:
        self.offered += 1
        self.abandoned += 1
        if wait < short:
            self.short_abandoned += 1
        if wait <= threshold:
            self.abandoned_within += 1
        self._wait(wait)

    def add_other_exit(self, wait: float | None) -> None:
        self.offered += 1
        self.other_exits += 1
        if wait is not None:
            self._wait(wait)

    def add_completed(self, talk: float, wrapup: float) -> None:
        self.completed += 1
        self.talk_sum += talk
        self.wrapup_sum += wrapup

    def merge(self, other: IntervalCounts) -> None:
        """Add another interval's counts (for day totals)."""
        self.offered += other.offered
        self.answered += other.answered
        self.answered_within += other.answered_within
        self.abandoned += other.abandoned
        self.short_abandoned += other.short_abandoned
        self.abandoned_within += other.abandoned_within
        self.other_exits += other.other_exits
        self.arrivals += other.arrivals
        self.completed += other.completed
        self.wait_answered_sum += other.wait_answered_sum
        self.talk_sum += other.talk_sum
        self.wrapup_sum += other.wrapup_sum
        self.busy_s += other.busy_s
        self.available_s += other.available_s
        if other.max_wait is not None:
            self._wait(other.max_wait)


def sl_terms(c: IntervalCounts | IntervalMetrics, formula: SlFormula) -> tuple[int, int]:
    """(numerator, denominator) of the service level under `formula`."""
    if formula is SlFormula.ANSWERED_AND_LATE_ABANDONED:
        return c.answered_within, c.answered + (c.abandoned - c.abandoned_within)
    if formula is SlFormula.ANSWERED:
        return c.answered_within, c.answered
    if formula is SlFormula.ANSWERED_AND_ABANDONED:
        return c.answered_within + c.abandoned_within, c.answered + c.abandoned
    return c.answered_within, c.offered


def ratio_percent(num: float, den: float) -> float | None:
    return None if den <= 0 else 100.0 * num / den


@dataclass(frozen=True, slots=True)
class SlProjection:
    """What the rest of the interval needs to reach the target.

    Attributes:
        needed_within: further calls that must be answered within T (0 when already on target;
            None when the target cannot be reached any more, e.g. a 100 % target after a miss).
        misses_allowed: further calls that may miss T while staying on target (0 when below).
    """

    target_percent: float
    needed_within: int | None
    misses_allowed: int


def sl_projection(numerator: int, denominator: int, target: float) -> SlProjection:
    """`target` is a fraction (0.8 for 80 %)."""
    if not 0.0 < target <= 1.0:
        raise ValueError(f"service-level target must be in (0, 1], got {target}")
    eps = 1e-9
    if numerator >= target * denominator - eps:
        needed: int | None = 0
        # misses m keep N / (D + m) >= t  <=>  m <= N / t - D
        allowed = max(0, math.floor(numerator / target - denominator + eps))
    else:
        allowed = 0
        if target >= 1.0:
            needed = None
        else:
            needed = max(0, math.ceil((target * denominator - numerator) / (1.0 - target) - eps))
    return SlProjection(target * 100.0, needed, allowed)


@dataclass(frozen=True, slots=True)
class IntervalMetrics:
    """One queue's figures for one interval (or a whole day), ready to show.

    Counts are as defined in this module's docstring; `*_s` are seconds; percentages are
    0-100 or None when the denominator is zero.
    """

    start: float
    end: float
    offered: int
    answered: int
    answered_within: int
    abandoned: int
    short_abandoned: int
    abandoned_within: int
    other_exits: int
    arrivals: int
    completed: int
    sl_threshold_s: float
    sl_formula: SlFormula
    sl_percent: float | None
    asa_s: float | None
    aht_s: float | None
    avg_talk_s: float | None
    max_wait_s: float | None
    abandon_percent: float | None
    occupancy_percent: float | None
    busy_s: float
    available_s: float
    talk_s: float


def build_metrics(c: IntervalCounts, threshold: float, formula: SlFormula) -> IntervalMetrics:
    """Freeze an accumulator into the figures shown."""
    num, den = sl_terms(c, formula)
    busy = c.busy_s
    avail = c.available_s
    return IntervalMetrics(
        start=c.start,
        end=c.end,
        offered=c.offered,
        answered=c.answered,
        answered_within=c.answered_within,
        abandoned=c.abandoned,
        short_abandoned=c.short_abandoned,
        abandoned_within=c.abandoned_within,
        other_exits=c.other_exits,
        arrivals=c.arrivals,
        completed=c.completed,
        sl_threshold_s=threshold,
        sl_formula=formula,
        sl_percent=ratio_percent(num, den),
        asa_s=None if c.answered == 0 else c.wait_answered_sum / c.answered,
        aht_s=None if c.completed == 0 else (c.talk_sum + c.wrapup_sum) / c.completed,
        avg_talk_s=None if c.completed == 0 else c.talk_sum / c.completed,
        max_wait_s=c.max_wait,
        abandon_percent=ratio_percent(c.abandoned, c.offered),
        occupancy_percent=ratio_percent(busy, busy + avail),
        busy_s=busy,
        available_s=avail,
        talk_s=c.talk_sum,
    )


def combined_metrics(metrics: Sequence[IntervalMetrics]) -> IntervalMetrics:
    """Several queues' figures for the same interval as one ("all queues"): counts are summed
    and every ratio is recomputed from the sums, never averaged from percents. The service
    level adds each queue's terms under its own formula and threshold. Busy and available
    time are sums over queues (an agent in two queues counts in both), so occupancy is not
    given."""
    if not metrics:
        raise ValueError("no figures to combine")
    first = metrics[0]
    num = den = 0
    for m in metrics:
        n, d = sl_terms(m, m.sl_formula)
        num, den = num + n, den + d
    answered = sum(m.answered for m in metrics)
    completed = sum(m.completed for m in metrics)
    offered = sum(m.offered for m in metrics)
    abandoned = sum(m.abandoned for m in metrics)
    waits = [m.max_wait_s for m in metrics if m.max_wait_s is not None]
    return IntervalMetrics(
        start=min(m.start for m in metrics),
        end=max(m.end for m in metrics),
        offered=offered,
        answered=answered,
        answered_within=sum(m.answered_within for m in metrics),
        abandoned=abandoned,
        short_abandoned=sum(m.short_abandoned for m in metrics),
        abandoned_within=sum(m.abandoned_within for m in metrics),
        other_exits=sum(m.other_exits for m in metrics),
        arrivals=sum(m.arrivals for m in metrics),
        completed=completed,
        sl_threshold_s=first.sl_threshold_s,
        sl_formula=first.sl_formula,
        sl_percent=ratio_percent(num, den),
        asa_s=_weighted(metrics, "asa_s", "answered"),
        aht_s=_weighted(metrics, "aht_s", "completed"),
        avg_talk_s=_weighted(metrics, "avg_talk_s", "completed"),
        max_wait_s=max(waits) if waits else None,
        abandon_percent=ratio_percent(abandoned, offered),
        occupancy_percent=None,
        busy_s=sum(m.busy_s for m in metrics),
        available_s=sum(m.available_s for m in metrics),
        talk_s=sum(m.talk_s for m in metrics),
    )


def _weighted(metrics: Sequence[IntervalMetrics], average: str, weight: str) -> float | None:
    """An average over queues from each queue's average and its count (e.g. ASA by answered)."""
    total = count = 0.0
    for m in metrics:
        value, n = getattr(m, average), getattr(m, weight)
        if value is not None and n:
            total += value * n
            count += n
    return total / count if count else None
