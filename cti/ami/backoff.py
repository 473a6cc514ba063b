# Reconnect delays: exponential back-off with jitter.
#
# delay(n) = min(maximum, initial * factor**n) * (1 - jitter * U[0, 1)), n = failed attempts
# so far. The jitter spreads the reconnects of many consoles after a PBX restart (they all
# lose the link at the same instant). A successful sync resets n. The random source is
# injected so tests are deterministic.

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["Backoff"]


@dataclass
class Backoff:
    """Attributes: initial_s, maximum_s, factor, jitter (0..1), attempt (failures so far)."""

    initial_s: float = 0.5
    maximum_s: float = 30.0
    factor: float = 2.0
    jitter: float = 0.5
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0

    def __post_init__(self) -> None:
        if self.initial_s <= 0 or self.maximum_s < self.initial_s:
            raise ValueError("back-off needs 0 < initial <= maximum")
        if self.factor < 1:
            raise ValueError("back-off factor must be >= 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("back-off jitter must be between 0 and 1")

    def next_delay(self) -> float:
        """The delay before the next attempt (and count this failure)."""
        exponent = min(self.attempt, 64)  # avoid float overflow after days of failures
        base = min(self.maximum_s, self.initial_s * self.factor**exponent)
        self.attempt += 1
        return base * (1.0 - self.jitter * self.rng.random())

    def reset(self) -> None:
        self.attempt = 0
