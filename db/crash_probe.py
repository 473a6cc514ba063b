"""Crash-safety probe: a writer process killed with SIGKILL at random points, then checked.

The writer (`_child`) opens a record and writes journal bursts, durable intents with results,
monitoring sessions, alarms, occasional flushes and retention cuts, reporting every commit
("C <seq>") and every confirmed intent ("I <seq>") on a pipe as it happens. It is killed
either while the record is being opened or a random few milliseconds after it is ready.
Afterwards the file must pass `PRAGMA integrity_check`, every seq reported committed must be
in it, and the hash chain must verify.

Processes: on POSIX a single "zygote" process imports the record code once and forks one
writer per kill, so a kill costs milliseconds instead of an interpreter start (tests run 50+
of them). Where fork is missing the writer is a fresh `python -m db.crash_probe child`.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _child(path: str, seed: int, fd: int) -> None:
    from db.record import open_record

    rng = random.Random(seed)

    def report(seq: int) -> None:
        os.write(fd, b"C %d\n" % seq)

    record = open_record(
        path,
        "crash-probe",
        "probe-ws",
        on_commit=report,
        max_delay_s=rng.choice([0.0, 0.002, 0.02]),
        snapshot_every_rows=rng.choice([50, 400]),
        snapshot_every_s=30.0,
    )
    os.write(fd, b"READY\n")
    started = time.time()
    n = 0
    while True:
        for _ in range(rng.randint(1, 200)):
            n += 1
            record.journal_event(
                time.time(),
                "QueueMemberStatus",
                {
                    "Queue": rng.choice(("billing", "repair")),
                    "Interface": f"PJSIP/{1001 + n % 20}",
                    "MemberName": "张三",
                    "Status": rng.choice(("1", "2", "6")),
                    "Paused": "0",
                    "n": str(n),
                },
            )
        roll = rng.random()
        if roll < 0.3:
            handle = record.action_intent("QueuePause", agent="PJSIP/1001", params={"n": n})
            os.write(fd, b"I %d\n" % handle.seq)
            record.action_result(handle, True, "Success")
        elif roll < 0.4:
            session = record.monitor_session_start("PJSIP/1002", "listen")
            record.monitor_session_mode(session, "whisper")
            record.monitor_session_end(session)
        elif roll < 0.45:
            alarm = record.alarm_raised("sl_low", "warning", "服务水平低")
            record.alarm_changed(alarm, "severity", "critical", "服务水平很低", details={"n": n})
            record.alarm_acknowledged(alarm, "已处理")
        elif roll < 0.47:
            record.flush()
        elif roll < 0.48 and time.time() - started > 0.01:
            record.apply_retention((time.time() - started) / 2 / 86_400)
        time.sleep(rng.choice((0.0, 0.0, 0.0005, 0.002)))


@dataclass(frozen=True)
class KillResult:
    committed: int  # highest seq the writer reported committed (0 = none)
    intents: tuple[int, ...]  # intents reported durable
    ready: bool  # the record was open when the kill came


def _parse(data: bytes) -> tuple[int, list[int], bool]:
    committed = 0
    intents: list[int] = []
    ready = False
    for line in data.split(b"\n"):
        if line.startswith(b"C "):
            committed = max(committed, int(line[2:]))
        elif line.startswith(b"I "):
            intents.append(int(line[2:]))
        elif line == b"READY":
            ready = True
    return committed, intents, ready


def _run_and_kill(spawn_pid: int, fd: int, early: bool, delay_s: float) -> bytes:
    """Collect the child's reports, kill it at the chosen moment, return all it said."""
    data = b""
    deadline = time.monotonic() + (delay_s if early else 30.0)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
            if not early and b"READY\n" in data:
                break
    if not early:
        deadline = time.monotonic() + delay_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                data += chunk
    os.kill(spawn_pid, signal.SIGKILL)
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    return data


def _zygote() -> None:
    import db.record  # noqa: F401  (imported once, inherited by every forked writer)

    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "EXIT":
            return
        _, path, seed, early, delay = parts
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                _child(path, int(seed), write_fd)
            finally:
                os._exit(0)
        os.close(write_fd)
        data = _run_and_kill(pid, read_fd, early == "1", float(delay))
        os.close(read_fd)
        os.waitpid(pid, 0)
        committed, intents, ready = _parse(data)
        print(f"KILLED {committed} {int(ready)} {','.join(map(str, intents)) or '-'}", flush=True)


class CrashRunner:
    """Runs kill cycles; use as a context manager (it owns the zygote process)."""

    def __init__(self) -> None:
        self._zygote: subprocess.Popen[str] | None = None
        if hasattr(os, "fork"):
            self._zygote = subprocess.Popen(
                [sys.executable, "-m", "db.crash_probe", "zygote"],
                cwd=REPO,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )

    def kill_cycle(self, path: Path, seed: int, early: bool, delay_s: float) -> KillResult:
        if self._zygote is not None:
            assert self._zygote.stdin is not None and self._zygote.stdout is not None
            self._zygote.stdin.write(f"RUN {path} {seed} {int(early)} {delay_s:.4f}\n")
            self._zygote.stdin.flush()
            reply = self._zygote.stdout.readline().split()
            if not reply or reply[0] != "KILLED":
                raise RuntimeError(f"crash probe zygote failed: {reply!r}")
            intents = () if reply[3] == "-" else tuple(int(x) for x in reply[3].split(","))
            return KillResult(int(reply[1]), intents, reply[2] == "1")
        child = subprocess.Popen(
            [sys.executable, "-m", "db.crash_probe", "child", str(path), str(seed)],
            cwd=REPO,
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        data = _run_and_kill(child.pid, child.stdout.fileno(), early, delay_s)
        child.wait()
        child.stdout.close()
        committed, intent_list, ready = _parse(data)
        return KillResult(committed, tuple(intent_list), ready)

    def close(self) -> None:
        if self._zygote is not None:
            assert self._zygote.stdin is not None
            try:
                self._zygote.stdin.write("EXIT\n")
                self._zygote.stdin.close()
            except OSError:
                pass
            self._zygote.wait(10)
            if self._zygote.stdout is not None:
                self._zygote.stdout.close()
            self._zygote = None

    def __enter__(self) -> CrashRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_after_kill(path: Path, result: KillResult) -> str | None:
    """None when the file is sound and holds every reported row, else what is wrong."""
    from db.chain import verify
    from db.errors import NotARecordError, WrongSchemaError

    if not path.exists():
        return None if result.committed == 0 else "record file missing"
    connection = sqlite3.connect(str(path))
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    if integrity != [("ok",)]:
        return f"integrity_check: {integrity[:3]}"
    try:
        outcome = verify(path)
    except (WrongSchemaError, NotARecordError):  # killed while creating the file
        return None if result.committed == 0 else "schema missing after commits"
    if not outcome.ok:
        return f"chain: {outcome.message}"
    last = outcome.last_seq or 0
    if result.committed > last:
        return f"row #{result.committed} was reported committed but the record ends at #{last}"
    if result.intents and max(result.intents) > last:
        return f"intent #{max(result.intents)} was confirmed but is missing"
    if result.intents:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            present = {
                r[0]
                for r in connection.execute(
                    'SELECT "seq" FROM "action_intent" WHERE "seq" >= ?', (min(result.intents),)
                )
            }
        finally:
            connection.close()
        lost = [s for s in result.intents if s not in present]
        if lost and not _cut_by_retention(path, lost):
            return f"confirmed intents missing: {lost[:5]}"
    return None


def _cut_by_retention(path: Path, seqs: list[int]) -> bool:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute('SELECT MAX("first_kept_seq") FROM "retention_cut"').fetchone()
    finally:
        connection.close()
    return row is not None and row[0] is not None and all(s < int(row[0]) for s in seqs)


def run_kills(
    folder: Path, kills: int, seed: int = 1, cycles_per_file: int = 5
) -> tuple[int, list[str]]:
    """`kills` kill cycles in `folder` (a new file every few cycles); returns (done, problems)."""
    rng = random.Random(seed)
    problems: list[str] = []
    with CrashRunner() as runner:
        for i in range(kills):
            path = folder / f"crash-{i // cycles_per_file}.sqlite"
            early = rng.random() < 0.15
            delay = rng.uniform(0.0, 0.03) if early else rng.uniform(0.0, 0.2)
            result = runner.kill_cycle(path, rng.randrange(1 << 30), early, delay)
            problem = check_after_kill(path, result)
            if problem is not None:
                problems.append(f"kill {i} ({'opening' if early else 'writing'}): {problem}")
    return kills, problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["zygote"]:
        _zygote()
        return 0
    if argv[:1] == ["child"] and len(argv) == 3:
        _child(argv[1], int(argv[2]), sys.stdout.fileno())
        return 0
    print("usage: python -m db.crash_probe zygote | child PATH SEED", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
