"""A pjsua2 conference port whose audio comes from and goes to Python callables.

pjsua2 calls `onFrameRequested` / `onFrameReceived` on the conference bridge's clock
thread (the null device's), 50 times a second each, with 20 ms frames of 8 kHz 16-bit
mono (320 bytes). Rules for what runs there:

- only buffer copies: the callables given here must not block, allocate much, or call
  pj (that thread is pj's own, so it is registered; a Python thread of ours would not be);
- never raise: an exception escaping a pjsua2 callback is printed, swallowed, and its
  traceback keeps pj objects alive until exit — which then aborts. Errors are counted and
  the first one is logged.

Converting the frame's `ByteVector` to bytes costs ~0.2 ms (SWIG iterates); that is the
price of a Python port and is well inside the 20 ms budget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pjsua2 as pj

log = logging.getLogger(__name__)

RATE = 8000
FRAME_MS = 20
FRAME_SAMPLES = RATE * FRAME_MS // 1000
FRAME_BYTES = FRAME_SAMPLES * 2
SILENCE = bytes(FRAME_BYTES)

FrameSource = Callable[[], bytes | None]
FrameSink = Callable[[bytes], None]


class FramePort(pj.AudioMediaPort):  # type: ignore[misc]
    """Conference port: `source()` supplies what we send, `sink(frame)` gets what we hear.

    Attributes:
        errors: exceptions caught inside media callbacks.
        frames_in: frames delivered to the sink.
        frames_out: frames requested from the source.
    """

    def __init__(self, name: str, source: FrameSource | None, sink: FrameSink | None) -> None:
        super().__init__()
        self.name = name
        self._source = source
        self._sink = sink
        self.errors = 0
        self.frames_in = 0
        self.frames_out = 0
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, RATE, 1, FRAME_MS * 1000, 16)
        self.createPort(name, fmt)

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:
        try:
            source = self.__dict__.get("_source")
            if source is None and "_source" not in self.__dict__:
                frame.type = pj.PJMEDIA_FRAME_TYPE_NONE
                frame.size = 0
                return
            self.frames_out += 1
            data = source() if source is not None else None
            if data is None:
                frame.type = pj.PJMEDIA_FRAME_TYPE_NONE
                frame.size = 0
                return
            frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
            frame.buf = pj.ByteVector(data)
            frame.size = len(data)
        except Exception:
            self._failed("onFrameRequested")

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        try:
            sink = self.__dict__.get("_sink")
            if sink is None or frame.type != pj.PJMEDIA_FRAME_TYPE_AUDIO or not frame.size:
                return
            self.frames_in += 1
            sink(bytes(frame.buf))
        except Exception:
            self._failed("onFrameReceived")

    def _failed(self, where: str) -> None:
        # While the port is being destroyed the bridge's clock thread may still call in after
        # Python has cleared the object's attributes: nothing to report then.
        if "errors" not in self.__dict__:
            return
        self.errors += 1
        if self.errors == 1:
            log.exception(
                "media port %s: %s failed (further errors only counted)", self.name, where
            )
