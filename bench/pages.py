"""Queries and server time per main page on the demo instance (not part of `make test`).

    .venv/bin/python bench/pages.py [--requests 50] [--database-url URL]

Loads the demo into a new SQLite file (or the given empty database), then requests each page
through the WSGI app as a visitor and prints the SQL statements it ran and its median and p95
time. The app runs in-process, so the times leave out the HTTP server.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from participation import create_app
from participation.core.models import utcnow
from participation.demo.services import seed_demo
from participation.extensions import db

PAGES = [
    "/", "/proposals", "/proposals?sort=supported&page=2", "/proposals/1", "/proposals/8",
    "/decisions", "/decisions/1", "/decisions/2", "/commitments", "/commitments/1", "/volunteer",
    "/tasks/1", "/log", "/log/checkpoints", "/about/keys", "/groups/1",
    "/groups/1/responsiveness", "/log/head.json", "/meetings", "/meetings/1",
    "/meetings/1/minutes", "/feeds/meetings.ics", "/search?q=%E0%B8%9B%E0%B9%88%E0%B8%B2",
]
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    app = create_app({"ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": "b" * 40,
                      "SIGNING_KEY_FILE": str(folder / "signing-key.pem")})
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo(now=utcnow())
        db.session.commit()
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args) -> None:
            if not statement.lstrip().upper().startswith(TRANSACTION):
                statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        client = app.test_client()
        print(f"{'page':40} {'status':>6} {'queries':>7} {'median ms':>9} {'p95 ms':>7}")
        for page in PAGES:
            timings = []
            for _ in range(args.requests):
                statements.clear()
                started = time.perf_counter()
                response = client.get(page, headers={"Accept-Language": "th"})
                timings.append((time.perf_counter() - started) * 1000)
            p95 = statistics.quantiles(timings, n=20)[-1]
            print(f"{page:40} {response.status_code:>6} {len(statements):>7} "
                  f"{statistics.median(timings):>9.1f} {p95:>7.1f}")


if __name__ == "__main__":
    main()
