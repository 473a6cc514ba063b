"""`replay` of the shared Asterisk 22 capture against Asterisk's own queue_log."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from qlog_truth import queue_add_names, queue_log_truth

import console.commands.replay as replay_cmd
from cti.ami.codec import AmiCodec
from cti.ami.events import ChanSpyStart, to_event
from cti.ami.message import Message
from cti.state.config import FloorConfig
from cti.state.replay import chunked, replay_chunks, result_json
from cti.state.store import FloorStore
from cti.state.views import SpyMode

REQUIRED_QUEUE_KEYS = {
    "offered", "answered", "abandoned", "short_abandoned", "answered_within_sl",
    "sl_percent", "asa_s", "max_wait_s", "avg_talk_s",
}  # fmt: skip
REQUIRED_AGENT_KEYS = {"name", "answered", "talk_s", "ring_no_answer", "paused", "paused_reason"}


def _run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    replay_cmd.add_arguments(parser)
    code = replay_cmd.run(parser.parse_args(list(argv)))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def scenario_doc(fixtures_dir: Path) -> dict[str, Any]:
    data = (fixtures_dir / "ami-scenario.txt").read_bytes()
    return result_json(replay_chunks(chunked(data, 65536), FloorConfig()))


def test_contract_keys_and_types(scenario_doc: dict[str, Any]) -> None:
    assert {"frames", "errors", "events", "queues", "agents"} <= set(scenario_doc)
    assert scenario_doc["frames"] == 1363  # README: 1363 messages after the banner
    assert scenario_doc["errors"] == 0
    assert sum(scenario_doc["events"].values()) == 1313  # 50 of the frames are responses
    assert scenario_doc["events"]["AgentConnect"] == 5
    assert scenario_doc["events"]["VarSet"] == 632
    for q in scenario_doc["queues"].values():
        assert set(q) >= REQUIRED_QUEUE_KEYS
        assert all(isinstance(q[k], int) for k in ("offered", "answered", "abandoned"))
    for a in scenario_doc["agents"].values():
        assert set(a) >= REQUIRED_AGENT_KEYS
        assert isinstance(a["talk_s"], int) and isinstance(a["paused"], bool)


def test_every_number_equals_the_queue_log_truth(
    scenario_doc: dict[str, Any], fixtures_dir: Path
) -> None:
    names = queue_add_names(fixtures_dir / "ami-scenario-annotated.txt")
    queues, agents = queue_log_truth(fixtures_dir / "queue_log", names)
    assert set(scenario_doc["queues"]) == set(queues) == {"support", "complaints"}
    for name, truth in queues.items():
        got = {k: scenario_doc["queues"][name][k] for k in REQUIRED_QUEUE_KEYS}
        expected = truth.as_replay()
        for key in REQUIRED_QUEUE_KEYS:
            if isinstance(expected[key], float):
                assert got[key] == pytest.approx(expected[key]), (name, key)
            else:
                assert got[key] == expected[key], (name, key)
    assert set(scenario_doc["agents"]) == set(agents)
    for iface, truth_agent in agents.items():
        got = {k: scenario_doc["agents"][iface][k] for k in REQUIRED_AGENT_KEYS}
        assert got == truth_agent.as_replay(), iface


def test_known_figures_of_the_shared_capture(scenario_doc: dict[str, Any]) -> None:
    """The same numbers worked out by hand from the README's scenario description."""
    s = scenario_doc["queues"]["support"]
    assert (s["offered"], s["answered"], s["abandoned"], s["short_abandoned"]) == (5, 4, 1, 0)
    assert s["answered_within_sl"] == 3  # waits 1, 12, 29, 2
    assert s["sl_percent"] == 75.0 and s["asa_s"] == 11.0 and s["max_wait_s"] == 29.0
    assert s["avg_talk_s"] == 17.75  # (31 + 15 + 11 + 14) / 4
    a2 = scenario_doc["agents"]["PJSIP/1002"]
    assert (a2["answered"], a2["talk_s"], a2["ring_no_answer"]) == (3, 32, 1)


@pytest.mark.timeout(60)
def test_output_does_not_depend_on_chunk_size(fixtures_dir: Path) -> None:
    data = (fixtures_dir / "ami-scenario.txt").read_bytes()
    docs = [
        json.dumps(result_json(replay_chunks(chunked(data, size), FloorConfig())), sort_keys=True)
        for size in (1, 7, 1000, len(data))
    ]
    assert len(set(docs)) == 1


@pytest.mark.timeout(30)
def test_cli_prints_the_json(capsys: pytest.CaptureFixture[str], fixtures_dir: Path) -> None:
    capture = str(fixtures_dir / "ami-scenario.txt")
    code, out, _ = _run_cli(capsys, capture, "--json", "--chunk-size", "333")
    assert code == 0
    doc = json.loads(out)
    assert doc["queues"]["complaints"]["answered"] == 1
    # a stricter threshold turns the 12 s wait into a miss
    code, out, _ = _run_cli(capsys, capture, "--json", "--sl-threshold", "10")
    assert json.loads(out)["queues"]["support"]["answered_within_sl"] == 2
    code, out, _ = _run_cli(capsys, capture, "--json", "--short-abandon", "11")
    assert json.loads(out)["queues"]["support"]["short_abandoned"] == 1


def test_cli_reports_a_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run_cli(capsys, str(tmp_path / "nope.txt"), "--json")
    assert code == 2 and "no such file" in err


def test_sink_receives_every_event(fixtures_dir: Path) -> None:
    seen: list[str] = []
    data = (fixtures_dir / "ami-scenario.txt").read_bytes()
    replay_chunks([data], FloorConfig(), sink=lambda ev, msg: seen.append(msg.name or ""))
    assert len(seen) == 1313 and seen[0] == "FullyBooted"


def test_spy_modes_follow_the_capture(fixtures_dir: Path) -> None:
    """*2211001 starts listen; DTMF 5, 6, 4 switch modes; the AMI Originate is `qw` (whisper)."""
    codec = AmiCodec("client")
    codec.receive_data((fixtures_dir / "ami-scenario.txt").read_bytes())
    store = FloorStore(FloorConfig(), lambda: 0.0)
    modes: list[SpyMode] = []
    spy_starts = 0
    while (item := codec.next_message()) is not None:
        if not isinstance(item, Message) or not item.is_event:
            continue
        event = to_event(item)
        store.apply(event)
        spy_starts += isinstance(event, ChanSpyStart)
        agent = store.agent("PJSIP/1001")
        if agent is not None and agent.monitored_by:
            mode = agent.monitored_by[0].mode
            if not modes or modes[-1] is not mode:
                modes.append(mode)
    assert spy_starts == 2
    assert modes == [SpyMode.LISTEN, SpyMode.WHISPER, SpyMode.BARGE, SpyMode.LISTEN,
                     SpyMode.WHISPER]  # fmt: skip
    assert store.spy_sessions() == ()


class _FakeSink:
    def __init__(self) -> None:
        self.events = 0
        self.closed = False

    def __call__(self, event: object, message: Message) -> None:
        self.events += 1

    def close(self) -> None:
        self.closed = True


def test_cli_record_option_feeds_the_record_sink(
    capsys: pytest.CaptureFixture[str],
    fixtures_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    capture = str(fixtures_dir / "ami-scenario.txt")
    sink = _FakeSink()
    monkeypatch.setattr(replay_cmd, "_open_sink", lambda path: sink)
    code, _, _ = _run_cli(capsys, capture, "--json", "--record", str(tmp_path / "r.db"))
    assert code == 0 and sink.events == 1313 and sink.closed
    # without a record sink in this build the option is refused, not ignored
    monkeypatch.setattr(replay_cmd, "_open_sink", lambda path: None)
    code, out, err = _run_cli(capsys, capture, "--json", "--record", str(tmp_path / "r.db"))
    assert code == 2 and out == "" and "--record" in err
