"""What review queries return: frozen rows for the review window's tables and exports.

Times are epoch seconds (float). Supervisor and workstation are names, resolved from the
row's actor. `None` means "not recorded" (e.g. an action whose result row never came: the
console stopped while the action ran).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cti.state.config import FloorConfig


@dataclass(frozen=True)
class ReviewFilter:
    """Filters of the review window; a filter that does not apply to a table is ignored.

    Attributes:
        start, end: epoch seconds, start inclusive, end exclusive (None = open).
        supervisor: rows written by this supervisor.
        agent: agent interface as recorded (PJSIP/1001).
        queue: queue name.
        action: supervisor action name (QueuePause ...); restricts action rows only.
    """

    start: float | None = None
    end: float | None = None
    supervisor: str | None = None
    agent: str | None = None
    queue: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class ModeSegment:
    mode: str
    start: float
    end: float | None  # None: still running when the record ends


@dataclass(frozen=True)
class MonitorSessionRow:
    seq: int
    started: float
    ended: float | None
    supervisor: str
    workstation: str
    agent: str
    queue: str | None
    linkedid: str | None
    caller: str | None
    end_reason: str | None
    segments: tuple[ModeSegment, ...]
    details: dict[str, Any]


@dataclass(frozen=True)
class ActionRow:
    seq: int
    ts: float
    supervisor: str
    workstation: str
    action: str
    agent: str | None
    queue: str | None
    params: dict[str, Any]
    result_seq: int | None
    ok: bool | None
    result: str | None
    duration_ms: int | None
    completed: float | None


@dataclass(frozen=True)
class AckRow:
    seq: int
    ts: float
    supervisor: str
    workstation: str
    comment: str


@dataclass(frozen=True)
class AlarmChangeRow:
    """An alarm's severity change or escalation (change: 'severity' or 'escalated')."""

    seq: int
    ts: float
    change: str
    severity: str
    message: str


@dataclass(frozen=True)
class AlarmRow:
    seq: int
    ts: float
    supervisor: str
    workstation: str
    rule: str
    severity: str
    queue: str | None
    agent: str | None
    message: str
    details: dict[str, Any]
    acks: tuple[AckRow, ...]
    cleared: float | None
    cleared_reason: str | None
    changes: tuple[AlarmChangeRow, ...] = ()  # in order; none in records before schema 2


@dataclass(frozen=True)
class SignInRow:
    seq: int
    ts: float
    supervisor: str
    workstation: str
    account: str
    outcome: str  # ok | failed | signed_out
    method: str


@dataclass(frozen=True)
class SettingRow:
    seq: int
    ts: float
    supervisor: str
    workstation: str
    setting: str
    old_value: Any
    new_value: Any


@dataclass(frozen=True)
class JournalRow:
    seq: int
    ts: float
    name: str
    interface: str | None
    queue: str | None
    linkedid: str | None
    fields: dict[str, Any]


@dataclass(frozen=True)
class StateSegment:
    """One stretch of an agent's day in one state (end None = still in it at day end)."""

    start: float
    end: float
    state: str
    reason: str | None


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit trail (everything except PBX events and snapshots), for export."""

    seq: int
    ts: float
    kind: str
    supervisor: str
    workstation: str
    agent: str | None
    queue: str | None
    action: str | None
    summary: str
    row_hash: str


@dataclass(frozen=True)
class DefinitionsPart:
    """A stretch of a day whose intervals count by one console session's definitions.

    `since`: when that session started (None: the reviewing console's own definitions, for a
    record that holds none).
    """

    start: float
    end: float
    config: FloorConfig
    since: float | None
