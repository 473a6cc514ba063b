"""Audio sources the lab plays for simulated calls that a supervisor spies on.

Simulated agents have no SIP legs, so when a spy starts on one the lab makes two sources in
the conference bridge — the "caller" and the "agent" — and releases them when the spy ends
(the wheel allows 32 players per process; sources exist only while monitored).

- Speech: `resources/speech/*.wav` (8 kHz mono 16-bit, made by scripts/make_speech_clips.py).
  A clip belongs to a role and a language when its file name contains both words, e.g.
  `caller-zh-1.wav`, `agent_en_2.wav`; the pick among several is stable per agent extension
  so one agent always sounds the same. Players loop.
- Tones: the fixtures' test tones (caller 600 Hz, agent 1100 Hz) at pjmedia's default tone
  level (-8.5 dBFS) — when the lab runs in tone mode, or when no clip fits (missing clips
  never stop monitoring).
"""

from __future__ import annotations

import itertools
import logging
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pjsua2 as pj

from cti.audio.tones import AGENT_HZ, CALLER_HZ

log = logging.getLogger(__name__)

ROLE_TONES = {"caller": CALLER_HZ, "agent": AGENT_HZ}
DEFAULT_SPEECH_DIR = Path(__file__).resolve().parents[2] / "resources" / "speech"
_TONE_ON_MS = 30000  # ToneDesc durations are 16-bit; a long on-time keeps the phase steady
_keys = itertools.count(1)


def find_clip(speech_dir: Path | None, role: str, language: str, key: str) -> Path | None:
    """The clip for a role and language (falls back to any language), or None."""
    if speech_dir is None or not speech_dir.is_dir():
        return None
    clips = sorted(p for p in speech_dir.glob("*.wav") if _words(p) and role in _words(p))
    lang = (language or "").lower().replace("_", "-").split("-")[0]
    preferred = [p for p in clips if lang and lang in _words(p)]
    pool = preferred or clips
    if not pool:
        return None
    return pool[zlib.crc32(key.encode()) % len(pool)]


def _words(path: Path) -> set[str]:
    stem = path.stem.lower().replace("-", " ").replace("_", " ").replace(".", " ")
    return set(stem.split())


@dataclass
class Source:
    """One bridge port producing audio; `media` is what startTransmit is called on."""

    media: Any  # pj.AudioMedia subclass (AudioMediaPlayer or ToneGenerator)
    description: str
    keep: list[Any] = field(default_factory=list)  # pjsua2 objects that must outlive `media`
    key: str = field(default_factory=lambda: f"src{next(_keys)}")  # its name in the link set


def make_tone(frequency: float, *, loop: bool = True, on_ms: int = _TONE_ON_MS) -> Source:
    generator = pj.ToneGenerator()
    generator.createToneGenerator(8000, 1)
    desc = pj.ToneDesc()
    desc.freq1 = int(frequency)
    desc.freq2 = 0
    desc.on_msec = on_ms
    desc.off_msec = 0
    desc.volume = 0
    tones = pj.ToneDescVector()
    tones.append(desc)
    generator.play(tones, loop)
    return Source(generator, f"tone {frequency:g} Hz", [tones])


def make_source(
    role: str, language: str, key: str, *, tone_mode: bool, speech_dir: Path | None
) -> Source:
    """Speech for `role` ("caller"/"agent") in `language`, or its test tone."""
    clip = None if tone_mode else find_clip(speech_dir, role, language, key)
    if clip is not None:
        player = pj.AudioMediaPlayer()
        try:
            player.createPlayer(str(clip), 0)  # 0 = loop at the end
        except pj.Error as exc:
            log.warning("speech clip %s unusable (%s); using a tone", clip, exc.info())
        else:
            return Source(player, f"speech {clip.name}")
    return make_tone(ROLE_TONES[role])
