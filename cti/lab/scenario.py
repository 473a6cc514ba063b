"""Scenario files for the lab PBX: a TOML description of a hotline floor.

Rules and trade-offs:
- A scenario is read once into frozen dataclasses; every number is checked here so the
  simulation never meets a bad value. Unknown keys are errors (a typo silently ignored would
  make a demo or a test lie). Errors are `ScenarioError` with the file and the key.
- Large floors are written compactly: a `[[queue]]` entry with `count` expands to numbered
  queues (`name = "dist-{n:03d}"`, numbers from `number`), an `[[agents]]` entry with `count`
  expands to consecutive extensions. Agents join queues chosen by glob patterns; `skills`
  spreads each agent over N of the matched queues round-robin, so 2,000 agents over 200
  queues need four lines.
- Times of day are "HH:MM" strings (local time of the simulated clock); durations carry
  their unit in the key name (`_s`, `_minutes`).
- A scenario may be given by path or by preset name (`heating`, `water`, `power-2000`,
  `default`), looked up in `resources/scenarios/`.

Format (every key optional unless marked):

    [scenario]  name, title, start = "08:00", warmup_minutes, speed, seed,
                caller_trunk = "trunk", verbose_events = false
    [sip]       domain, supervisor = "1900", agents = ["1091"], callers = ["2001"]
    [defaults]  any [[queue]] key, applied to every queue
    [arrivals]  curve = [[hour, factor], ...]  (piecewise linear, wraps at midnight),
                bursts = [{start = "HH:MM" | after_minutes = M, minutes, factor, queues}]
    [[queue]]   name (required), number (required), count, strategy, timeout_s, retry_s,
                wrapup_s, service_level_s, max_wait_s, weight, calls_per_hour,
                talk_median_s, talk_sigma, patience_mean_s, language, context
    [[agents]]  ext_start (required), count, name = "Agent {ext}", names = [...],
                queues = [patterns] (required), skills, penalties = [...],
                shift = ["HH:MM", "HH:MM"], answer_median_s, no_answer_prob,
                agent_hangup_prob
    [[breaks]]  reason (required), rate_per_hour, mean_minutes, window = ["HH:MM", "HH:MM"],
                per_shift
"""

from __future__ import annotations

import fnmatch
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

STRATEGIES = ("rrmemory", "ringall", "leastrecent", "fewestcalls", "random", "linear")
Strategy = Literal["rrmemory", "ringall", "leastrecent", "fewestcalls", "random", "linear"]
PRESETS = ("default", "heating", "water", "power-2000")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class QueueSpec:
    name: str
    number: str
    strategy: Strategy
    timeout_s: float
    retry_s: float
    wrapup_s: float
    service_level_s: int
    max_wait_s: float
    weight: int
    calls_per_hour: float
    talk_median_s: float
    talk_sigma: float
    patience_mean_s: float
    language: str
    context: str


@dataclass(frozen=True)
class AgentSpec:
    ext: str
    member_name: str
    caller_id_name: str
    memberships: tuple[tuple[str, int], ...]  # (queue name, penalty) in join order
    shift: tuple[float, float] | None  # (start, end) seconds of day; None = always on
    answer_median_s: float
    no_answer_prob: float
    agent_hangup_prob: float

    @property
    def interface(self) -> str:
        return f"PJSIP/{self.ext}"


@dataclass(frozen=True)
class BreakSpec:
    reason: str
    rate_per_hour: float
    mean_minutes: float
    window: tuple[float, float] | None
    per_shift: int


@dataclass(frozen=True)
class Burst:
    queues: tuple[str, ...]  # glob patterns on queue names
    factor: float
    duration_s: float
    start_tod_s: float | None  # daily at this time of day ...
    after_s: float | None  # ... or once, this long after the simulation started

    def applies_to(self, queue: str) -> bool:
        return any(fnmatch.fnmatchcase(queue, p) for p in self.queues)


@dataclass(frozen=True)
class SipSpec:
    domain: str
    supervisor: str
    agents: tuple[str, ...]
    callers: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    source: str
    start_tod_s: float | None
    warmup_s: float
    speed: float
    seed: int
    caller_trunk: str
    verbose_events: bool
    queues: tuple[QueueSpec, ...]
    agents: tuple[AgentSpec, ...]
    breaks: tuple[BreakSpec, ...]
    curve: tuple[tuple[float, float], ...]  # (hour of day, factor), sorted
    bursts: tuple[Burst, ...]
    sip: SipSpec

    def queue(self, name: str) -> QueueSpec | None:
        for q in self.queues:
            if q.name == name:
                return q
        return None


_QUEUE_DEFAULTS: dict[str, Any] = {
    "strategy": "rrmemory",
    "timeout_s": 15.0,
    "retry_s": 2.0,
    "wrapup_s": 10.0,
    "service_level_s": 20,
    "max_wait_s": 300.0,
    "weight": 0,
    "calls_per_hour": 30.0,
    "talk_median_s": 180.0,
    "talk_sigma": 0.6,
    "patience_mean_s": 120.0,
    "language": "zh",
    "context": "customers",
}
_QUEUE_KEYS = {"name", "number", "count", *_QUEUE_DEFAULTS}
_AGENT_KEYS = {
    "ext_start",
    "count",
    "name",
    "names",
    "queues",
    "skills",
    "penalties",
    "shift",
    "answer_median_s",
    "no_answer_prob",
    "agent_hangup_prob",
}
_BREAK_KEYS = {"reason", "rate_per_hour", "mean_minutes", "window", "per_shift"}
_BURST_KEYS = {"start", "after_minutes", "minutes", "factor", "queues"}
_DEFAULT_CURVE = ((0.0, 1.0),)


def resources_dir() -> Path:
    """`resources/` in the source tree, or inside a frozen (PyInstaller) build."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def scenarios_dir() -> Path:
    return resources_dir() / "scenarios"


def resolve_scenario_path(name_or_path: str | Path | None) -> Path:
    """A preset name (`heating`) or a file path → the TOML file; None → the default preset."""
    if name_or_path is None:
        name_or_path = "default"
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise ScenarioError(f"scenario file not found: {candidate}")
        return candidate
    preset = scenarios_dir() / f"{name_or_path}.toml"
    if preset.is_file():
        return preset
    raise ScenarioError(
        f"unknown scenario {str(name_or_path)!r}: not a file and not a preset "
        f"({', '.join(PRESETS)})"
    )


def load_scenario(name_or_path: str | Path | None = None) -> Scenario:
    path = resolve_scenario_path(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    return parse_scenario(data, source=str(path))


def parse_scenario(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    return _Parser(source).scenario(data)


def parse_time_of_day(text: str) -> float:
    """'HH:MM' or 'HH:MM:SS' → seconds since midnight."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    h, m = int(parts[0]), int(parts[1])
    s = int(parts[2]) if len(parts) == 3 else 0
    if h > 24 or m > 59 or s > 59 or (h == 24 and (m or s)):
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    return float(h * 3600 + m * 60 + s)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> ScenarioError:
        return ScenarioError(f"{self.source}: {where}: {message}")

    # -- typed getters ---------------------------------------------------------------------
    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return value

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"must be an array of tables ([[{key}]])")
        return value

    def check_keys(self, where: str, table: dict[str, Any], allowed: set[str]) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(unknown)}")

    def number(
        self, where: str, value: Any, *, minimum: float = 0.0, maximum: float | None = None
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f"must be a number, got {value!r}")
        if value < minimum or (maximum is not None and value > maximum):
            upper = f" and at most {maximum}" if maximum is not None else ""
            raise self.fail(where, f"must be at least {minimum}{upper}, got {value}")
        return float(value)

    def integer(self, where: str, value: Any, *, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"must be an integer, got {value!r}")
        if value < minimum:
            raise self.fail(where, f"must be at least {minimum}, got {value}")
        return value

    def string(self, where: str, value: Any) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(where, f"must be a non-empty string, got {value!r}")
        return value

    def strings(self, where: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(where, f"must be a list of strings, got {value!r}")
        return tuple(value)

    def tod(self, where: str, value: Any) -> float:
        try:
            return parse_time_of_day(self.string(where, value))
        except ValueError as exc:
            raise self.fail(where, str(exc)) from None

    def tod_range(self, where: str, value: Any) -> tuple[float, float]:
        if not isinstance(value, list) or len(value) != 2:
            raise self.fail(where, 'must be ["HH:MM", "HH:MM"]')
        return self.tod(where, value[0]), self.tod(where, value[1]) % 86400.0

    # -- sections --------------------------------------------------------------------------
    def scenario(self, data: dict[str, Any]) -> Scenario:
        self.check_keys(
            "top level",
            data,
            {"scenario", "sip", "defaults", "arrivals", "queue", "agents", "breaks"},
        )
        head = self.table(data, "scenario")
        self.check_keys(
            "[scenario]",
            head,
            {
                "name",
                "title",
                "start",
                "warmup_minutes",
                "speed",
                "seed",
                "caller_trunk",
                "verbose_events",
            },
        )
        name = self.string("scenario.name", head.get("name", Path(self.source).stem))
        start = head.get("start")
        start_tod = None if start is None else self.tod("scenario.start", start)
        verbose = head.get("verbose_events", False)
        if not isinstance(verbose, bool):
            raise self.fail("scenario.verbose_events", "must be true or false")
        queues = self.queues(data)
        queue_names = [q.name for q in queues]
        agents = self.agents(data, queue_names)
        breaks = self.breaks(data)
        curve, bursts = self.arrivals(data, queue_names)
        sip = self.sip(data, {a.ext for a in agents})
        return Scenario(
            name=name,
            title=str(head.get("title", name)),
            source=self.source,
            start_tod_s=start_tod,
            warmup_s=self.number("scenario.warmup_minutes", head.get("warmup_minutes", 0)) * 60,
            speed=self.number("scenario.speed", head.get("speed", 1.0), minimum=0.01),
            seed=self.integer("scenario.seed", head.get("seed", 1)),
            caller_trunk=self.string("scenario.caller_trunk", head.get("caller_trunk", "trunk")),
            verbose_events=verbose,
            queues=queues,
            agents=agents,
            breaks=breaks,
            curve=curve,
            bursts=bursts,
            sip=sip,
        )

    def queues(self, data: dict[str, Any]) -> tuple[QueueSpec, ...]:
        defaults = self.table(data, "defaults")
        self.check_keys("[defaults]", defaults, set(_QUEUE_DEFAULTS))
        out: list[QueueSpec] = []
        for i, raw in enumerate(self.tables(data, "queue")):
            where = f"queue[{i}]"
            self.check_keys(where, raw, _QUEUE_KEYS)
            merged = {**_QUEUE_DEFAULTS, **defaults, **raw}
            if "name" not in raw or "number" not in raw:
                raise self.fail(where, "needs 'name' and 'number'")
            count = self.integer(f"{where}.count", raw.get("count", 1), minimum=1)
            number = raw["number"]
            if isinstance(number, int) and not isinstance(number, bool):
                number = str(number)
            number = self.string(f"{where}.number", number)
            if count > 1 and not number.isdigit():
                raise self.fail(f"{where}.number", "must be digits when 'count' is used")
            strategy = merged["strategy"]
            if strategy not in STRATEGIES:
                raise self.fail(f"{where}.strategy", f"must be one of {', '.join(STRATEGIES)}")
            for n in range(1, count + 1):
                try:
                    qname = str(raw["name"]).format(n=n) if count > 1 else str(raw["name"])
                except (KeyError, IndexError, ValueError) as exc:
                    raise self.fail(f"{where}.name", f"bad pattern: {exc}") from None
                if count > 1 and qname == raw["name"]:
                    raise self.fail(f"{where}.name", "needs a {n} pattern when 'count' > 1")
                qnumber = str(int(number) + n - 1).zfill(len(number)) if count > 1 else number
                out.append(
                    QueueSpec(
                        name=self.string(f"{where}.name", qname),
                        number=qnumber,
                        strategy=cast(Strategy, strategy),
                        timeout_s=self.number(f"{where}.timeout_s", merged["timeout_s"], minimum=1),
                        retry_s=self.number(f"{where}.retry_s", merged["retry_s"]),
                        wrapup_s=self.number(f"{where}.wrapup_s", merged["wrapup_s"]),
                        service_level_s=self.integer(
                            f"{where}.service_level_s", merged["service_level_s"]
                        ),
                        max_wait_s=self.number(
                            f"{where}.max_wait_s", merged["max_wait_s"], minimum=1
                        ),
                        weight=self.integer(f"{where}.weight", merged["weight"]),
                        calls_per_hour=self.number(
                            f"{where}.calls_per_hour", merged["calls_per_hour"]
                        ),
                        talk_median_s=self.number(
                            f"{where}.talk_median_s", merged["talk_median_s"], minimum=1
                        ),
                        talk_sigma=self.number(
                            f"{where}.talk_sigma", merged["talk_sigma"], maximum=3
                        ),
                        patience_mean_s=self.number(
                            f"{where}.patience_mean_s", merged["patience_mean_s"], minimum=1
                        ),
                        language=self.string(f"{where}.language", merged["language"]),
                        context=self.string(f"{where}.context", merged["context"]),
                    )
                )
        if not out:
            raise self.fail("queue", "a scenario needs at least one [[queue]]")
        for label, values in (("name", [q.name for q in out]), ("number", [q.number for q in out])):
            dupes = sorted(v for v, n in Counter(values).items() if n > 1)
            if dupes:
                raise self.fail("queue", f"duplicate queue {label}(s): {', '.join(dupes[:5])}")
        return tuple(out)

    def agents(self, data: dict[str, Any], queue_names: list[str]) -> tuple[AgentSpec, ...]:
        out: list[AgentSpec] = []
        for i, raw in enumerate(self.tables(data, "agents")):
            where = f"agents[{i}]"
            self.check_keys(where, raw, _AGENT_KEYS)
            if "ext_start" not in raw or "queues" not in raw:
                raise self.fail(where, "needs 'ext_start' and 'queues'")
            ext_start = self.integer(f"{where}.ext_start", raw["ext_start"], minimum=1)
            count = self.integer(f"{where}.count", raw.get("count", 1), minimum=1)
            pattern = self.string(f"{where}.name", raw.get("name", "Agent {ext}"))
            names = self.strings(f"{where}.names", raw.get("names", []))
            matched: list[str] = []
            for pat in self.strings(f"{where}.queues", raw["queues"]):
                hits = [q for q in queue_names if fnmatch.fnmatchcase(q, pat)]
                if not hits:
                    raise self.fail(f"{where}.queues", f"{pat!r} matches no queue")
                matched.extend(h for h in hits if h not in matched)
            skills = self.integer(f"{where}.skills", raw.get("skills", len(matched)), minimum=1)
            skills = min(skills, len(matched))
            pen_raw = raw.get("penalties", [0])
            if not isinstance(pen_raw, list) or not pen_raw:
                raise self.fail(f"{where}.penalties", "must be a non-empty list of integers")
            penalties = [self.integer(f"{where}.penalties", p) for p in pen_raw]
            shift = None if "shift" not in raw else self.tod_range(f"{where}.shift", raw["shift"])
            answer = self.number(
                f"{where}.answer_median_s", raw.get("answer_median_s", 2.0), minimum=0.1
            )
            no_answer = self.number(
                f"{where}.no_answer_prob", raw.get("no_answer_prob", 0.03), maximum=1
            )
            agent_hangup = self.number(
                f"{where}.agent_hangup_prob", raw.get("agent_hangup_prob", 0.3), maximum=1
            )
            for k in range(count):
                ext = str(ext_start + k)
                member = names[k % len(names)] if names else pattern.format(ext=ext, n=k + 1)
                chosen = [matched[(k * skills + j) % len(matched)] for j in range(skills)]
                memberships = tuple(
                    (q, penalties[min(j, len(penalties) - 1)]) for j, q in enumerate(chosen)
                )
                out.append(
                    AgentSpec(
                        ext=ext,
                        member_name=member,
                        caller_id_name=member,
                        memberships=memberships,
                        shift=shift,
                        answer_median_s=answer,
                        no_answer_prob=no_answer,
                        agent_hangup_prob=agent_hangup,
                    )
                )
        dupes = sorted(e for e, n in Counter(a.ext for a in out).items() if n > 1)
        if dupes:
            raise self.fail("agents", f"duplicate extension(s) {', '.join(dupes[:5])}")
        return tuple(out)

    def breaks(self, data: dict[str, Any]) -> tuple[BreakSpec, ...]:
        out: list[BreakSpec] = []
        for i, raw in enumerate(self.tables(data, "breaks")):
            where = f"breaks[{i}]"
            self.check_keys(where, raw, _BREAK_KEYS)
            if "reason" not in raw:
                raise self.fail(where, "needs 'reason'")
            out.append(
                BreakSpec(
                    reason=self.string(f"{where}.reason", raw["reason"]),
                    rate_per_hour=self.number(
                        f"{where}.rate_per_hour", raw.get("rate_per_hour", 0.5)
                    ),
                    mean_minutes=self.number(
                        f"{where}.mean_minutes", raw.get("mean_minutes", 10), minimum=0.1
                    ),
                    window=None
                    if "window" not in raw
                    else self.tod_range(f"{where}.window", raw["window"]),
                    per_shift=self.integer(f"{where}.per_shift", raw.get("per_shift", 1)),
                )
            )
        return tuple(out)

    def arrivals(
        self, data: dict[str, Any], queue_names: list[str]
    ) -> tuple[tuple[tuple[float, float], ...], tuple[Burst, ...]]:
        arr = self.table(data, "arrivals")
        self.check_keys("[arrivals]", arr, {"curve", "bursts"})
        curve_raw = arr.get("curve")
        curve: tuple[tuple[float, float], ...] = _DEFAULT_CURVE
        if curve_raw is not None:
            if not isinstance(curve_raw, list) or not curve_raw:
                raise self.fail("arrivals.curve", "must be a list of [hour, factor] pairs")
            points = []
            for p in curve_raw:
                if not isinstance(p, list) or len(p) != 2:
                    raise self.fail("arrivals.curve", f"bad point {p!r}, want [hour, factor]")
                points.append(
                    (
                        self.number("arrivals.curve hour", p[0], maximum=24),
                        self.number("arrivals.curve factor", p[1]),
                    )
                )
            curve = tuple(sorted(points))
        bursts: list[Burst] = []
        bursts_raw = arr.get("bursts", [])
        if not isinstance(bursts_raw, list):
            raise self.fail("arrivals.bursts", "must be a list of tables")
        for i, raw in enumerate(bursts_raw):
            where = f"arrivals.bursts[{i}]"
            if not isinstance(raw, dict):
                raise self.fail(where, "must be a table")
            self.check_keys(where, raw, _BURST_KEYS)
            if ("start" in raw) == ("after_minutes" in raw):
                raise self.fail(where, "needs exactly one of 'start' (HH:MM) or 'after_minutes'")
            patterns = self.strings(f"{where}.queues", raw.get("queues", ["*"]))
            for pat in patterns:
                if not any(fnmatch.fnmatchcase(q, pat) for q in queue_names):
                    raise self.fail(f"{where}.queues", f"{pat!r} matches no queue")
            bursts.append(
                Burst(
                    queues=patterns,
                    factor=self.number(f"{where}.factor", raw.get("factor", 2.0)),
                    duration_s=self.number(f"{where}.minutes", raw.get("minutes", 30), minimum=0.1)
                    * 60,
                    start_tod_s=self.tod(f"{where}.start", raw["start"])
                    if "start" in raw
                    else None,
                    after_s=self.number(f"{where}.after_minutes", raw["after_minutes"]) * 60
                    if "after_minutes" in raw
                    else None,
                )
            )
        return curve, tuple(bursts)

    def sip(self, data: dict[str, Any], agent_exts: set[str]) -> SipSpec:
        raw = self.table(data, "sip")
        self.check_keys("[sip]", raw, {"domain", "supervisor", "agents", "callers"})
        spec = SipSpec(
            domain=self.string("sip.domain", raw.get("domain", "127.0.0.1")),
            supervisor=self.string("sip.supervisor", str(raw.get("supervisor", "1900"))),
            agents=self.strings("sip.agents", raw.get("agents", ["1091"])),
            callers=self.strings("sip.callers", raw.get("callers", ["2001"])),
        )
        clash = sorted(({spec.supervisor} | set(spec.agents) | set(spec.callers)) & agent_exts)
        if clash:
            raise self.fail("[sip]", f"extension(s) {', '.join(clash)} are also simulated agents")
        return spec
