"""Typed entry points to peewee's DB-API calls (its stubs leave them untyped).

The writer, the verifier and the generators use plain DB-API cursors for speed; every such
call goes through here so `mypy --strict` needs one exemption, not forty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee as pw


def run_sql(database: pw.Database, sql: str, params: Sequence[Any] = ()) -> Any:
    """Execute SQL text (parameters in the database's own style) and return the cursor."""
    return database.execute_sql(sql, tuple(params))  # type: ignore[no-untyped-call]


def run_query(database: pw.Database, query: Any) -> Any:
    """Execute a peewee query on `database` and return the raw DB-API cursor."""
    return database.execute(query)  # type: ignore[no-untyped-call]


def cursor_of(database: pw.Database) -> Any:
    return database.cursor()  # type: ignore[no-untyped-call]
