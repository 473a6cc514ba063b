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


def end_reason_label(text: str) -> str:
    """Why a monitoring session ended (the record's English sentence) in the UI language;
    words this console never writes are shown as recorded."""
    from cti.sip.end_reasons import EndCode, parse

    reason = parse(text)
    if reason is None:
        return text
    labels = {
        EndCode.STOPPED: _t("Stopped by the supervisor"),
        EndCode.CONSOLE_CLOSED: _t("The console was closed"),
        EndCode.START_FAILED: _t("Could not start monitoring: %1"),
        EndCode.PHONE_SHUT_DOWN: _t("The console's SIP phone was shut down"),
        EndCode.PBX_ENDED: _t(
            "The PBX ended the monitoring call, usually because the agent's call ended (%1)"
        ),
        EndCode.NOT_STARTED: _t("The PBX did not connect the monitoring call (%1)"),
        EndCode.ORIGINATE_REFUSED: _t("The PBX refused to start monitoring: %1"),
        EndCode.CONNECT_TIMEOUT: _t("No monitoring call from the PBX within %1 s"),
        EndCode.NO_AUDIO: _t("No audio from the PBX for %1 s: is the PBX reachable?"),
    }
    return labels[reason.code].replace("%1", reason.detail)


class RecordMonitorAudit:
    """MonitorAudit → the record's monitoring rows.

    The rows take the record's own clock (wall time), not the events' `ts`: the phone stamps
    its events with a monotonic clock (timeouts must not jump with the wall clock), which is
    seconds since boot, not a date. MonitorSession calls the audit as each transition
    happens, so the record's clock is the moment of the transition.
    """

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
        )

    def mode_changed(self, event: MonitorModeChanged) -> None:
        handle = self._handles.get(event.session)
        if self.record is not None and handle is not None:
            self.record.monitor_session_mode(handle, event.mode.value)

    def session_ended(self, event: MonitorEnded) -> None:
        handle = self._handles.pop(event.session, None)
        if self.record is not None and handle is not None:
            self.record.monitor_session_end(handle, getattr(event, "reason", "ended") or "ended")


class MonitorLink(QObject):
    """MonitorPort for AgentActions.

    Signals:
        banner_changed(str): text of the monitoring banner ("" hides it).
        registration_changed(str): the SIP account's state in words.
        session_lost(str): a session ended without the supervisor stopping it (the agent's
            call ended, the PBX refused or went silent), and why, in words. Without it the
            banner would just vanish while the supervisor is still listening.
    """

    banner_changed = Signal(str)
    registration_changed = Signal(str)
    session_lost = Signal(str)

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
            # The stack's events and the session's own (started, mode, ended), in order: the
            # session posts to this queue, which the phone's listeners never see.
            events = self.phone.drain_events()
        except Exception:
            log.exception("SIP poll failed")
            return
        for event in events:
            self._on_event(event)
        if events:
            self._render_banner()

    def _on_event(self, event: Any) -> None:
        from cti.sip.end_reasons import EXPECTED
        from cti.sip.events import MonitorEnded, RegistrationChanged

        if isinstance(event, MonitorEnded) and event.why.code not in EXPECTED:
            self.session_lost.emit(
                _t("Monitoring of %1 ended: %2")
                .replace("%1", self._agent_text(event.agent))
                .replace("%2", end_reason_label(event.reason))
            )
        if isinstance(event, RegistrationChanged):
            texts = {
                "registered": _t("SIP phone: registered"),
                "registering": _t("SIP phone: registering…"),
                "unregistered": _t("SIP phone: not registered"),
                "failed": _t("SIP phone: registration failed (%1)").replace("%1", event.reason),
            }
            self.registration_changed.emit(texts.get(event.state.value, event.state.value))

    def _render_banner(self) -> None:
        s = self.session
        if s is None or not s.busy:
            self.banner_changed.emit("")
            return
        who = self._agent_text(s.agent)
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

    def _agent_text(self, extension: str) -> str:
        agent = self.store.agent(self._agent_iface) if self._agent_iface else None
        return f"{agent.name} ({extension})" if agent is not None else extension

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
