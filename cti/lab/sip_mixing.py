"""Who hears whom in the lab's conference bridge, as a set of one-way links.

pjsua2 mixes audio in one conference bridge: every call, player and tone generator is a port,
and `a.startTransmit(b)` is a one-way link "b hears a". The lab never patches links one by one
as things happen; it computes the complete set of links the current calls, spies and modes
require (this module, pure), and `LinkSet.apply` changes only the difference. That keeps a
mode switch to a handful of stop/start calls and makes a wrong leftover link impossible.

The monitoring table (DESIGN.md "Monitoring", ChanSpy in Asterisk):

| mode    | supervisor hears | agent hears           | caller hears          |
|---------|------------------|-----------------------|-----------------------|
| listen  | agent + caller   | caller only           | agent only            |
| whisper | agent + caller   | caller + supervisor   | agent only            |
| barge   | agent + caller   | caller + supervisor   | agent + supervisor    |

A simulated call has no SIP legs: its caller and agent are audio sources (speech clips or
tones) that nobody hears except the spy, and the spy's voice goes nowhere (an unconnected
port is pjsua2's null sink). `None` stands for such a missing sink.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

P = TypeVar("P", bound=Hashable)


class SpyMode(enum.StrEnum):
    LISTEN = "listen"
    WHISPER = "whisper"
    BARGE = "barge"


Link = tuple[P, P]  # (source, sink): sink hears source


def bridge_links(a: P, b: P) -> set[tuple[P, P]]:
    """Two call legs talking to each other."""
    return {(a, b), (b, a)}


def spy_links(mode: SpyMode, caller: P | None, agent: P | None, spy: P) -> set[tuple[P, P]]:
    """Links a spy adds to a call, per the table above (caller/agent None = no such port)."""
    links: set[tuple[P, P]] = set()
    for source in (caller, agent):
        if source is not None:
            links.add((source, spy))
    if mode in (SpyMode.WHISPER, SpyMode.BARGE) and agent is not None:
        links.add((spy, agent))
    if mode is SpyMode.BARGE and caller is not None:
        links.add((spy, caller))
    return links


def simulated_spy_links(caller_source: P, agent_source: P, spy: P) -> set[tuple[P, P]]:
    """A simulated call: the spy hears both sources in every mode; its voice reaches nobody."""
    return {(caller_source, spy), (agent_source, spy)}


def hearers(links: Iterable[tuple[P, P]]) -> dict[P, set[P]]:
    """sink → the sources it hears (for checks and debugging)."""
    heard: dict[P, set[P]] = {}
    for source, sink in links:
        heard.setdefault(sink, set()).add(source)
    return heard


@dataclass
class LinkSet(Generic[P]):
    """The links currently made in the bridge; `apply` moves them to a desired set.

    `start(source, sink)` / `stop(source, sink)` do the pjsua2 calls; they return False when
    the bridge refused (e.g. a port vanished because its call just ended), and such a link is
    then simply not recorded as present.
    """

    start: Callable[[P, P], bool]
    stop: Callable[[P, P], bool]
    current: set[tuple[P, P]] = field(default_factory=set)

    def apply(self, desired: set[tuple[P, P]]) -> tuple[int, int]:
        """Stop links no longer wanted first (a re-wire never briefly leaks audio), then start."""
        stopped = started = 0
        for link in sorted(self.current - desired, key=repr):
            self.stop(*link)
            self.current.discard(link)
            stopped += 1
        for link in sorted(desired - self.current, key=repr):
            if self.start(*link):
                self.current.add(link)
                started += 1
        return stopped, started

    def forget(self, port: P) -> None:
        """A port disappeared from the bridge (its links went with it)."""
        self.current = {link for link in self.current if port not in link}
