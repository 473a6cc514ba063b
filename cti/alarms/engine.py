"""The alarm engine: snapshots in, alarm transitions out. Pure Python, injected clock.

Rules of the house (why it behaves as it does):

- Call `evaluate(queues, agents, links)` on every coalesced floor update (or at least once a
  second: time-in-state and longest-wait alarms depend on elapsed time). Call `tick()` when
  nothing changed but escalations must still fire.
- Each (kind, subject) pair is tracked separately. Per rule level the engine keeps "on/off"
  with value hysteresis plus `raise_after`/`clear_after` time hysteresis (see rules.py).
- While the PBX link is down the floor store is stale: queue and agent alarms are *frozen*
  (neither raised nor cleared, their timers do not advance) — a stale "0 waiting" must not
  clear a real alarm, and a stale "12 waiting" must not raise a new one. The link alarm
  itself tells the supervisor what is going on.
- A queue or agent missing from the snapshot (while the link is up) counts as normal: its
  alarms clear. A figure of None (no calls yet this interval, no SIP configured) is normal
  too — e.g. at an interval boundary the previous interval's SL alarm clears.
- A severity increase needs a new acknowledgement and restarts the escalation timer; a
  decrease keeps both. An alarm escalates at most once. An alarm that clears while
  unacknowledged simply clears (the journal keeps it); a re-raise is a new alarm (new id).
- Transitions come out in a stable order (links, queues by name, agents by interface) so
  golden tests and journals are reproducible.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from cti.alarms.model import (
    AGENT_KINDS,
    QUEUE_KINDS,
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
from cti.alarms.rules import AgentRules, AlarmRules, Direction, QueueRules, Rule

log = logging.getLogger(__name__)

PBX_SUBJECT = "pbx"
SIP_SUBJECT = "sip"

_QUEUE_KINDS_ORDERED = (
    AlarmKind.SERVICE_LEVEL,
    AlarmKind.SL_PROJECTION,
    AlarmKind.WAITING,
    AlarmKind.LONGEST_WAIT,
    AlarmKind.ABANDON_RATE,
)
_AGENT_KINDS_ORDERED = (
    AlarmKind.AGENT_TALKING,
    AlarmKind.AGENT_WRAP_UP,
    AlarmKind.AGENT_NOT_READY,
)
# (kind, kind.value) pairs: the loops below need both, without an Enum attribute lookup each.
_QUEUE_ORDER = tuple((k, k.value) for k in _QUEUE_KINDS_ORDERED)
_AGENT_ORDER = tuple((k, k.value) for k in _AGENT_KINDS_ORDERED)
_QUEUE_VALUES = frozenset(k.value for k in QUEUE_KINDS)
_AGENT_VALUES = frozenset(k.value for k in AGENT_KINDS)
_PBX = (AlarmKind.PBX_LINK_DOWN, AlarmKind.PBX_LINK_DOWN.value)
_SIP = (AlarmKind.SIP_UNREGISTERED, AlarmKind.SIP_UNREGISTERED.value)


class AlarmAckError(Exception):
    """An acknowledgement could not be applied (unknown/cleared alarm, already acknowledged)."""


@dataclass
class _Track:
    key: AlarmKey
    rule: Rule
    on: list[bool]
    raise_since: list[float | None]
    clear_since: list[float | None]
    alarm: Alarm | None = None
    # Latest reading while the severity stays the same: the Alarm snapshot is refreshed from
    # it only when someone looks (active(), a transition) — 2,000 agents re-formatting a
    # message every second would cost more than the whole evaluation.
    latest: _Reading | None = None

    @classmethod
    def new(cls, key: AlarmKey, rule: Rule) -> _Track:
        n = len(rule.levels)
        return cls(key, rule, [False] * n, [None] * n, [None] * n)

    def idle(self) -> bool:
        return (
            self.alarm is None
            and not any(self.on)
            and all(s is None for s in self.raise_since)
            and all(s is None for s in self.clear_since)
        )


@dataclass(frozen=True)
class _Reading:
    """One figure to judge: the value (None = normal) plus what the message needs."""

    value: float | None
    label: str
    target: float = 0.0  # SL target for relative thresholds and messages
    reason: str | None = None
    calls: int | None = None  # calls behind a rate, for the rule's min_calls noise guard


@dataclass
class _Pass:
    now: float
    out: list[AlarmTransition] = field(default_factory=list)


def _fmt_duration(seconds: float) -> str:
    s = max(0, int(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _message(kind: AlarmKind, reading: _Reading, threshold: float | None) -> str:
    v = reading.value
    label = reading.label
    thr = 0.0 if threshold is None else threshold
    if kind is AlarmKind.PBX_LINK_DOWN:
        return "PBX link down: the floor is not live"
    if kind is AlarmKind.SIP_UNREGISTERED:
        return "Supervisor phone not registered: monitoring unavailable"
    val = 0.0 if v is None else v
    # Between the raise and the clear threshold (hysteresis) the alarm stays on while the
    # figure is already back on the safe side: say so, not "78% below 75%".
    if kind is AlarmKind.SERVICE_LEVEL:
        if val >= thr:
            return (
                f"Queue {label}: service level {val:.0%}, recovering "
                f"(alarm below {thr:.0%}, target {reading.target:.0%})"
            )
        return (
            f"Queue {label}: service level {val:.0%} below {thr:.0%} (target {reading.target:.0%})"
        )
    if kind is AlarmKind.SL_PROJECTION:
        if val >= thr:
            return (
                f"Queue {label}: projected service level {val:.0%}, recovering "
                f"(alarm below {thr:.0%})"
            )
        return f"Queue {label}: projected service level {val:.0%} below {thr:.0%}"
    if kind is AlarmKind.WAITING:
        return f"Queue {label}: {int(val)} calls waiting (limit {thr:g})"
    if kind is AlarmKind.LONGEST_WAIT:
        return f"Queue {label}: longest wait {_fmt_duration(val)} (limit {_fmt_duration(thr)})"
    if kind is AlarmKind.ABANDON_RATE:
        if val <= thr:
            return f"Queue {label}: abandon rate {val:.0%}, recovering (alarm above {thr:.0%})"
        return f"Queue {label}: abandon rate {val:.0%} above {thr:.0%}"
    if kind is AlarmKind.AGENT_TALKING:
        return f"Agent {label}: on one call for {_fmt_duration(val)} (limit {_fmt_duration(thr)})"
    if kind is AlarmKind.AGENT_WRAP_UP:
        return f"Agent {label}: in wrap-up for {_fmt_duration(val)} (limit {_fmt_duration(thr)})"
    reason = f" ({reading.reason})" if reading.reason else ""
    return f"Agent {label}: not ready{reason} for {_fmt_duration(val)} (limit {_fmt_duration(thr)})"


class AlarmEngine:
    """Evaluates rules over figure snapshots and keeps the active alarms.

    Attributes:
        rules: the current `AlarmRules` (replace with `set_rules`).
    """

    def __init__(self, rules: AlarmRules, clock: Callable[[], float]) -> None:
        self.rules = rules
        self._clock = clock
        # Keyed by (kind value, subject): plain strings hash in C; enum members do not, and
        # with 2,000 agents the hashing showed up in the profile.
        self._tracks: dict[tuple[str, str], _Track] = {}
        self._next_id = 1

    # ----------------------------------------------------------------- public API

    def set_rules(self, rules: AlarmRules) -> None:
        """New settings apply from the next evaluation (a changed rule restarts its timers)."""
        self.rules = rules

    def evaluate(
        self,
        queues: Iterable[QueueFigures],
        agents: Iterable[AgentFigures],
        links: LinkFigures,
    ) -> list[AlarmTransition]:
        p = _Pass(self._clock())
        self._eval_links(p, links)
        if links.pbx_up:
            self._eval_queues(p, queues)
            self._eval_agents(p, agents)
        self._escalate(p)
        return p.out

    def tick(self) -> list[AlarmTransition]:
        """Escalations only (no new figures)."""
        p = _Pass(self._clock())
        self._escalate(p)
        return p.out

    def acknowledge(self, alarm_id: int, by: str, comment: str = "") -> AlarmTransition:
        now = self._clock()
        for track in self._tracks.values():
            alarm = track.alarm
            if alarm is None or alarm.alarm_id != alarm_id:
                continue
            if alarm.acknowledged:
                raise AlarmAckError(
                    f"Alarm {alarm_id} was already acknowledged by {alarm.acknowledged_by}"
                )
            alarm = _refresh(track)
            assert alarm is not None
            track.alarm = replace(
                alarm, acknowledged_by=by, acknowledged_at=now, ack_comment=comment.strip()
            )
            return AlarmTransition(TransitionKind.ACKNOWLEDGED, track.alarm, now)
        raise AlarmAckError(f"Alarm {alarm_id} is not active (cleared or unknown)")

    def active(self) -> tuple[Alarm, ...]:
        """Active alarms, most severe first, then oldest first."""
        alarms = [a for t in self._tracks.values() if (a := _refresh(t)) is not None]
        alarms.sort(key=lambda a: (-int(a.severity), a.raised_at, a.alarm_id))
        return tuple(alarms)

    def alarm(self, alarm_id: int) -> Alarm | None:
        for a in self.active():
            if a.alarm_id == alarm_id:
                return a
        return None

    # ----------------------------------------------------------------- evaluation

    def _eval_links(self, p: _Pass, links: LinkFigures) -> None:
        pbx_value = 0.0 if links.pbx_up else 1.0
        self._judge(p, _PBX, PBX_SUBJECT, self.rules.links.pbx_down, _Reading(pbx_value, "PBX"))
        sip_value = None if links.sip_registered is None else (0.0 if links.sip_registered else 1.0)
        self._judge(
            p, _SIP, SIP_SUBJECT, self.rules.links.sip_unregistered, _Reading(sip_value, "SIP")
        )

    def _eval_queues(self, p: _Pass, queues: Iterable[QueueFigures]) -> None:
        by_name = {q.queue: q for q in queues}
        tracked = {subject for kv, subject in self._tracks if kv in _QUEUE_VALUES}
        for name in sorted(by_name.keys() | tracked):
            q = by_name.get(name)
            rules = self.rules.for_queue(name)
            for kind in _QUEUE_ORDER:
                rule = _queue_rule(rules, kind)
                reading = _queue_reading(q, kind[0]) if q is not None else _Reading(None, name)
                self._judge(p, kind, name, rule, reading)

    def _eval_agents(self, p: _Pass, agents: Iterable[AgentFigures]) -> None:
        by_if = {a.interface: a for a in agents}
        tracked = {subject for kv, subject in self._tracks if kv in _AGENT_VALUES}
        for interface in sorted(by_if.keys() | tracked):
            a = by_if.get(interface)
            match = _agent_kind(a.condition) if a is not None else None
            rules: AgentRules | None = None
            for kind in _AGENT_ORDER:
                if kind[0] is match:
                    assert a is not None
                    reading = _Reading(a.time_in_state, a.label, reason=a.reason)
                elif (kind[1], interface) in self._tracks:
                    reading = _Reading(None, a.label if a is not None else interface)
                else:
                    continue  # nothing to judge, nothing tracked: the common case
                if rules is None:
                    rules = self.rules.for_agent(interface)
                self._judge(p, kind, interface, _agent_rule(rules, kind[0], a), reading)

    def _judge(
        self,
        p: _Pass,
        kind: tuple[AlarmKind, str],
        subject: str,
        rule: Rule | None,
        reading: _Reading,
    ) -> None:
        tkey = (kind[1], subject)
        track = self._tracks.get(tkey)
        if rule is None:
            if track is not None:
                if track.alarm is not None:
                    self._emit_clear(p, track)
                del self._tracks[tkey]
            return
        value = reading.value
        if value is not None and reading.calls is not None and reading.calls < rule.min_calls:
            value = None
        offset = reading.target if rule.relative_to_target else 0.0
        if track is None:
            # Fast path: nothing tracked and not even the mildest level breached. (Levels are
            # validated to trigger at ever worse values, so the first one decides.)
            if value is None:
                return
            first = rule.levels[0].raise_at + offset
            if (value <= first) if rule.direction is Direction.ABOVE else (value >= first):
                return
            track = self._tracks[tkey] = _Track.new(AlarmKey(kind[0], subject), rule)
        elif track.rule is not rule and track.rule != rule:
            alarm = track.alarm
            track = self._tracks[tkey] = _Track.new(track.key, rule)
            track.alarm = alarm
        for i, level in enumerate(rule.levels):
            raise_thr = level.raise_at + offset
            clear_thr = level.clear_at + offset
            if value is None:
                breach, normal = False, True
            elif rule.direction is Direction.ABOVE:
                breach, normal = value > raise_thr, value <= clear_thr
            else:
                breach, normal = value < raise_thr, value >= clear_thr
            if not track.on[i]:
                track.clear_since[i] = None
                if breach:
                    since = track.raise_since[i]
                    if since is None:
                        since = track.raise_since[i] = p.now
                    if p.now - since >= rule.raise_after:
                        track.on[i] = True
                        track.raise_since[i] = None
                else:
                    track.raise_since[i] = None
            else:
                track.raise_since[i] = None
                if normal:
                    since = track.clear_since[i]
                    if since is None:
                        since = track.clear_since[i] = p.now
                    if p.now - since >= rule.clear_after:
                        track.on[i] = False
                        track.clear_since[i] = None
                else:
                    track.clear_since[i] = None

        top = max((i for i, on in enumerate(track.on) if on), default=None)
        if top is None:
            if track.alarm is not None:
                self._emit_clear(p, track)
        else:
            level = rule.levels[top]
            threshold = level.raise_at + offset
            self._emit_level(p, track.key, track, level.severity, threshold, reading)
        if track.idle():
            del self._tracks[tkey]

    def _emit_level(
        self,
        p: _Pass,
        key: AlarmKey,
        track: _Track,
        severity: Severity,
        threshold: float,
        reading: _Reading,
    ) -> None:
        alarm = track.alarm
        if alarm is not None and severity == alarm.severity:
            track.latest = reading  # silent refresh, materialised by _refresh()
            return
        track.latest = None
        message = _message(key.kind, reading, threshold)
        if alarm is None:
            track.alarm = Alarm(
                alarm_id=self._next_id,
                key=key,
                severity=severity,
                raised_at=p.now,
                severity_since=p.now,
                value=reading.value if key.kind not in _FLAG_KINDS else None,
                threshold=threshold if key.kind not in _FLAG_KINDS else None,
                message=message,
                subject_label=reading.label,
            )
            self._next_id += 1
            p.out.append(AlarmTransition(TransitionKind.RAISED, track.alarm, p.now))
            log.info("alarm raised: %s", message)
            return
        value = reading.value if key.kind not in _FLAG_KINDS else None
        if severity > alarm.severity:
            track.alarm = replace(
                alarm,
                severity=severity,
                severity_since=p.now,
                value=value,
                threshold=threshold if key.kind not in _FLAG_KINDS else None,
                message=message,
                acknowledged_by=None,
                acknowledged_at=None,
                ack_comment=None,
                escalated_at=None,
            )
        else:
            track.alarm = replace(
                alarm,
                severity=severity,
                value=value,
                threshold=threshold if key.kind not in _FLAG_KINDS else None,
                message=message,
            )
        p.out.append(
            AlarmTransition(
                TransitionKind.SEVERITY_CHANGED,
                track.alarm,
                p.now,
                previous_severity=alarm.severity,
            )
        )

    def _emit_clear(self, p: _Pass, track: _Track) -> None:
        alarm = _refresh(track)
        assert alarm is not None
        track.alarm = None
        track.latest = None
        p.out.append(AlarmTransition(TransitionKind.CLEARED, alarm, p.now))
        log.info("alarm cleared: %s", alarm.message)

    def _escalate(self, p: _Pass) -> None:
        due: list[_Track] = []
        for track in self._tracks.values():
            alarm = track.alarm
            if alarm is None or alarm.acknowledged or alarm.escalated_at is not None:
                continue
            after = self.rules.escalate_after.get(alarm.severity)
            if after is not None and p.now - alarm.severity_since >= after:
                due.append(track)
        for track in sorted(due, key=lambda t: _key_order(t.key)):
            alarm = _refresh(track)
            assert alarm is not None
            track.alarm = replace(alarm, escalated_at=p.now)
            p.out.append(AlarmTransition(TransitionKind.ESCALATED, track.alarm, p.now))
            log.warning("alarm escalated (not acknowledged): %s", alarm.message)


_FLAG_KINDS = frozenset({AlarmKind.PBX_LINK_DOWN, AlarmKind.SIP_UNREGISTERED})


def _refresh(track: _Track) -> Alarm | None:
    """Bring the track's Alarm snapshot up to the latest reading (same severity)."""
    alarm, reading = track.alarm, track.latest
    if alarm is None or reading is None:
        return alarm
    track.latest = None
    if alarm.key.kind not in _FLAG_KINDS and reading.value != alarm.value:
        alarm = track.alarm = replace(
            alarm, value=reading.value, message=_message(alarm.key.kind, reading, alarm.threshold)
        )
    return alarm


_KIND_RANK = {
    kind: i
    for i, kind in enumerate(
        (
            AlarmKind.PBX_LINK_DOWN,
            AlarmKind.SIP_UNREGISTERED,
            *_QUEUE_KINDS_ORDERED,
            *_AGENT_KINDS_ORDERED,
        )
    )
}


def _key_order(key: AlarmKey) -> tuple[int, str, int]:
    group = 0 if key.kind in _FLAG_KINDS else (1 if key.kind in QUEUE_KINDS else 2)
    return (group, key.subject, _KIND_RANK[key.kind])


def _queue_rule(rules: QueueRules, kind_pair: tuple[AlarmKind, str]) -> Rule | None:
    kind = kind_pair[0]
    if kind is AlarmKind.SERVICE_LEVEL:
        return rules.service_level
    if kind is AlarmKind.SL_PROJECTION:
        return rules.sl_projection
    if kind is AlarmKind.WAITING:
        return rules.waiting
    if kind is AlarmKind.LONGEST_WAIT:
        return rules.longest_wait
    return rules.abandon_rate


def _queue_reading(q: QueueFigures, kind: AlarmKind) -> _Reading:
    value: float | None
    calls: int | None = None
    if kind is AlarmKind.SERVICE_LEVEL:
        value, calls = q.service_level, q.sl_calls
    elif kind is AlarmKind.SL_PROJECTION:
        value = q.sl_projected
    elif kind is AlarmKind.WAITING:
        value = float(q.waiting)
    elif kind is AlarmKind.LONGEST_WAIT:
        value = q.longest_wait
    else:
        value, calls = q.abandon_rate, q.offered
    return _Reading(value, q.label, target=q.sl_target, calls=calls)


def _agent_kind(condition: AgentCondition) -> AlarmKind | None:
    if condition is AgentCondition.TALKING:
        return AlarmKind.AGENT_TALKING
    if condition is AgentCondition.WRAP_UP:
        return AlarmKind.AGENT_WRAP_UP
    if condition is AgentCondition.NOT_READY:
        return AlarmKind.AGENT_NOT_READY
    return None


def _agent_rule(rules: AgentRules, kind: AlarmKind, agent: AgentFigures | None) -> Rule | None:
    if kind is AlarmKind.AGENT_TALKING:
        return rules.talking
    if kind is AlarmKind.AGENT_WRAP_UP:
        return rules.wrap_up
    if agent is not None and agent.reason and agent.condition is AgentCondition.NOT_READY:
        by_reason = rules.not_ready_by_reason.get(agent.reason)
        if by_reason is not None:
            return by_reason
    return rules.not_ready
