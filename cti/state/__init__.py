"""Floor state and metrics (pure Python, no Qt).

The store (`FloorStore`) turns typed AMI events and sync snapshots into frozen views
(`AgentView`, `QueueView`, `IntervalMetrics` ...) and change notifications (`Changes`).
Definitions and rules live at the top of each module: `agent_state` (state derivation,
wrap-up, pending), `metrics` (figures, SL formulas, interval attribution), `erlang`
(staffing), `intervals` (wall-clock alignment), `store` (ordering, resync), `replay`.
"""

from cti.state.agent_state import AgentState
from cti.state.config import ArrivalHistory, FloorConfig
from cti.state.metrics import INTERVAL_RULE_TEXT, IntervalMetrics, SlFormula, SlProjection
from cti.state.scores import ScoreRule
from cti.state.store import FloorStore
from cti.state.views import (
    AgentDay,
    AgentView,
    CallView,
    Changes,
    FloorView,
    MembershipView,
    QueueView,
    SpyMode,
    SpyView,
    StaffingForecast,
    WaitingCaller,
)

__all__ = [
    "INTERVAL_RULE_TEXT",
    "AgentDay",
    "AgentState",
    "AgentView",
    "ArrivalHistory",
    "CallView",
    "Changes",
    "FloorConfig",
    "FloorStore",
    "FloorView",
    "IntervalMetrics",
    "MembershipView",
    "QueueView",
    "ScoreRule",
    "SlFormula",
    "SlProjection",
    "SpyMode",
    "SpyView",
    "StaffingForecast",
    "WaitingCaller",
]
