"""Alarm rules engine (pure Python, injected clock) and the alarm sound helper.

`sound` is not imported here: it loads PortAudio, which the engine does not need.
"""

from cti.alarms.engine import AlarmAckError, AlarmEngine
from cti.alarms.model import (
    AgentCondition,
    AgentFigures,
    Alarm,
    AlarmKey,
    AlarmKind,
    AlarmTransition,
    LinkFigures,
    QueueFigures,
    Severity,
    TransitionKind,
)
from cti.alarms.rules import (
    AgentRules,
    AlarmRules,
    Direction,
    Level,
    LinkRules,
    QueueRules,
    Rule,
    RuleError,
    hotline_defaults,
)

__all__ = [
    "AgentCondition",
    "AgentFigures",
    "AgentRules",
    "Alarm",
    "AlarmAckError",
    "AlarmEngine",
    "AlarmKey",
    "AlarmKind",
    "AlarmRules",
    "AlarmTransition",
    "Direction",
    "Level",
    "LinkFigures",
    "LinkRules",
    "QueueFigures",
    "QueueRules",
    "Rule",
    "RuleError",
    "Severity",
    "TransitionKind",
    "hotline_defaults",
]
