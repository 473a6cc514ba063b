"""The call-count score one of the hotlines uses in its monthly agent report.

Rule: base 100 points; +1 point for every full 5 % an agent's answered calls are above the
team average, -1 point for every full 5 % below. "Full" steps: 104 % of the average is +0,
105 % is +1, 94 % is -1, 90 % is -2 (truncation toward zero, so the score never rewards a
partial step). Base, step and points per step are configurable; the team is whoever is passed
in (the console passes the agents that were logged in today). With no calls on the team every
agent gets the base score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScoreRule:
    base: float = 100.0
    step_percent: float = 5.0
    points_per_step: float = 1.0

    def __post_init__(self) -> None:
        if self.step_percent <= 0:
            raise ValueError("score step must be a positive percentage")


def call_count_scores(
    answered: Mapping[str, int], rule: ScoreRule | None = None
) -> dict[str, float]:
    """Score per agent (same keys as `answered`)."""
    rule = rule or ScoreRule()
    if not answered:
        return {}
    average = sum(answered.values()) / len(answered)
    if average <= 0:
        return dict.fromkeys(answered, rule.base)
    scores: dict[str, float] = {}
    for agent, calls in answered.items():
        deviation_percent = (calls - average) / average * 100.0
        # A tiny epsilon keeps 105 % from becoming 4.999... steps in floating point.
        steps = math.trunc(
            deviation_percent / rule.step_percent + math.copysign(1e-9, deviation_percent)
        )
        scores[agent] = rule.base + steps * rule.points_per_step
    return scores
