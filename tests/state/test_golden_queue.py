"""Golden scenarios for the queue figures; every expected number is worked out by hand in the
comments (T = 20 s, short abandon < 5 s, 30-minute intervals, UTC)."""

from __future__ import annotations

import pytest
from floor_scenario import T0, Floor

from cti.state.agent_state import AgentState
from cti.state.metrics import SlFormula


def _short_abandon_floor(formula: SlFormula = SlFormula.ANSWERED_AND_LATE_ABANDONED) -> Floor:
    f = Floor(sl_formula=formula)
    f.add("support", "1001")
    # c1: waits 3 s, talks 60 s
    f.answered_call("support", "1001", wait=3, talk=60)
    # four abandons after 2, 4, 5 and 25 s
    for start, hold in ((100, 2), (110, 4), (120, 5), (130, 25)):
        f.at(start)
        uid = f.join("support", "2100")
        f.at(start + hold)
        f.abandon("support", uid, hold)
    # c6: waits exactly T (20 s) -> within; c7: waits 21 s -> misses
    f.at(200)
    f.answered_call("support", "1001", wait=20, talk=40)
    f.at(300)
    f.answered_call("support", "1001", wait=21, talk=10)
    f.at(400)
    return f


def test_short_abandons_and_default_service_level() -> None:
    q = _short_abandon_floor().store.queue("support")
    assert q is not None
    c = q.current
    assert (c.offered, c.answered, c.answered_within) == (7, 3, 2)
    assert (c.abandoned, c.short_abandoned, c.abandoned_within) == (4, 2, 3)  # 5 s is not short
    # answered within T / (answered + abandoned after T) = 2 / (3 + 1)
    assert c.sl_percent == pytest.approx(50.0)
    assert c.asa_s == pytest.approx((3 + 20 + 21) / 3)  # abandoned waits are not in ASA
    assert c.max_wait_s == 25  # ... but they are in the max wait
    assert c.abandon_percent == pytest.approx(100 * 4 / 7)
    assert c.avg_talk_s == pytest.approx((60 + 40 + 10) / 3)
    assert c.aht_s == pytest.approx((60 + 40 + 10) / 3)  # no wrap-up configured
    assert q.today.offered == 7
    assert q.waiting == 0 and q.longest_wait_s is None


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        (SlFormula.ANSWERED_AND_LATE_ABANDONED, 100 * 2 / 4),
        (SlFormula.ANSWERED, 100 * 2 / 3),
        (SlFormula.ANSWERED_AND_ABANDONED, 100 * (2 + 3) / (3 + 4)),
        (SlFormula.OFFERED, 100 * 2 / 7),
    ],
)
def test_the_four_service_level_formulas(formula: SlFormula, expected: float) -> None:
    q = _short_abandon_floor(formula).store.queue("support")
    assert q is not None
    assert q.current.sl_formula is formula
    assert q.current.sl_percent == pytest.approx(expected)


def test_projection_counts_calls_needed_within_threshold() -> None:
    f = _short_abandon_floor()
    q = f.store.queue("support")
    assert q is not None
    # target 90 %: (2 + k) / (4 + k) >= 0.9  ->  k = 16
    assert q.projection.needed_within == 16
    assert q.projection.misses_allowed == 0
    assert q.projection.target_percent == pytest.approx(90.0)


def test_call_missing_the_threshold_by_one_second() -> None:
    f = Floor(sl_threshold_s=20)
    f.add("support", "1001")
    f.answered_call("support", "1001", wait=20, talk=5)
    f.at(100)
    f.answered_call("support", "1001", wait=21, talk=5)
    f.at(200)
    uid = f.join("support", "2009")
    f.at(221)
    f.abandon("support", uid, 21)  # an abandon after T is a miss in the default formula
    q = f.store.queue("support")
    assert q is not None
    assert q.current.answered_within == 1
    assert q.current.sl_percent == pytest.approx(100 * 1 / 3)


def test_call_spanning_an_interval_boundary_counts_where_it_left_the_queue() -> None:
    f = Floor()
    f.hm("08:20")
    f.add("support", "1001")
    f.hm("08:29", 50)
    uid = f.join("support", "2001")
    f.hm("08:30", 5)
    f.called("support", uid, "1001")
    f.connect("support", uid, "1001", hold=15)
    f.hm("08:35", 5)
    f.complete("support", uid, "1001", hold=15, talk=300)
    # A second call completes exactly on 09:00:00: half-open intervals put it in 09:00.
    f.hm("08:59")
    uid2 = f.join("support", "2002")
    f.hm("08:59", 30)
    f.called("support", uid2, "1001")
    f.connect("support", uid2, "1001", hold=30)
    f.hm("09:00")
    f.complete("support", uid2, "1001", hold=30, talk=30)
    f.hm("09:10")

    q = f.store.queue("support")
    assert q is not None
    first, second = q.past_intervals
    assert first.start == T0 and second.start == T0 + 1800 and q.current.start == T0 + 3600
    assert (first.arrivals, first.offered) == (1, 0)  # joined at 08:29:50 ...
    assert (second.offered, second.answered, second.answered_within) == (2, 2, 1)  # ... left here
    assert second.asa_s == pytest.approx((15 + 30) / 2)
    assert second.completed == 1 and second.talk_s == 300
    assert q.current.completed == 1 and q.current.talk_s == 30
    # Occupancy, agent time split exactly at 08:30:
    #   08:00 interval: ready 08:20-08:30 = 600 s available, nothing busy -> 0 %
    assert first.available_s == pytest.approx(600) and first.occupancy_percent == 0
    #   08:30 interval: busy 300 (08:30:05-08:35:05) + 30 (08:59:30-09:00:00);
    #   available 5 (08:30:00-08:30:05) + 1465 (08:35:05-08:59:30)
    assert second.busy_s == pytest.approx(300 + 30)
    assert second.available_s == pytest.approx(5 + 1465)
    assert second.occupancy_percent == pytest.approx(100 * 330 / (330 + 1470))
    #   09:00 interval (open): ready 09:00-09:10 = 600 s available
    assert q.current.available_s == pytest.approx(600)
    assert q.today.offered == 2 and q.today.answered == 2
    assert f.store.interval_metrics("support", T0 + 1800) == second


def test_longest_wait_and_positions_follow_join_times() -> None:
    f = Floor()
    f.add("support", "1001", paused=True, reason="meeting")
    a = f.join("support", "2001", 1)
    f.at(10)
    f.join("support", "2002", 2)
    f.at(12)
    f.join("support", "2003", 3)
    f.at(30)
    f.abandon("support", a, 30, position=1)
    f.at(40)
    q = f.store.queue("support")
    assert q is not None
    assert q.waiting == 2
    assert [c.number for c in q.callers] == ["2002", "2003"]
    assert [c.position for c in q.callers] == [1, 2]  # renumbered after the abandon
    assert q.longest_wait_s == pytest.approx(30)
    assert q.agents_by_state[AgentState.NOT_READY] == 1


class _History:
    """Same-interval arrivals of previous days, as the record would answer."""

    def __init__(self, arrivals: float | None) -> None:
        self.arrivals = arrivals
        self.asked: list[tuple[str, float, float]] = []

    def expected_arrivals(
        self, queue: str, interval_start: float, interval_s: float
    ) -> float | None:
        self.asked.append((queue, interval_start, interval_s))
        return self.arrivals


def test_staffing_uses_history_when_the_record_has_it() -> None:
    history = _History(100.0)
    f = Floor(sl_target=0.8, history=history)
    for ext in ("1001", "1002", "1003"):
        f.add("support", ext)
    f.status("support", "1003", 5)  # unreachable: not staffed
    f.hm("08:10")
    q = f.store.queue("support")
    assert q is not None
    st = q.staffing
    # The Call Centre Helper example again: 100 calls / 30 min, AHT 180 s, 80/20 -> 14 agents
    assert (st.arrivals_source, st.aht_source, st.aht_s) == ("history", "default", 180.0)
    assert st.required_agents == 14 and st.staffed_agents == 2
    assert st.interval_start == T0 + 1800
    assert history.asked[-1] == ("support", T0 + 1800, 1800.0)


def test_staffing_falls_back_to_todays_recent_arrival_rate() -> None:
    f = Floor(sl_target=0.8, history=_History(None))
    f.add("support", "1001")
    q = f.store.queue("support")
    assert q is not None and q.staffing.arrivals_source == "none"
    assert q.staffing.required_agents is None
    # 10 calls in the first 10 minutes, each 60 s talk (AHT 60 s, no wrap-up)
    for i in range(10):
        f.at(i * 60)
        f.answered_call("support", "1001", wait=0, talk=50)
    f.at(600)
    q = f.store.queue("support")
    assert q is not None
    st = q.staffing
    assert (st.arrivals_source, st.aht_source, st.aht_s) == ("recent", "today", 50.0)
    assert st.forecast_arrivals == pytest.approx(10 / 600 * 1800)  # 30 per interval
    # 30 calls x 50 s / 1800 s = 0.833 Erlang -> 2 agents give 80 % within 20 s
    assert st.required_agents == 2


def test_other_exit_counts_in_the_interval_it_left_even_when_resolved_later() -> None:
    f = Floor()
    f.add("support", "1001", paused=True, reason="meeting")
    f.hm("08:29")
    uid = f.join("support", "2001")
    f.hm("08:29", 30)
    f.leave("support", uid)  # e.g. the caller pressed an exit key: no answer, no abandon
    f.hm("08:30", 10)
    q = f.store.queue("support")
    assert q is not None and q.waiting == 0
    assert q.past_intervals[0].other_exits == 0  # not known yet: AgentConnect could follow
    f.hm("08:30", 20)
    f.hangup(uid)  # the caller is gone: it was an other exit, at 08:29:30
    q = f.store.queue("support")
    assert q is not None
    past = q.past_intervals[0]
    assert (past.offered, past.other_exits, past.max_wait_s) == (1, 1, 30)
    assert q.current.offered == 0 and q.today.other_exits == 1


def test_unresolved_leave_becomes_an_other_exit_after_a_minute() -> None:
    # With Hangup filtered out by the client, a caller that left without AgentConnect or
    # QueueCallerAbandon is counted as an other exit 60 s later.
    f = Floor()
    f.add("support", "1001", paused=True, reason="meeting")
    uid = f.join("support", "2001")
    f.at(5)
    f.leave("support", uid)
    f.at(64)
    q = f.store.queue("support")
    assert q is not None and q.current.other_exits == 0
    f.at(65)
    q = f.store.queue("support")
    assert q is not None and (q.current.other_exits, q.current.max_wait_s) == (1, 5)
