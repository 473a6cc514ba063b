from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import pytest

from console.bench.sim_feed import SimFeed
from cti.ami.actions import ActionResult
from cti.ami.message import Message
from cti.state.config import FloorConfig
from cti.state.store import FloorStore


class RecordingAudit:
    """Hand-written fake of the record's action audit: keeps rows in order."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def action_intent(
        self,
        action: str,
        *,
        agent: str | None = None,
        queue: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> int:
        self.rows.append(("intent", action, agent or "", repr(sorted((params or {}).items()))))
        return len(self.rows)

    def action_result(
        self, handle: Any, ok: bool, result: str = "", duration: float | None = None
    ) -> None:
        self.rows.append(("result", str(handle), "ok" if ok else "failed", result))


class RecordingPbx:
    """Fake PBX port: records calls (after checking the audit intent exists) and answers."""

    def __init__(self, audit: RecordingAudit, fail: str = "") -> None:
        self.audit = audit
        self.calls: list[tuple[Any, ...]] = []
        self.fail = fail

    def _answer(self, *call: Any) -> Future[Any]:
        assert self.audit.rows and self.audit.rows[-1][0] == "intent", "audit must come first"
        self.calls.append(call)
        f: Future[Any] = Future()
        if self.fail:
            f.set_exception(RuntimeError(self.fail))
        else:
            message = "Interface paused successfully"
            response = Message({"Response": "Success", "ActionID": "t-1", "Message": message})
            f.set_result(ActionResult(action_id="t-1", response=response, message=message))
        return f

    def pause(self, interface: str, paused: bool, reason: str, queue: str | None) -> Future[Any]:
        return self._answer("pause", interface, paused, reason, queue)

    def add_member(self, queue: str, interface: str, name: str, penalty: int) -> Future[Any]:
        return self._answer("add", queue, interface, name, penalty)

    def remove_member(self, queue: str, interface: str) -> Future[Any]:
        return self._answer("remove", queue, interface)


@pytest.fixture
def water_store() -> Iterator[tuple[FloorStore, SimFeed]]:
    feed = SimFeed("water", seed=7, warmup_s=0)
    store = FloorStore(FloorConfig(wrapup_s=25), feed.clock)
    feed.run(1800, 5, store.apply)
    store.resync_items(feed.snapshot_items())
    assert store.is_live
    store.drain_changes()
    yield store, feed


@pytest.fixture
def audit() -> RecordingAudit:
    return RecordingAudit()


@pytest.fixture
def make_pbx() -> type[RecordingPbx]:
    return RecordingPbx
