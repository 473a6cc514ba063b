"""The simulation's own clock: real time scaled by a speed factor.

simulated = sim_start + (real() - real_start) × speed. The real clock is injected (a
monotonic one in the lab process, a fake one in tests); the simulated value is an epoch so
that AMI fields such as LoginTime and LastCall look like Asterisk's. Changing the speed
re-anchors the clock, so simulated time never jumps.
"""

from __future__ import annotations

from collections.abc import Callable


class ScaledClock:
    def __init__(self, real: Callable[[], float], sim_start: float, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._real = real
        self._real_start = real()
        self._sim_start = sim_start
        self._speed = speed

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> float:
        return self._sim_start + (self._real() - self._real_start) * self._speed

    def real_delay_until(self, sim_time: float) -> float:
        """Real seconds until the simulated clock reaches `sim_time` (0 when already there)."""
        return max(0.0, (sim_time - self.now()) / self._speed)

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._sim_start = self.now()
        self._real_start = self._real()
        self._speed = speed
