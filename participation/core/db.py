"""Engine set-up for SQLite and PostgreSQL, and dialect-neutral upserts and locks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa
from flask import Flask, has_request_context, request
from sqlalchemy.dialects import postgresql, sqlite

from participation.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_reading = ContextVar("reading", default=False)


@contextmanager
def reading_only() -> Iterator[None]:
    """Mark the work inside as reading only, outside a request too (a long check from the
    command line): on SQLite its transactions do not take the write lock."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def configure_engine(app: Flask) -> None:
    """Turn on WAL, a busy timeout and foreign keys for SQLite; leave PostgreSQL as it is."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    timeout_ms = app.config["SQLITE_BUSY_TIMEOUT_MS"]

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (savepoints need it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        # A writing transaction takes the write lock up front, so two writers queue behind the
        # busy timeout instead of failing when one upgrades a stale read snapshot.
        writing = not _reading.get() and (
            not has_request_context() or request.method not in SAFE_METHODS)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def insert_for_dialect(table: Any) -> Any:
    """An INSERT that supports ON CONFLICT on the current engine."""
    module = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(table)


def lock_for_append(key: int) -> None:
    """Serialise writers of one chain: an advisory lock on PostgreSQL; SQLite writers already
    hold the database's write lock (BEGIN IMMEDIATE). Advisory locks belong to the whole
    database, so the lock also names the schema whose tables hold the chain: instances (or test
    runs) in other schemas of one database never wait for each other."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            sa.text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"),
            {"key": key},
        )


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Tell Alembic's comparison to leave out what migrations make by hand for one engine: the
    search index's FTS5 table (and its shadow tables) on SQLite, and its tsvector column and
    GIN index on PostgreSQL."""
    if type_ == "table" and name is not None and name.startswith("search_fts"):
        return False
    return name not in ("tsv", "ix_search_documents_tsv")
