"""Feeds the lab's simulation straight into a floor store, without sockets.

Used by the floor benchmarks (2,000 agents, accelerated shifts) and by GUI tests that need a
realistic floor quickly; the end-to-end tests go through the lab process and real TCP instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cti.ami.events import AmiEvent, to_event
from cti.ami.message import Message
from cti.lab.scenario import load_scenario
from cti.lab.simulation import HotlineSimulation


@dataclass
class SimFeed:
    """Attributes:
    sim: the simulation; `clock()` is its simulated epoch (use it as the store's clock).
    """

    scenario: str
    seed: int = 1
    start_epoch: float = 1_795_337_200.0
    warmup_s: float = 0.0
    sim: HotlineSimulation = field(init=False)

    def __post_init__(self) -> None:
        self.sim = HotlineSimulation(
            load_scenario(self.scenario), seed=self.seed, start_epoch=self.start_epoch
        )
        if self.warmup_s:
            self.sim.warm_up(self.warmup_s)

    def clock(self) -> float:
        return self.sim.now

    def advance(self, seconds: float) -> list[AmiEvent]:
        return [to_event(Message(h)) for h in self.sim.advance_to(self.sim.now + seconds)]

    def run(self, seconds: float, step: float, apply: Callable[[AmiEvent], None]) -> int:
        n = 0
        end = self.sim.now + seconds
        while self.sim.now < end:
            for ev in self.advance(step):
                apply(ev)
                n += 1
        return n

    def snapshot_items(self) -> list[AmiEvent]:
        """The sync lists (QueueStatus, CoreShowChannels) the lab would answer right now."""
        import time

        from cti.lab import ami_actions
        from cti.lab.clock import ScaledClock
        from cti.lab.pbx import LabPbx

        frozen_at = self.sim.now
        pbx = LabPbx(
            self.sim, ScaledClock(lambda: 0.0, frozen_at), time.monotonic, started=frozen_at
        )
        frames = ami_actions.queue_status(pbx, Message({"Action": "QueueStatus", "ActionID": "s1"}))
        frames += ami_actions.core_show_channels(
            pbx, Message({"Action": "CoreShowChannels", "ActionID": "s2"})
        )
        items = [to_event(Message(h)) for h in frames if h and h[0][0] == "Event"]
        return [
            e for e in items if e.name not in ("QueueStatusComplete", "CoreShowChannelsComplete")
        ]

    def events(self, step: float) -> Iterator[AmiEvent]:
        while True:
            yield from self.advance(step)
