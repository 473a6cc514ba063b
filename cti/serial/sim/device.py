"""The loop both simulators share: read the port, hand bytes to a handler, stop cleanly.

A simulator runs either in the foreground (`run()`, the command-line tools) or on its own
thread (`start()` / `stop()`, the tests). It ends by itself when the port goes away (the
other end of the pty closed, the USB adapter was pulled) and says so in `ended_reason`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from cti.serial.link import PORT_FAILURES, PortSettings, open_port, port_error

log = logging.getLogger(__name__)


class SimulatedDevice:
    """Subclasses implement `handle(data)` and may call `write(data)`.

    Attributes:
        settings: port settings.
        ended_reason: why `run()` returned (None while running or after `stop()`).
    """

    def __init__(self, settings: PortSettings) -> None:
        self.settings = settings
        self._port: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._write_lock = threading.Lock()
        self.ended_reason: str | None = None
        self.opened = threading.Event()

    def handle(self, data: bytes) -> None:
        raise NotImplementedError

    def write(self, data: bytes) -> None:
        with self._write_lock:
            if self._port is not None:
                self._port.write(data)
                self._port.flush()

    def run(self, on_open: Callable[[], None] | None = None) -> None:
        """Serve until `stop()` or the port goes away. Raises SerialPortError if it cannot
        be opened."""
        self._port = open_port(self.settings)
        self.opened.set()
        if on_open is not None:
            on_open()
        try:
            while not self._stop.is_set():
                try:
                    data = self._port.read(max(1, self._port.in_waiting))
                except PORT_FAILURES as exc:
                    self.ended_reason = str(port_error(self.settings.port, exc))
                    break
                if data:
                    try:
                        self.handle(data)
                    except PORT_FAILURES as exc:
                        self.ended_reason = str(port_error(self.settings.port, exc))
                        break
        finally:
            port, self._port = self._port, None
            with contextlib.suppress(*PORT_FAILURES):
                port.close()

    def start(self) -> None:
        """Run on a daemon thread; returns once the port is open (raises if it cannot be)."""
        errors: list[BaseException] = []

        def target() -> None:
            try:
                self.run()
            except Exception as exc:  # reported to start()'s caller
                errors.append(exc)
                self.opened.set()

        self._thread = threading.Thread(target=target, name=type(self).__name__, daemon=True)
        self._thread.start()
        self.opened.wait(10.0)
        if errors:
            self._thread.join()
            raise errors[0]

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_ended(self, timeout: float) -> bool:
        """Wait for the loop to end by itself (port gone); True if it did."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()
