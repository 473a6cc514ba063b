"""The GUI side of the embedded SIP phone: polls pjsua2 from a Qt timer (threadCnt=0,
mainThreadOnly: every pjsua2 callback lands on the GUI thread and only queues events),
registers the supervisor's account, runs one MonitorSession at a time, bridges the headset
through sounddevice, writes every session start / mode change / end to the record, and shows
the blue monitoring banner.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

# cti.sip pulls in pjsua2 and numpy (~0.5 s): imported when the phone is configured, after
# the window is on screen, never at start-up.
if TYPE_CHECKING:
    from cti.sip.config import MonitorProfile
    from cti.sip.events import MonitorEnded, MonitorModeChanged, MonitorStarted

log = logging.getLogger(__name__)


def _t(text: str) -> str:
    return QCoreApplication.translate("Monitoring", text)


class RecordMonitorAudit:
    """MonitorAudit → the record's monitoring rows."""

    def __init__(self, record: Any, linkedid_of: Any) -> None:
        self.record = record
        self.linkedid_of = linkedid_of
        self._handles: dict[int, Any] = {}

    def session_started(self, event: MonitorStarted) -> None:
        if self.record is None:
            return
        agent_if, queue, caller = self.linkedid_of(event.agent)
        self._handles[event.session] = self.record.monitor_session_start(
            agent_if,
            event.mode.value,
            queue=queue,
            linkedid=event.agent_call or None,
            caller=caller,
            details={"method": event.method, "sip_call_id": event.sip_call_id},
            ts=event.ts,
        )

    def mode_changed(self, event: MonitorModeChanged) -> None:
        handle = self._handles.get(event.session)
        if self.record is not None and handle is not None:
            self.record.monitor_session_mode(handle, event.mode.value, ts=event.ts)

    def session_ended(self, event: MonitorEnded) -> None:
        handle = self._handles.pop(event.session, None)
        if self.record is not None and handle is not None:
            self.record.monitor_session_end(
                handle, getattr(event, "reason", "ended") or "ended", ts=event.ts
            )


class MonitorLink(QObject):
    """MonitorPort for AgentActions.

    Signals:
        banner_changed(str): text of the monitoring banner ("" hides it).
        registration_changed(str): the SIP account's state in words.
    """

    banner_changed = Signal(str)
    registration_changed = Signal(str)

    def __init__(
        self, record: Any, store: Any, originate: Any = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.record = record
        self.store = store
        self.originate = originate
        self.phone: Any = None
        self.session: Any = None
        self.bridge: Any = None
        self.account = ""
        self.error = ""
        self.timer = QTimer(self)
        self.timer.setObjectName("sipPoll")
        self.timer.setInterval(15)
        self.timer.timeout.connect(self._poll)
        self._agent_iface = ""

    def configure(
        self, registrar: str, user: str, password: str, profile: MonitorProfile | None = None
    ) -> bool:
        """Start the phone and register; False (with `error` set) when the SIP stack is missing."""
        try:
            from cti.sip.audio_bridge import AudioBridge
            from cti.sip.config import SipAccountConfig
            from cti.sip.monitor import MonitorSession
            from cti.sip.phone import SipPhone
        except ImportError as exc:
            self.error = _t("The SIP phone is not available: %1").replace("%1", str(exc))
            log.error("%s", self.error)
            return False
        self.shutdown()
        self.phone = SipPhone(bind_host="127.0.0.1" if registrar.startswith("127.") else "0.0.0.0")
        self.phone.start()
        self.account = self.phone.add_account(
            SipAccountConfig(registrar=registrar, user=user, password=password)
        )
        self.bridge = AudioBridge(self.phone)
        try:
            self.bridge.open_devices()
        except Exception as exc:  # no sound card: monitoring still works, silently
            log.warning("headset audio unavailable: %s", exc)
        audit = RecordMonitorAudit(self.record, self._call_facts)
        self.session = MonitorSession(
            self.phone,
            self.account,
            audit,
            profile=profile,
            audio_port=self.bridge.port_name,
            originate=self.originate,
        )
        self.phone.add_listener(self._on_event)
        self.timer.start()
        return True

    def _call_facts(self, ext: str) -> tuple[str, str | None, str | None]:
        agent = self.store.agent(self._agent_iface) if self._agent_iface else None
        if agent is None:
            return (self._agent_iface or ext, None, None)
        return (agent.interface, agent.call_queue, agent.caller_number)

    def _poll(self) -> None:
        try:
            self.phone.poll(0)
            self.phone.drain_events()  # listeners already saw them; keep the queue empty
        except Exception:
            log.exception("SIP poll failed")

    def _on_event(self, event: Any) -> None:
        from cti.sip.events import RegistrationChanged

        if isinstance(event, RegistrationChanged):
            texts = {
                "registered": _t("SIP phone: registered"),
                "registering": _t("SIP phone: registering…"),
                "unregistered": _t("SIP phone: not registered"),
                "failed": _t("SIP phone: registration failed (%1)").replace("%1", event.reason),
            }
            self.registration_changed.emit(texts.get(event.state.value, event.state.value))
        self._render_banner()

    def _render_banner(self) -> None:
        s = self.session
        if s is None or not s.busy:
            self.banner_changed.emit("")
            return
        agent = self.store.agent(self._agent_iface) if self._agent_iface else None
        who = f"{agent.name} ({s.agent})" if agent is not None else s.agent
        mode = {
            "listen": _t("LISTENING to"),
            "whisper": _t("WHISPERING to"),
            "barge": _t("BARGED INTO the call of"),
        }
        text = (
            (mode.get(s.mode.value, s.mode.value) if s.active and s.mode else _t("Connecting to"))
            + " "
            + who
        )
        text += "   " + _t("L listen · W whisper · B barge · S stop")
        q = s.quality() if s.active else None
        if q is not None and getattr(q, "mos", None):
            text += f"   MOS {q.mos:.1f}"
        self.banner_changed.emit(text)

    # -- MonitorPort ---------------------------------------------------------------------------
    def start(self, agent: Any, mode: str) -> None:
        if self.session is None:
            raise RuntimeError(self.error or _t("The SIP phone is not configured."))
        self._agent_iface = agent.interface
        from cti.sip.config import MonitorMode

        self.session.start(agent.extension, MonitorMode(mode), agent_call=agent.call_linkedid or "")
        self._render_banner()

    def switch(self, mode: str) -> None:
        from cti.sip.config import MonitorMode

        self.session.set_mode(MonitorMode(mode))
        self._render_banner()

    def stop(self) -> None:
        if self.session is not None:
            self.session.stop()
        self._render_banner()

    def active_agent(self) -> str | None:
        s = self.session
        return self._agent_iface if s is not None and s.busy else None

    def shutdown(self) -> None:
        """Order matters (pjsua2): end the session, stop the headset streams, then let the
        phone hang up and wait for the calls to end before it drops the conference port —
        dropping a port while a call still feeds it crashes on the media clock thread."""
        self.timer.stop()
        if self.session is not None:
            self.session.close()
            self.session = None
        if self.bridge is not None:
            self.bridge.close_devices()
        if self.phone is not None:
            self.phone.shutdown()
            self.phone = None
        self.bridge = None
