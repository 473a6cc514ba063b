"""The supervisor's headset: a pjsua2 conference port bridged to a PortAudio stream.

The pjsua2 wheel has no sound-device support (only the null device, whose clock drives
the conference bridge), so audio reaches real hardware through this bridge:

    call ──conf bridge──▶ FramePort.onFrameReceived ─▶ speaker DriftBuffer ─▶ OutputStream
    call ◀─conf bridge─── FramePort.onFrameRequested ◀─ mic DriftBuffer ◀──── InputStream

Rules:
- Two clocks meet here (pj's null device, the sound card's crystal): each direction has a
  `DriftBuffer` that drops or repeats whole 20 ms frames to stay within bounds, and counts
  it (`stats()`).
- Callbacks run on foreign threads (pj's clock thread, PortAudio's callback thread): they
  only copy samples, compute a level, and never call pj or block.
- The bridge never links the microphone to a call by itself: `SipPhone.set_speaking` is the
  only place that does, and the monitoring session calls it only in whisper / barge. In
  listen mode there is no conference link from this port to the call at all.
- Devices are optional. Without PortAudio, or with no device, `open_devices` raises
  `AudioUnavailableError` with a message for the supervisor, and the port still works silently
  (monitoring and its tests go on).
- PortAudio may refuse 8 kHz (WASAPI shared mode): then the device's own rate is used and
  a linear-interpolation resampler converts at the stream edge.
"""

from __future__ import annotations

import enum
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cti.sip.media_port import FRAME_SAMPLES, RATE, SILENCE
from cti.sip.phone import SipPhone
from cti.sip.ring_buffer import DriftBuffer

log = logging.getLogger(__name__)

FrameTap = Callable[[float, bytes], None]
FloatArray = npt.NDArray[np.float64]
FULL_SCALE = 32768.0
SILENT_DBFS = -120.0


class AudioUnavailableError(RuntimeError):
    """No usable sound device; the message is for the supervisor."""


class MicSource(enum.StrEnum):
    DEVICE = "device"
    TONE = "tone"
    SILENCE = "silence"


@dataclass(frozen=True)
class AudioDevice:
    index: int
    name: str
    host_api: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float


@dataclass(frozen=True)
class AudioLevels:
    """RMS of the latest 20 ms frame each way, dBFS (−120 = silence)."""

    speaker_dbfs: float
    mic_dbfs: float


@dataclass(frozen=True)
class BridgeStats:
    speaker_dropped: int
    speaker_repeated: int
    speaker_fill: int
    speaker_max_fill: int
    mic_dropped: int
    mic_repeated: int
    mic_fill: int
    frames_heard: int
    frames_sent: int
    device_status_flags: int
    media_errors: int


def rms_dbfs(samples: npt.NDArray[Any]) -> float:
    if len(samples) == 0:
        return SILENT_DBFS
    x = samples.astype(np.float64) / FULL_SCALE
    power = float(np.mean(x * x))
    return SILENT_DBFS if power <= 1e-12 else max(SILENT_DBFS, 10.0 * math.log10(power))


def _load_sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # PortAudio library missing
        raise AudioUnavailableError(
            "no audio system: the PortAudio library is not installed "
            "(Debian/Ubuntu: apt install libportaudio2). Monitoring works, but silently."
        ) from exc
    return sounddevice


def list_audio_devices() -> list[AudioDevice]:
    """Every PortAudio device; raises AudioUnavailableError without PortAudio."""
    sd = _load_sounddevice()
    apis = sd.query_hostapis()
    devices = []
    for index, dev in enumerate(sd.query_devices()):
        devices.append(
            AudioDevice(
                index=index,
                name=str(dev["name"]),
                host_api=str(apis[dev["hostapi"]]["name"]),
                max_input_channels=int(dev["max_input_channels"]),
                max_output_channels=int(dev["max_output_channels"]),
                default_samplerate=float(dev["default_samplerate"]),
            )
        )
    return devices


class LinearResampler:
    """Streaming linear-interpolation resampler (speech band, good enough for a headset)."""

    def __init__(self, in_rate: float, out_rate: float) -> None:
        self.step = in_rate / out_rate  # input samples per output sample
        self._carry: FloatArray = np.zeros(1)
        self._pos = 0.0

    def inputs_needed(self, n_out: int) -> int:
        last = self._pos + (n_out - 1) * self.step
        return max(0, math.ceil(last) - len(self._carry) + 1)

    def pull(self, n_out: int, new: npt.NDArray[Any]) -> FloatArray:
        """Produce exactly n_out samples; `new` must hold `inputs_needed(n_out)` samples."""
        buf = np.concatenate((self._carry, new.astype(np.float64)))
        t = self._pos + np.arange(n_out) * self.step
        out: FloatArray = np.interp(t, np.arange(len(buf)), buf)
        self._advance(buf, self._pos + n_out * self.step)
        return out

    def push(self, new: npt.NDArray[Any]) -> FloatArray:
        """Produce as many output samples as `new` allows."""
        buf = np.concatenate((self._carry, new.astype(np.float64)))
        span = len(buf) - 1 - self._pos
        if span < 0:
            self._carry = buf
            return np.zeros(0)
        n_out = int(span // self.step) + 1
        t = self._pos + np.arange(n_out) * self.step
        out: FloatArray = np.interp(t, np.arange(len(buf)), buf)
        self._advance(buf, self._pos + n_out * self.step)
        return out

    def _advance(self, buf: FloatArray, pos: float) -> None:
        drop = min(math.floor(pos), len(buf) - 1)
        self._carry = buf[drop:]
        self._pos = pos - drop


class AudioBridge:
    """The supervisor's audio: one conference port, optional PortAudio streams.

    Attributes:
        port_name: the phone's name for our conference port (for `set_speaking` etc.).
        device_message: why there is no device sound ("" when devices are open).
    """

    def __init__(
        self,
        phone: SipPhone,
        *,
        name: str = "headset",
        clock: Callable[[], float] = time.monotonic,
        target_frames: int = 3,
        high_frames: int = 8,
    ) -> None:
        self._phone = phone
        self._clock = clock
        self.port_name = name
        self.speaker = DriftBuffer(target_frames, high_frames)
        self.mic = DriftBuffer(target_frames, high_frames)
        self._taps: list[FrameTap] = []
        self._mic_source = MicSource.DEVICE
        self._tone_freq = 0.0
        self._tone_amp = 0.0
        self._tone_phase = 0.0
        self._test_tone_left = 0
        self._test_tone_phase = 0.0
        self._test_tone_freq = 1000.0
        self._speaker_dbfs = SILENT_DBFS
        self._mic_dbfs = SILENT_DBFS
        self._frames_heard = 0
        self._frames_sent = 0
        self._status_flags = 0
        self._lock = threading.Lock()
        self._out_stream: Any = None
        self._in_stream: Any = None
        self._out_resampler: LinearResampler | None = None
        self._in_resampler: LinearResampler | None = None
        self.device_message = "audio devices not opened"
        phone.create_port(name, self._on_frame_requested, self._on_frame_received)

    # ---- control (GUI thread) ---------------------------------------------------------

    def open_devices(self, output: int | str | None = None, input: int | str | None = None) -> None:
        """Open the headset's output and input; raises AudioUnavailableError with a clear reason."""
        self.close_devices()
        sd = _load_sounddevice()
        try:
            devices = sd.query_devices()
        except Exception as exc:
            raise AudioUnavailableError(f"cannot list audio devices: {exc}") from exc
        if len(devices) == 0:
            raise AudioUnavailableError(
                "no audio device found: monitoring works, but nothing can be heard or said"
            )
        try:
            out_rate = self._pick_rate(sd, output, "output")
            self._out_resampler = None if out_rate == RATE else LinearResampler(RATE, out_rate)
            self._out_stream = sd.OutputStream(
                samplerate=out_rate,
                channels=1,
                dtype="int16",
                device=output,
                blocksize=int(out_rate * 0.02),
                latency="low",
                callback=self._on_output,
            )
            in_rate = self._pick_rate(sd, input, "input")
            self._in_resampler = None if in_rate == RATE else LinearResampler(in_rate, RATE)
            self._in_stream = sd.InputStream(
                samplerate=in_rate,
                channels=1,
                dtype="int16",
                device=input,
                blocksize=int(in_rate * 0.02),
                latency="low",
                callback=self._on_input,
            )
            self._out_stream.start()
            self._in_stream.start()
        except AudioUnavailableError:
            self.close_devices()
            raise
        except Exception as exc:
            self.close_devices()
            raise AudioUnavailableError(f"cannot open the audio device: {exc}") from exc
        self.device_message = ""

    def close_devices(self) -> None:
        for stream in (self._out_stream, self._in_stream):
            if stream is not None:
                try:
                    stream.stop()
                    stream.close()
                except Exception as exc:
                    log.warning("closing audio stream: %s", exc)
        self._out_stream = None
        self._in_stream = None
        self.speaker.clear()
        self.mic.clear()
        self.device_message = "audio devices closed"

    @property
    def devices_open(self) -> bool:
        return self._out_stream is not None

    def set_mic_source(
        self, source: MicSource, tone_hz: float = 0.0, level_dbfs: float = -10.0
    ) -> None:
        """What the port sends when linked to a call: the device, a tone, or silence.

        A tone's level is its peak relative to full scale (a full-scale sine = 0 dBFS, the
        convention of `cti.audio.tones`).
        """
        with self._lock:
            self._mic_source = source
            self._tone_freq = tone_hz
            self._tone_amp = (FULL_SCALE - 1) * 10 ** (level_dbfs / 20.0)
            self._tone_phase = 0.0

    def play_test_tone(self, hz: float = 1000.0, seconds: float = 1.0) -> None:
        """A tone on the chosen output device (device check); needs open devices."""
        if self._out_stream is None:
            raise AudioUnavailableError(self.device_message or "no output device is open")
        with self._lock:
            self._test_tone_freq = hz
            self._test_tone_left = int(seconds * RATE)
            self._test_tone_phase = 0.0

    def add_tap(self, tap: FrameTap) -> None:
        """`tap(ts, frame)` gets every frame heard — on pj's media thread: copy only."""
        self._taps.append(tap)

    def remove_tap(self, tap: FrameTap) -> None:
        if tap in self._taps:
            self._taps.remove(tap)

    def levels(self) -> AudioLevels:
        return AudioLevels(self._speaker_dbfs, self._mic_dbfs)

    def stats(self) -> BridgeStats:
        errors = self._phone.port_counters(self.port_name)[2]
        return BridgeStats(
            speaker_dropped=self.speaker.dropped_frames,
            speaker_repeated=self.speaker.repeated_frames,
            speaker_fill=self.speaker.fill,
            speaker_max_fill=self.speaker.max_fill,
            mic_dropped=self.mic.dropped_frames,
            mic_repeated=self.mic.repeated_frames,
            mic_fill=self.mic.fill,
            frames_heard=self._frames_heard,
            frames_sent=self._frames_sent,
            device_status_flags=self._status_flags,
            media_errors=errors,
        )

    def close(self) -> None:
        self.close_devices()
        self._taps.clear()
        self._phone.remove_port(self.port_name)

    # ---- media thread (pj's clock) ---------------------------------------------------

    def _on_frame_received(self, frame: bytes) -> None:
        samples = np.frombuffer(frame, dtype="<i2")
        self._frames_heard += 1
        self._speaker_dbfs = rms_dbfs(samples)
        if self._out_stream is not None:
            self.speaker.write(samples)
        if self._taps:
            ts = self._clock()
            for tap in self._taps:
                tap(ts, frame)

    def _on_frame_requested(self) -> bytes | None:
        self._frames_sent += 1
        source = self._mic_source
        data: npt.NDArray[Any]
        if source is MicSource.TONE:
            with self._lock:
                data, self._tone_phase = _tone(self._tone_freq, self._tone_amp, self._tone_phase)
        elif source is MicSource.DEVICE and self._in_stream is not None:
            data = self.mic.read(FRAME_SAMPLES)
        else:
            self._mic_dbfs = SILENT_DBFS
            return SILENCE
        self._mic_dbfs = rms_dbfs(data)
        return data.astype("<i2").tobytes()

    # ---- PortAudio threads -----------------------------------------------------------

    def _on_output(self, outdata: Any, frames: int, _time: Any, status: Any) -> None:
        if status:
            self._status_flags += 1
        rs = self._out_resampler
        if rs is None:
            block = self.speaker.read(frames).astype(np.float64)
        else:
            block = rs.pull(frames, self.speaker.read(rs.inputs_needed(frames)))
        if self._test_tone_left > 0:
            with self._lock:
                n = min(frames, self._test_tone_left) if rs is None else frames
                tone, self._test_tone_phase = _tone(
                    self._test_tone_freq * (1.0 if rs is None else rs.step),
                    FULL_SCALE * 0.3,
                    self._test_tone_phase,
                    n,
                )
                block[:n] += tone
                self._test_tone_left -= n if rs is None else max(1, int(n * rs.step))
        outdata[:, 0] = np.clip(block, -32768, 32767).astype(np.int16)

    def _on_input(self, indata: Any, frames: int, _time: Any, status: Any) -> None:
        if status:
            self._status_flags += 1
        samples = indata[:, 0]
        if self._in_resampler is not None:
            samples = self._in_resampler.push(samples)
        self.mic.write(np.clip(samples, -32768, 32767).astype(np.int16))

    @staticmethod
    def _pick_rate(sd: Any, device: int | str | None, kind: str) -> int:
        check = sd.check_output_settings if kind == "output" else sd.check_input_settings
        try:
            check(device=device, channels=1, dtype="int16", samplerate=RATE)
            return RATE
        except Exception:
            pass
        try:
            info = sd.query_devices(device, kind)
        except Exception as exc:
            raise AudioUnavailableError(f"no {kind} audio device ({exc})") from exc
        rate = int(info["default_samplerate"])
        try:
            check(device=device, channels=1, dtype="int16", samplerate=rate)
        except Exception as exc:
            raise AudioUnavailableError(
                f"the {kind} device {info['name']!r} is unusable: {exc}"
            ) from exc
        return rate


def _tone(
    hz: float, amp: float, phase: float, n: int = FRAME_SAMPLES
) -> tuple[npt.NDArray[np.float64], float]:
    step = 2.0 * math.pi * hz / RATE
    samples = amp * np.sin(phase + step * np.arange(n))
    return samples, (phase + step * n) % (2.0 * math.pi)
