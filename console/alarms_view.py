"""Alarms on screen: the strip under the banners, acknowledgement with a comment, the sound,
the journal rows, and the wallboard. The rules engine (cti/alarms) decides; this controller
feeds it the store's figures once a second and routes its transitions.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QInputDialog, QPushButton, QWidget

from console.alarm_list import AlarmListDialog, by_urgency
from cti.alarms.engine import AlarmAckError, AlarmEngine
from cti.alarms.model import (
    AGENT_KINDS,
    LINK_KINDS,
    QUEUE_KINDS,
    AgentCondition,
    AgentFigures,
    Alarm,
    AlarmKind,
    AlarmTransition,
    LinkFigures,
    QueueFigures,
    Severity,
    TransitionKind,
)
from cti.alarms.rules import hotline_defaults
from cti.state.agent_state import AgentState
from widgets.elided_label import ElidedLabel

log = logging.getLogger(__name__)

_CONDITION = {
    AgentState.TALKING: AgentCondition.TALKING,
    AgentState.ON_HOLD: AgentCondition.TALKING,
    AgentState.WRAP_UP: AgentCondition.WRAP_UP,
    AgentState.NOT_READY: AgentCondition.NOT_READY,
}


def _t(text: str) -> str:
    return QCoreApplication.translate("Alarms", text)


def _dur(seconds: float | None) -> str:
    s = int(seconds or 0)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def _pct(x: float | None) -> str:
    return f"{(x or 0.0) * 100:.0f}%"


def _fill(text: str, second: str, third: str) -> str:
    """A translated alarm text with its %2 and %3 filled in (%1, the subject, comes last)."""
    return text.replace("%2", second).replace("%3", third)


def alarm_text(a: Alarm) -> str:
    """The alarm in the UI language (the engine's own message is English, for the journal,
    SMS and wallboard, which are read by people on other screens and phones)."""
    text = described_alarm(a.key.kind, a.subject_label or a.key.subject, a.value, a.threshold)
    return a.message if text is None else text


def recorded_alarm_text(
    rule: str, subject: str, value: float | None, threshold: float | None
) -> str | None:
    """A recorded alarm (rule code, subject, figures) in the UI language; None for a rule this
    console does not know (the recorded English message stands then)."""
    try:
        kind = AlarmKind(rule)
    except ValueError:
        return None
    if kind not in LINK_KINDS and (value is None or threshold is None):
        return None  # figures not recorded: a rebuilt text would show zeros
    return described_alarm(kind, subject, value, threshold)


def _count(x: float | None) -> str:
    return f"{x or 0:g}"


_PERCENT_KINDS = frozenset(
    {AlarmKind.SERVICE_LEVEL, AlarmKind.SL_PROJECTION, AlarmKind.ABANDON_RATE}
)
_DURATION_KINDS = frozenset(
    {
        AlarmKind.LONGEST_WAIT,
        AlarmKind.AGENT_TALKING,
        AlarmKind.AGENT_WRAP_UP,
        AlarmKind.AGENT_NOT_READY,
    }
)


def _figure(kind: AlarmKind) -> Callable[[float | None], str]:
    """How a rule's value and threshold read: 78%, 3:10, 7."""
    if kind in _PERCENT_KINDS:
        return _pct
    if kind in _DURATION_KINDS:
        return _dur
    return _count


def alarm_figure(rule: str, value: float) -> str:
    """A recorded alarm's value or threshold as the alarm's text shows it (the review's Value
    and Threshold columns; exports keep the number)."""
    try:
        return _figure(AlarmKind(rule))(value)
    except ValueError:
        return f"{value:g}"


# Between the raise and the clear threshold (hysteresis) an alarm stays on while its figure is
# already back on the safe side: (alarm when below?, text) says so, not "78% below 75%".
_RECOVERING = {
    AlarmKind.SERVICE_LEVEL: (
        True,
        QT_TRANSLATE_NOOP("Alarms", "Queue %1: service level %2, recovering (alarm below %3)"),
    ),
    AlarmKind.SL_PROJECTION: (
        True,
        QT_TRANSLATE_NOOP(
            "Alarms", "Queue %1: projected service level %2, recovering (alarm below %3)"
        ),
    ),
    AlarmKind.ABANDON_RATE: (
        False,
        QT_TRANSLATE_NOOP("Alarms", "Queue %1: abandon rate %2, recovering (alarm above %3)"),
    ),
}


def described_alarm(k: AlarmKind, label: str, v: float | None, thr: float | None) -> str | None:
    f = _figure(k)
    texts = {
        AlarmKind.PBX_LINK_DOWN: lambda: _t("PBX link down: the floor is not live"),
        AlarmKind.SIP_UNREGISTERED: lambda: _t(
            "Supervisor phone not registered: monitoring unavailable"
        ),
        AlarmKind.SERVICE_LEVEL: lambda: _t("Queue %1: service level %2 below %3"),
        AlarmKind.SL_PROJECTION: lambda: _t("Queue %1: projected service level %2 below %3"),
        AlarmKind.WAITING: lambda: _t("Queue %1: %2 calls waiting (limit %3)"),
        AlarmKind.LONGEST_WAIT: lambda: _t("Queue %1: longest wait %2 (limit %3)"),
        AlarmKind.ABANDON_RATE: lambda: _t("Queue %1: abandon rate %2 above %3"),
        AlarmKind.AGENT_TALKING: lambda: _t("Agent %1: on one call for %2 (limit %3)"),
        AlarmKind.AGENT_WRAP_UP: lambda: _t("Agent %1: in wrap-up for %2 (limit %3)"),
        AlarmKind.AGENT_NOT_READY: lambda: _t("Agent %1: not ready for %2 (limit %3)"),
    }
    recovering = _RECOVERING.get(k)
    if recovering is not None and v is not None and thr is not None:
        below, text = recovering
        if (v >= thr) if below else (v <= thr):
            return _fill(_t(text), f(v), f(thr)).replace("%1", label)
    make = texts.get(k)
    if make is None:
        return None
    return _fill(make(), f(v), f(thr)).replace("%1", label)


def kind_label(kind: str) -> str:
    """An alarm rule (AlarmKind value, as recorded) in the UI language; unknown codes as is."""
    labels = {
        AlarmKind.SERVICE_LEVEL.value: _t("Service level"),
        AlarmKind.SL_PROJECTION.value: _t("Projected service level"),
        AlarmKind.WAITING.value: _t("Calls waiting"),
        AlarmKind.LONGEST_WAIT.value: _t("Longest wait"),
        AlarmKind.ABANDON_RATE.value: _t("Abandon rate"),
        AlarmKind.AGENT_TALKING.value: _t("Long call"),
        AlarmKind.AGENT_WRAP_UP.value: _t("Long wrap-up"),
        AlarmKind.AGENT_NOT_READY.value: _t("Long not ready"),
        AlarmKind.PBX_LINK_DOWN.value: _t("PBX link down"),
        AlarmKind.SIP_UNREGISTERED.value: _t("Phone not registered"),
    }
    return labels.get(kind, kind)


def severity_label(severity: str) -> str:
    """A recorded severity ("critical", Severity names in lower case) in the UI language."""
    labels = {
        Severity.CRITICAL.name.lower(): _t("Critical"),
        Severity.WARNING.name.lower(): _t("Warning"),
        Severity.INFO.name.lower(): _t("Info"),
    }
    return labels.get(severity, severity)


def figures_from_store(store: Any, now: float) -> tuple[list[QueueFigures], list[AgentFigures]]:
    queues = []
    for q in store.queues():
        cur = q.current
        proj = q.projection
        queues.append(
            QueueFigures(
                queue=q.name,
                waiting=q.waiting,
                longest_wait=q.longest_wait_s or 0.0,
                service_level=None if cur.sl_percent is None else cur.sl_percent / 100.0,
                sl_calls=cur.offered,
                sl_target=proj.target_percent / 100.0,
                abandon_rate=None if cur.abandon_percent is None else cur.abandon_percent / 100.0,
                offered=cur.offered,
            )
        )
    agents = [
        AgentFigures(
            interface=a.interface,
            condition=_CONDITION.get(a.state, AgentCondition.OTHER),
            time_in_state=max(0.0, now - a.state_since),
            name=a.name,
            reason=a.reason,
        )
        for a in store.agents()
    ]
    return queues, agents


SMS_LISTED = 3  # alarms named in one escalation text; the rest are counted


def escalation_text(alarms: list[Alarm]) -> str:
    """One SMS for the alarms that escalated in the same second: on a bad evening a hundred
    can, and the on-call manager needs one message, not a hundred (a modem sends one in
    about five seconds)."""
    if len(alarms) == 1:
        return _t("Hotline alarm not acknowledged: %1").replace("%1", alarms[0].message)
    named = "; ".join(a.message for a in by_urgency(alarms)[:SMS_LISTED])
    rest = len(alarms) - SMS_LISTED
    text = _t("%1 hotline alarms not acknowledged: %2").replace("%1", str(len(alarms)))
    text = text.replace("%2", named)
    return text + (_t(" (and %1 more)").replace("%1", str(rest)) if rest > 0 else "")


class AlarmStrip(QFrame):
    """The row of active alarms; each with its text and an Acknowledge button.

    Signals:
        acknowledge_requested(int): the supervisor clicked Acknowledge on this alarm id.
    """

    acknowledge_requested = Signal(int)
    list_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmStrip")
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(6, 3, 6, 3)
        self._labels: list[ElidedLabel] = []
        self._layout: tuple[object, ...] = ()
        self.hide()

    def show_alarms(self, alarms: tuple[Alarm, ...]) -> None:
        """Show the four most urgent alarms. Called every tick: when the same alarms stay,
        only their figures are rewritten in place, so a button the supervisor is about to
        click is not swapped under the pointer."""
        shown = by_urgency(alarms)[:4]
        texts = [self._text(a) for a in shown]
        layout = (tuple((a.alarm_id, bool(a.acknowledged_by)) for a in shown), len(alarms))
        if layout == self._layout:
            for label, text, a in zip(self._labels, texts, shown, strict=True):
                if label.text() != text:
                    label.setText(text)
                    label.setToolTip(alarm_text(a))
            return
        self._layout = layout
        while self._lay.count():
            item = self._lay.takeAt(0)
            w = item.widget()
            if w is not None:
                w.deleteLater()
        self._labels = []
        for a, text in zip(shown, texts, strict=True):
            colour = "#b3261e" if a.severity is Severity.CRITICAL else "#b36b00"
            label = ElidedLabel(text)
            label.setStyleSheet(f"color: {colour}; font-weight: bold;")
            label.setToolTip(alarm_text(a))
            self._lay.addWidget(label)
            self._labels.append(label)
            if not a.acknowledged_by:
                btn = QPushButton(_t("Acknowledge"))
                btn.setObjectName(f"ack_{a.alarm_id}")
                btn.clicked.connect(
                    lambda _=False, i=a.alarm_id: self.acknowledge_requested.emit(i)
                )
                self._lay.addWidget(btn)
        if len(alarms) > len(shown):
            more = QPushButton(_t("+%1 more…").replace("%1", str(len(alarms) - len(shown))))
            more.setObjectName("alarmsMore")
            more.setToolTip(_t("All active alarms"))
            more.clicked.connect(self.list_requested)
            self._lay.addWidget(more)
        self._lay.addStretch(1)
        self.setVisible(bool(alarms))

    @staticmethod
    def _text(a: Alarm) -> str:
        mark = "▲" if a.severity is Severity.CRITICAL else "●"
        text = f"{mark} {alarm_text(a)}"
        return text + "  " + _t("(acknowledged)") if a.acknowledged_by else text


class AlarmController(QObject):
    """Signals:
    alarms_changed(tuple): the active alarms after a change.
    """

    alarms_changed = Signal(tuple)

    def __init__(
        self,
        store: Any,
        strip: AlarmStrip,
        record: Any,
        supervisor: Callable[[], str],
        link_up: Callable[[], bool],
        sound: Any = None,
        outputs: Any = None,
        clock: Callable[[], float] = time.time,
        ask_comment: Callable[[str], str | None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.strip = strip
        self.record = record
        self.supervisor = supervisor
        self.link_up = link_up
        self.sound = sound
        self.outputs = outputs
        self.clock = clock
        self.ask_comment = ask_comment or self._ask_comment
        self.engine = AlarmEngine(hotline_defaults(), clock)
        self._handles: dict[int, Any] = {}
        self.timer = QTimer(self)
        self.timer.setObjectName("alarmTick")
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.evaluate)
        strip.acknowledge_requested.connect(self.acknowledge)
        strip.list_requested.connect(self.show_list)
        self.list_dialog: AlarmListDialog | None = None

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def evaluate(self) -> list[AlarmTransition]:
        now = self.clock()
        up = bool(self.link_up())
        queues, agents = figures_from_store(self.store, now) if up else ([], [])
        transitions = self.engine.evaluate(queues, agents, LinkFigures(pbx_up=up))
        transitions += self.engine.tick()
        for tr in transitions:
            self._route(tr)
        # One alert per tick, the most severe: a 200-queue floor can raise a hundred alarms
        # at once, and each alert opens the sound device on this (the GUI) thread.
        loud = [
            tr.alarm.severity
            for tr in transitions
            if tr.kind in (TransitionKind.RAISED, TransitionKind.ESCALATED)
        ]
        if loud:
            self._sound(max(loud))
        escalated = [tr.alarm for tr in transitions if tr.kind is TransitionKind.ESCALATED]
        if escalated and self.outputs is not None:
            self.outputs.text_on_call(escalation_text(escalated))
        active = self.engine.active()
        if transitions:
            self._show(active)
        else:
            # the same alarms, their figures moving: the strip and the list follow them
            self._refresh(active)
        if self.outputs is not None and self.outputs.devices.wallboard_port:
            from cti.serial.wallboard import floor_content

            self.outputs.publish(floor_content(queues, active))
        return transitions

    def _route(self, tr: AlarmTransition) -> None:
        a = tr.alarm
        rec = self.record
        if tr.kind is TransitionKind.RAISED:
            if rec is not None:
                subject = a.key.subject
                self._handles[a.alarm_id] = rec.alarm_raised(
                    a.key.kind.value,
                    a.severity.name.lower(),
                    a.message,
                    queue=subject if a.key.kind in QUEUE_KINDS else None,
                    agent=subject if a.key.kind in AGENT_KINDS else None,
                    details={"value": a.value, "threshold": a.threshold},
                    ts=tr.at,
                )
        elif tr.kind is TransitionKind.CLEARED:
            handle = self._handles.pop(a.alarm_id, None)
            if rec is not None and handle is not None:
                rec.alarm_cleared(handle, "cleared", ts=tr.at)
        elif tr.kind is TransitionKind.SEVERITY_CHANGED:
            self._record_change(tr, "severity")
        elif tr.kind is TransitionKind.ESCALATED:
            self._record_change(tr, "escalated")
            log.warning("alarm escalated (not acknowledged in time): %s", a.message)

    def _record_change(self, tr: AlarmTransition, change: str) -> None:
        a = tr.alarm
        handle = self._handles.get(a.alarm_id)
        if self.record is None or handle is None:
            return
        self.record.alarm_changed(
            handle,
            change,
            a.severity.name.lower(),
            a.message,
            details={"value": a.value, "threshold": a.threshold},
            ts=tr.at,
        )

    def _sound(self, severity: Severity) -> None:
        if self.sound is None:
            return
        try:
            self.sound.play(severity)
        except Exception as exc:
            log.warning("alarm sound unavailable: %s", exc)

    def _ask_comment(self, message: str) -> str | None:
        text, ok = QInputDialog.getText(
            self.strip, _t("Acknowledge alarm"), _t("Comment for the record:") + "\n" + message
        )
        return text if ok else None

    def _show(self, active: tuple[Alarm, ...]) -> None:
        self._refresh(active)
        self.alarms_changed.emit(active)

    def _refresh(self, active: tuple[Alarm, ...]) -> None:
        self.strip.show_alarms(active)
        if self.list_dialog is not None and self.list_dialog.isVisible():
            self.list_dialog.show_alarms(active)

    def show_list(self) -> AlarmListDialog:
        """The list of every active alarm (opened from the strip's "+N more")."""
        if self.list_dialog is None:
            self.list_dialog = AlarmListDialog(alarm_text, self.strip.window())
            self.list_dialog.acknowledge_requested.connect(self.acknowledge_many)
        self.list_dialog.show_alarms(self.engine.active())
        self.list_dialog.show()
        self.list_dialog.raise_()
        self.list_dialog.activateWindow()
        return self.list_dialog

    def acknowledge(self, alarm_id: int) -> bool:
        return self.acknowledge_many([alarm_id]) == 1

    def acknowledge_many(self, alarm_ids: list[int]) -> int:
        """Acknowledge these alarms with one comment (asked once); returns how many were."""
        alarms = [
            a
            for a in (self.engine.alarm(i) for i in alarm_ids)
            if a is not None and not a.acknowledged_by
        ]
        if not alarms:
            return 0
        if len(alarms) == 1:
            question = alarm_text(alarms[0])
        else:
            question = _t("%1 alarms, the first: %2").replace("%1", str(len(alarms)))
            question = question.replace("%2", alarm_text(alarms[0]))
        comment = self.ask_comment(question)
        if comment is None:
            return 0
        who = self.supervisor()
        done = 0
        for a in alarms:
            try:
                tr = self.engine.acknowledge(a.alarm_id, who, comment)
            except AlarmAckError as exc:  # cleared while the comment was being written
                log.info("not acknowledged: %s", exc)
                continue
            done += 1
            handle = self._handles.get(a.alarm_id)
            if self.record is not None and handle is not None:
                self.record.alarm_acknowledged(handle, comment, ts=tr.at)
        self._show(self.engine.active())
        return done


class LazyAlarmSound:
    """Opens the alarm sound output on the first alarm (PortAudio and numpy load then, not at
    start-up); a machine without speakers is reported once and alarms stay on screen."""

    def __init__(self) -> None:
        self._player: Any = None
        self._failed = False

    def play(self, severity: Any) -> None:
        if self._failed:
            return
        if self._player is None:
            try:
                from cti.alarms.sound import AlarmSoundPlayer

                self._player = AlarmSoundPlayer()
            except Exception as exc:
                self._failed = True
                log.warning("alarm sound disabled: %s", exc)
                return
        self._player.play(severity)

    def close(self) -> None:
        if self._player is not None:
            self._player.close()
            self._player = None


def alarm_sound() -> LazyAlarmSound:
    return LazyAlarmSound()
