"""Export a million PM2.5 readings through the CSV and JSON downloads and the API; print rows
per second and peak memory at two sizes, to show memory does not grow with rows (not a test).

    .venv/bin/python bench/export.py [--small 100000] [--large 1000000] [--api-limit 500]

Loads `small` readings into a new SQLite file, exports them, adds readings up to `large` and
exports again. With PARTICIPATION_BENCH_DATABASE_URL=postgresql+psycopg://... it does the same
in a new schema of that database (dropped at the end). Each export runs twice through the
WSGI app in-process (the test client, streaming): once for speed, once under tracemalloc for
the peak of Python memory allocated while exporting. The RSS column is the growth of the
process's high-water mark during the export (0 when the export stays under an earlier peak).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
import sqlalchemy as sa
from flask import Flask

from participation import create_app
from participation.environment.models import Reading, Station
from participation.extensions import db

START = datetime(2000, 1, 1, tzinfo=UTC)
STATIONS = ("37t", "38t", "39t", "40t")
BATCH = 20_000


def build_app(url: str) -> Flask:
    app = create_app({"ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": "b" * 40,
                      "DEFAULT_LOCALE": "en"})
    with app.app_context():
        flask_migrate.upgrade()
    return app


def load_readings(app: Flask, upto: int) -> float:
    """Bulk-insert readings until there are `upto`; return the seconds it took."""
    started = time.perf_counter()
    with app.app_context():
        station_ids = []
        for code in STATIONS:
            station_id = db.session.scalar(sa.select(Station.id).where(Station.code == code))
            if station_id is None:
                station = Station(code=code, name_th=code, name_en=code)
                db.session.add(station)
                db.session.flush()
                station_id = station.id
            station_ids.append(station_id)
        have = db.session.scalar(sa.select(sa.func.count(Reading.id)))
        while have < upto:
            size = min(BATCH, upto - have)
            rows = [
                {
                    "station_id": station_ids[n % len(station_ids)],
                    "measured_at": START + timedelta(hours=n // len(station_ids)),
                    "pm25": round(5 + (n * 7919 % 900) / 10, 1),
                }
                for n in range(have, have + size)
            ]
            db.session.execute(sa.insert(Reading), rows)
            db.session.commit()
            have += size
    return time.perf_counter() - started


def export_csv(app: Flask) -> int:
    return _download(app, "/open-data/pm25-readings.csv", b"\n", header=1)


def export_json(app: Flask) -> int:
    return _download(app, "/open-data/pm25-readings.json", b"{\"id\":", header=0)


def _download(app: Flask, url: str, separator: bytes, header: int) -> int:
    """Stream a download and count its rows by separator, keeping no chunk."""
    client = app.test_client()
    response = client.get(url, buffered=False)
    assert response.status_code == 200, response.status_code
    rows = 0
    try:
        for chunk in response.response:
            rows += chunk.count(separator)
    finally:
        response.close()
    return rows - header


def export_api(app: Flask, limit: int) -> int:
    """Page through the API by its next links; return the rows read."""
    client = app.test_client()
    url: str | None = f"/api/v1/pm25-readings?limit={limit}"
    rows = 0
    while url:
        page = client.get(url).get_json()
        rows += len(page["data"])
        url = page["links"]["next"]
        if url:
            url = url.removeprefix("http://localhost")
    return rows


def max_rss_mb() -> float:
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, rows_expected: int, export: Callable[[], int]) -> None:
    started = time.perf_counter()
    rss_before = max_rss_mb()
    rows = export()
    seconds = time.perf_counter() - started
    rss_growth = max_rss_mb() - rss_before
    assert rows == rows_expected, (name, rows, rows_expected)
    tracemalloc.start()
    tracemalloc.reset_peak()
    export()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name:10} {rows:>10,} {seconds:>8.1f} {rows / seconds:>12,.0f} "
          f"{peak / 2**20:>14.1f} {rss_growth:>11.1f}", flush=True)


def run(label: str, url: str, sizes: list[int], api_limit: int) -> None:
    app = build_app(url)
    print(f"\n{label}")
    print(f"{'export':10} {'rows':>10} {'seconds':>8} {'rows/second':>12} "
          f"{'peak MiB (py)':>14} {'RSS +MiB':>11}")
    for size in sizes:
        seconds = load_readings(app, size)
        print(f"(loaded {size:,} readings in {seconds:.1f} s)", flush=True)
        measure("csv", size, lambda: export_csv(app))
        measure("json", size, lambda: export_json(app))
        measure("api", size, lambda: export_api(app, api_limit))
    with app.app_context():
        db.engine.dispose()


def postgres_schema(base: str) -> tuple[str, Callable[[], None]]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base else "?"

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

    return f"{base}{separator}options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--api-limit", type=int, default=500)
    args = parser.parse_args()
    sizes = [args.small, args.large]

    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{Path(folder) / 'export.db'}", sizes, args.api_limit)
    postgres = os.environ.get("PARTICIPATION_BENCH_DATABASE_URL")
    if postgres:
        url, drop = postgres_schema(postgres)
        try:
            run("PostgreSQL", url, sizes, args.api_limit)
        finally:
            drop()


if __name__ == "__main__":
    main()
