"""Alarm sound on the output device the supervisor chose (speakers, not the headset).

Why it is built like this:
- Same `sounddevice` (PortAudio) path as the SIP phone's audio bridge; Qt Multimedia is not
  in PySide6-Essentials.
- Each alert plays on its *own* `OutputStream` (not `sounddevice.play`, whose single global
  stream would stop or be stopped by any other `sd.play` user in the process).
- The tone is generated with numpy (no sound files to ship): short beeps with 5 ms raised-
  cosine edges (no clicks), one pattern per severity so the supervisor hears how bad it is.
- "No device" is a normal situation on a thin client: it raises `NoOutputDeviceError` with a
  message saying what exists, and `SoundUnavailableError` when PortAudio itself is missing — the
  console then shows the alarm without sound instead of crashing.
- `sounddevice` is imported lazily: PortAudio enumerates devices when it is loaded, and a
  missing library must not break importing the alarm engine.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from cti.alarms.model import Severity

log = logging.getLogger(__name__)

# (frequency Hz, seconds); frequency 0 = silence. Higher severity: faster, higher, more beeps.
PATTERNS: dict[Severity, tuple[tuple[float, float], ...]] = {
    Severity.INFO: ((660.0, 0.25),),
    Severity.WARNING: ((800.0, 0.20), (0.0, 0.10), (800.0, 0.20)),
    Severity.CRITICAL: (
        (988.0, 0.12),
        (0.0, 0.06),
        (988.0, 0.12),
        (0.0, 0.06),
        (988.0, 0.12),
        (0.0, 0.30),
        (988.0, 0.12),
        (0.0, 0.06),
        (988.0, 0.12),
        (0.0, 0.06),
        (988.0, 0.12),
    ),
}
FADE_S = 0.005


class SoundError(Exception):
    """Base class: the alarm cannot be sounded (message says why, in English)."""


class SoundUnavailableError(SoundError):
    """PortAudio (libportaudio2) could not be loaded."""


class NoOutputDeviceError(SoundError):
    """No output device, or the chosen one does not exist."""


@dataclass(frozen=True)
class OutputDevice:
    index: int
    name: str
    hostapi: str
    channels: int
    default_samplerate: float


def alert_tone(
    severity: Severity = Severity.WARNING, samplerate: int = 48_000, volume: float = 0.5
) -> npt.NDArray[np.float32]:
    """The alert for `severity` as mono float32 samples in -volume..volume."""
    if not 0.0 <= volume <= 1.0:
        raise ValueError("volume must be between 0 and 1")
    pieces: list[npt.NDArray[np.float32]] = []
    fade_n = max(1, round(FADE_S * samplerate))
    for freq, seconds in PATTERNS[severity]:
        n = round(seconds * samplerate)
        if freq <= 0:
            pieces.append(np.zeros(n, dtype=np.float32))
            continue
        t = np.arange(n, dtype=np.float64) / samplerate
        # A touch of second harmonic carries better on small PC speakers.
        wave = 0.85 * np.sin(2 * np.pi * freq * t) + 0.15 * np.sin(4 * np.pi * freq * t)
        envelope = np.ones(n)
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, min(fade_n, n // 2)))
        envelope[: ramp.size] = ramp
        envelope[n - ramp.size :] = ramp[::-1]
        pieces.append((volume * wave * envelope).astype(np.float32))
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


def _sd() -> ModuleType:
    try:
        import sounddevice
    except OSError as exc:  # the wheel has no PortAudio: it needs the system's libportaudio2
        raise SoundUnavailableError(
            f"Sound is unavailable: PortAudio could not be loaded ({exc}). Install libportaudio2."
        ) from exc
    module: ModuleType = sounddevice
    return module


def list_output_devices() -> list[OutputDevice]:
    sd = _sd()
    hostapis = sd.query_hostapis()
    out: list[OutputDevice] = []
    for index, dev in enumerate(sd.query_devices()):
        if int(dev["max_output_channels"]) <= 0:
            continue
        out.append(
            OutputDevice(
                index=index,
                name=str(dev["name"]),
                hostapi=str(hostapis[int(dev["hostapi"])]["name"]),
                channels=int(dev["max_output_channels"]),
                default_samplerate=float(dev["default_samplerate"]),
            )
        )
    return out


def resolve_output_device(choice: str | int | None = None) -> OutputDevice:
    """Find the device by index, exact name, or unique case-insensitive name fragment.

    None means the system default output (or the first output device if there is no default).
    """
    devices = list_output_devices()
    if not devices:
        raise NoOutputDeviceError(
            "No sound output device found: alarms will be shown on screen only. "
            "Check that speakers are connected and the sound system is running."
        )
    names = ", ".join(f"{d.index}: {d.name}" for d in devices)
    if choice is None or choice == "":
        default_index = _default_output_index()
        for d in devices:
            if d.index == default_index:
                return d
        return devices[0]
    if isinstance(choice, int) or (isinstance(choice, str) and choice.strip().isdigit()):
        wanted = int(choice)
        for d in devices:
            if d.index == wanted:
                return d
        raise NoOutputDeviceError(
            f"Sound output device {wanted} does not exist (available: {names})"
        )
    exact = [d for d in devices if d.name == choice]
    if exact:
        return exact[0]
    fragment = [d for d in devices if choice.lower() in d.name.lower()]
    if len(fragment) == 1:
        return fragment[0]
    if not fragment:
        raise NoOutputDeviceError(
            f"Sound output device {choice!r} not found (unplugged?). Available: {names}"
        )
    raise NoOutputDeviceError(
        f"Sound output device name {choice!r} is ambiguous: " + ", ".join(d.name for d in fragment)
    )


def _default_output_index() -> int:
    sd = _sd()
    default = sd.default.device
    try:
        index = int(default[1])
    except (TypeError, IndexError):
        index = int(default) if isinstance(default, int) else -1
    return index


class AlarmSoundPlayer:
    """Plays alert tones on one chosen output device; a new alert replaces the one playing.

    Attributes:
        device: the resolved `OutputDevice`.
        volume: 0..1.
    """

    def __init__(self, device: str | int | None = None, volume: float = 0.5) -> None:
        self.device = resolve_output_device(device)
        self.volume = volume
        self._lock = threading.Lock()
        self._stream: Any = None
        self._done = threading.Event()
        self._done.set()

    def play(self, severity: Severity = Severity.WARNING) -> None:
        """Start the alert and return at once (PortAudio plays it on its own thread)."""
        sd = _sd()
        rate = int(self.device.default_samplerate) or 48_000
        samples = alert_tone(severity, rate, self.volume)
        position = 0

        def callback(outdata: Any, frames: int, _time: Any, _status: Any) -> None:
            nonlocal position
            chunk = samples[position : position + frames]
            outdata[: chunk.size, 0] = chunk
            outdata[chunk.size :, 0] = 0.0
            position += frames
            if chunk.size < frames:
                raise sd.CallbackStop

        with self._lock:
            self._close_stream()
            done = threading.Event()
            try:
                stream = sd.OutputStream(
                    samplerate=rate,
                    device=self.device.index,
                    channels=1,
                    dtype="float32",
                    callback=callback,
                    finished_callback=done.set,
                )
                stream.start()
            except sd.PortAudioError as exc:
                raise NoOutputDeviceError(
                    f"Cannot play on sound device {self.device.name!r}: {exc}"
                ) from exc
            self._stream = stream
            self._done = done
        log.debug("alarm sound %s on %s", severity.name, self.device.name)

    def wait(self, timeout: float) -> bool:
        """Block until the current alert finished; False on timeout."""
        return self._done.wait(timeout)

    def stop(self) -> None:
        with self._lock:
            self._close_stream()

    close = stop

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.abort()
            stream.close()
        self._done.set()
