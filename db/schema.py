"""Creating a record's tables and checking that an existing database is a record we can read.

Checks run before anything is written: a database that is not a record, a record from a
newer version, or a damaged one raises a typed error and is left untouched. Table discovery
uses peewee's `get_tables()` / `get_columns()`, which exist for SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import peewee as pw

from db.dbapi import run_sql
from db.errors import NewerSchemaError, WrongSchemaError
from db.models import (
    ALL_MODELS,
    APPLICATION,
    CHAINED_MODELS,
    SCHEMA_VERSION,
    bound_models,
    stored_columns,
    table_name,
)


def required_tables(version: int) -> frozenset[str]:
    """The tables a record of schema `version` has (later versions only added tables)."""
    return frozenset(table_name(m) for m in ALL_MODELS if getattr(m, "SINCE", 1) <= version)


def existing_tables(database: pw.Database) -> list[str]:
    tables: list[str] = database.get_tables()
    return tables


def check_schema(
    database: pw.Database, path: Path | str, *, tables_may_be_missing: bool = False
) -> dict[str, str]:
    """Raise a typed error unless `database` holds a record this version can read; return meta.

    `tables_may_be_missing`: chained tables the schema requires may be absent (verify reads
    such a record and reports the removed tables with the rows they took along)."""
    tables = set(existing_tables(database))
    shown = Path(path).name
    if not tables:
        raise WrongSchemaError(f"{shown} is an empty database, not a hotline record", path)
    if "meta" not in tables:
        listed = ", ".join(sorted(tables)[:6])
        raise WrongSchemaError(
            f"{shown} is an SQLite database but not a hotline record (its tables: {listed})",
            path,
        )
    cursor = run_sql(database, 'SELECT "name", "value" FROM "meta"')
    meta = {str(k): str(v) for k, v in cursor.fetchall()}
    if meta.get("application") != APPLICATION:
        raise WrongSchemaError(
            f"{shown} is not a hotline record (application {meta.get('application')!r})", path
        )
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError:
        raise WrongSchemaError(f"{shown}: record has no valid schema version", path) from None
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{shown} was written by a newer version of the console (record schema {version}; "
            f"this version reads schema {SCHEMA_VERSION} and older). Update the console.",
            path,
            found=version,
            supported=SCHEMA_VERSION,
        )
    if version < 1:
        raise WrongSchemaError(f"{shown}: unknown record schema version {version}", path)
    missing = sorted(required_tables(version) - tables)
    chained = {table_name(m) for m in CHAINED_MODELS}
    if missing and not (tables_may_be_missing and set(missing) <= chained):
        raise WrongSchemaError(
            f"{shown} is a damaged record: missing table(s) {', '.join(missing)}", path
        )
    for model in CHAINED_MODELS:
        if version < model.SINCE or table_name(model) in missing:
            continue
        present = {c.name for c in database.get_columns(table_name(model))}
        absent = [c for c in stored_columns(model) if c not in present]
        if absent:
            raise WrongSchemaError(
                f"{shown} is a damaged record: table {table_name(model)} lacks column(s) "
                f"{', '.join(absent)}",
                path,
            )
    return meta


def create_schema(database: pw.Database, *, with_indexes: bool = True) -> dict[str, str]:
    """Create every table (and the meta rows) in an empty database; return the meta."""
    models = bound_models(database)
    meta = {
        "application": APPLICATION,
        "schema_version": str(SCHEMA_VERSION),
        "record_id": uuid.uuid4().hex,
        "created_us": str(time.time_ns() // 1000),
    }
    with database.atomic():
        for model in models.values():
            if with_indexes:
                model.create_table(safe=False)
            else:
                model._schema.create_table(safe=False)
        meta_model = models["meta"]
        for name, value in meta.items():
            meta_model.insert(name=name, value=value).execute()
        models["chain_head"].insert(id=1, last_seq=0, last_hash=bytes(32)).execute()
    return meta


def upgrade_schema(database: pw.Database, meta: dict[str, str]) -> dict[str, str]:
    """Bring a checked record of an older schema to this version (before writing to it):
    create the tables added since, in one transaction with the new version number. Rows and
    their hashes are untouched; a console of the older version then refuses the file as newer
    instead of writing rows it would not know how to chain."""
    version = int(meta["schema_version"])
    if version >= SCHEMA_VERSION:
        return meta
    models = bound_models(database)
    with database.atomic():
        for model in CHAINED_MODELS:
            if version < model.SINCE:
                models[table_name(model)].create_table(safe=True)
        meta_model = models["meta"]
        meta_model.update(value=str(SCHEMA_VERSION)).where(
            meta_model.name == "schema_version"
        ).execute()
    return {**meta, "schema_version": str(SCHEMA_VERSION)}


def create_indexes(database: pw.Database) -> None:
    """Indexes left out by `create_schema(with_indexes=False)` (bulk loads build them last)."""
    for model in bound_models(database).values():
        model._schema.create_indexes(safe=True)
