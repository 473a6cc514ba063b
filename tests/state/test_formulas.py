"""Erlang C, SL projection, intervals, the call-count score and the state rules."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from cti.state.agent_state import AgentState, derive_pending, derive_state
from cti.state.erlang import (
    agents_required,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    service_level,
    traffic_erlangs,
)
from cti.state.intervals import IntervalClock, IntervalLengthError, split_by_intervals
from cti.state.metrics import (
    IntervalCounts,
    SlFormula,
    build_metrics,
    combined_metrics,
    sl_projection,
)
from cti.state.naming import extension_of_interface, interface_of_channel, spy_mode_from_options
from cti.state.scores import ScoreRule, call_count_scores
from cti.state.views import SpyMode

# --- Erlang C ------------------------------------------------------------------------------


def test_erlang_c_call_centre_helper_worked_example() -> None:
    """Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example"
    (callcentrehelper.com/erlang-c-formula-example-121281.htm): 100 calls per 30 minutes,
    AHT 180 s -> 10 Erlangs; with 11 agents the probability of waiting is 68.21 %; the 80/20
    target needs 14 agents."""
    a = traffic_erlangs(100, 1800, 180)
    assert a == pytest.approx(10.0)
    assert erlang_c(a, 11) == pytest.approx(0.6821, abs=5e-5)
    result = agents_required(a, 180, 0.80, 20)
    assert result.agents == 14
    assert service_level(a, 13, 180, 20) < 0.80 <= result.service_level
    assert result.occupancy == pytest.approx(10 / 14)


def test_erlang_c_westbay_mitan_worked_example() -> None:
    """The "Erlang-C Formula" worked example (Mitan / Westbay Engineers, reproduced in the
    Maxima erlang package notes): 360 calls per half hour, 240 s calls, 55 agents, 15 s
    target -> P(wait) 0.2387, average wait 8.184 s, P(wait <= 15 s) 0.8459."""
    a = traffic_erlangs(360, 1800, 240)
    assert a == pytest.approx(48.0)
    assert erlang_c(a, 55) == pytest.approx(0.2387, abs=5e-5)
    assert average_speed_of_answer(a, 55, 240) == pytest.approx(8.184, abs=5e-4)
    assert service_level(a, 55, 240, 15) == pytest.approx(0.8459, abs=5e-5)


def test_erlang_is_stable_for_large_floors() -> None:
    # A**N / N! would overflow a float long before N = 2,000.
    pw = erlang_c(1900.0, 2000)
    assert 0.0 < pw < 1.0 and math.isfinite(pw)
    r = agents_required(1900.0, 180, 0.9, 20)
    assert 1900 < r.agents < 2100
    assert erlang_b(0.0, 5) == 0.0 and erlang_c(0.0, 3) == 0.0
    assert erlang_c(10.0, 10) == 1.0  # overloaded: everybody waits
    assert service_level(10.0, 9, 180, 20) == 0.0
    assert agents_required(0.0, 180, 0.8, 20).agents == 0


def test_agents_required_respects_max_occupancy_and_rejects_bad_input() -> None:
    low = agents_required(10.0, 180, 0.5, 20)
    capped = agents_required(10.0, 180, 0.5, 20, max_occupancy=0.7)
    assert capped.agents >= math.ceil(10 / 0.7) and capped.agents >= low.agents
    with pytest.raises(ValueError):
        agents_required(10.0, 180, 1.0, 20)
    with pytest.raises(ValueError):
        agents_required(10.0, 0, 0.8, 20)


# --- SL projection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("num", "den", "target", "needed", "allowed"),
    [
        (0, 0, 0.9, 0, 0),  # nothing yet: on target, no slack
        (8, 10, 0.8, 0, 0),  # exactly on target
        (9, 10, 0.8, 0, 1),  # 9/11 >= 0.8, 9/12 < 0.8
        (2, 4, 0.8, 6, 0),  # (2+6)/(4+6) = 0.8 exactly (no float off-by-one)
        (7, 10, 0.9, 20, 0),  # (7+20)/(10+20) = 0.9
        (3, 4, 1.0, None, 0),  # a 100 % target cannot be reached after a miss
        (4, 4, 1.0, 0, 0),
    ],
)
def test_sl_projection(num: int, den: int, target: float, needed: int | None, allowed: int) -> None:
    p = sl_projection(num, den, target)
    assert (p.needed_within, p.misses_allowed) == (needed, allowed)
    if needed:
        assert (num + needed) / (den + needed) >= target - 1e-12
        assert (num + needed - 1) / (den + needed - 1) < target


def test_sl_projection_rejects_a_percentage() -> None:
    with pytest.raises(ValueError):
        sl_projection(1, 2, 90)


# --- intervals -----------------------------------------------------------------------------


def _ts(*args: int, tz: ZoneInfo | None = None) -> float:
    return datetime(*args, tzinfo=tz or UTC).timestamp()  # type: ignore[misc]


def test_intervals_are_wall_clock_aligned_and_half_open() -> None:
    ic = IntervalClock(30, UTC)
    assert ic.interval_start(_ts(2026, 11, 22, 8, 29, 59)) == _ts(2026, 11, 22, 8, 0)
    assert ic.interval_start(_ts(2026, 11, 22, 8, 30)) == _ts(2026, 11, 22, 8, 30)
    assert ic.label(_ts(2026, 11, 22, 8, 30)) == "08:30-09:00"
    assert IntervalClock(15, UTC).interval_start(_ts(2026, 11, 22, 8, 44)) == _ts(
        2026, 11, 22, 8, 30
    )
    assert IntervalClock(60, UTC).interval_start(_ts(2026, 11, 22, 8, 44)) == _ts(
        2026, 11, 22, 8, 0
    )
    with pytest.raises(IntervalLengthError):
        IntervalClock(7, UTC)


def test_intervals_follow_the_local_zone_and_dst() -> None:
    sh = ZoneInfo("Asia/Shanghai")
    ic = IntervalClock(30, sh)
    assert ic.interval_start(_ts(2026, 11, 22, 9, 10, tz=sh)) == _ts(2026, 11, 22, 9, 0, tz=sh)
    assert ic.day_start(_ts(2026, 11, 22, 0, 10, tz=sh)) == _ts(2026, 11, 22, tz=sh)
    # Berlin's DST ends on 2026-10-25: that local day has 25 hours.
    be = ZoneInfo("Europe/Berlin")
    ic = IntervalClock(30, be)
    noon = _ts(2026, 10, 25, 12, 0, tz=be)
    assert ic.day_end(noon) - ic.day_start(noon) == 25 * 3600
    assert ic.label(ic.interval_start(noon + 60)) == "12:00-12:30"


def test_split_by_intervals() -> None:
    ic = IntervalClock(30, UTC)
    t = _ts(2026, 11, 22, 8, 20)
    assert split_by_intervals(t, t + 3600, ic) == [
        (_ts(2026, 11, 22, 8, 0), 600.0),
        (_ts(2026, 11, 22, 8, 30), 1800.0),
        (_ts(2026, 11, 22, 9, 0), 1200.0),
    ]


# --- call-count score ------------------------------------------------------------------------


def test_call_count_score_whole_steps() -> None:
    scores = call_count_scores({"a": 105, "b": 104, "c": 94, "d": 90, "e": 107})
    # average 100: +5 % -> +1; +4 % -> 0; -6 % -> -1; -10 % -> -2; +7 % -> +1
    assert scores == {"a": 101, "b": 100, "c": 99, "d": 98, "e": 101}
    assert call_count_scores({"a": 0, "b": 0}) == {"a": 100, "b": 100}
    assert call_count_scores(
        {"a": 30, "b": 10}, ScoreRule(base=80, step_percent=10, points_per_step=2)
    ) == {
        "a": 80 + 5 * 2,  # +50 %
        "b": 80 - 5 * 2,  # -50 %
    }


# --- state rules and names ---------------------------------------------------------------------


def _derive(**kw: object) -> AgentState:
    base: dict[str, object] = {
        "member": True,
        "device": 1,
        "queue_call": False,
        "offered": False,
        "on_hold": False,
        "in_wrapup": False,
        "paused_everywhere": False,
    }
    base.update(kw)
    return derive_state(**base)  # type: ignore[arg-type]


def test_state_rules_first_match_wins() -> None:
    assert _derive() is AgentState.READY
    assert _derive(device=0) is AgentState.READY  # unknown = free, as app_queue does
    assert _derive(member=False) is AgentState.LOGGED_OUT
    assert _derive(member=False, device=2) is AgentState.TALKING  # direct call, not a member
    assert _derive(device=5, paused_everywhere=True) is AgentState.UNAVAILABLE
    assert _derive(device=8, queue_call=True) is AgentState.ON_HOLD
    assert _derive(offered=True, device=3) is AgentState.RINGING  # device_state_busy_at=1
    assert _derive(device=6) is AgentState.RINGING
    assert _derive(device=7) is AgentState.TALKING
    assert _derive(in_wrapup=True, paused_everywhere=True) is AgentState.WRAP_UP
    assert _derive(paused_everywhere=True) is AgentState.NOT_READY
    assert (
        derive_pending(AgentState.TALKING, member=False, paused_everywhere=False, requested=None)
        is AgentState.LOGGED_OUT
    )
    assert (
        derive_pending(
            AgentState.READY, member=True, paused_everywhere=False, requested=AgentState.NOT_READY
        )
        is None
    )


def test_channel_and_spy_option_parsing() -> None:
    assert interface_of_channel("PJSIP/1001-00000001") == "PJSIP/1001"
    assert interface_of_channel("Local/1001@agents-0000001a;1") == "Local/1001@agents"
    assert interface_of_channel("PJSIP/1001") == "PJSIP/1001"
    assert extension_of_interface("Local/1001@agents") == "1001"
    assert spy_mode_from_options("qEd") == (SpyMode.LISTEN, True)
    assert spy_mode_from_options("qw") == (SpyMode.WHISPER, False)
    assert spy_mode_from_options("qEBd") == (SpyMode.BARGE, True)
    assert spy_mode_from_options("qg(1)d") == (SpyMode.LISTEN, True)


def test_all_queues_are_recomputed_from_the_queues_counts_not_averaged() -> None:
    """The review's "All queues" row: sums, and ratios from the sums under each queue's own
    service-level definition (billing counts answered calls only, repairs every offered)."""
    billing = IntervalCounts(0.0, 1800.0)
    for wait in (5, 10, 40):
        billing.add_answered(wait, threshold=20)
    billing.add_abandoned(30, threshold=20, short=5)
    billing.add_completed(talk=200, wrapup=30)
    repairs = IntervalCounts(0.0, 1800.0)
    repairs.add_answered(25, threshold=30)
    repairs.add_abandoned(3, threshold=30, short=5)
    for _ in range(3):
        repairs.add_completed(talk=100, wrapup=20)
    a = build_metrics(billing, 20, SlFormula.ANSWERED)  # 2 of 3 answered: 66.7 %
    b = build_metrics(repairs, 30, SlFormula.OFFERED)  # 1 of 2 offered: 50 %
    both = combined_metrics([a, b])
    assert (both.offered, both.answered, both.answered_within) == (6, 4, 3)
    assert (both.abandoned, both.short_abandoned, both.completed) == (2, 1, 4)
    assert both.sl_percent == pytest.approx(100 * 3 / 5)  # not (66.7 + 50) / 2
    assert both.asa_s == pytest.approx((5 + 10 + 40 + 25) / 4)
    assert both.aht_s == pytest.approx((230 + 3 * 120) / 4)
    assert both.abandon_percent == pytest.approx(100 * 2 / 6)
    assert both.max_wait_s == 40 and both.occupancy_percent is None
    # one queue's figures combine to themselves
    assert combined_metrics([a]).sl_percent == a.sl_percent
    with pytest.raises(ValueError):
        combined_metrics([])
