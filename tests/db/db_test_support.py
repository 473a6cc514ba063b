"""Shared helpers of the record tests (imported by conftest and tests)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db.record import Record

T0 = 1_795_337_199.0  # 2026-11-22 08:46:39 UTC, the shared capture's day


def run_sql(path: Path, *statements: str) -> None:
    """Edit a record file behind the console's back, as a tool or an attacker would."""
    connection = sqlite3.connect(path)
    try:
        for sql in statements:
            connection.execute(sql)
        connection.commit()
    finally:
        connection.close()


def fill(record: Record, events: int = 200, t0: float = T0) -> None:
    """Journal events plus one row of every supervisor kind, with Chinese text."""
    for i in range(events):
        record.journal_event(
            t0 + i,
            "QueueMemberStatus",
            {
                "Queue": "support",
                "Interface": f"PJSIP/100{i % 3 + 1}",
                "MemberName": "张三",
                "Status": "1",
                "Paused": "0",
                "n": str(i),
            },
        )
    handle = record.action_intent(
        "QueuePause", agent="PJSIP/1001", queue="support", params={"reason": "午餐"}, ts=t0 + 1
    )
    record.action_result(handle, True, "Success", duration=0.05, ts=t0 + 2)
    session = record.monitor_session_start("PJSIP/1002", "listen", ts=t0 + 3)
    record.monitor_session_mode(session, "whisper", ts=t0 + 13)
    record.monitor_session_mode(session, "barge", ts=t0 + 23)
    record.monitor_session_end(session, "hangup", ts=t0 + 33)
    alarm = record.alarm_raised("sl_low", "warning", "服务水平低于 80%", queue="support", ts=t0 + 4)
    record.alarm_changed(
        alarm, "severity", "critical", "服务水平低于 65%", details={"value": 0.64}, ts=t0 + 4.5
    )
    record.alarm_changed(alarm, "escalated", "critical", "服务水平低于 65%", ts=t0 + 4.7)
    record.alarm_acknowledged(alarm, "已通知值班长", ts=t0 + 5)
    record.sign_in("李四", ts=t0 + 6)
    record.setting_changed("ami.host", "127.0.0.1", "10.0.0.5", ts=t0 + 7)
    record.flush()
