"""Count the SQL statements a block of code sends, to keep pages at a fixed number of queries.

    forget_loaded_rows()            # as a new request's session would start: empty
    with count_queries() as queries:
        client.get("/proposals")
    assert len(queries) <= 8, queries.statements

or, for one page that must answer 200, `count, text = page_queries(client, "/proposals")`.

The tests share one session across requests, so rows loaded by an earlier request or by the
test itself would otherwise spare the page queries it runs in production. (`g` needs no such
care: the test client empties it at the start of every request.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask.testing import FlaskClient

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


def forget_loaded_rows() -> None:
    """Empty the session's identity map, so the next request loads what a real request would.
    Keep ids, not objects, across this call."""
    db.session.expunge_all()


def page_queries(client: FlaskClient, url: str) -> tuple[int, str]:
    """Load a page as a new request would, with no row loaded yet; return how many queries it
    ran and its text. It must answer 200."""
    forget_loaded_rows()
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.text
