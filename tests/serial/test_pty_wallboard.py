"""Wallboard driver → real pseudo-terminal → sign simulator (decodes + checksums)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from polling import wait_until
from serial_ptys import SocatPair

from cti.serial.alpha import Color, Mode
from cti.serial.sim.sign import SignSimulator
from cti.serial.wallboard import (
    QueueBoardLine,
    SignProtocol,
    WallboardConfig,
    WallboardContent,
    WallboardDriver,
)

pytestmark = pytest.mark.serial


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sims() -> Iterator[list[SignSimulator]]:
    started: list[SignSimulator] = []
    yield started
    for sim in started:
        sim.stop()


def start_sign(sims: list[SignSimulator], port: str, **kw: object) -> SignSimulator:
    sim = SignSimulator(port, **kw)  # type: ignore[arg-type]
    sim.start()
    sims.append(sim)
    return sim


FLOOR = WallboardContent(
    queues=(
        QueueBoardLine("VIP", 3, 0.92, 45.0),
        QueueBoardLine("Complaints", 12, 0.61, 185.0, alarm=True),
        QueueBoardLine("Suburban", 0, None, 0.0),
    ),
    alarm_text="Queue Complaints: 12 calls waiting (limit 10)",
)


@pytest.mark.timeout(30)
def test_alpha_floor_arrives_exactly_with_valid_checksum(
    pty_pair: SocatPair, sims: list[SignSimulator]
) -> None:
    sign = start_sign(sims, pty_pair.b)
    driver = WallboardDriver(WallboardConfig(pty_pair.a), Clock())
    try:
        driver.publish(FLOOR)
        status = driver.poll()
        assert status.connected and status.frames_sent == 1 and status.last_error is None
        assert sign.wait_for(1, 10)
        (msg,) = sign.messages
        assert msg.ok and msg.checksum_ok
        assert (msg.type_code, msg.address, msg.label) == ("Z", "00", "A")
        assert [(s["mode"], s["colors"], s["text"]) for s in msg.segments] == [
            ("FLASH", ["RED"], "Queue Complaints: 12 calls waiting (limit 10)"),
            ("HOLD", ["GREEN"], "VIP W:3 SL:92% LW:0:45"),
            ("HOLD", ["RED"], "Complaints W:12 SL:61% LW:3:05"),
            ("HOLD", ["GREEN"], "Suburban W:0 SL:-- LW:0:00"),
        ]
        # unchanged content is not rewritten; a change is
        driver.poll()
        driver.publish(WallboardContent(queues=(QueueBoardLine("VIP", 4, 0.9, 50.0),)))
        driver.poll()
        assert sign.wait_for(2, 10)
        assert sign.shown == "VIP W:4 SL:90% LW:0:50"
        assert len(sign.messages) == 2
    finally:
        driver.close()


@pytest.mark.timeout(30)
def test_address_routing(pty_pair: SocatPair, sims: list[SignSimulator]) -> None:
    sign = start_sign(sims, pty_pair.b, address="05")
    driver = WallboardDriver(WallboardConfig(pty_pair.a, address="07"), Clock())
    try:
        driver.send_now("for sign 07")
        driver.close()
        WallboardDriver(WallboardConfig(pty_pair.a, address="05"), Clock()).send_now("for 05")
        assert sign.wait_for(2, 10)
        assert [(m.address, m.for_me) for m in sign.messages] == [("07", False), ("05", True)]
        assert sign.shown == "for 05"
    finally:
        driver.close()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_plain_line_mode_carries_chinese(
    pty_pair: SocatPair, sims: list[SignSimulator], encoding: str
) -> None:
    sign = start_sign(sims, pty_pair.b, protocol="plain", encoding=encoding)
    config = WallboardConfig(pty_pair.a, protocol=SignProtocol.PLAIN, encoding=encoding)
    driver = WallboardDriver(config, Clock())
    try:
        content = WallboardContent(
            queues=(QueueBoardLine("城区", 7, 0.85, 95.0), QueueBoardLine("郊区", 1, 1.0, 5.0)),
            alarm_text="城区 排队 7 人\n请增援",
        )
        driver.publish(content)
        driver.poll()
        assert sign.wait_for(1, 10)
        assert sign.messages[0].text == (
            "ALARM 城区 排队 7 人 请增援 | 城区 W:7 SL:85% LW:1:35 | 郊区 W:1 SL:100% LW:0:05"
        )
    finally:
        driver.close()


@pytest.mark.timeout(60)
def test_unplug_then_replug_reopens_and_shows_the_latest_content(
    pty_pair: SocatPair, sims: list[SignSimulator]
) -> None:
    clock = Clock()
    sign = start_sign(sims, pty_pair.b)
    config = WallboardConfig(pty_pair.a, mode=Mode.ROTATE, text_color=Color.AMBER)
    driver = WallboardDriver(config, clock, backoff_initial=2.0, refresh_every=None)
    try:
        driver.publish("before unplug")
        driver.poll()
        assert sign.wait_for(1, 10)
        pty_pair.kill()  # cable pulled
        assert sign.wait_ended(10)
        driver.publish("during the outage")
        status = driver.poll()
        assert not status.connected
        assert status.last_error is not None and "stopped responding" in status.last_error
        assert status.next_retry_at == 2.0
        # still unplugged when the retry comes: the next wait doubles
        clock.now = 2.0
        status = driver.poll()
        assert not status.connected and "does not exist" in (status.last_error or "")
        assert status.next_retry_at == 6.0
        pty_pair.start()  # plugged back in, same device name
        sign2 = start_sign(sims, pty_pair.b)
        clock.now = 5.9
        assert not driver.poll().connected  # backing off: no attempt yet
        clock.now = 6.0
        status = driver.poll()
        assert status.connected and status.last_error is None and status.opens == 2
        assert sign2.wait_for(1, 10)
        assert sign2.shown == "during the outage"
        assert sign2.messages[0].segments[0]["colors"] == ["AMBER"]
        assert sign2.messages[0].segments[0]["mode"] == "ROTATE"
    finally:
        driver.close()


@pytest.mark.timeout(30)
def test_periodic_refresh_rewrites_unchanged_content(
    pty_pair: SocatPair, sims: list[SignSimulator]
) -> None:
    clock = Clock()
    sign = start_sign(sims, pty_pair.b)
    driver = WallboardDriver(WallboardConfig(pty_pair.a), clock, refresh_every=60.0)
    try:
        driver.publish("steady")
        driver.poll()
        clock.now = 59.0
        driver.poll()
        clock.now = 60.0
        driver.poll()
        assert sign.wait_for(2, 10)
        wait_until(lambda: len(sign.messages) == 2, 5, "two frames")
        assert [m.text for m in sign.messages] == ["steady", "steady"]
    finally:
        driver.close()
