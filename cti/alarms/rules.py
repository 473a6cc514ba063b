"""Alarm rule configuration: thresholds with hysteresis, severities, debounce, escalation.

How one rule decides (see engine.py for the state machine):

- A rule has one or more *levels*, each with a severity, a raise threshold and a clear
  threshold. A level switches on when the value goes strictly beyond `raise_at` and switches
  off only when it comes back to `clear_at` or better. Putting `clear_at` on the safe side of
  `raise_at` is what stops an alarm from flapping when a figure hovers around the limit
  (waiting 10 → 11 → 10 → 11 raises once, not four times).
- `raise_after` / `clear_after` (seconds) add a time hysteresis: the condition must hold
  continuously that long. A PBX reconnect that takes 3 s should not page anybody.
- The alarm's severity is that of the highest level that is on.
- Rates (service level, abandon rate) are noisy at the start of an interval: `min_calls`
  ignores them until enough calls are counted (below it the value counts as normal).
- Service-level thresholds may be *relative to the queue's own target* (`relative_to_target`):
  `raise_at=-0.10` then means "10 points below target". That is how supervisors talk
  ("SL below target"), and one rule then fits queues with different targets.
- Escalation: an alarm not acknowledged within `escalate_after[severity]` seconds of being
  raised (or of its last severity increase) escalates once (e.g. SMS to the on-call manager).

Per-queue and per-agent overrides replace the default rule set for that subject as a whole
(no field-by-field merge: what you see in the override is what applies).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from cti.alarms.model import Severity


class Direction(enum.Enum):
    ABOVE = "above"  # bad when the value is high (waiting, longest wait, abandon rate, time)
    BELOW = "below"  # bad when the value is low (service level)


class RuleError(ValueError):
    """A rule is inconsistent (message says which and why)."""


@dataclass(frozen=True)
class Level:
    severity: Severity
    raise_at: float
    clear_at: float


@dataclass(frozen=True)
class Rule:
    """Thresholds for one figure. Build with `Rule.above(...)` / `Rule.below(...)`."""

    direction: Direction
    levels: tuple[Level, ...]
    raise_after: float = 0.0
    clear_after: float = 0.0
    min_calls: int = 0
    relative_to_target: bool = False

    def __post_init__(self) -> None:
        if not self.levels:
            raise RuleError("a rule needs at least one level")
        if self.raise_after < 0 or self.clear_after < 0:
            raise RuleError("raise_after and clear_after must not be negative")
        severities = [lv.severity for lv in self.levels]
        if len(set(severities)) != len(severities):
            raise RuleError("each severity may appear only once in a rule")
        if severities != sorted(severities):
            raise RuleError("levels must be listed from the least to the most severe")
        for lv in self.levels:
            if self.direction is Direction.ABOVE and lv.clear_at > lv.raise_at:
                raise RuleError(
                    f"{lv.severity.name}: clear threshold {lv.clear_at} must not be above "
                    f"the raise threshold {lv.raise_at}"
                )
            if self.direction is Direction.BELOW and lv.clear_at < lv.raise_at:
                raise RuleError(
                    f"{lv.severity.name}: clear threshold {lv.clear_at} must not be below "
                    f"the raise threshold {lv.raise_at}"
                )
        for lower, higher in zip(self.levels, self.levels[1:], strict=False):
            worse = (
                higher.raise_at >= lower.raise_at
                if self.direction is Direction.ABOVE
                else higher.raise_at <= lower.raise_at
            )
            if not worse:
                raise RuleError(
                    f"{higher.severity.name} must trigger at a worse value "
                    f"than {lower.severity.name}"
                )

    @classmethod
    def above(
        cls,
        raise_at: float,
        clear_at: float | None = None,
        severity: Severity = Severity.WARNING,
        *,
        critical_at: float | None = None,
        critical_clear_at: float | None = None,
        raise_after: float = 0.0,
        clear_after: float = 0.0,
        min_calls: int = 0,
    ) -> Rule:
        levels = [Level(severity, raise_at, raise_at if clear_at is None else clear_at)]
        if critical_at is not None:
            levels.append(
                Level(
                    Severity.CRITICAL,
                    critical_at,
                    critical_at if critical_clear_at is None else critical_clear_at,
                )
            )
        return cls(Direction.ABOVE, tuple(levels), raise_after, clear_after, min_calls)

    @classmethod
    def below(
        cls,
        raise_at: float,
        clear_at: float | None = None,
        severity: Severity = Severity.WARNING,
        *,
        critical_at: float | None = None,
        critical_clear_at: float | None = None,
        raise_after: float = 0.0,
        clear_after: float = 0.0,
        min_calls: int = 0,
        relative_to_target: bool = False,
    ) -> Rule:
        levels = [Level(severity, raise_at, raise_at if clear_at is None else clear_at)]
        if critical_at is not None:
            levels.append(
                Level(
                    Severity.CRITICAL,
                    critical_at,
                    critical_at if critical_clear_at is None else critical_clear_at,
                )
            )
        return cls(
            Direction.BELOW,
            tuple(levels),
            raise_after,
            clear_after,
            min_calls,
            relative_to_target,
        )

    @classmethod
    def flag(cls, severity: Severity = Severity.CRITICAL, *, raise_after: float = 0.0) -> Rule:
        """For yes/no conditions (link down): the engine feeds 1.0 when bad, 0.0 when good."""
        return cls(Direction.ABOVE, (Level(severity, 0.5, 0.5),), raise_after, 0.0)


@dataclass(frozen=True)
class QueueRules:
    service_level: Rule | None = None
    sl_projection: Rule | None = None
    waiting: Rule | None = None
    longest_wait: Rule | None = None  # seconds
    abandon_rate: Rule | None = None  # fraction 0..1


@dataclass(frozen=True)
class AgentRules:
    talking: Rule | None = None  # seconds in the call
    wrap_up: Rule | None = None  # seconds in wrap-up
    not_ready: Rule | None = None  # seconds not ready, any reason without its own rule
    # A meal break is allowed longer than a short break: per-reason limits (reason code → rule).
    not_ready_by_reason: Mapping[str, Rule] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkRules:
    pbx_down: Rule | None = None
    sip_unregistered: Rule | None = None


def default_escalation() -> dict[Severity, float]:
    return {Severity.CRITICAL: 5 * 60.0, Severity.WARNING: 15 * 60.0}


@dataclass(frozen=True)
class AlarmRules:
    """Everything the engine needs to know. Frozen; build a new one to change settings."""

    queue_default: QueueRules = field(default_factory=QueueRules)
    queue_overrides: Mapping[str, QueueRules] = field(default_factory=dict)
    agent_default: AgentRules = field(default_factory=AgentRules)
    agent_overrides: Mapping[str, AgentRules] = field(default_factory=dict)
    links: LinkRules = field(default_factory=LinkRules)
    # Severity → seconds without acknowledgement before escalation; absent = never escalates.
    escalate_after: Mapping[Severity, float] = field(default_factory=default_escalation)

    def for_queue(self, queue: str) -> QueueRules:
        return self.queue_overrides.get(queue, self.queue_default)

    def for_agent(self, interface: str) -> AgentRules:
        return self.agent_overrides.get(interface, self.agent_default)


def hotline_defaults() -> AlarmRules:
    """Sensible defaults for a 90/20 hotline; every number is a setting in the console."""
    return AlarmRules(
        queue_default=QueueRules(
            service_level=Rule.below(
                0.0,
                0.03,
                Severity.WARNING,
                critical_at=-0.15,
                critical_clear_at=-0.10,
                min_calls=10,
                relative_to_target=True,
            ),
            sl_projection=Rule.below(0.0, 0.02, Severity.WARNING, relative_to_target=True),
            waiting=Rule.above(5, 3, Severity.WARNING, critical_at=10, critical_clear_at=7),
            longest_wait=Rule.above(
                60.0, 45.0, Severity.WARNING, critical_at=120.0, critical_clear_at=90.0
            ),
            abandon_rate=Rule.above(0.10, 0.08, Severity.WARNING, min_calls=20),
        ),
        agent_default=AgentRules(
            talking=Rule.above(15 * 60.0, severity=Severity.INFO),
            wrap_up=Rule.above(3 * 60.0, severity=Severity.WARNING),
            not_ready=Rule.above(15 * 60.0, severity=Severity.WARNING),
            not_ready_by_reason={
                "meal": Rule.above(45 * 60.0, severity=Severity.WARNING),
                "training": Rule.above(2 * 3600.0, severity=Severity.INFO),
                "meeting": Rule.above(2 * 3600.0, severity=Severity.INFO),
            },
        ),
        links=LinkRules(
            pbx_down=Rule.flag(Severity.CRITICAL, raise_after=10.0),
            sip_unregistered=Rule.flag(Severity.WARNING, raise_after=30.0),
        ),
    )
