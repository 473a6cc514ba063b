"""The record's models run on a real PostgreSQL server, and its chain verifies there.

A record written by the console (SQLite) is copied row by row into PostgreSQL through the
same peewee models; `verify_database` must find it intact (hashes are BYTEA, Chinese text
round-trips) and must name an edited row. The server is a throw-away cluster started on
127.0.0.1 for this module (scripts/setup.sh installs PostgreSQL).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

from db.chain import verify_database
from db.models import ALL_MODELS, bound_models, table_name


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if versions:
        return str(versions[0])
    pytest.fail(f"PostgreSQL's {name} is not installed (scripts/setup.sh installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict[str, Any]]:
    """A private PostgreSQL cluster on 127.0.0.1 (initdb refuses root: run it as nobody)."""
    folder = Path(tempfile.mkdtemp(prefix="hotline-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        as_user = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}"]
        as_user += ["--clear-groups", "--"]
    data = folder / "data"
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "HOME": str(folder)}
    initdb = [_pg_bin("initdb"), "-D", str(data), "-U", "hotline", "--auth=trust"]
    subprocess.run(
        [*as_user, *initdb, "-E", "UTF8", "--no-locale"],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    ctl = [*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-l", str(folder / "log")]
    subprocess.run([*ctl, "-o", options, "-w", "-t", "60", "start"], check=True, env=env)
    try:
        yield {"database": "postgres", "user": "hotline", "host": "127.0.0.1", "port": port}
    finally:
        subprocess.run([*ctl, "-m", "fast", "-w", "stop"], check=False, env=env, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _copy_to(path: Path, database: pw.Database) -> int:
    """Every row of every table of the SQLite record at `path`, through the bound models."""
    models = bound_models(database)
    database.create_tables(list(models.values()))
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    copied = 0
    try:
        with database.atomic():
            for model in ALL_MODELS:
                bound = models[table_name(model)]
                fields = list(bound._meta.sorted_fields)
                names = ", ".join(f'"{f.column_name}"' for f in fields)
                rows = source.execute(f'SELECT {names} FROM "{table_name(model)}"').fetchall()
                if rows:
                    bound.insert_many(rows, fields=fields).execute()
                    copied += len(rows)
    finally:
        source.close()
    return copied


@pytest.mark.timeout(180)
def test_record_runs_and_verifies_on_postgresql(
    postgres: dict[str, Any], make_record: Callable[..., Path]
) -> None:
    path = make_record(events=300)
    database = pw.PostgresqlDatabase(**postgres)
    database.connect()
    try:
        copied = _copy_to(path, database)
        assert copied > 300
        result = verify_database(database)
        assert result.ok, result.message
        kinds = {
            name: database.execute_sql(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in ("journal", "action_intent", "monitor_mode", "floor_snapshot")
        }
        assert kinds["journal"] == 300 and all(kinds.values()), kinds
        # Chinese text survives byte for byte (the verified hashes cover it, and here it is).
        fields, row_hash = database.execute_sql(
            'SELECT "fields", "row_hash" FROM "journal" ORDER BY "seq" LIMIT 1'
        ).fetchone()
        assert "张三" in fields and len(bytes(row_hash)) == 32
        reason = database.execute_sql('SELECT "params" FROM "action_intent"').fetchone()[0]
        assert "午餐" in reason

        seq = database.execute_sql('SELECT MIN("seq") + 7 FROM "journal"').fetchone()[0]
        database.execute_sql(
            'UPDATE "journal" SET "fields" = %s WHERE "seq" = %s', ('{"Queue":"edited"}', seq)
        )
        tampered = verify_database(database)
        assert not tampered.ok
        assert tampered.problem == "edited" and tampered.seq == seq, tampered.message
    finally:
        with contextlib.suppress(pw.PeeweeException):
            database.drop_tables(list(bound_models(database).values()))
        database.close()
