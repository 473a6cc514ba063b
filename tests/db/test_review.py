"""Review queries against a generated water-hotline record, checked against independent sums."""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from cti.state.config import FloorConfig
from db.floor_replay import LOGGED_OUT, FloorReducer
from db.record import open_record
from db.review import Review, day_bounds, open_review
from db.review_rows import ReviewFilter
from db.synthetic import QUEUES, WRAPUP_S, SyntheticRecord, generate_record

FIRST_DAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def hotline(tmp_path_factory: pytest.TempPathFactory) -> SyntheticRecord:
    folder = tmp_path_factory.mktemp("hotline")
    return generate_record(
        folder / "water.sqlite",
        rows=12_000,
        agents=24,
        calls_per_day=900,
        first_day=FIRST_DAY,
        snapshot_every_rows=1_500,
    )


@pytest.fixture
def review(hotline: SyntheticRecord) -> Iterator[Review]:
    with open_review(hotline.path) as opened:
        yield opened


def journal(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def replay_from_scratch(path: Path, until: float) -> FloorReducer:
    reducer = FloorReducer(dict.fromkeys(QUEUES, WRAPUP_S))
    for ts_us, name, fields in journal(
        path, "SELECT ts_us, name, fields FROM journal WHERE ts_us <= ? ORDER BY seq", until * 1e6
    ):
        reducer.apply(int(ts_us) / 1e6, str(name), json.loads(str(fields)))  # type: ignore[call-overload]
    return reducer


def sample_minutes(record: SyntheticRecord, count: int) -> list[float]:
    rng = random.Random(4)
    out = []
    for _ in range(count):
        day = record.first_day + timedelta(days=rng.randrange(record.days))
        start, _ = day_bounds(day)
        out.append(start + rng.randrange(9 * 60, 18 * 60) * 60.0)
    return out


@pytest.mark.timeout(60)
def test_floor_replay_equals_replay_from_the_start(
    hotline: SyntheticRecord, review: Review
) -> None:
    assert hotline.days >= 2
    for minute in sample_minutes(hotline, 6):
        jumped = review.floor_at(minute)
        assert jumped.snapshot_ts is not None and jumped.snapshot_ts <= minute
        full = replay_from_scratch(hotline.path, minute).floor_at(minute)
        assert jumped.agents == full.agents
        assert jumped.queues == full.queues
        states = Counter(a.state for a in jumped.agents.values())
        assert states[LOGGED_OUT] < len(jumped.agents)  # the floor is staffed in the day


@pytest.mark.timeout(60)
def test_agent_timeline_is_contiguous_and_matches_replay(
    hotline: SyntheticRecord, review: Review
) -> None:
    day = hotline.first_day + timedelta(days=1)
    start, end = day_bounds(day)
    agent = "PJSIP/1005"
    segments = review.agent_timeline(agent, day)
    span = review.bounds()
    assert span is not None
    # the part of the day the record covers: the record ends before this day's midnight
    assert span[1] < end
    assert segments[0].start == max(start, span[0]) and segments[-1].end == span[1]
    assert review.agent_timeline(agent, day + timedelta(days=hotline.days + 1)) == []
    for a, b in itertools.pairwise(segments):
        assert a.end == b.start and (a.state, a.reason) != (b.state, b.reason)
    states = {s.state for s in segments}
    assert {"LOGGED_OUT", "READY", "TALKING", "NOT_READY"} <= states
    assert any(s.reason == "午餐" for s in segments)
    rng = random.Random(9)
    for _ in range(12):
        t = rng.uniform(segments[0].start, segments[-1].end)
        seg = next(s for s in segments if s.start <= t < s.end)
        at = review.floor_at(t).agents.get(agent)
        assert (seg.state, seg.reason) == ((at.state, at.reason) if at else (LOGGED_OUT, None))


def test_a_page_of_timelines_equals_each_agent_s_own(
    hotline: SyntheticRecord, review: Review
) -> None:
    """The review window builds a page of timelines in one pass; each row must be what the
    agent's own timeline is, on every day (the first has no snapshot before it)."""
    agents = review.agents()
    assert len(agents) == 24
    for offset in range(hotline.days):
        day = hotline.first_day + timedelta(days=offset)
        page = review.agent_timelines([*agents, "PJSIP/9999"], day)  # one nobody knows
        for agent in agents:
            assert page[agent] == review.agent_timeline(agent, day), (day, agent)
        assert {s.state for s in page["PJSIP/9999"]} == {LOGGED_OUT}


@pytest.mark.timeout(60)
def test_interval_table_matches_independent_counts(
    hotline: SyntheticRecord, review: Review
) -> None:
    day = hotline.first_day + timedelta(days=1)
    start, end = day_bounds(day)
    table = review.interval_table(day, FloorConfig(sl_threshold_s=20))
    in_day = "ts_us >= ? AND ts_us < ?"
    bounds = (start * 1e6, end * 1e6)
    for queue in QUEUES:
        rows = table.get(queue, [])
        answered = journal(
            hotline.path,
            f"SELECT fields FROM journal WHERE name = 'AgentConnect' AND queue = ? AND {in_day}",
            queue,
            *bounds,
        )
        waits = [int(json.loads(str(f))["HoldTime"]) for (f,) in answered]
        abandoned = journal(
            hotline.path,
            f"SELECT COUNT(*) FROM journal WHERE name = 'QueueCallerAbandon' AND queue = ? "
            f"AND {in_day}",
            queue,
            *bounds,
        )[0][0]
        assert sum(r.answered for r in rows) == len(waits)
        assert sum(r.answered_within for r in rows) == sum(1 for w in waits if w <= 20)
        assert sum(r.abandoned for r in rows) == abandoned
        assert sum(r.offered for r in rows) == len(waits) + abandoned  # no other exits here
        for r in rows:
            assert r.end - r.start == 1800
            local = datetime.fromtimestamp(r.start)
            assert local.minute in (0, 30) and local.second == 0


@pytest.mark.timeout(60)
def test_expected_arrivals_from_previous_days(hotline: SyntheticRecord, review: Review) -> None:
    day = hotline.first_day + timedelta(days=2)
    start, _ = day_bounds(day)
    interval = start + 10 * 3600
    got = review.expected_arrivals("billing", interval, 1800, days=7)
    counts = [
        journal(
            hotline.path,
            "SELECT COUNT(*) FROM journal WHERE name = 'QueueCallerJoin' AND queue = 'billing' "
            "AND ts_us >= ? AND ts_us < ?",
            (interval - back * 86400) * 1e6,
            (interval - back * 86400 + 1800) * 1e6,
        )[0][0]
        for back in (1, 2)
    ]
    assert got == pytest.approx(sum(counts) / 2)  # type: ignore[call-overload]
    assert review.expected_arrivals("billing", start - 30 * 86400, 1800) is None


@pytest.mark.timeout(60)
def test_supervisor_tables_and_filters(hotline: SyntheticRecord, review: Review) -> None:
    sessions = review.monitor_sessions()
    assert len(sessions) == 5 * hotline.days
    first = sessions[0]
    assert [s.mode for s in first.segments] == ["listen", "whisper", "barge"]
    assert first.segments[-1].end == first.ended
    assert first.end_reason == "the PBX ended the spy call (200 Normal call clearing)"
    actions = review.actions()
    assert actions and all(a.ok is True and a.duration_ms == 50 for a in actions)
    assert actions[0].params == {"reason": "培训"}
    alarms = review.alarms()
    assert alarms and all(len(a.acks) == 1 for a in alarms)
    assert alarms[0].acks[0].comment == "已通知班组长"
    agent = actions[0].agent
    assert agent is not None
    only = review.actions(ReviewFilter(agent=agent))
    assert only and all(a.agent == agent for a in only)
    day_start, day_end = day_bounds(hotline.first_day)
    first_day = review.monitor_sessions(ReviewFilter(start=day_start, end=day_end))
    assert len(first_day) == 5
    assert review.actions(ReviewFilter(supervisor="nobody")) == []
    assert review.actions(ReviewFilter(action="QueueRemove")) == []
    assert review.supervisors() == ["supervisor-bench"]
    assert set(review.queues()) == set(QUEUES)
    assert "PJSIP/1001" in review.agents()
    events = review.journal(ReviewFilter(start=day_start, end=day_end, agent="PJSIP/1003"))
    direct = journal(
        hotline.path,
        "SELECT COUNT(*) FROM journal WHERE interface = 'PJSIP/1003' AND ts_us >= ? AND ts_us < ?",
        day_start * 1e6,
        day_end * 1e6,
    )[0][0]
    assert len(events) == direct > 0
    trail = review.audit_trail(ReviewFilter(start=day_start, end=day_end))
    kinds = Counter(e.kind for e in trail)
    assert kinds["monitor_mode"] == 10 and kinds["alarm_ack"] == 3
    assert all(len(e.row_hash) == 64 for e in trail)


def test_a_record_shorter_than_the_snapshot_interval_still_names_its_floor(
    tmp_path: Path,
) -> None:
    """A console closed after a few minutes leaves no floor snapshot: the filters' agents,
    their names and the queues come from the journal since the last snapshot (here: all)."""
    path = tmp_path / "short.sqlite3"
    t0 = 1_795_337_200.0
    with open_record(path, "班长", "ws-1", snapshot_every_s=3600) as rec:
        for i, (name, queue) in enumerate((("王芳", "urban"), ("李娜", "urban"), ("张伟", "vip"))):
            fields = {"Queue": queue, "Interface": f"PJSIP/100{i + 1}", "MemberName": name}
            rec.journal_event(t0 + i, "QueueMember", {**fields, "Status": "1", "Paused": "0"})
        rec.action_intent("QueuePause", agent="PJSIP/1009", ts=t0 + 5)
    with open_review(path) as review:
        assert journal(path, "SELECT COUNT(*) FROM floor_snapshot") == [(0,)]
        assert review.agents() == ["PJSIP/1001", "PJSIP/1002", "PJSIP/1003", "PJSIP/1009"]
        assert review.agent_names() == {
            "PJSIP/1001": "王芳",
            "PJSIP/1002": "李娜",
            "PJSIP/1003": "张伟",
        }
        assert review.queues() == ["urban", "vip"]


def test_wrap_up_before_the_first_snapshot_follows_the_recorded_definitions(
    tmp_path: Path,
) -> None:
    """The console's wrap-up (Asterisk reports none) is in its session's definitions: replay
    shows it from the record's first minute, not only from the first floor snapshot on."""
    from cti.state.config import definitions_json

    path = tmp_path / "wrapup.sqlite3"
    t0 = 1_795_337_200.0
    member = {"Queue": "urban", "Interface": "PJSIP/1001", "MemberName": "王芳", "Paused": "0"}
    call = {**member, "Uniqueid": "9.1", "Linkedid": "9.1", "HoldTime": "3"}
    with open_record(
        path,
        "班长",
        "ws-1",
        snapshot_every_s=3600,
        definitions=definitions_json(FloorConfig(wrapup_s=25.0)),
        clock=lambda: t0 - 60,
    ) as rec:
        rec.journal_event(t0, "QueueMember", {**member, "Status": "1"})
        rec.journal_event(t0 + 1, "AgentConnect", call)
        rec.journal_event(t0 + 1, "QueueMemberStatus", {**member, "Status": "2"})
        rec.journal_event(t0 + 60, "AgentComplete", {**call, "TalkTime": "59"})
        rec.journal_event(t0 + 60, "QueueMemberStatus", {**member, "Status": "1"})
    with open_review(path) as review:
        assert journal(path, "SELECT COUNT(*) FROM floor_snapshot") == [(0,)]
        assert review.floor_at(t0 + 30).agents["PJSIP/1001"].state == "TALKING"
        assert review.floor_at(t0 + 70).agents["PJSIP/1001"].state == "WRAP_UP"
        assert review.floor_at(t0 + 90).agents["PJSIP/1001"].state == "READY"


def test_exports_carry_the_interval_report_of_the_filtered_days(
    hotline: SyntheticRecord, review: Review
) -> None:
    from db.export import INTERVAL_DAYS_MAX, interval_rows, interval_table

    day = hotline.first_day + timedelta(days=1)
    start, end = day_bounds(day)
    table = interval_table(review, ReviewFilter(start=start, end=end))
    expected, totals = interval_rows(review.day_intervals(day)[0], None, clock="%Y-%m-%d %H:%M")
    assert table.rows == expected and totals
    everyone = [r for r in table.rows if r[0] == "All queues"]
    assert len(everyone) == len(totals) and all(str(r[1]).startswith(str(day)) for r in everyone)
    assert sum(int(r[2] or 0) for r in everyone) == sum(
        int(r[2] or 0) for r in table.rows if r[0] != "All queues"
    )
    # a queue in the filter: that queue's report only
    queue = QUEUES[0]
    one = interval_table(review, ReviewFilter(start=start, end=end, queue=queue))
    assert {r[0] for r in one.rows} == {"All queues", queue}
    # two days (the record's first and this one): both days' reports, the first day first
    both = interval_table(review, ReviewFilter(start=start - 86_400, end=end))
    assert len(both.rows) > len(table.rows) and both.rows[-len(table.rows) :] == table.rows
    # too many days for one export: said in the sheet, not silently left out
    long = ReviewFilter(start=start - (INTERVAL_DAYS_MAX + 5) * 86_400, end=end)
    hotline_days = hotline.days
    if hotline_days > INTERVAL_DAYS_MAX:
        assert "not included" in str(interval_table(review, long).rows[0][0])
    else:  # the record is shorter: the filter is cut to the record's own days
        assert interval_table(review, long).columns[0] == "queue"
