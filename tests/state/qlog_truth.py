"""Independent truth from Asterisk's own queue_log (tests only; shares no code with cti/state).

queue_log lines: `time|callid|queue|agent|verb|data1|data2|...`. The agent column is the
member name except in ADDMEMBER / REMOVEMEMBER, where it is the interface; the caller passes a
name -> interface map (taken from the QueueAdd actions the scenario sent).

Verbs used (app_queue, Asterisk 22):
  ENTERQUEUE  |url|callerid|position
  CONNECT     holdtime|bridged uniqueid|ringtime
  ABANDON     position|origposition|waittime
  EXITWITHTIMEOUT / EXITEMPTY  position|origposition|waittime ; EXITWITHKEY key|position|...|wait
  COMPLETECALLER / COMPLETEAGENT  holdtime|calltime|origposition
  TRANSFER    extension|context|holdtime|calltime|origposition
  RINGNOANSWER  ringtime(ms)
  PAUSE / PAUSEALL  reason ; UNPAUSE / UNPAUSEALL
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class QueueTruth:
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    answered_within_sl: int = 0
    abandoned_after_sl: int = 0
    waits_answered: list[int] = field(default_factory=list)
    waits_all: list[int] = field(default_factory=list)
    talks: list[int] = field(default_factory=list)

    def as_replay(self) -> dict[str, object]:
        den = self.answered + self.abandoned_after_sl
        return {
            "offered": self.offered,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "short_abandoned": self.short_abandoned,
            "answered_within_sl": self.answered_within_sl,
            "sl_percent": None if den == 0 else 100.0 * self.answered_within_sl / den,
            "asa_s": (
                None
                if not self.waits_answered
                else sum(self.waits_answered) / len(self.waits_answered)
            ),
            "max_wait_s": None if not self.waits_all else float(max(self.waits_all)),
            "avg_talk_s": None if not self.talks else sum(self.talks) / len(self.talks),
        }


@dataclass
class AgentTruth:
    name: str
    answered: int = 0
    talk_s: int = 0
    ring_no_answer: int = 0
    paused: bool = False
    paused_reason: str | None = None

    def as_replay(self) -> dict[str, object]:
        return {
            "name": self.name,
            "answered": self.answered,
            "talk_s": self.talk_s,
            "ring_no_answer": self.ring_no_answer,
            "paused": self.paused,
            "paused_reason": self.paused_reason,
        }


def queue_log_truth(
    path: Path, name_to_interface: dict[str, str], sl_threshold: int = 20, short_abandon: int = 5
) -> tuple[dict[str, QueueTruth], dict[str, AgentTruth]]:
    queues: dict[str, QueueTruth] = {}
    agents: dict[str, AgentTruth] = {}
    interface_to_name = {v: k for k, v in name_to_interface.items()}

    def agent(col: str) -> AgentTruth:
        iface = name_to_interface.get(col, col)
        if iface not in agents:
            agents[iface] = AgentTruth(name=interface_to_name.get(iface, col))
        return agents[iface]

    for line in path.read_text().splitlines():
        parts = line.split("|")
        if len(parts) < 5:
            continue
        _ts, _callid, queue, who, verb = parts[:5]
        data = parts[5:]
        q = queues.setdefault(queue, QueueTruth()) if queue != "NONE" else None
        if verb == "ADDMEMBER":
            agent(who)
        elif verb == "CONNECT" and q is not None:
            wait = int(data[0])
            q.offered += 1
            q.answered += 1
            q.waits_answered.append(wait)
            q.waits_all.append(wait)
            if wait <= sl_threshold:
                q.answered_within_sl += 1
            agent(who).answered += 1
        elif verb == "ABANDON" and q is not None:
            wait = int(data[2])
            q.offered += 1
            q.abandoned += 1
            q.waits_all.append(wait)
            if wait < short_abandon:
                q.short_abandoned += 1
            if wait > sl_threshold:
                q.abandoned_after_sl += 1
        elif verb in ("EXITWITHTIMEOUT", "EXITEMPTY") and q is not None:
            q.offered += 1
            q.waits_all.append(int(data[2]))
        elif verb == "EXITWITHKEY" and q is not None:
            q.offered += 1
            q.waits_all.append(int(data[-1]))
        elif verb in ("COMPLETECALLER", "COMPLETEAGENT") and q is not None:
            talk = int(data[1])
            q.talks.append(talk)
            agent(who).talk_s += talk
        elif verb == "TRANSFER" and q is not None:
            talk = int(data[3])
            q.talks.append(talk)
            agent(who).talk_s += talk
        elif verb == "RINGNOANSWER":
            agent(who).ring_no_answer += 1
        elif verb in ("PAUSE", "PAUSEALL"):
            a = agent(who)
            a.paused = True
            a.paused_reason = data[0] if data and data[0] else None
        elif verb in ("UNPAUSE", "UNPAUSEALL"):
            a = agent(who)
            a.paused = False
            a.paused_reason = None
    queues = {k: v for k, v in queues.items() if k != "NONE"}
    return queues, agents


def queue_add_names(annotated_transcript: Path) -> dict[str, str]:
    """MemberName -> Interface from the QueueAdd actions the scenario sent (`>>> ... SENT`)."""
    mapping: dict[str, str] = {}
    block: dict[str, str] = {}
    sent = False
    for line in annotated_transcript.read_text(errors="replace").splitlines():
        if line.startswith(">>>"):
            sent, block = True, {}
            continue
        if line.startswith("<<<"):
            sent = False
            continue
        if not sent:
            continue
        if not line.strip():
            if block.get("Action") == "QueueAdd" and "MemberName" in block:
                mapping[block["MemberName"]] = block["Interface"]
            block = {}
            continue
        key, _, value = line.partition(":")
        block[key.strip()] = value.strip()
    return mapping
