"""Caller arrivals: a non-homogeneous Poisson process per queue.

The rate of queue q at simulated time t is
    calls_per_hour(q) / 3600 × curve(time of day) × Π factor of the bursts active for q,
where the curve is piecewise linear between (hour, factor) points and wraps at midnight.
Arrival times are drawn by thinning (Lewis & Shedler): candidates from a homogeneous process
at the queue's maximum rate, each kept with probability rate(t) / max rate. That is exact for
any curve shape, needs no integration, and uses the caller's random stream only, so the
sequence is fixed by the seed.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Sequence

from cti.lab.scenario import Burst

DAY_S = 86400.0


class ArrivalModel:
    """Rates for every queue of a scenario on one simulated clock.

    `t0` is a simulated epoch and `tod0` the time of day (seconds since midnight) it
    corresponds to; `live_start` is when the floor goes live (after the warm-up), the origin
    of bursts given as `after_minutes`.
    """

    def __init__(
        self,
        curve: Sequence[tuple[float, float]],
        bursts: Sequence[Burst],
        t0: float,
        tod0: float,
        live_start: float | None = None,
    ) -> None:
        pts = sorted((h * 3600.0, f) for h, f in curve)
        # Close the loop: the segment after the last point runs to the first point + 24 h.
        self._xs = [pts[-1][0] - DAY_S, *(x for x, _ in pts), pts[0][0] + DAY_S]
        self._ys = [pts[-1][1], *(y for _, y in pts), pts[0][1]]
        self._max_curve = max(y for _, y in pts)
        self._bursts = tuple(bursts)
        self.t0 = t0
        self.tod0 = tod0 % DAY_S
        self.live_start = t0 if live_start is None else live_start

    def time_of_day(self, t: float) -> float:
        return (self.tod0 + (t - self.t0)) % DAY_S

    def curve_factor(self, t: float) -> float:
        x = self.time_of_day(t)
        i = bisect_right(self._xs, x) - 1
        x0, x1 = self._xs[i], self._xs[i + 1]
        y0, y1 = self._ys[i], self._ys[i + 1]
        if x1 <= x0:
            return y0
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0)

    def burst_active(self, burst: Burst, t: float) -> bool:
        if burst.after_s is not None:
            start = self.live_start + burst.after_s
            return start <= t < start + burst.duration_s
        assert burst.start_tod_s is not None
        return (self.time_of_day(t) - burst.start_tod_s) % DAY_S < burst.duration_s

    def bursts_for(self, queue: str) -> tuple[Burst, ...]:
        return tuple(b for b in self._bursts if b.applies_to(queue))

    def factor(self, bursts: Sequence[Burst], t: float) -> float:
        f = self.curve_factor(t)
        for b in bursts:
            if self.burst_active(b, t):
                f *= b.factor
        return f

    def max_factor(self, bursts: Sequence[Burst]) -> float:
        f = self._max_curve
        for b in bursts:
            f *= max(1.0, b.factor)
        return f


class QueueArrivals:
    """The arrival process of one queue; `next_after(t)` draws the next arrival time."""

    def __init__(self, model: ArrivalModel, queue: str, calls_per_hour: float) -> None:
        self._model = model
        self._bursts = model.bursts_for(queue)
        self._base = calls_per_hour / 3600.0
        self._max_rate = self._base * model.max_factor(self._bursts)

    def rate(self, t: float) -> float:
        """Calls per second at simulated time t."""
        return self._base * self._model.factor(self._bursts, t)

    def next_after(self, t: float, rng: random.Random) -> float:
        if self._max_rate <= 0.0:
            return math.inf
        while True:
            t += rng.expovariate(self._max_rate)
            if rng.random() * self._max_rate < self.rate(t):
                return t
