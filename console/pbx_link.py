"""The console's link to the PBX: the embedded lab (when no PBX is configured) and the AMI
client, plus the PbxPort the agent actions use.

The AMI client runs on its own I/O thread and hands events, snapshots and link changes to
`post` (the floor controller's inbox); nothing here blocks the GUI thread — the lab process
is started on a background worker and the console connects when it reports ready.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from console.background import Background
from console.settings import PBX_LAB, Settings
from cti.ami.actions import QueueAdd, QueuePause, QueueRemove
from cti.ami.client import AmiClient, AmiConfig, AmiConfigError, LinkState, LinkStatus
from cti.ami.sync import SyncSnapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkChange:
    """A link status travelling through the floor controller's inbox with the events."""

    status: LinkStatus


class PbxLink(QObject):
    """Signals:
    lab_started(object): the embedded lab is up (LabInfo).
    failed(str): the link cannot be set up (bad settings, lab failed); shown to the user.
    """

    lab_started = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        settings: Settings,
        secret: Callable[[], str],
        background: Background,
        post: Callable[[Any], None],
        lab_speed: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._secret = secret
        self._background = background
        self._post = post
        self._lab_speed = lab_speed
        self.client: AmiClient | None = None
        self.lab: Any = None
        self.lab_info: Any = None
        self._stopping = False

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        self._stopping = False
        pbx = self.settings.pbx
        if pbx.mode == PBX_LAB:
            from cti.lab.process import LabProcess

            self.lab = LabProcess()
            scenario = pbx.lab_scenario or None
            self._background.submit(
                lambda: self.lab.start(scenario=scenario, speed=self._lab_speed),
                self._on_lab_ready,
                self._on_lab_failed,
            )
            return
        try:
            config = AmiConfig(
                host=pbx.host, port=pbx.port, username=pbx.user, secret=self._secret(), tls=pbx.tls
            )
        except AmiConfigError as exc:
            self.failed.emit(str(exc))
            return
        self._connect(config)

    def _on_lab_ready(self, info: Any) -> None:
        if self._stopping:
            return
        self.lab_info = info
        log.info(
            "lab PBX ready: AMI %s:%s, SIP %s:%s",
            info.ami_host,
            info.ami_port,
            info.sip_host,
            info.sip_port,
        )
        self.lab_started.emit(info)
        self._connect(
            AmiConfig(
                host=info.ami_host,
                port=info.ami_port,
                username=info.ami_user,
                secret=info.ami_secret,
            )
        )

    def _on_lab_failed(self, exc: BaseException) -> None:
        log.error("the embedded lab PBX did not start: %s", exc)
        self.failed.emit(str(exc))

    def _connect(self, config: AmiConfig) -> None:
        self.client = AmiClient(
            config,
            on_event=self._post,
            on_link_state=lambda status: self._post(LinkChange(status)),
        )
        self.client.start()

    def stop(self) -> None:
        self._stopping = True
        if self.client is not None:
            self.client.stop()
            self.client = None
        if self.lab is not None:
            self.lab.stop()
            self.lab = None

    def restart(self, settings: Settings) -> None:
        self.stop()
        self.settings = settings
        self.start()

    # -- PbxPort -------------------------------------------------------------------------------
    def _submit(self, action: Any) -> Future[Any]:
        if self.client is None:
            f: Future[Any] = Future()
            f.set_exception(RuntimeError("not connected to a PBX"))
            return f
        return self.client.submit(action)

    def pause(self, interface: str, paused: bool, reason: str, queue: str | None) -> Future[Any]:
        return self._submit(
            QueuePause(interface=interface, paused=paused, queue=queue, reason=reason or None)
        )

    def add_member(self, queue: str, interface: str, name: str, penalty: int) -> Future[Any]:
        return self._submit(
            QueueAdd(
                queue=queue,
                interface=interface,
                member_name=name or None,
                penalty=penalty,
                state_interface=interface,
            )
        )

    def remove_member(self, queue: str, interface: str) -> Future[Any]:
        return self._submit(QueueRemove(queue=queue, interface=interface))

    def originate(self, action: Any) -> Future[Any]:
        return self._submit(action)


class Intake:
    """Applies what the AMI client delivered, on the GUI thread (called by the floor
    controller's flush): events to the store and the journal, snapshots to the store, link
    changes to the store's stale flag and to the status bar."""

    def __init__(
        self,
        store: Any,
        journal: Callable[[Any], None] | None,
        on_link: Callable[[LinkStatus], None],
    ) -> None:
        self.store = store
        self.journal = journal
        self.on_link = on_link

    def __call__(self, item: Any) -> None:
        if isinstance(item, LinkChange):
            status = item.status
            if status.state != LinkState.LIVE:
                self.store.mark_stale(status.reason or status.state.value)
            if status.asterisk_version:
                self.store.set_pbx_version(status.asterisk_version)
            self.on_link(status)
            return
        if isinstance(item, SyncSnapshot):
            self.store.apply_snapshot(item)
        else:
            self.store.apply(item)
        if self.journal is not None:
            self.journal(item)
