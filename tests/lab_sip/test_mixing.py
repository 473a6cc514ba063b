"""Who hears whom, as links (cti/lab/sip_mixing.py), and ChanSpy options (cti/lab/chanspy.py)."""

from __future__ import annotations

import pytest

from cti.lab.chanspy import ChanSpyOptions, dtmf_mode, spyee_extension
from cti.lab.sip_mixing import (
    LinkSet,
    SpyMode,
    bridge_links,
    hearers,
    simulated_spy_links,
    spy_links,
)

# DESIGN.md "Monitoring": listener → sources heard (the call's own bridge included).
TABLE = {
    SpyMode.LISTEN: {"sup": {"agent", "caller"}, "agent": {"caller"}, "caller": {"agent"}},
    SpyMode.WHISPER: {"sup": {"agent", "caller"}, "agent": {"caller", "sup"}, "caller": {"agent"}},
    SpyMode.BARGE: {
        "sup": {"agent", "caller"},
        "agent": {"caller", "sup"},
        "caller": {"agent", "sup"},
    },
}


@pytest.mark.parametrize("mode", list(SpyMode))
def test_links_reproduce_the_design_table(mode: SpyMode) -> None:
    links = bridge_links("caller", "agent") | spy_links(mode, "caller", "agent", "sup")
    assert hearers(links) == TABLE[mode]


def test_simulated_call_sources_reach_only_the_spy() -> None:
    links = simulated_spy_links("caller-clip", "agent-clip", "sup")
    assert hearers(links) == {"sup": {"caller-clip", "agent-clip"}}
    for mode in SpyMode:  # no SIP legs: the spy's voice has nobody to reach in any mode
        assert spy_links(mode, None, None, "sup") == set()


def test_link_set_applies_only_the_difference_and_stops_first() -> None:
    calls: list[tuple[str, str, str]] = []

    def start(a: str, b: str) -> bool:
        calls.append(("start", a, b))
        return True

    def stop(a: str, b: str) -> bool:
        calls.append(("stop", a, b))
        return True

    links: LinkSet[str] = LinkSet(start, stop)
    base = bridge_links("c", "a")
    links.apply(base | spy_links(SpyMode.LISTEN, "c", "a", "s"))
    calls.clear()
    links.apply(base | spy_links(SpyMode.BARGE, "c", "a", "s"))
    assert calls == [("start", "s", "a"), ("start", "s", "c")]
    calls.clear()
    links.apply(base | spy_links(SpyMode.WHISPER, "c", "a", "s"))
    assert calls == [("stop", "s", "c")]
    calls.clear()
    links.forget("s")  # the spy's port vanished with its call
    links.apply(base)
    assert calls == []
    assert links.current == base


def test_a_refused_link_is_not_recorded() -> None:
    links: LinkSet[str] = LinkSet(lambda a, b: b != "gone", lambda a, b: True)
    links.apply({("x", "gone"), ("x", "y")})
    assert links.current == {("x", "y")}


@pytest.mark.parametrize(
    ("text", "mode", "quiet", "exit_on_hangup", "dtmf"),
    [
        ("qEd", SpyMode.LISTEN, True, True, True),
        ("qEwd", SpyMode.WHISPER, True, True, True),
        ("qEBd", SpyMode.BARGE, True, True, True),
        ("qw", SpyMode.WHISPER, True, False, False),
        ("", SpyMode.LISTEN, False, False, False),
        ("v(-1)w(x)qB", SpyMode.BARGE, True, False, False),
    ],
)
def test_chanspy_options(
    text: str, mode: SpyMode, quiet: bool, exit_on_hangup: bool, dtmf: bool
) -> None:
    options = ChanSpyOptions.parse(text)
    assert (options.mode, options.quiet, options.exit_on_hangup, options.dtmf_switch) == (
        mode,
        quiet,
        exit_on_hangup,
        dtmf,
    )


def test_dtmf_switches_only_with_d() -> None:
    with_d = ChanSpyOptions.parse("qEd")
    assert [dtmf_mode(with_d, d) for d in "4567"] == [
        SpyMode.LISTEN,
        SpyMode.WHISPER,
        SpyMode.BARGE,
        None,
    ]
    assert dtmf_mode(ChanSpyOptions.parse("qE"), "5") is None


@pytest.mark.parametrize("spec", ["PJSIP/1001-", "PJSIP/1001", "pjsip/1001", "1001", " 1001 "])
def test_spyee_extension(spec: str) -> None:
    assert spyee_extension(spec) == "1001"
