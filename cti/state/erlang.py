"""Erlang C staffing, written out by hand (no pyworkforce: it drags ortools and pandas in).

Model: M/M/N — Poisson arrivals, exponential handle times, callers wait and never abandon.
It overstaffs slightly for real queues with abandons; that is the conventional planning bias.

Numerical stability: the textbook form with A**N / N! overflows floats near N = 170. We use
the Erlang B recursion B(0) = 1, B(n) = A*B(n-1) / (n + A*B(n-1)), whose terms stay in [0, 1],
and convert: C(N, A) = N*B / (N - A*(1 - B)) for N > A (C = 1 when N <= A: the queue grows
without bound). `agents_required` walks N upward reusing the recursion, so one staffing
question costs O(N) multiplications whatever the size of the floor.

Formulas (A = traffic in Erlangs = arrivals per second * AHT seconds):
    P(wait > 0)  = C(N, A)
    SL(T)        = 1 - C(N, A) * exp(-(N - A) * T / AHT)
    ASA          = C(N, A) * AHT / (N - A)
    occupancy    = A / N
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def traffic_erlangs(arrivals: float, period_s: float, aht_s: float) -> float:
    """Offered traffic: `arrivals` calls per `period_s` seconds, each `aht_s` long."""
    if period_s <= 0:
        raise ValueError("period must be positive")
    return arrivals / period_s * aht_s


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability with `agents` servers (no queue)."""
    if agents < 0 or traffic < 0:
        raise ValueError("agents and traffic must be non-negative")
    b = 1.0
    for n in range(1, agents + 1):
        b = traffic * b / (n + traffic * b)
    return b


def _c_from_b(traffic: float, agents: int, b: float) -> float:
    if agents <= traffic:
        return 1.0
    return agents * b / (agents - traffic * (1.0 - b))


def erlang_c(traffic: float, agents: int) -> float:
    """Probability that a caller has to wait (1.0 when agents <= traffic)."""
    if traffic == 0:
        return 0.0
    return _c_from_b(traffic, agents, erlang_b(traffic, agents))


def _sl(pw: float, traffic: float, agents: int, aht_s: float, threshold_s: float) -> float:
    if agents <= traffic:
        return 0.0
    return max(0.0, 1.0 - pw * math.exp(-(agents - traffic) * threshold_s / aht_s))


def service_level(traffic: float, agents: int, aht_s: float, threshold_s: float) -> float:
    """Fraction of callers answered within `threshold_s` (0.0 when overloaded)."""
    if traffic == 0:
        return 1.0
    return _sl(erlang_c(traffic, agents), traffic, agents, aht_s, threshold_s)


def average_speed_of_answer(traffic: float, agents: int, aht_s: float) -> float:
    """Mean wait in seconds over all callers (inf when overloaded)."""
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return erlang_c(traffic, agents) * aht_s / (agents - traffic)


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """The least number of agents meeting the target, and what it would give."""

    agents: int
    traffic_erlangs: float
    service_level: float
    probability_wait: float
    asa_s: float
    occupancy: float


def agents_required(
    traffic: float,
    aht_s: float,
    target_sl: float,
    threshold_s: float,
    max_occupancy: float = 1.0,
    max_agents: int = 100_000,
) -> StaffingResult:
    """Smallest N with SL(threshold) >= target_sl and A / N <= max_occupancy.

    Raises ValueError for a target outside (0, 1) — 100 % is unreachable in this model — and
    when more than `max_agents` would be needed.
    """
    if not 0.0 < target_sl < 1.0:
        raise ValueError(f"service-level target must be between 0 and 1, got {target_sl}")
    if aht_s <= 0 or traffic < 0 or threshold_s < 0:
        raise ValueError("AHT must be positive; traffic and threshold non-negative")
    if not 0.0 < max_occupancy <= 1.0:
        raise ValueError("max occupancy must be in (0, 1]")
    if traffic == 0:
        return StaffingResult(0, 0.0, 1.0, 0.0, 0.0, 0.0)
    b = 1.0
    for n in range(1, max_agents + 1):
        b = traffic * b / (n + traffic * b)
        if n <= traffic or traffic / n > max_occupancy:
            continue
        pw = _c_from_b(traffic, n, b)
        sl = _sl(pw, traffic, n, aht_s, threshold_s)
        if sl >= target_sl:
            return StaffingResult(
                agents=n,
                traffic_erlangs=traffic,
                service_level=sl,
                probability_wait=pw,
                asa_s=pw * aht_s / (n - traffic),
                occupancy=traffic / n,
            )
    raise ValueError(f"more than {max_agents} agents would be needed")
