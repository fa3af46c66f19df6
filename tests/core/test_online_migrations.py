"""Migrations that may run while the previous release is serving: on PostgreSQL, the index
migration builds and drops the index of every table that holds rows CONCURRENTLY (which
PostgreSQL allows only outside a transaction), so reads and writes to large tables go on; the
new log indexes exist before the ones they replace are dropped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa

from participation import create_app
from participation.accountability.services import record
from participation.comments.services import add_comment
from participation.core.models import utcnow
from participation.extensions import db as _db
from tests.conftest import TEST_SECRET, _database_url
from tests.factories import Factories


@pytest.fixture(autouse=True)
def db() -> Iterator[object]:
    """These tests migrate a database of their own, not the shared test database."""
    yield _db


@pytest.fixture
def at_0007(tmp_path: Path) -> Iterator[tuple[sa.Engine, list[str]]]:
    """An app's database migrated to 0007, and the index statements it runs from then on."""
    url, drop = _database_url(tmp_path)
    app = create_app({"ENV": "testing", "SECRET_KEY": TEST_SECRET, "DATABASE_URL": url})
    statements: list[str] = []
    with app.app_context():
        flask_migrate.upgrade(revision="0007")

        @sa.event.listens_for(_db.engine, "before_cursor_execute")
        def remember(_conn, _cursor, statement, _parameters, _context, _many):
            if re.match(r"\s*(CREATE|DROP) (UNIQUE )?INDEX", statement):
                statements.append(" ".join(statement.split()))

        yield _db.engine, statements
        _db.engine.dispose()
    drop()


def _index_names(engine: sa.Engine, table: str) -> set[str]:
    return {index["name"] for index in sa.inspect(engine).get_indexes(table)}


def test_the_index_migration_builds_new_log_indexes_before_dropping_the_old_ones(at_0007):
    engine, statements = at_0007
    flask_migrate.upgrade(revision="0008")

    assert {"ix_log_entries_by_subject", "ix_log_entries_by_verb"} <= _index_names(
        engine, "log_entries")
    assert not {"ix_log_entries_subject", "ix_log_entries_verb"} & _index_names(
        engine, "log_entries")
    assert {"ix_proposals_list_newest", "ix_proposals_list_supported",
            "ix_proposals_list_discussed"} <= _index_names(engine, "proposals")
    created = [i for i, s in enumerate(statements) if "ix_log_entries_by_" in s
               and s.startswith("CREATE")]
    dropped = [i for i, s in enumerate(statements) if re.search(r"ix_log_entries_(verb|subject)\b",
                                                                 s)]
    assert created and dropped and max(created) < min(dropped)


def _fill_the_indexed_tables() -> None:
    """A person, a proposal, a comment and a log entry: every table the migration indexes."""
    proposal = Factories().proposal()
    add_comment(proposal=proposal, author=proposal.author, body="Rows to index.", stance=None,
                now=utcnow())
    record(actor=proposal.author, verb="proposal.opened", subject_type="proposal",
           subject_id=proposal.id)
    _db.session.commit()


def test_indexes_of_tables_with_rows_are_built_and_dropped_concurrently_where_the_engine_can(
    at_0007,
):
    engine, statements = at_0007
    _fill_the_indexed_tables()
    flask_migrate.upgrade(revision="0008")
    flask_migrate.downgrade(revision="0007")
    flask_migrate.upgrade(revision="0008")

    index_statements = [s for s in statements if "ix_" in s]
    assert len(index_statements) >= 2 * (7 + 2)
    if engine.dialect.name == "postgresql":
        assert all(re.match(r"(CREATE|DROP) INDEX CONCURRENTLY ", s) for s in index_statements)
    else:  # SQLite has no such option: each index is one short write transaction
        assert not any("CONCURRENTLY" in s for s in index_statements)


def test_an_interrupted_concurrent_build_is_built_again(at_0007):
    """PostgreSQL leaves an invalid index behind when a concurrent build fails half way; the
    migration, run again, replaces it rather than stopping on its name."""
    engine, _statements = at_0007
    with engine.begin() as connection:  # what an interrupted run leaves: the name is taken
        connection.exec_driver_sql("CREATE INDEX ix_users_id_sector ON users (id)")
    flask_migrate.upgrade(revision="0008")

    columns = {index["name"]: index["column_names"]
               for index in sa.inspect(engine).get_indexes("users")}
    assert columns["ix_users_id_sector"] == ["id", "sector"]


def test_the_indexes_of_empty_tables_are_built_at_once(at_0007):
    """A concurrent build waits for every transaction open in the database, which a new,
    empty database does not need."""
    engine, statements = at_0007
    flask_migrate.upgrade(revision="0008")

    index_statements = [s for s in statements if "ix_" in s]
    assert len(index_statements) >= 7 + 2
    assert not any("CONCURRENTLY" in s for s in index_statements)
