"""LED wallboard driver: renders queue figures and alarm text, writes them to a serial sign,
and reopens the port after an unplug.

Behaviour:
- `publish(content)` only stores the latest content (latest wins: a burst of floor changes
  costs one write). `poll()` — called by a timer or worker loop, never blocking for long —
  opens the port when due, writes the content if it changed, and after a reopen writes it
  again (the sign may have been power-cycled with the adapter).
- The content is also rewritten every `refresh_every` seconds (default 60): an unplugged
  adapter is only noticed when writing, and a sign that was switched off and on shows the
  figures again within a minute.
- On a write failure the port is closed and retried with exponential backoff (1 s … 30 s);
  `status` says what is wrong in words for the settings dialog / status bar.
- Alpha protocol: the alarm text first (red, flashing), then one page per queue (red when the
  queue has an alarm, green otherwise). Characters a sign cannot draw become "?" on the
  wallboard (a supervisor-facing display must keep running); the `wallboard` test command
  uses strict mode and reports them instead.
- Plain protocol: one line "ALARM … | VIP W:3 SL:92% LW:0:45 | …" in the configured encoding.
- `poll()` and `send_now()` do serial I/O (a write may block up to the port's write timeout,
  5 s): run them through the console's blocking-work helper, not on the GUI thread.
- `floor_content()` builds the board from the alarm engine's inputs and active alarms.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cti.alarms.model import QUEUE_KINDS, Alarm, QueueFigures
from cti.serial import alpha, plain
from cti.serial.link import PortSettings, ReconnectingPort, SerialPortError, open_port

log = logging.getLogger(__name__)


class SignProtocol(enum.Enum):
    ALPHA = "alpha"
    PLAIN = "plain"


@dataclass(frozen=True)
class WallboardConfig:
    """Where the sign is and how to talk to it.

    bytesize/parity/stopbits None = the protocol's usual framing (Alpha 7E1, plain 8N1).
    """

    port: str
    baudrate: int = 9600
    address: str = alpha.BROADCAST
    protocol: SignProtocol = SignProtocol.ALPHA
    type_code: str = alpha.TYPE_ALL_SIGNS
    file_label: str = "A"
    mode: alpha.Mode = alpha.Mode.HOLD
    position: alpha.Position = alpha.Position.FILL
    text_color: alpha.Color | None = None  # Alpha colour of free text (queue pages: by alarm)
    encoding: str = "utf-8"  # plain protocol only
    terminator: bytes = plain.DEFAULT_TERMINATOR
    bytesize: int | None = None
    parity: str | None = None
    stopbits: float | None = None

    def port_settings(self) -> PortSettings:
        alpha_framing = self.protocol is SignProtocol.ALPHA
        return PortSettings(
            port=self.port,
            baudrate=self.baudrate,
            bytesize=self.bytesize or (7 if alpha_framing else 8),
            parity=self.parity or ("E" if alpha_framing else "N"),
            stopbits=self.stopbits or 1,
        )


@dataclass(frozen=True)
class QueueBoardLine:
    name: str
    waiting: int
    service_level: float | None  # 0..1, None = no calls yet
    longest_wait: float  # seconds
    alarm: bool = False


@dataclass(frozen=True)
class WallboardContent:
    queues: tuple[QueueBoardLine, ...] = ()
    alarm_text: str | None = None
    text: str | None = None  # free text instead of queue figures (test command, notices)


@dataclass(frozen=True)
class WallboardStatus:
    connected: bool
    last_error: str | None
    next_retry_at: float | None
    frames_sent: int
    opens: int


def floor_content(
    queues: Iterable[QueueFigures], alarms: Sequence[Alarm], max_queues: int = 12
) -> WallboardContent:
    """Queue pages (flagged when the queue has an active alarm) + the most severe alarm's
    text. `alarms` as returned by `AlarmEngine.active()` (most severe first)."""
    alarmed = {a.key.subject for a in alarms if a.key.kind in QUEUE_KINDS}
    lines = tuple(
        QueueBoardLine(q.label, q.waiting, q.service_level, q.longest_wait, q.queue in alarmed)
        for q in list(queues)[:max_queues]
    )
    return WallboardContent(queues=lines, alarm_text=alarms[0].message if alarms else None)


def _mmss(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 60}:{s % 60:02d}"


def queue_line_text(line: QueueBoardLine) -> str:
    sl = "--" if line.service_level is None else f"{line.service_level:.0%}"
    return f"{line.name} W:{line.waiting} SL:{sl} LW:{_mmss(line.longest_wait)}"


def render_alpha(
    content: WallboardContent, config: WallboardConfig, unsupported: alpha.Unsupported = "replace"
) -> bytes:
    segments: list[alpha.Segment] = []
    if content.text is not None:
        segments.append(
            alpha.Segment(content.text, config.position, config.mode, config.text_color)
        )
    if content.alarm_text:
        segments.append(
            alpha.Segment(content.alarm_text, config.position, alpha.Mode.FLASH, alpha.Color.RED)
        )
    for line in content.queues:
        color = alpha.Color.RED if line.alarm else alpha.Color.GREEN
        segments.append(alpha.Segment(queue_line_text(line), config.position, config.mode, color))
    if not segments:
        segments.append(alpha.Segment(" ", config.position, config.mode))
    command = alpha.write_text_command(segments, config.file_label, unsupported)
    return alpha.packet([command], config.type_code, config.address)


def render_plain(
    content: WallboardContent, config: WallboardConfig, unsupported: plain.Unsupported = "replace"
) -> bytes:
    parts: list[str] = []
    if content.text is not None:
        parts.append(content.text)
    if content.alarm_text:
        parts.append(f"ALARM {content.alarm_text}")
    parts.extend(queue_line_text(q) for q in content.queues)
    return plain.encode_line(" | ".join(parts), config.encoding, config.terminator, unsupported)


def render(content: WallboardContent, config: WallboardConfig, *, strict: bool = False) -> bytes:
    if config.protocol is SignProtocol.ALPHA:
        return render_alpha(content, config, "error" if strict else "replace")
    return render_plain(content, config, "error" if strict else "replace")


@dataclass
class _Pending:
    content: WallboardContent | None = None
    dirty: bool = False
    last_sent: bytes | None = field(default=None, repr=False)


class WallboardDriver:
    """Keeps one serial sign showing the latest content.

    Attributes:
        config: the `WallboardConfig`.
    """

    def __init__(
        self,
        config: WallboardConfig,
        clock: Callable[[], float],
        *,
        opener: Callable[[PortSettings], Any] = open_port,
        backoff_initial: float = 1.0,
        backoff_max: float = 30.0,
        refresh_every: float | None = 60.0,
    ) -> None:
        self.config = config
        self._clock = clock
        self._refresh_every = refresh_every
        self._last_write_at: float | None = None
        self._port = ReconnectingPort(
            config.port_settings(),
            clock,
            opener=opener,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
        )
        self._pending = _Pending()
        self._frames_sent = 0
        self._opens_seen = 0

    def publish(self, content: WallboardContent | str) -> None:
        if isinstance(content, str):
            content = WallboardContent(text=content)
        if content != self._pending.content:
            self._pending.content = content
            self._pending.dirty = True

    def poll(self) -> WallboardStatus:
        """Open when due; write the content if it changed or the port was reopened."""
        if self._port.ensure_open():
            reopened = self._port.opens != self._opens_seen
            self._opens_seen = self._port.opens
            content = self._pending.content
            stale = (
                self._refresh_every is not None
                and self._last_write_at is not None
                and self._clock() - self._last_write_at >= self._refresh_every
            )
            if content is not None and (self._pending.dirty or reopened or stale):
                data = render(content, self.config)
                try:
                    self._port.write(data)
                except SerialPortError:
                    pass  # status carries the message; the next poll after backoff retries
                else:
                    self._pending.dirty = False
                    self._pending.last_sent = data
                    self._frames_sent += 1
                    self._last_write_at = self._clock()
        return self.status

    def send_now(self, content: WallboardContent | str) -> int:
        """Write once, right now (test command). Raises SerialPortError or an encoding error
        (AlphaEncodingError / PlainEncodingError). Returns the number of bytes written."""
        if isinstance(content, str):
            content = WallboardContent(text=content)
        data = render(content, self.config, strict=True)
        self._port.open_now()
        self._opens_seen = self._port.opens
        self._port.write(data)
        self._frames_sent += 1
        return len(data)

    @property
    def status(self) -> WallboardStatus:
        is_open = self._port.is_open
        return WallboardStatus(
            connected=is_open,
            last_error=self._port.last_error,
            next_retry_at=None if is_open else self._port.next_attempt_at,
            frames_sent=self._frames_sent,
            opens=self._port.opens,
        )

    def close(self) -> None:
        self._port.close()
