"""Verify a million-entry accountability log: entries per second and peak memory (not a test).

    .venv/bin/python bench/verify_log.py [--entries 1000000] [--database-url URL] [--repeat 3]
                                         [--profile] [--skip-sqlite]

Builds `entries` valid chained log entries (varied verbs, subjects, actors, Thai and nested
data, corrections) with bulk inserts into a new SQLite file in a temporary folder and, with
--database-url (or PARTICIPATION_BENCH_DATABASE_URL) set to a PostgreSQL database, into a new
schema of that database, dropped at the end. The chain is computed with the project's own
canonical_payload() and chain_hash(), so the rows are exactly what record() would write.
Then it times verify_log() in this process (one process, then split across the cores) and
`flask --app participation verify-log` end to end in a new process (start-up included, and
shown alone), each `repeat` times, and prints the fastest run's entries per second, CPU
seconds (worker processes included) and the peak resident memory of the command's largest
process. With --profile it also prints where one process's CPU time goes (cProfile, by own
time). The seconds need the cores to themselves: while other work runs, Linux shares the
cores between sessions, and splitting the log gains nothing (the load and CPU pressure are
printed with each table); the CPU figures change much less.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import flask_migrate
import sqlalchemy as sa
from flask import Flask

from participation import create_app
from participation.accountability.models import GENESIS_HASH, LogEntry
from participation.accountability.services import (
    canonical_payload,
    chain_hash,
    stored_data,
    verify_log,
)
from participation.accounts.models import Sector, User
from participation.extensions import db

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from export import postgres_schema  # noqa: E402 - bench/export.py: a PostgreSQL schema of one's own

START = datetime(2024, 1, 1, tzinfo=UTC)
BATCH = 20_000
ACTORS = 500
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

PLACES = ["ลำปาง", "เมืองลำปาง", "แม่ทะ", "เกาะคา", "ห้างฉัตร", "แจ้ห่ม", "งาว", "เถิน",
          "Mae Moh", "Ko Kha"]
TOPICS = ["ลดการเผาในที่โล่ง", "จุดความร้อน", "ฝุ่น PM2.5", "หน้ากากอนามัยสำหรับเด็ก",
          "ห้องปลอดฝุ่นในโรงเรียน", "แนวกันไฟป่า", "Clean-air shelters", "Open burning ban",
          "รถรับซื้อเศษวัสดุการเกษตร", "เครื่องฟอกอากาศ \"ชุมชน\""]
COMPLETION = ["not_started", "limited", "substantial", "complete"]


def _title(rng: random.Random) -> str:
    return f"{rng.choice(TOPICS)} {rng.choice(PLACES)} #{rng.randrange(1, 5000)}"


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# (verb, subject type, weight, data maker): roughly the mix a working group's log has.
KINDS: list[tuple[str, str, int, Callable[[random.Random, datetime], dict[str, Any]]]] = [
    ("proposal.created", "proposal", 8, lambda r, t: {
        "group_id": r.randrange(1, 20), "category_id": r.randrange(1, 12),
        "sector": r.choice(list(Sector)).value}),
    ("proposal.opened", "proposal", 8, lambda r, t: {"from": "draft", "to": "open"}),
    ("proposal.edited", "proposal", 5, lambda r, t: {
        "revision": r.randrange(2, 9), "category_id": r.randrange(1, 12)}),
    ("proposal.under_consideration", "proposal", 3, lambda r, t: {
        "from": "open", "to": "under_consideration", "title": _title(r)}),
    ("proposal.answered", "proposal", 4, lambda r, t: {
        "due_on": (t + timedelta(days=30)).date().isoformat(), "answer": r.choice(
            ["accepted", "rejected", "referred", "merged"]), "late": r.random() < 0.1}),
    ("proposal.adopted", "proposal", 1, lambda r, t: {"from": "under_consideration",
                                                      "to": "adopted"}),
    ("ballot.opened", "ballot", 2, lambda r, t: {
        "quorum": r.randrange(5, 30), "closes_at": _iso(t + timedelta(days=7)),
        "options": ["yes", "no", "abstain"], "secret": False}),
    ("ballot.closed", "ballot", 2, lambda r, t: {
        "tally": {"yes": r.randrange(30), "no": r.randrange(15), "abstain": r.randrange(5)},
        "quorum_met": r.random() < 0.8}),
    ("decision.recorded", "decision", 1, lambda r, t: {
        "outcome": r.choice(["adopted", "rejected"]), "proposal_id": r.randrange(1, 5000)}),
    ("commitment.created", "commitment", 1, lambda r, t: {
        "title": _title(r), "lead_organisation_id": r.randrange(1, 40),
        "due_on": (t + timedelta(days=180)).date().isoformat()}),
    ("commitment.weights_set", "commitment", 1, lambda r, t: {"weights": {
        str(m): f"{w:.3f}" for m, w in zip(range(r.randrange(1, 900), 1000, 97),
                                           (0.25, 0.25, 0.5), strict=False)}}),
    ("progress.posted", "commitment", 4, lambda r, t: {
        "title": _title(r), "percent": r.randrange(0, 101),
        "completion": r.choice(COMPLETION), "note": None}),
    ("kpi.measurement_recorded", "kpi", 6, lambda r, t: {
        "value": round(r.uniform(5, 250), 1), "unit": "µg/m³", "station": f"{r.randrange(35, 45)}t",
        "measured_on": t.date().isoformat()}),
    ("meeting.attendance_recorded", "meeting", 1, lambda r, t: {
        "present": sorted(r.sample(range(1, ACTORS + 1), 8)), "absent": [r.randrange(1, ACTORS)],
        "quorum": {"needed": 7, "present": 8}}),
    ("minutes.published", "meeting", 1, lambda r, t: {
        "title": f"การประชุมครั้งที่ {r.randrange(1, 99)}/2568"}),
    ("moderation.hidden", "comment", 2, lambda r, t: {
        "reason": r.choice(["spam", "abuse", "personal_data"]), "reports": r.randrange(1, 6)}),
    ("data.imported", "data_import", 2, lambda r, t: {
        "source": "air4thai", "rows": r.randrange(100, 5000), "from": _iso(t - timedelta(days=1)),
        "to": _iso(t), "stations": ["37t", "38t", "39t"]}),
    ("seat.assigned", "seat", 1, lambda r, t: {"user_id": r.randrange(1, ACTORS),
                                               "sector": r.choice(list(Sector)).value}),
    ("group.edited", "group", 1, lambda r, t: {"changed": ["name_th", "description"]}),
]
WEIGHTS = [kind[2] for kind in KINDS]


def ensure_actors(count: int = ACTORS) -> list[int]:
    """Add `count` invented people to act in the log; return their ids."""
    now = START
    rows = [
        {"email": f"bench-actor-{uuid.uuid4().hex[:12]}@example.org", "password_hash": "!",
         "_display_name": f"Bench actor {n}", "sector": list(Sector)[n % len(Sector)],
         "created_at": now}
        for n in range(count)
    ]
    db.session.execute(sa.insert(User), rows)
    emails = [row["email"] for row in rows]
    return list(db.session.scalars(sa.select(User.id).where(User.email.in_(emails))))


def chained_entries(count: int, *, actor_ids: list[int], seed: int = 1,
                    start: datetime = START) -> Iterator[dict[str, Any]]:
    """Yield `count` log rows after the current head, each hashed as record() hashes it."""
    rng = random.Random(seed)
    last = db.session.execute(
        sa.select(LogEntry.id, LogEntry.hash, LogEntry.created_at)
        .order_by(LogEntry.id.desc()).limit(1)
    ).first()
    entry_id, prev_hash, moment = (last.id, last.hash, last.created_at) if last else \
        (0, GENESIS_HASH, start)
    for _ in range(count):
        entry_id += 1
        moment += timedelta(seconds=rng.randrange(1, 90), microseconds=rng.randrange(1_000_000))
        verb, subject_type, _weight, make_data = rng.choices(KINDS, weights=WEIGHTS)[0]
        corrects_id = None
        if entry_id > 10 and rng.random() < 0.005:
            verb, subject_type, corrects_id = "entry.corrected", "site", rng.randrange(1, entry_id)
            data: dict[str, Any] = {"reason": "แก้ไขตัวเลขที่บันทึกผิด", "field": "value"}
        else:
            data = make_data(rng, moment)
        row = {
            "id": entry_id,
            "created_at": moment,
            "actor_id": rng.choice(actor_ids) if rng.random() < 0.9 else None,
            "verb": verb,
            "subject_type": subject_type,
            "subject_id": rng.randrange(1, 200_000),
            "data": stored_data(data),  # as record() stores it
            "corrects_id": corrects_id,
            "prev_hash": prev_hash,
        }
        row["hash"] = prev_hash = chain_hash(prev_hash, canonical_payload(SimpleNamespace(**row)))
        yield row


def build_log(count: int, *, seed: int = 1, batch: int = BATCH) -> None:
    """Append `count` valid entries to the log with bulk inserts, committing each batch."""
    actor_ids = ensure_actors()
    pending: list[dict[str, Any]] = []
    for row in chained_entries(count, actor_ids=actor_ids, seed=seed):
        pending.append(row)
        if len(pending) == batch:
            db.session.execute(sa.insert(LogEntry.__table__), pending)
            db.session.commit()
            pending.clear()
    if pending:
        db.session.execute(sa.insert(LogEntry.__table__), pending)
    db.session.commit()


def settle(engine: sa.Engine) -> None:
    """Leave the database as a running instance keeps it: SQLite's write-ahead log folded
    into the file, PostgreSQL's new rows vacuumed (hint bits set) and analysed."""
    # Outside any transaction: on the driver's own connection, in autocommit.
    connection = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            connection.driver_connection.autocommit = True
        cursor = connection.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)" if engine.dialect.name == "sqlite"
                       else "VACUUM ANALYZE log_entries")
        cursor.close()
    finally:
        connection.invalidate()  # not back to the pool in autocommit


def build_app(url: str) -> Flask:
    app = create_app({"ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": "b" * 40})
    with app.app_context():
        flask_migrate.upgrade()
    return app


def machine_load() -> str:
    """The load average and, where Linux reports it, how often runnable work waited for a CPU
    over the last 10 seconds."""
    text = f"load average {os.getloadavg()[0]:.1f} on {CORES} cores"
    try:
        pressure = Path("/proc/pressure/cpu").read_text().split()[1].split("=")[1]
    except (OSError, IndexError):
        return text
    return f"{text}, CPU pressure {pressure}%"


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed_verify(app: Flask, entries: int, processes: int, repeat: int) -> str:
    """The fastest of `repeat` runs of verify_log() in this process (workers included)."""
    runs = []
    with app.app_context():
        for _ in range(repeat):
            wall = time.perf_counter()
            cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
            result = verify_log(processes=processes)
            wall = time.perf_counter() - wall
            cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
            db.session.rollback()
            assert result.ok and result.entries == entries, result
            runs.append((wall, cpu))
    wall, cpu = min(runs)
    return row(f"verify_log(processes={processes})", wall, entries, cpu, None)


def row(name: str, seconds: float, entries: int | None, cpu: float, peak: float | None) -> str:
    rate = f"{entries / seconds:,.0f}" if entries else "-"
    per_entry = f"{cpu / entries * 1e6:.2f}" if entries else "-"
    return (f"{name:30} {seconds:>8.2f} {rate:>10} {cpu:>7.2f} {per_entry:>12} "
            f"{'-' if peak is None else f'{peak:.0f}':>9}")


def run_cli(url: str, *args: str) -> tuple[float, float, float, int, str]:
    """Run `flask --app participation` in a new process: its seconds, CPU seconds (workers
    included), peak resident MiB of its largest process, exit code and output."""
    env = {**os.environ, "PARTICIPATION_DATABASE_URL": url, "PARTICIPATION_ENV": "production",
           "PARTICIPATION_SECRET_KEY": "b" * 40}
    flask = str(Path(sys.executable).with_name("flask"))
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen([flask, "--app", "participation", *args], env=env, cwd=ROOT,
                                   stdout=output, stderr=subprocess.STDOUT, text=True)
        # wait4 gives this one command's usage, its worker processes included.
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    return (seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
            process.returncode, text)


def timed_cli(url: str, entries: int, repeat: int) -> list[str]:
    """The command end to end (start-up, app, verification), and its start-up alone: the
    fastest of `repeat` runs each. The package is compiled first, as deploy/README.md installs
    it (with PYTHONDONTWRITEBYTECODE set, each start would compile it again)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "participation")],
                   check=True)
    runs, starts = [], []
    for _ in range(repeat):
        seconds, cpu, peak, code, text = run_cli(url, "verify-log")
        assert code == 0 and f"intact: {entries} entries" in text, text
        runs.append((seconds, cpu, peak))
        seconds, cpu, peak, code, text = run_cli(url, "verify-log", "--help")
        assert code == 0, text
        starts.append((seconds, cpu, peak))
    (seconds, cpu, peak), (start_seconds, start_cpu, start_peak) = min(runs), min(starts)
    return [row("flask verify-log (CLI)", seconds, entries, cpu, peak),
            row("  its start-up alone (--help)", start_seconds, None, start_cpu, start_peak)]


def profile(app: Flask, top: int = 18) -> None:
    with app.app_context():
        profiler = cProfile.Profile(time.process_time)  # CPU time: other load does not count
        profiler.enable()
        verify_log(processes=1)
        profiler.disable()
        db.session.rollback()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def run(label: str, url: str, entries: int, repeat: int, with_profile: bool) -> None:
    app = build_app(url)
    started = time.perf_counter()
    with app.app_context():
        build_log(entries)
        settle(db.engine)
        db.engine.dispose()
    print(f"\n{label}: built {entries:,} entries in {time.perf_counter() - started:.1f} s",
          flush=True)
    print(f"{'run':30} {'seconds':>8} {'entries/s':>10} {'CPU s':>7} {'CPU us/entry':>12} "
          f"{'peak MiB':>9}")
    for processes in sorted({1, CORES}):
        print(timed_verify(app, entries, processes, repeat), flush=True)
    for line in timed_cli(url, entries, repeat):
        print(line, flush=True)
    print(f"({machine_load()}: other work on the machine slows the seconds, much less the "
          "CPU figures)")
    if with_profile:
        profile(app)
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get(
        "PARTICIPATION_BENCH_DATABASE_URL", ""), help="a PostgreSQL database to use as well")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measurement; the fastest is shown")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"{CORES} cores, {machine_load()}; target: 200,000 entries/s")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            run("SQLite", f"sqlite:///{Path(folder) / 'log.db'}", args.entries, args.repeat,
                args.profile)
    if args.database_url:
        url, drop = postgres_schema(args.database_url)
        try:
            run("PostgreSQL", url, args.entries, args.repeat, args.profile)
        finally:
            drop()


if __name__ == "__main__":
    main()
