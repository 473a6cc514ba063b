"""Alarm outputs that talk to serial devices: the LED wallboard and the GSM modem.

Serial writes can block for seconds (an unplugged adapter, a slow network round trip for an
SMS), so both run on one worker thread; the GUI only hands over the latest wallboard content
and the texts to send, and gets status lines back through a queued signal. SMS go through the
durable outbox first, so a message survives a crash or a missing modem and is retried.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from console.settings import DeviceSettings

log = logging.getLogger(__name__)


class AlarmOutputs(QObject):
    """Signals:
    status_changed(str): a line for the status bar (device connected, SMS sent / failed).
    """

    status_changed = Signal(str)

    def __init__(
        self, devices: DeviceSettings, outbox_path: Path, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.devices = devices
        self.outbox_path = outbox_path
        self._content: Any = None
        self._texts: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return bool(self.devices.wallboard_port or self.devices.modem_port)

    def start(self) -> None:
        if not self.active or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="alarm-outputs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def reconfigure(self, devices: DeviceSettings) -> None:
        if devices == self.devices:
            return
        self.stop()
        self.devices = devices
        self.start()

    # -- from the GUI thread -------------------------------------------------------------------
    def publish(self, content: Any) -> None:
        with self._lock:
            self._content = content

    def text_on_call(self, text: str) -> None:
        if not self.devices.modem_port or not self.devices.sms_recipients.strip():
            return
        with self._lock:
            self._texts.append(text)
        self._wake.set()

    # -- worker thread -------------------------------------------------------------------------
    def _run(self) -> None:
        board: Any = None
        outbox: Any = None
        dispatcher: Any = None
        last_board = ""
        try:
            board = self._open_wallboard()
            outbox, dispatcher = self._open_sms()
            while not self._stop.is_set():
                with self._lock:
                    content, self._content = self._content, None
                    texts, self._texts = self._texts, []
                if board is not None:
                    if content is not None:
                        board.publish(content)
                    st = board.poll()
                    line = "" if st.connected else f"wallboard: {st.last_error or 'not connected'}"
                    if line != last_board:
                        last_board = line
                        self.status_changed.emit(line or "wallboard: connected")
                if outbox is not None and dispatcher is not None:
                    now = time.time()
                    for text in texts:
                        for number in (n.strip() for n in self.devices.sms_recipients.split(",")):
                            if number:
                                outbox.enqueue(number, text, now)
                    for ev in dispatcher.poll():
                        self.status_changed.emit(
                            f"SMS #{ev.message_id} {ev.kind}"
                            + (f": {ev.error}" if ev.error else "")
                        )
                self._wake.wait(1.0)
                self._wake.clear()
        except Exception:
            log.exception("alarm outputs stopped")
            self.status_changed.emit("alarm outputs stopped: see the log")
        finally:
            if board is not None:
                board.close()
            if dispatcher is not None:
                dispatcher.close()
            if outbox is not None:
                outbox.close()

    def _open_wallboard(self) -> Any:
        d = self.devices
        if not d.wallboard_port:
            return None
        from cti.serial.wallboard import SignProtocol, WallboardConfig, WallboardDriver

        config = WallboardConfig(
            port=d.wallboard_port,
            baudrate=d.wallboard_baud,
            address=d.wallboard_address,
            protocol=SignProtocol(d.wallboard_protocol),
        )
        return WallboardDriver(config, time.monotonic)

    def _open_sms(self) -> tuple[Any, Any]:
        d = self.devices
        if not d.modem_port:
            return None, None
        from cti.serial.modem import GsmModem, ModemSettings
        from cti.serial.sms_sender import SmsDispatcher
        from db.outbox import SmsOutbox

        outbox = SmsOutbox(self.outbox_path, time.time())
        dispatcher = SmsDispatcher(
            outbox, lambda: GsmModem(ModemSettings(port=d.modem_port)), time.time
        )
        return outbox, dispatcher
