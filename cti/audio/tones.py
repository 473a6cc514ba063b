"""Tone presence measurement for who-hears-whom checks (lab tests, `check-monitoring`).

Each party of a monitored call plays its own sine tone (caller 600 Hz, agent 1100 Hz,
supervisor 2500 Hz in the fixtures) and records what it receives; a tone is "heard" when its
level in the recording is high. The level is the amplitude of the sinusoid at one frequency
relative to a full-scale sine, in dBFS (a full-scale sine is 0 dBFS, an int16 sine of peak
3277 is -20 dBFS).

Trade-offs:
- One Hann-windowed DFT bin evaluated at the exact frequency (what the Goertzel recurrence
  computes, done here as one vectorised dot product instead of a per-sample Python loop). The
  window costs nothing in level accuracy for a steady tone (the window's coherent gain is
  divided out) and keeps a loud tone 500 Hz away below -100 dBFS, so "absent" really means
  absent rather than "leakage of a neighbour".
- Levels are floored at -150 dBFS (digital silence) so reports stay finite numbers (JSON).
- Thresholds follow the issues: present >= -20 dBFS, absent <= -45 dBFS; anything between is
  neither (a check fails either way).
"""

from __future__ import annotations

import math
import wave
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

FLOOR_DBFS = -150.0
PRESENT_DBFS = -20.0
ABSENT_DBFS = -45.0

# The fixtures' party tones (shared/fixtures/asterisk-22/audio-analysis.txt).
CALLER_HZ = 600.0
AGENT_HZ = 1100.0
SUPERVISOR_HZ = 2500.0


class WavFormatError(ValueError):
    """The file is not a PCM WAV this module can read (message says why)."""


@dataclass(frozen=True)
class Audio:
    """Mono samples scaled to [-1.0, 1.0) and their sample rate."""

    samples: npt.NDArray[np.float64]
    sample_rate: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate if self.sample_rate else 0.0

    def slice(self, start_s: float = 0.0, end_s: float | None = None) -> Audio:
        """The part between two times (seconds from the start; clipped to the audio)."""
        begin = max(0, round(start_s * self.sample_rate))
        end = len(self.samples) if end_s is None else round(end_s * self.sample_rate)
        return Audio(self.samples[begin : max(begin, end)], self.sample_rate)


def to_float(samples: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """int16 (or any integer PCM) → float in [-1, 1); float input is taken as already scaled."""
    arr = np.asarray(samples)
    if arr.dtype.kind in "iu":
        info = np.iinfo(arr.dtype)
        scale = float(-int(info.min)) if info.min < 0 else float(info.max + 1) / 2.0
        offset = 0.0 if info.min < 0 else scale
        return (arr.astype(np.float64) - offset) / scale
    return arr.astype(np.float64)


def read_wav(path: str | Path) -> Audio:
    """Read a PCM WAV (8/16/32-bit integer samples); several channels are averaged to mono."""
    try:
        with wave.open(str(path), "rb") as wav:
            channels = wav.getnchannels()
            width = wav.getsampwidth()
            rate = wav.getframerate()
            raw = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as exc:
        raise WavFormatError(f"{path}: not a readable PCM WAV file ({exc})") from exc
    dtypes: dict[int, type[np.generic]] = {1: np.uint8, 2: np.int16, 4: np.int32}
    if width not in dtypes:
        raise WavFormatError(f"{path}: {8 * width}-bit samples are not supported")
    data = np.frombuffer(raw, dtype=np.dtype(dtypes[width]).newbyteorder("<"))
    usable = len(data) - len(data) % channels
    frames = to_float(data[:usable].astype(dtypes[width])).reshape(-1, channels).mean(axis=1)
    return Audio(frames, rate)


def goertzel_dbfs(samples: npt.ArrayLike, frequency: float, sample_rate: int) -> float:
    """Level of the sinusoid at `frequency` in `samples`, dBFS (full-scale sine = 0 dBFS)."""
    x = to_float(samples)
    n = len(x)
    if n < 2 or sample_rate <= 0:
        return FLOOR_DBFS
    window = np.hanning(n)
    phase = np.exp(-2j * np.pi * frequency * np.arange(n) / sample_rate)
    amplitude = 2.0 * abs(np.dot(x * window, phase)) / window.sum()
    if amplitude <= 0.0:
        return FLOOR_DBFS
    return max(FLOOR_DBFS, 20.0 * math.log10(amplitude))


def rms_dbfs(samples: npt.ArrayLike) -> float:
    """Overall level (any sound, e.g. speech) relative to a full-scale sine, dBFS."""
    x = to_float(samples)
    if len(x) == 0:
        return FLOOR_DBFS
    rms = float(np.sqrt(np.mean(x * x)))
    if rms <= 0.0:
        return FLOOR_DBFS
    return max(FLOOR_DBFS, 20.0 * math.log10(rms * math.sqrt(2.0)))


def tone_levels(audio: Audio, frequencies: Iterable[float]) -> dict[float, float]:
    """dBFS of each frequency over the whole of `audio`."""
    return {f: goertzel_dbfs(audio.samples, f, audio.sample_rate) for f in frequencies}


def wav_tone_levels(
    path: str | Path,
    frequencies: Iterable[float],
    start_s: float = 0.0,
    end_s: float | None = None,
) -> dict[float, float]:
    """dBFS of each frequency in a WAV file, optionally only between two times."""
    return tone_levels(read_wav(path).slice(start_s, end_s), frequencies)


def is_present(dbfs: float, threshold: float = PRESENT_DBFS) -> bool:
    return dbfs >= threshold


def is_absent(dbfs: float, threshold: float = ABSENT_DBFS) -> bool:
    return dbfs <= threshold


def check(dbfs: float, expected: bool) -> bool:
    """True when the measured level agrees with the expectation (present / absent)."""
    return is_present(dbfs) if expected else is_absent(dbfs)


def synthesize(
    frequencies: Mapping[float, float], duration_s: float, sample_rate: int = 8000
) -> npt.NDArray[np.int16]:
    """int16 samples holding a sine per frequency at the given dBFS (for test signals)."""
    t = np.arange(round(duration_s * sample_rate)) / sample_rate
    mix = np.zeros_like(t)
    for freq, dbfs in frequencies.items():
        mix += 10.0 ** (dbfs / 20.0) * np.sin(2.0 * np.pi * freq * t)
    return np.clip(np.round(mix * 32767.0), -32768, 32767).astype(np.int16)


def write_wav(path: str | Path, samples: npt.NDArray[np.int16], sample_rate: int = 8000) -> None:
    """Write mono 16-bit PCM."""
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(samples.astype("<i2").tobytes())
