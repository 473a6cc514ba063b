"""An independent AMI client (panoramisk) logs in to the lab and reads QueueStatus."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import pytest
from labkit import LabThread
from panoramisk import Manager


@pytest.fixture(scope="module")
def lab() -> Iterator[LabThread]:
    with LabThread(speed=1.0) as running:
        yield running


async def _queue_status(lab: LabThread) -> tuple[bool, list[dict[str, str]]]:
    loop = asyncio.get_running_loop()
    manager = Manager(
        loop=loop,
        host="127.0.0.1",
        port=lab.port,
        username=lab.user,
        secret=lab.secret,
        events="off",
        ping_delay=60,
        reconnect_timeout=60,
    )
    try:
        await manager.connect()
        for _ in range(200):
            if manager.authenticated_future is None:
                break
            await asyncio.sleep(0.02)
        authenticated = manager.authenticated
        reply = await asyncio.wait_for(manager.send_action({"Action": "QueueStatus"}), 10)
        items = [dict(m) for m in (reply if isinstance(reply, list) else [reply])]
        return authenticated, items
    finally:
        manager.close()
        with contextlib.suppress(Exception):
            await asyncio.sleep(0.05)


@pytest.mark.timeout(30)
def test_panoramisk_reads_queue_status(lab: LabThread) -> None:
    authenticated, items = asyncio.run(_queue_status(lab))
    assert authenticated
    assert items[0]["Response"] == "Success" and items[0]["EventList"] == "start"
    names = [i.get("Event") for i in items[1:]]
    assert names[-1] == "QueueStatusComplete"
    assert int(items[-1]["ListItems"]) == len(items) - 2
    params = {i["Queue"]: i for i in items if i.get("Event") == "QueueParams"}
    assert set(params) == {"support", "complaints"}
    assert params["support"]["Strategy"] == "rrmemory"
    members = [i for i in items if i.get("Event") == "QueueMember"]
    assert {m["Location"] for m in members} >= {"PJSIP/1001", "PJSIP/1010"}
