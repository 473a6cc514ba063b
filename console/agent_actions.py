"""Supervisor actions on agents: checked, audited first, then executed; failures shown.

Order for every action (DESIGN.md): check it applies to the agent's current state → write the
intent to the audit record (durable before anything happens) → act through the PBX (AMI) or the
SIP phone → complete the audit row with the result and duration → report success or failure
to the UI. Disruptive actions (barge, remove from queue) ask for confirmation first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from cti.state.agent_state import AgentState
from cti.state.views import AgentView

log = logging.getLogger(__name__)


def _t(text: str) -> str:
    return QCoreApplication.translate("AgentActions", text)


def action_names() -> dict[str, str]:
    """The supervisor's actions, as the record names them, to their names on the buttons."""
    return {
        "listen": _t("Listen"),
        "whisper": _t("Whisper"),
        "barge": _t("Barge"),
        "stop": _t("Stop"),
        "pause": _t("Not ready"),
        "unpause": _t("Ready"),
        "remove": _t("Remove from queue"),
        "add": _t("Add to queue"),
    }


def result_text(result: Any) -> str:
    """What the PBX answered, as the record keeps it: "Success: Interface paused successfully"
    (the AMI client's ActionResult carries the Response's Message)."""
    message = getattr(result, "message", None)
    if not isinstance(message, str):
        return str(result)
    return f"Success: {message}" if message else "Success"


class AuditPort(Protocol):
    """Implemented by the record (db.record.Record): intent first (durable), then the result."""

    def action_intent(
        self,
        action: str,
        *,
        agent: str | None = None,
        queue: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any: ...

    def action_result(
        self, handle: Any, ok: bool, result: str = "", duration: float | None = None
    ) -> Any: ...


class PbxPort(Protocol):
    """Queue-membership actions; each returns a future resolved on the AMI I/O thread."""

    def pause(
        self, interface: str, paused: bool, reason: str, queue: str | None
    ) -> Future[Any]: ...

    def add_member(self, queue: str, interface: str, name: str, penalty: int) -> Future[Any]: ...

    def remove_member(self, queue: str, interface: str) -> Future[Any]: ...


class MonitorPort(Protocol):
    """The console's SIP phone: one monitoring session at a time."""

    def start(self, agent: AgentView, mode: str) -> None: ...

    def switch(self, mode: str) -> None: ...

    def stop(self) -> None: ...

    def active_agent(self) -> str | None: ...


@dataclass(frozen=True)
class Check:
    ok: bool
    why: str = ""


MONITORABLE = (AgentState.TALKING, AgentState.ON_HOLD)


class AgentActions(QObject):
    """Signals:
    action_finished(str, bool, str): action name, success, message to show.
    """

    action_finished = Signal(str, bool, str)

    def __init__(
        self,
        store: Any,
        pbx: PbxPort | None,
        audit: AuditPort,
        confirm: Callable[[str], bool],
        monitor: MonitorPort | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.pbx = pbx
        self.monitor = monitor
        self.audit = audit
        self.confirm = confirm
        self._pending: list[tuple[str, Future[Any], Any, float]] = []
        self._poll = QTimer(self)
        self._poll.setObjectName("agentActionsPoll")
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._on_poll)

    # -- applicability -------------------------------------------------------------------------
    def can(self, action: str, agent: AgentView | None) -> Check:
        if agent is None:
            return Check(False, _t("Select an agent first."))
        live = getattr(self.store, "is_live", True)
        if not live:
            return Check(False, _t("The floor is not in sync with the PBX."))
        if action in ("listen", "whisper", "barge"):
            if self.monitor is None:
                return Check(False, _t("No SIP phone is configured for monitoring."))
            if agent.state not in MONITORABLE:
                return Check(
                    False, _t("%1 is not on a call.").replace("%1", agent.name or agent.interface)
                )
            return Check(True)
        if action == "stop":
            if self.monitor is None or self.monitor.active_agent() is None:
                return Check(False, _t("No monitoring session is active."))
            return Check(True)
        if self.pbx is None:
            return Check(False, _t("Not connected to a PBX."))
        if action == "pause":
            if not agent.queues:
                return Check(False, _t("%1 is not in any queue.").replace("%1", agent.name))
            if all(m.paused for m in agent.queues):
                return Check(False, _t("%1 is already not ready.").replace("%1", agent.name))
            return Check(True)
        if action == "unpause":
            if not any(m.paused for m in agent.queues):
                return Check(False, _t("%1 is not paused.").replace("%1", agent.name))
            return Check(True)
        if action in ("remove", "add"):
            return Check(True)
        return Check(False, _t("Unknown action."))

    # -- actions -------------------------------------------------------------------------------
    def pause(self, agent: AgentView | None, reason: str) -> bool:
        return self._pbx_action(
            "pause",
            agent,
            {"reason": reason},
            lambda a: self.pbx.pause(a.interface, True, reason, None),  # type: ignore[union-attr]
        )

    def unpause(self, agent: AgentView | None) -> bool:
        return self._pbx_action(
            "unpause",
            agent,
            {},
            lambda a: self.pbx.pause(a.interface, False, "", None),  # type: ignore[union-attr]
        )

    def remove_from_queue(self, agent: AgentView | None, queue: str) -> bool:
        if agent is not None and queue not in {m.queue for m in agent.queues}:
            self.action_finished.emit(
                "remove",
                False,
                _t("%1 is not in queue %2.").replace("%1", agent.name).replace("%2", queue),
            )
            return False
        if agent is not None and not self.confirm(
            _t("Remove %1 from queue %2?").replace("%1", agent.name).replace("%2", queue)
        ):
            return False
        return self._pbx_action(
            "remove",
            agent,
            {"queue": queue},
            lambda a: self.pbx.remove_member(queue, a.interface),  # type: ignore[union-attr]
        )

    def add_to_queue(self, agent: AgentView | None, queue: str, penalty: int = 0) -> bool:
        if agent is not None and queue in {m.queue for m in agent.queues}:
            self.action_finished.emit(
                "add",
                False,
                _t("%1 is already in queue %2.").replace("%1", agent.name).replace("%2", queue),
            )
            return False
        return self._pbx_action(
            "add",
            agent,
            {"queue": queue, "penalty": penalty},
            lambda a: self.pbx.add_member(queue, a.interface, a.name, penalty),  # type: ignore[union-attr]
        )

    def monitor_action(self, mode: str, agent: AgentView | None) -> bool:
        """listen / whisper / barge start or switch a session; stop ends it."""
        check = self.can(mode, agent)
        if not check.ok:
            self.action_finished.emit(mode, False, check.why)
            return False
        assert self.monitor is not None
        if mode == "barge" and not self.confirm(
            _t("Barge into the call of %1? Caller and agent will both hear you.").replace(
                "%1", agent.name if agent else ""
            )
        ):
            return False
        # The SIP phone writes its own session/mode rows; this row records the supervisor's click.
        try:
            handle = self.audit.action_intent(mode, agent=agent.interface if agent else None)
        except Exception as exc:
            return self._unrecorded(mode, exc)
        t0 = time.monotonic()
        try:
            if mode == "stop":
                self.monitor.stop()
            elif self.monitor.active_agent() == (agent.interface if agent else None):
                self.monitor.switch(mode)
            else:
                assert agent is not None
                if self.monitor.active_agent() is not None:
                    self.monitor.stop()
                self.monitor.start(agent, mode)
        except Exception as exc:
            log.exception("monitoring action %s failed", mode)
            self.audit.action_result(handle, False, str(exc), time.monotonic() - t0)
            self.action_finished.emit(mode, False, str(exc))
            return False
        self.audit.action_result(handle, True, "requested", time.monotonic() - t0)
        self.action_finished.emit(mode, True, "")
        return True

    def _pbx_action(
        self,
        name: str,
        agent: AgentView | None,
        params: dict[str, Any],
        run: Callable[[AgentView], Future[Any]],
    ) -> bool:
        check = self.can(name, agent)
        if not check.ok:
            self.action_finished.emit(name, False, check.why)
            return False
        assert agent is not None
        try:
            handle = self.audit.action_intent(
                name, agent=agent.interface, queue=params.get("queue"), params=params
            )
        except Exception as exc:
            return self._unrecorded(name, exc)
        t0 = time.monotonic()
        try:
            fut = run(agent)
        except Exception as exc:
            log.exception("action %s failed to start", name)
            self.audit.action_result(handle, False, str(exc), time.monotonic() - t0)
            self.action_finished.emit(name, False, str(exc))
            return False
        self._pending.append((name, fut, handle, t0))
        if not self._poll.isActive():
            self._poll.start()
        return True

    def _unrecorded(self, name: str, exc: Exception) -> bool:
        """The intent could not be written: the action is not run (an unaudited action is
        worse than a refused one)."""
        log.error("audit intent for %s failed: %s", name, exc)
        self.action_finished.emit(
            name,
            False,
            _t("Not done: the action could not be recorded (%1).").replace("%1", str(exc)),
        )
        return False

    def _on_poll(self) -> None:
        still: list[tuple[str, Future[Any], Any, float]] = []
        for name, fut, handle, t0 in self._pending:
            if not fut.done():
                still.append((name, fut, handle, t0))
                continue
            duration = time.monotonic() - t0
            exc = fut.exception()
            if exc is not None:
                msg = str(exc) or type(exc).__name__
                self.audit.action_result(handle, False, msg, duration)
                self.action_finished.emit(name, False, msg)
            else:
                self.audit.action_result(handle, True, result_text(fut.result()), duration)
                self.action_finished.emit(name, True, "")
        self._pending = still
        if not still:
            self._poll.stop()

    def shutdown(self) -> None:
        self._poll.stop()
