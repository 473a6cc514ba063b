"""A small audio ring buffer between two clocks that do not agree.

The conference bridge runs on pjsua2's null-device clock (50 frames of 160 samples a
second, nominally); the sound card runs on its own crystal. Over minutes the two drift
apart by tenths of a percent, so a plain FIFO either grows without bound (latency creeps
up) or runs dry (clicks). Rules:

- The writer pushes whatever it has. If the fill then exceeds `high` samples, whole
  frames are dropped from the *oldest* end until it is back under `high` (counted in
  `dropped_frames`) — latency stays bounded.
- The reader asks for n samples. If fewer are buffered, copies of the newest whole frame
  are appended first (counted in `repeated_frames`) — a 20 ms repeat is inaudible in
  speech, silence would click. Whole frames, so the counter is the inserted time.
- More than `max_repeats` repeats without a write in between means the writer has stopped
  (call ended): the reader then gets what is left and silence, and the buffer waits to be
  primed again (`target` samples) before playing, so a restart does not stutter.
- Until first primed the reader gets silence without counting anything.

Both sides may be on different threads (pj's media thread, PortAudio's callback
thread): every method takes one short lock and only copies samples.
"""

from __future__ import annotations

import threading

import numpy as np
import numpy.typing as npt

FRAME = 160  # 20 ms at 8 kHz

Samples = npt.NDArray[np.int16]


class DriftBuffer:
    """Bounded int16 FIFO that drops / repeats whole frames to absorb clock drift.

    Attributes:
        dropped_frames: frames discarded because the writer ran ahead.
        repeated_frames: frames repeated because the reader ran ahead.
        max_fill: the highest fill (samples) seen after a write was trimmed.
    """

    def __init__(
        self,
        target_frames: int = 3,
        high_frames: int = 8,
        capacity_frames: int = 32,
        max_repeats: int = 5,
        frame: int = FRAME,
    ) -> None:
        if not 0 < target_frames < high_frames < capacity_frames:
            raise ValueError("need 0 < target < high < capacity")
        self.frame = frame
        self.max_repeats = max_repeats
        self.target = target_frames * frame
        self.high = high_frames * frame
        self._cap = capacity_frames * frame
        self._buf: Samples = np.zeros(self._cap, dtype=np.int16)
        self._start = 0
        self._fill = 0
        self._last: Samples = np.zeros(frame, dtype=np.int16)
        self._repeats_in_row = 0
        self._primed = False
        self._lock = threading.Lock()
        self.dropped_frames = 0
        self.repeated_frames = 0
        self.max_fill = 0

    @property
    def fill(self) -> int:
        return self._fill

    def clear(self) -> None:
        with self._lock:
            self._start = 0
            self._fill = 0
            self._primed = False
            self._repeats_in_row = 0

    def write(self, samples: Samples) -> None:
        if len(samples) == 0:
            return
        with self._lock:
            self._write_locked(samples)
            self._repeats_in_row = 0
            if len(samples) >= self.frame:
                self._last = samples[-self.frame :].copy()
            else:
                self._last = np.concatenate((self._last[len(samples) :], samples))
            while self._fill > self.high:
                self._start = (self._start + self.frame) % self._cap
                self._fill -= self.frame
                self.dropped_frames += 1
            self.max_fill = max(self.max_fill, self._fill)
            if not self._primed and self._fill >= self.target:
                self._primed = True

    def read(self, n: int) -> Samples:
        out = np.zeros(n, dtype=np.int16)
        with self._lock:
            if not self._primed:
                return out
            if self._fill < n:
                # Reader ahead of writer: repeat the newest frame, whole frames only, so
                # the inserted time is exactly what the counter says.
                missing = -(-(n - self._fill) // self.frame)
                if self._repeats_in_row + missing > self.max_repeats:
                    self._primed = False  # the writer has stopped: silence until primed
                    n = self._fill
                else:
                    for _ in range(missing):
                        self._write_locked(self._last)
                    self._repeats_in_row += missing
                    self.repeated_frames += missing
            first = min(n, self._cap - self._start)
            out[:first] = self._buf[self._start : self._start + first]
            out[first:n] = self._buf[: n - first]
            self._start = (self._start + n) % self._cap
            self._fill -= n
            return out

    def _write_locked(self, samples: Samples) -> None:
        n = len(samples)
        if n >= self._cap:
            samples = samples[n - self._cap + self.frame :]
            n = len(samples)
        end = (self._start + self._fill) % self._cap
        first = min(n, self._cap - end)
        self._buf[end : end + first] = samples[:first]
        self._buf[: n - first] = samples[first:]
        self._fill += n
        if self._fill > self._cap:  # cannot happen with high < capacity, but never corrupt
            over = self._fill - self._cap
            self._start = (self._start + over) % self._cap
            self._fill = self._cap
