"""Count the SQL statements a block of code sends, to keep pages at a fixed number of queries.

    forget_request_state()          # as a new request would start: empty session, empty g
    with count_queries() as queries:
        client.get("/proposals")
    assert len(queries) <= 8, queries.statements

The tests share one application context and one session, so objects loaded or expired by an
earlier request or by the test itself would otherwise make counts differ from production.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import g

from participation.extensions import db

# Transaction control is not a query of the page.
_IGNORED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT",
            "ROLLBACK", "PRAGMA")


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine: sa.Engine | None = None) -> Iterator[QueryLog]:
    """Record every statement sent to the engine (default: the app's) inside the block."""
    engine = engine or db.engine
    log = QueryLog()

    def before_cursor_execute(_conn, _cursor, statement, _params, _context, _executemany):
        if not statement.lstrip().upper().startswith(_IGNORED):
            log.statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield log
    finally:
        sa.event.remove(engine, "before_cursor_execute", before_cursor_execute)


def forget_request_state() -> None:
    """Empty the session's identity map and `g` (Flask-Login's user, cached seats), so the
    next request loads what a real request would. Keep ids, not objects, across this call."""
    db.session.expunge_all()
    for key in list(g):
        g.pop(key, None)
