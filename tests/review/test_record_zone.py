"""A record keeps its floor's time zone: a copy reviewed on a PC in another zone cuts days and
intervals at the floor's midnight and shows the floor's clock, in the window, the figures,
the exports and the audit command's dates."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from db.export import audit_table, detail_tables, header_lines
from db.record import open_record
from db.review import open_review
from db.review_rows import ReviewFilter
from db.zone import wall_time, zone_details, zone_from_details, zone_text

pytestmark = [pytest.mark.timeout(120)]

FLOOR = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 23, 23, 20, tzinfo=FLOOR).timestamp()  # the floor's 23:20
MIDNIGHT = datetime(2026, 11, 24, tzinfo=FLOOR).timestamp()
HERE = Path(__file__).resolve().parent


def _set_tz(value: str | None) -> None:
    if value is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = value
    time.tzset()


@pytest.fixture(scope="module")
def shanghai_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("zone") / "shanghai.sqlite3"
    subprocess.run(
        [sys.executable, str(HERE / "zone_writer.py"), str(path), str(START)],
        env=dict(os.environ, TZ="Asia/Shanghai"),
        check=True,
        timeout=100,
    )
    return path


@pytest.fixture
def reviewer_elsewhere() -> Iterator[None]:
    """This process on São Paulo's clock (UTC-3, no DST): its midnight is the floor's 11:00."""
    before = os.environ.get("TZ")
    _set_tz("America/Sao_Paulo")
    try:
        yield
    finally:
        _set_tz(before)


def test_days_intervals_and_calls_today_follow_the_floors_midnight(
    shanghai_record: Path, reviewer_elsewhere: None
) -> None:
    with open_review(shanghai_record) as review:
        assert review.zone == FLOOR
        config, since = review.definitions_at(START + 600)
        assert config.tz == FLOOR and since == START - 60
        before = review.interval_table(date(2026, 11, 23), config)
        after = review.interval_table(date(2026, 11, 24), config)
        starts_before = {m.start for ms in before.values() for m in ms}
        starts_after = {m.start for ms in after.values() for m in ms}
        # the floor's 23:00 and 23:30, then 00:00 and 00:30 (on this PC's clock: 12:00 … 13:30)
        assert sorted(wall_time(s, FLOOR).strftime("%H:%M") for s in starts_before) == [
            "23:00",
            "23:30",
        ]
        assert sorted(wall_time(s, FLOOR).strftime("%H:%M") for s in starts_after) == [
            "00:00",
            "00:30",
        ]
        offered = sum(m.offered for t in (before, after) for ms in t.values() for m in ms)
        assert offered > 300
        # "calls today" starts again at the floor's midnight, not this PC's
        late = review.floor_at(MIDNIGHT - 60)
        early = review.floor_at(MIDNIGHT + 60)
        assert sum(a.calls_today for a in late.agents.values()) > 100
        assert sum(a.calls_today for a in early.agents.values()) < 30
        segments = review.agent_timeline(next(iter(early.agents)), date(2026, 11, 24))
        assert segments and segments[0].start == MIDNIGHT


def test_exports_and_audit_dates_are_on_the_floors_clock(
    shanghai_record: Path, tmp_path: Path
) -> None:
    with open_review(shanghai_record) as review:
        trail = audit_table(review, ReviewFilter())
        sign_ins = next(t for t in detail_tables(review, ReviewFilter()) if t.title == "Sign-ins")
        assert ("Times", "UTC+08:00 Asia/Shanghai") in header_lines(review, ReviewFilter())
    times = [str(row[1]) for row in trail.rows]
    assert times and all(t.endswith("+08:00") for t in times)
    assert sign_ins.rows[0][1] == "2026-11-24T00:01:00+08:00"
    # "--from 2026-11-24" is the floor's day, whatever the exporting PC's zone
    out = tmp_path / "day.csv"
    command = ["audit", "export", str(shanghai_record), "--format", "csv", "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "main.py", *command, "--from", "2026-11-24"],
        cwd=HERE.parents[1],
        env=dict(os.environ, TZ="America/Sao_Paulo"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8-sig")
    kinds = [row[2] for row in csv.reader(text.splitlines()) if len(row) > 2]
    assert "sign_in" in kinds and "setting_changed" not in kinds


@pytest.mark.gui
def test_the_review_window_shows_the_floors_clock(
    qtbot: Any, shanghai_record: Path, reviewer_elsewhere: None
) -> None:
    from console.review_window import ReviewWindow

    win = ReviewWindow(open_review(shanghai_record))
    qtbot.addWidget(win)
    assert win.zone_label.text() == (
        "Times: UTC+08:00 Asia/Shanghai, the recording console's zone (this PC: UTC-03:00)"
    )
    assert win.interval_day.date().toPython() == date(2026, 11, 24)
    f = win.current_filter()
    assert f.start == START  # the first PBX event, to the minute, back from the picker
    win.slider.setValue(win.slider.maximum())
    assert win.replay_label.text() == "2026-11-24 00:40"
    sign_ins = win.tables["Sign-ins"]
    assert sign_ins.data(sign_ins.index(0, 1)) == "2026-11-24 00:01:00"
    win.close()


def test_older_records_and_unknown_zones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert zone_from_details({"name": "Asia/Shanghai", "utc_offset_s": 28800}) == FLOOR
    # a name this PC's zone data lacks: the offset recorded with it
    assert zone_from_details({"name": "Mars/Olympus", "utc_offset_s": -12600}) == timezone(
        timedelta(hours=-3, minutes=-30)
    )
    for bad in (None, "Asia/Shanghai", {}, {"utc_offset_s": True}, {"utc_offset_s": 90000}):
        assert zone_from_details(bad) is None
    assert zone_text(timezone(timedelta(hours=-3, minutes=-30)), START) == "UTC-03:30"
    assert zone_text(FLOOR, START) == "UTC+08:00 Asia/Shanghai"
    # a name that disagrees with the clock the console runs on is not written
    monkeypatch.setattr("db.zone.local_zone_name", lambda: "Asia/Tokyo")
    here = datetime.fromtimestamp(START, UTC).astimezone().utcoffset()
    details = zone_details(START)
    assert details["utc_offset_s"] == int(here.total_seconds())  # type: ignore[union-attr]
    assert details["name"] == ("Asia/Tokyo" if here == timedelta(hours=9) else "")
    # a record without a zone (written before this version) is shown on this PC's clock
    path = tmp_path / "old.sqlite3"
    with open_record(path, "班长", "ws-1") as rec:
        rec.journal_event(START, "QueueCallerJoin", {"Queue": "urban", "Uniqueid": "1"})
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("UPDATE record_open SET details = '{}'")
    with open_review(path) as review:
        assert review.zone is None
