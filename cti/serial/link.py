"""Opening serial ports with human error messages, and a port that reopens itself.

USB-serial adapters get unplugged; signs and modems get power-cycled. Every failure is turned
into `SerialPortError` with a message a supervisor or administrator can act on ("does not
exist (unplugged?)", "permission denied (dialout group)", "in use by another program"). The
reconnecting port never sleeps: it records when the next attempt is due (exponential backoff,
injected clock) and the owner's periodic `poll()` retries then — so a GUI timer or a worker
loop can drive it without blocking.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

import serial

try:  # pyserial lets termios.error (not an OSError) escape from open() on POSIX
    import termios

    _TERMIOS_ERRORS: tuple[type[BaseException], ...] = (termios.error,)
except ImportError:  # Windows
    _TERMIOS_ERRORS = ()

log = logging.getLogger(__name__)


class SerialPortError(Exception):
    """The port cannot be opened, or failed while in use. `str()` is the human message."""

    def __init__(self, port: str, message: str) -> None:
        super().__init__(message)
        self.port = port


class SerialLike(Protocol):
    """What we use of `serial.Serial` (tests may hand in a fake)."""

    @property
    def in_waiting(self) -> int: ...

    def write(self, data: bytes, /) -> int | None: ...

    def read(self, size: int = 1, /) -> bytes: ...

    def flush(self) -> None: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class PortSettings:
    port: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"  # N, E, O, M, S
    stopbits: float = 1
    read_timeout: float = 0.1
    write_timeout: float = 5.0
    rtscts: bool = False

    def framing(self) -> str:
        """E.g. "9600 7E1"."""
        stop = int(self.stopbits) if float(self.stopbits).is_integer() else self.stopbits
        return f"{self.baudrate} {self.bytesize}{self.parity}{stop}"

    def describe(self) -> str:
        return f"{self.port} {self.framing()}"


def _explain(port: str, exc: BaseException) -> str:
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code == errno.ENOENT or "No such file" in text or "[Errno 2]" in text:
        return f"Serial port {port} does not exist (device unplugged or wrong port name)"
    if code == errno.EACCES or "Permission denied" in text or "[Errno 13]" in text:
        return (
            f"Permission denied on serial port {port} "
            "(on Linux add the user to the 'dialout' group)"
        )
    if code == errno.EBUSY or "[Errno 16]" in text:
        return f"Serial port {port} is in use by another program"
    if code == errno.EIO or "[Errno 5]" in text or "Input/output error" in text:
        return f"Serial device on {port} stopped responding (unplugged or switched off)"
    if isinstance(exc, serial.SerialTimeoutException):
        return f"Writing to serial port {port} timed out (device not reading: flow control?)"
    if "returned no data" in text or "disconnected" in text:
        return f"Serial device on {port} was disconnected"
    return f"Serial port {port}: {text}"


def _is_pseudo_terminal(port: str) -> bool:
    return os.path.realpath(port).startswith("/dev/pts/")


def open_port(settings: PortSettings) -> serial.Serial:
    """Open with the given framing.

    A pseudo-terminal (socat pair, serial-over-network daemons) has no character framing: the
    kernel stores CS8 without parity whatever is asked, and Linux then refuses a second
    7E1 request with EINVAL. Since a pty carries bytes unchanged either way, a pty that refuses
    the framing is opened 8N1 instead; a real port that refuses it is an error.
    """
    try:
        return _open(settings)
    except _TERMIOS_ERRORS as exc:
        if _is_pseudo_terminal(settings.port) and (settings.bytesize, settings.parity) != (8, "N"):
            log.debug("%s is a pty: opening 8N1 (framing has no meaning there)", settings.port)
            try:
                return _open(replace(settings, bytesize=8, parity="N", stopbits=1))
            except (*_TERMIOS_ERRORS, serial.SerialException, OSError, ValueError) as exc2:
                raise SerialPortError(settings.port, _explain(settings.port, exc2)) from exc2
        raise SerialPortError(
            settings.port,
            f"Serial port {settings.port} refused the settings {settings.describe()} ({exc})",
        ) from exc
    except (serial.SerialException, OSError, ValueError) as exc:
        raise SerialPortError(settings.port, _explain(settings.port, exc)) from exc


def _open(settings: PortSettings) -> serial.Serial:
    return serial.Serial(
        port=settings.port,
        baudrate=settings.baudrate,
        bytesize=settings.bytesize,
        parity=settings.parity,
        stopbits=settings.stopbits,
        timeout=settings.read_timeout,
        write_timeout=settings.write_timeout,
        rtscts=settings.rtscts,
    )


def port_error(port: str, exc: BaseException) -> SerialPortError:
    """Wrap an exception raised while using an open port."""
    return SerialPortError(port, _explain(port, exc))


PORT_FAILURES: tuple[type[BaseException], ...] = (serial.SerialException, OSError)


class ReconnectingPort:
    """A port that is (re)opened lazily with exponential backoff.

    Attributes:
        settings: port settings.
        last_error: human message of the last failure (None after a success).
        next_attempt_at: clock time before which no reopen is attempted.
        opens: how many times the port was opened (a reopen after an unplug counts).
    """

    def __init__(
        self,
        settings: PortSettings,
        clock: Callable[[], float],
        *,
        opener: Callable[[PortSettings], Any] = open_port,
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._opener = opener
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._backoff = backoff_initial
        self._port: Any = None
        self.last_error: str | None = None
        self.next_attempt_at = 0.0
        self.opens = 0

    @property
    def is_open(self) -> bool:
        return self._port is not None

    def ensure_open(self) -> bool:
        """Open the port if it is closed and an attempt is due. True when open."""
        if self._port is not None:
            return True
        now = self._clock()
        if now < self.next_attempt_at:
            return False
        try:
            self._port = self._opener(self.settings)
        except SerialPortError as exc:
            self._fail(str(exc), now)
            return False
        self.opens += 1
        self._backoff = self._backoff_initial
        if self.last_error is not None:
            log.info("serial port %s is back", self.settings.port)
        self.last_error = None
        return True

    def open_now(self) -> Any:
        """Open immediately (no backoff) or raise SerialPortError; for one-shot tools."""
        if self._port is None:
            self._port = self._opener(self.settings)
            self.opens += 1
        return self._port

    def write(self, data: bytes) -> None:
        """Write everything or raise SerialPortError (the port is then closed for a reopen)."""
        port = self._port
        if port is None:
            raise SerialPortError(
                self.settings.port, f"Serial port {self.settings.port} is not open"
            )
        try:
            port.write(data)
            port.flush()
        except PORT_FAILURES as exc:
            err = port_error(self.settings.port, exc)
            self._fail(str(err), self._clock())
            raise err from exc

    def _fail(self, message: str, now: float) -> None:
        if message != self.last_error:
            log.warning("%s", message)
        self.last_error = message
        self.next_attempt_at = now + self._backoff
        self._backoff = min(self._backoff * 2, self._backoff_max)
        self._close_port()

    def _close_port(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            # Closing a vanished device may fail; it is gone either way.
            with contextlib.suppress(*PORT_FAILURES):
                port.close()

    def close(self) -> None:
        self._close_port()
