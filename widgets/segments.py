"""A stretch of time in one state (one bar of a state timeline)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    state: str
    reason: str = ""  # why, for a not-ready stretch
