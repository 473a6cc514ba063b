"""Settings the floor store needs: thresholds, formulas, wrap-up times, forecast inputs.

Asterisk does not tell us the wrap-up time (QueueParams lacks it) nor the centre's service-level
target, so they are configured here, per queue where centres differ per skill group, with a
default for queues not listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from typing import Any, Protocol

from cti.state.metrics import SlFormula
from cti.state.scores import ScoreRule


class ArrivalHistory(Protocol):
    """Arrivals seen in the same interval on previous days (the record keeps them)."""

    def expected_arrivals(
        self, queue: str, interval_start: float, interval_s: float
    ) -> float | None:
        """Mean arrivals for `queue` in the interval starting at `interval_start` on previous
        days, or None when the record has no history for it."""
        ...


@dataclass(frozen=True)
class FloorConfig:
    """Attributes:
    interval_minutes: reporting interval (15, 30 or 60), wall-clock aligned.
    tz: time zone for interval and day boundaries (None = the workstation's).
    sl_threshold_s: T of the service level; `sl_threshold_by_queue` overrides per queue.
    sl_target: service-level goal as a fraction (0.9 = 90 %); per-queue overrides too.
    sl_formula: which of the four formulas is shown.
    short_abandon_s: an abandon with wait < this is a short abandon.
    wrapup_s / wrapup_by_queue: wrap-up after each queue call (Asterisk's queues.conf
        `wrapuptime`, which AMI does not report).
    spy_feature_codes: dialled prefix -> mode ("listen" / "whisper" / "barge").
    default_aht_s: AHT assumed for staffing before any call completed today.
    recent_window_s: how far back "today's recent arrival rate" looks.
    max_occupancy: cap for the Erlang C staffing answer.
    history: where same-interval arrivals of previous days come from (None = no record).
    reset_daily: roll per-agent and per-queue day figures over at local midnight (the replay
        turns it off so a capture spanning midnight sums up as one).
    score_rule: call-count score parameters.
    """

    interval_minutes: int = 30
    tz: tzinfo | None = None
    sl_threshold_s: float = 20.0
    sl_threshold_by_queue: Mapping[str, float] = field(default_factory=dict)
    sl_target: float = 0.9
    sl_target_by_queue: Mapping[str, float] = field(default_factory=dict)
    sl_formula: SlFormula = SlFormula.ANSWERED_AND_LATE_ABANDONED
    short_abandon_s: float = 5.0
    wrapup_s: float = 0.0
    wrapup_by_queue: Mapping[str, float] = field(default_factory=dict)
    spy_feature_codes: Mapping[str, str] = field(
        default_factory=lambda: {"*221": "listen", "*222": "whisper", "*223": "barge"}
    )
    default_aht_s: float = 180.0
    recent_window_s: float = 3600.0
    max_occupancy: float = 1.0
    history: ArrivalHistory | None = None
    reset_daily: bool = True
    score_rule: ScoreRule = field(default_factory=ScoreRule)

    def __post_init__(self) -> None:
        if not 0.0 < self.sl_target <= 1.0:
            raise ValueError(f"sl_target must be a fraction in (0, 1], got {self.sl_target}")
        for q, t in self.sl_target_by_queue.items():
            if not 0.0 < t <= 1.0:
                raise ValueError(f"sl_target for queue {q} must be in (0, 1], got {t}")
        if self.sl_threshold_s < 0 or self.short_abandon_s < 0 or self.wrapup_s < 0:
            raise ValueError("thresholds and wrap-up must not be negative")

    def threshold(self, queue: str) -> float:
        return self.sl_threshold_by_queue.get(queue, self.sl_threshold_s)

    def target(self, queue: str) -> float:
        return self.sl_target_by_queue.get(queue, self.sl_target)

    def wrapup(self, queue: str) -> float:
        return self.wrapup_by_queue.get(queue, self.wrapup_s)


# The definitions behind the figures, as the record keeps them for each console session, so a
# past day can be reviewed by the definitions the floor was run with.
_DEFINITION_NUMBERS = ("sl_threshold_s", "sl_target", "short_abandon_s", "wrapup_s")
_DEFINITION_MAPS = ("sl_threshold_by_queue", "sl_target_by_queue", "wrapup_by_queue")


def definitions_json(config: FloorConfig) -> dict[str, Any]:
    """`config`'s definitions of the figures as plain JSON values."""
    out: dict[str, Any] = {
        "interval_minutes": config.interval_minutes,
        "sl_formula": config.sl_formula.value,
    }
    for name in _DEFINITION_NUMBERS:
        out[name] = float(getattr(config, name))
    for name in _DEFINITION_MAPS:
        out[name] = {str(k): float(v) for k, v in getattr(config, name).items()}
    return out


def config_from_definitions(data: Mapping[str, Any], base: FloorConfig) -> FloorConfig:
    """`base` with the recorded definitions in `data`; a missing or malformed value (another
    version, a hand-edited file) keeps `base`'s, so a review never fails on them."""
    changes: dict[str, Any] = {}
    minutes = data.get("interval_minutes")
    if minutes in (15, 30, 60):
        changes["interval_minutes"] = minutes
    formula = data.get("sl_formula")
    if formula in {f.value for f in SlFormula}:
        changes["sl_formula"] = SlFormula(formula)
    for name in _DEFINITION_NUMBERS:
        value = _amount(data.get(name))
        if value is not None:
            changes[name] = value
    for name in _DEFINITION_MAPS:
        per_queue = data.get(name)
        if isinstance(per_queue, dict):
            amounts = {str(k): _amount(v) for k, v in per_queue.items()}
            changes[name] = {k: v for k, v in amounts.items() if v is not None}
    try:
        return replace(base, **changes)
    except ValueError:  # e.g. a target outside (0, 1]
        return base


def _amount(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None
