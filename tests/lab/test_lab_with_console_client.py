"""The console's own AMI client (cti/ami/client.py) runs unchanged against the lab: MD5
login, narrow event mask, the sync snapshot, typed events, actions and their errors, and a
lab shutdown seen as a lost link."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import Any

import pytest
from labkit import LabThread

from cti.ami.actions import InterfaceNotFoundError, Ping, QueuePause
from cti.ami.client import AmiClient, AmiConfig, LinkState, LinkStatus
from cti.ami.events import GenericEvent, QueueMemberPause
from cti.ami.sync import SyncSnapshot


class Recorder:
    def __init__(self) -> None:
        self.items: queue.Queue[Any] = queue.Queue()
        self.states: list[LinkState] = []

    def on_event(self, item: Any) -> None:
        self.items.put(item)

    def on_link_state(self, status: LinkStatus) -> None:
        self.states.append(status.state)

    def wait_for(self, pred: Callable[[Any], bool], timeout: float = 20.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            item = self.items.get(timeout=max(0.01, deadline - time.monotonic()))
            if pred(item):
                return item

    def wait_state(self, state: LinkState, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while state not in self.states:
            assert time.monotonic() < deadline, f"no {state}: {self.states}"
            time.sleep(0.01)


@pytest.mark.timeout(60)
def test_console_client_runs_unchanged_against_the_lab() -> None:
    lab = LabThread(speed=60.0).__enter__()
    rec = Recorder()
    client = AmiClient(
        AmiConfig(host="127.0.0.1", port=lab.port, username=lab.user, secret=lab.secret),
        on_event=rec.on_event,
        on_link_state=rec.on_link_state,
    )
    try:
        client.start()
        snapshot: SyncSnapshot = rec.wait_for(lambda i: isinstance(i, SyncSnapshot))
        rec.wait_state(LinkState.LIVE)
        assert snapshot.ami_version == "11.0.0" and snapshot.asterisk_version.startswith("22.")
        assert {q.queue for q in snapshot.queue_params} == {"support", "complaints"}
        assert len({m.interface for m in snapshot.queue_members}) == 12
        assert {s.queue for s in snapshot.queue_summaries} == {"support", "complaints"}
        # Live typed events: the lab's queue and call events all have typed classes.
        seen: set[str] = set()
        deadline = time.monotonic() + 20
        while not {"AgentConnect", "QueueCallerJoin", "BridgeEnter"} <= seen:
            item = rec.items.get(timeout=max(0.01, deadline - time.monotonic()))
            if not isinstance(item, SyncSnapshot):
                assert not isinstance(item, GenericEvent), item.name
                seen.add(item.name)
        assert client.submit(Ping()).result(10).timestamp is not None
        client.submit(QueuePause(interface="PJSIP/1002", paused=True, reason="meeting")).result(10)
        paused = rec.wait_for(
            lambda i: isinstance(i, QueueMemberPause) and i.interface == "PJSIP/1002"
        )
        assert paused.paused and paused.paused_reason == "meeting"
        with pytest.raises(InterfaceNotFoundError):
            client.submit(QueuePause(interface="PJSIP/9999", paused=True)).result(10)
        lab.stop()  # the lab shuts down: Shutdown event, EOF → the link is no longer live
        deadline = time.monotonic() + 20
        while client.link_status.is_live:
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        client.stop()
        lab.stop()
