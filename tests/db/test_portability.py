"""The record code stays portable (PostgreSQL DDL, no SQLite-only SQL) and Qt-free."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import peewee as pw
import pytest

from db.models import ALL_MODELS, bound_models

SQLITE_ONLY = re.compile(r"PRAGMA|AUTOINCREMENT|WITHOUT ROWID|sqlite_master|json_extract", re.I)
# Modules allowed to speak SQLite: the file layer, the bench generator, bench and crash probe.
SQLITE_MODULES = {"sqlite_files.py", "synthetic.py", "crash_probe.py", "bench_record.py"}


class OfflinePostgres(pw.PostgresqlDatabase):
    """Renders PostgreSQL SQL without the psycopg2 driver (the postgres extra)."""

    def get_binary_type(self) -> type[bytes]:
        return bytes


def test_models_render_postgresql_ddl() -> None:
    database = OfflinePostgres("record", autoconnect=False)
    models = bound_models(database)
    statements = []
    for model in models.values():
        sql, _ = model._schema._create_table(safe=False).query()
        statements.append(sql)
        for index in model._schema._create_indexes(safe=False):
            statements.append(index.query()[0])
    ddl = "\n".join(statements)
    assert len(models) == len(ALL_MODELS)
    assert 'CREATE TABLE "journal" ("seq" BIGINT NOT NULL PRIMARY KEY' in ddl
    assert '"row_hash" BYTEA NOT NULL' in ddl
    assert not SQLITE_ONLY.search(ddl)


def sql_literals(source: str) -> list[str]:
    """String constants that look like SQL (docstrings and comments are not SQL)."""
    tree = ast.parse(source)
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and re.search(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA)\b", node.value)
    ]


def test_no_sqlite_only_sql_outside_the_file_layer(repo_root: Path) -> None:
    offenders = [
        f"{p.name}: {sql}"
        for p in sorted((repo_root / "db").glob("*.py"))
        if p.name not in SQLITE_MODULES
        for sql in sql_literals(p.read_text(encoding="utf-8"))
        if SQLITE_ONLY.search(sql)
    ]
    assert offenders == []


@pytest.mark.timeout(60)
def test_db_never_imports_qt(repo_root: Path) -> None:
    probe = (
        "import importlib, pathlib, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):\n"
        "            raise ImportError('Qt is not allowed in db/: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "for p in sorted(pathlib.Path('db').glob('*.py')):\n"
        "    importlib.import_module('db.' + p.stem if p.stem != '__init__' else 'db')\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
