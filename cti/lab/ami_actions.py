"""AMI actions the lab answers, with Asterisk 22's exact responses and error messages.

Rules and trade-offs:
- Wording, field order and list framing come from the capture (`ami-scenario.txt`,
  `ami-bad-input-annotated.txt`): `Response` first, then `ActionID` (only when the request
  had one), then the rest. Lists answer `EventList: start` + items + `<Name>Complete` with
  `EventList: Complete` and `ListItems`; list items carry no Privilege.
- Handlers get the request `Message` and the `LabPbx`, return the frames to send in order.
  Simulation events an action causes go to the PBX outbox and are sent after the response.
- Session-level actions (Login, Logoff, Challenge, Events) live in `ami_session.py`.
- Redirect moves a waiting simulated caller to another queue (its wording is manager.c's;
  the capture has no Redirect). Redirecting anything else fails ("Redirect failed").
- Not supported (answered as unknown commands, like an Asterisk without the module):
  Filter, ListCommands, Getvar/Setvar, Monitor, Park and the PJSIP* lists.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from cti.ami.message import Message
from cti.lab import ami_templates as tpl
from cti.lab.pbx import Deferred, LabPbx
from cti.lab.sim_model import DEVICE_NOT_INUSE, DEVICE_UNAVAILABLE

Headers = list[tuple[str, str]]
Handler = Callable[[LabPbx, Message], "list[Headers] | Deferred[list[Headers]]"]

ASTERISK_VERSION = "22.10.1"
AMI_VERSION = "11.0.0"
_TRUE = {"yes", "true", "y", "t", "1", "on"}


def is_true(value: str | None) -> bool:
    """Asterisk's ast_true()."""
    return (value or "").strip().lower() in _TRUE


def response(status: str, action_id: str | None, *fields: tuple[str, str]) -> Headers:
    out: Headers = [("Response", status)]
    if action_id is not None:
        out.append(("ActionID", action_id))
    out.extend(fields)
    return out


def error(action_id: str | None, message: str) -> Headers:
    return response("Error", action_id, ("Message", message))


def success(action_id: str | None, message: str) -> Headers:
    return response("Success", action_id, ("Message", message))


def list_frames(
    action_id: str | None, ack: str, complete: str, items: list[Headers]
) -> list[Headers]:
    start = response("Success", action_id, ("EventList", "start"), ("Message", ack))
    end: Headers = [("Event", complete)]
    if action_id is not None:
        end.append(("ActionID", action_id))
    end += [("EventList", "Complete"), ("ListItems", str(len(items)))]
    return [start, *items, end]


def _local(epoch: float, fmt: str) -> str:
    return time.strftime(fmt, time.localtime(epoch))


# -- simple actions --------------------------------------------------------------------------
def ping(pbx: LabPbx, m: Message) -> list[Headers]:
    return [response("Success", m.action_id, ("Ping", "Pong"), ("Timestamp", f"{pbx.now():.6f}"))]


def core_settings(pbx: LabPbx, m: Message) -> list[Headers]:
    return [
        response(
            "Success",
            m.action_id,
            ("AMIversion", AMI_VERSION),
            ("AsteriskVersion", ASTERISK_VERSION),
            ("SystemName", "hotline-lab"),
            ("CoreMaxCalls", "0"),
            ("CoreMaxLoadAvg", "0.000000"),
            ("CoreRunUser", ""),
            ("CoreRunGroup", ""),
            ("CoreMaxFilehandles", "0"),
            ("CoreRealTimeEnabled", "No"),
            ("CoreCDRenabled", "No"),
            ("CoreHTTPenabled", "No"),
            ("SoundsSearchCustomDir", "No"),
        )
    ]


def core_status(pbx: LabPbx, m: Message) -> list[Headers]:
    calls = sum(1 for c in pbx.all_channels() if c.context != "agents")
    return [
        response(
            "Success",
            m.action_id,
            ("CoreStartupDate", _local(pbx.started, "%Y-%m-%d")),
            ("CoreStartupTime", _local(pbx.started, "%H:%M:%S")),
            ("CoreReloadDate", _local(pbx.started, "%Y-%m-%d")),
            ("CoreReloadTime", _local(pbx.started, "%H:%M:%S")),
            ("CoreCurrentCalls", str(calls)),
            ("CoreProcessedCalls", str(pbx.sim.offered)),
        )
    ]


def command(pbx: LabPbx, m: Message) -> list[Headers]:
    cli = (m.get("Command") or "").strip()
    if cli == "core show version":
        return [
            response(
                "Success",
                m.action_id,
                ("Message", "Command output follows"),
                ("Output", f"Asterisk {ASTERISK_VERSION} (hotline lab PBX simulation)"),
            )
        ]
    words = " ".join(cli.split()[:2])
    return [
        response(
            "Error",
            m.action_id,
            ("Message", "Command output follows"),
            (
                "Output",
                f"No such command '{cli}' "
                f"(type 'core show help {words}' for other possible commands)",
            ),
        )
    ]


# -- queues ----------------------------------------------------------------------------------
def queue_status(pbx: LabPbx, m: Message) -> list[Headers]:
    sim = pbx.sim
    aid = m.action_id
    only_queue = m.get("Queue") or ""
    only_member = m.get("Member") or ""
    now = int(sim.now)
    items: list[Headers] = []
    for q in sim.queues.values():
        if only_queue and q.name != only_queue:
            continue
        s = q.spec
        items.append(
            tpl.with_action_id(
                [
                    ("Event", "QueueParams"),
                    ("Queue", q.name),
                    ("Max", "0"),
                    ("Strategy", s.strategy),
                    ("Calls", str(len(q.waiting))),
                    ("Holdtime", str(q.holdtime)),
                    ("TalkTime", str(q.talktime)),
                    ("Completed", str(q.completed)),
                    ("Abandoned", str(q.abandoned)),
                    ("ServiceLevel", str(s.service_level_s)),
                    ("ServicelevelPerf", f"{q.sl_perf():.1f}"),
                    ("ServicelevelPerf2", f"{q.sl_perf2():.1f}"),
                    ("Weight", str(s.weight)),
                ],
                aid,
            )
        )
        for agent in q.members:
            if only_member and only_member not in (agent.interface, agent.member_name):
                continue
            ms = agent.memberships[q.name]
            fields = tpl.member_fields(
                agent, q.name, ms, sim.in_call(agent, q.name), list_item=True
            )
            items.append(tpl.with_action_id([("Event", "QueueMember"), *fields], aid))
        for pos, caller in enumerate(q.waiting, start=1):
            c = caller.chan
            items.append(
                tpl.with_action_id(
                    [
                        ("Event", "QueueEntry"),
                        ("Queue", q.name),
                        ("Position", str(pos)),
                        ("Channel", c.name),
                        ("Uniqueid", c.uniqueid),
                        ("CallerIDNum", c.cid_num),
                        ("CallerIDName", c.cid_name),
                        ("ConnectedLineNum", c.conn_num),
                        ("ConnectedLineName", c.conn_name),
                        ("Wait", str(now - int(caller.joined))),
                        ("Priority", "0"),
                    ],
                    aid,
                )
            )
    return list_frames(aid, "Queue status will follow", "QueueStatusComplete", items)


def queue_summary(pbx: LabPbx, m: Message) -> list[Headers]:
    sim = pbx.sim
    aid = m.action_id
    only_queue = m.get("Queue") or ""
    now = int(sim.now)
    items: list[Headers] = []
    for q in sim.queues.values():
        if only_queue and q.name != only_queue:
            continue
        logged_in = available = 0
        for agent in q.members:
            if agent.status == DEVICE_UNAVAILABLE:
                continue
            logged_in += 1
            if agent.spec is None:
                if agent.status == DEVICE_NOT_INUSE and not agent.memberships[q.name].paused:
                    available += 1
            elif sim.available_for(agent, q):
                available += 1
        longest = now - int(q.waiting[0].joined) if q.waiting else 0
        items.append(
            tpl.with_action_id(
                [
                    ("Event", "QueueSummary"),
                    ("Queue", q.name),
                    ("LoggedIn", str(logged_in)),
                    ("Available", str(available)),
                    ("Callers", str(len(q.waiting))),
                    ("HoldTime", str(q.holdtime)),
                    ("TalkTime", str(q.talktime)),
                    ("LongestHoldTime", str(longest)),
                ],
                aid,
            )
        )
    return list_frames(aid, "Queue summary will follow", "QueueSummaryComplete", items)


def queue_pause(pbx: LabPbx, m: Message) -> list[Headers]:
    interface = m.get("Interface") or ""
    paused = m.get("Paused") or ""
    if not interface or not paused:
        return [error(m.action_id, "Need 'Interface' and 'Paused' parameters.")]
    ok, message = pbx.sim.queue_pause(
        interface, is_true(paused), m.get("Queue") or None, m.get("Reason") or ""
    )
    pbx.take_sim_events()
    return [(success if ok else error)(m.action_id, message)]


def queue_add(pbx: LabPbx, m: Message) -> list[Headers]:
    queue = m.get("Queue") or ""
    interface = m.get("Interface") or ""
    if not queue:
        return [error(m.action_id, "'Queue' not specified.")]
    if not interface:
        return [error(m.action_id, "'Interface' not specified.")]
    penalty_s = (m.get("Penalty") or "").strip()
    penalty = int(penalty_s) if penalty_s.isdigit() else 0
    ok, message = pbx.sim.queue_add(
        queue,
        interface,
        member_name=m.get("MemberName") or "",
        penalty=penalty,
        paused=is_true(m.get("Paused")),
        reason=m.get("Reason") or "",
        state_interface=m.get("StateInterface") or "",
    )
    pbx.take_sim_events()
    return [(success if ok else error)(m.action_id, message)]


def queue_remove(pbx: LabPbx, m: Message) -> list[Headers]:
    queue = m.get("Queue") or ""
    interface = m.get("Interface") or ""
    if not queue or not interface:
        return [error(m.action_id, "Need 'Queue' and 'Interface' parameters.")]
    ok, message = pbx.sim.queue_remove(queue, interface)
    pbx.take_sim_events()
    return [(success if ok else error)(m.action_id, message)]


# -- channels --------------------------------------------------------------------------------
def core_show_channels(pbx: LabPbx, m: Message) -> list[Headers]:
    now = pbx.now()
    items = [tpl.core_show_channel(c, m.action_id, now) for c in pbx.all_channels()]
    return list_frames(m.action_id, "Channels will follow", "CoreShowChannelsComplete", items)


def status(pbx: LabPbx, m: Message) -> list[Headers]:
    now = pbx.now()
    name = m.get("Channel") or ""
    if name:
        chan = pbx.channel(name)
        if chan is None:
            return [error(m.action_id, "No such channel")]
        chans = [chan]
    else:
        chans = pbx.all_channels()
    items = [tpl.status_item(c, m.action_id, now) for c in chans]
    frames = list_frames(m.action_id, "Channel status will follow", "StatusComplete", items)
    frames[-1].append(("Items", str(len(items))))
    return frames


def hangup(pbx: LabPbx, m: Message) -> list[Headers]:
    name = m.get("Channel") or ""
    if not name:
        return [error(m.action_id, "No channel specified")]
    cause_s = (m.get("Cause") or "").strip()
    cause = int(cause_s) if cause_s.isdigit() else 16
    if len(name) > 2 and name.startswith("/") and name.endswith("/"):
        try:
            pattern = re.compile(name[1:-1])
        except re.error:
            return [error(m.action_id, "Invalid regex")]
        hung: list[Headers] = []
        for chan in pbx.all_channels():
            if pattern.search(chan.name) and pbx.hangup(chan.name, cause):
                item: Headers = [("Event", "ChannelHungup"), ("Channel", chan.name)]
                hung.append(tpl.with_action_id(item, m.action_id))
        return list_frames(
            m.action_id, "Channels hung up will follow", "ChannelsHungupListComplete", hung
        )
    if pbx.hangup(name, cause):
        return [success(m.action_id, "Channel Hungup")]
    return [error(m.action_id, "No such channel")]


def redirect(pbx: LabPbx, m: Message) -> list[Headers]:
    """Redirect (manager.c action_redirect). The lab models moving a waiting caller to
    another queue's number; a redirect it cannot model fails rather than pretending."""
    name = m.get("Channel") or ""
    aid = m.action_id
    if not name:
        return [error(aid, "Channel not specified")]
    for header in ("Context", "Exten", "Priority"):
        if not m.get(header):
            return [error(aid, f"{header} not specified")]
    if not (m.get("Priority") or "").strip().isdigit():
        return [error(aid, "Invalid priority")]
    if pbx.channel(name) is None:
        return [error(aid, f"Channel does not exist: {name}")]
    ok = pbx.sim.redirect(name, (m.get("Exten") or "").strip())
    pbx.take_sim_events()
    return [success(aid, "Redirect successful") if ok else error(aid, "Redirect failed")]


def originate(pbx: LabPbx, m: Message) -> list[Headers] | Deferred[list[Headers]]:
    fields: dict[str, str] = {}
    for k, v in m.headers:
        fields.setdefault(k.lower(), v)
    aid = m.action_id
    outcome = pbx.originate(fields, aid)
    if isinstance(outcome, Deferred):
        frames: Deferred[list[Headers]] = Deferred()
        outcome.then(lambda r: frames.resolve([(success if r[0] else error)(aid, r[1])]))
        return frames
    ok, message = outcome
    return [(success if ok else error)(aid, message)]


ACTIONS: dict[str, Handler] = {
    "ping": ping,
    "coresettings": core_settings,
    "corestatus": core_status,
    "command": command,
    "queuestatus": queue_status,
    "queuesummary": queue_summary,
    "queuepause": queue_pause,
    "queueadd": queue_add,
    "queueremove": queue_remove,
    "coreshowchannels": core_show_channels,
    "status": status,
    "hangup": hangup,
    "originate": originate,
    "redirect": redirect,
}
