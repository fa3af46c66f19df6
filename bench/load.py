"""Requests per second, p50 and p99 per page under load, against a ceiling (not a test).

    .venv/bin/python bench/load.py [--engines sqlite,postgresql] [--scale 1.0] [--seconds 10]
        [--connections 16] [--postgresql-url URL] [--database-url URL] [--no-page-cache]
        [--no-profile]

For each engine it loads a province-scale instance with bench/generate.py into a new database
(SQLite: a file in a temporary folder; PostgreSQL: the database `bench_load` on the local
server, dropped at the end) and prints how long each part took. It then serves bench/wsgi.py
with gunicorn and deploy/gunicorn.conf.py (production settings, and the workers and threads
written there) on a free port of 127.0.0.1, and loads the ceiling (a route returning a
constant string, served the same way) and each page of bench/generate.py's `pages(scale)` with
`wrk` for a fixed time at a fixed concurrency, each just after a warm-up. As wrk sends no
cookie, pages are answered from the application's copies (participation/core/pagecache.py)
renewed as they age; --no-page-cache measures every request rendering its page. Per page it prints requests
per second, p50 and p99 latency, the share of the ceiling's requests per second and the size of
an answer; then the workers' memory at the end of the run (RSS, which counts the pages they
share with the preloaded master, and PSS, which counts a share of them) and the largest RSS
seen while it ran; each figure marked against the issue's targets. It also says how much of
the machine's CPU other processes took meanwhile: the figures hold on a quiet machine only.
A page that misses a target is then profiled in-process with pyinstrument, when installed.

With --database-url it measures that database as it is (already generated; nothing is loaded
or dropped). PostgreSQL out of reach is reported, and the run goes on without it.

wrk sends no If-None-Match or If-Modified-Since, so every answer is a full 200 page: the
public pages' ETags (participation/core/caching.py) never turn a measured request into a 304.
The size column shows it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate, pages  # noqa: E402 - bench/generate.py, next to this file

CEILING_PATH = "/bench/ceiling"  # bench/wsgi.py
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_load"

# The targets on a 2-core machine.
MIN_SHARE_OF_CEILING = 0.25
MAX_P99_MS = 100.0
MAX_WORKER_MB = 150.0

# wrk calls done() once at the end: print the exact figures as one JSON line (latencies in
# microseconds), instead of reading them back from its rounded text.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, '
    .. '"max_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass
class Figures:
    """One page's figures under load."""

    name: str
    path: str
    per_second: float
    p50_ms: float
    p99_ms: float
    response_bytes: float
    errors: int
    others: float = 0.0  # share of the machine's CPU other processes took meanwhile


@dataclass
class Watch:
    """Samples, while the server runs, its workers' resident memory and how much of the
    machine's CPU went to other processes (the figures mean little on a busy machine)."""

    master: int
    database: str | None = None  # PostgreSQL: its backends serve the pages, they are ours too
    peak_mb: dict[int, float] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)
    counting: bool = False
    ours: float = 0.0  # CPU ticks of the server, wrk and this process while counting
    seen: dict[int, int] = field(default_factory=dict)
    machine_at_start: tuple[int, int] = (0, 0)
    finished_at_start: float = 0.0
    others_share: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, every: float = 0.2) -> None:
        while not self.stop.wait(every):
            self.sample()

    def sample(self) -> None:
        with self.lock:
            self._sample()

    def _sample(self) -> None:
        workers = workers_of(self.master)
        for pid in workers:
            rss = resident_mb(pid)
            if rss is not None:
                self.peak_mb[pid] = max(self.peak_mb.get(pid, 0.0), rss)
        # wrk is counted when it has finished (finished_children_ticks).
        backends = backends_of(self.database) if self.database else []
        for pid in {os.getpid(), self.master, *workers, *backends}:
            ticks = cpu_ticks(pid)
            if ticks is None:
                continue
            if self.counting:
                # A process first seen now was born since the last sample: all its ticks count.
                self.ours += ticks - self.seen.get(pid, 0)
            self.seen[pid] = ticks

    def begin(self) -> None:
        with self.lock:
            self._sample()
            self.ours = 0.0
            self.machine_at_start = machine_ticks()
            self.finished_at_start = finished_children_ticks()
            self.counting = True

    def end(self) -> None:
        with self.lock:
            self._sample()
            self.counting = False
            self.ours += finished_children_ticks() - self.finished_at_start
            busy, total = machine_ticks()
            busy -= self.machine_at_start[0]
            total -= self.machine_at_start[1]
            self.others_share = max(0.0, (busy - self.ours) / total) if total else 0.0


def machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the machine so far, all cores (/proc/stat)."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return sum(ticks) - idle, sum(ticks)


def backends_of(database: str) -> list[int]:
    """The PostgreSQL server processes connected to this database (on this machine)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        # A backend names itself "postgres: <version>/<cluster>: <user> <database> <client> ...".
        if command.startswith(b"postgres: ") and f" {database} ".encode() in command:
            found.append(int(entry.name))
    return found


def finished_children_ticks() -> float:
    """CPU ticks of this process's children that have finished: the wrk runs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int | None:
    """User and system CPU ticks of one process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql (default: both)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=int, default=10, help="wrk's duration per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk per page first")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--postgresql-url", default=POSTGRESQL_URL,
                        help="the PostgreSQL database to create, load and drop")
    parser.add_argument("--database-url", help="measure this generated database as it is")
    parser.add_argument("--config", type=Path, default=GUNICORN_CONF,
                        help="gunicorn's settings (default: deploy/gunicorn.conf.py)")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="serve without the application's copies of visitors' pages: "
                             "every request renders its page")
    parser.add_argument("--no-profile", action="store_true",
                        help="do not profile the pages that miss a target")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (make bench installs it)")
    settings = runpy.run_path(str(args.config))
    print(f"gunicorn -c {args.config}: {settings['workers']} workers x "
          f"{settings['threads']} threads ({settings['worker_class']}), preload "
          f"{settings.get('preload_app', False)}, max_requests {settings.get('max_requests', 0)}"
          f"; wrk -t{args.threads} -c{args.connections} -d{args.seconds}s per page, "
          f"{args.warmup}s warm-up per page; the application's copies of visitors' pages "
          + ("off" if args.no_page_cache else "on (participation/core/pagecache.py)"))

    if args.database_url:
        run_engine(args, engine_name(args.database_url), args.database_url)
        return
    for engine in [name.strip() for name in args.engines.split(",") if name.strip()]:
        if engine == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="ruam-load-"))
            try:
                url = f"sqlite:///{folder / 'load.db'}"
                load(url, args.scale)
                run_engine(args, "SQLite", url)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        elif engine == "postgresql":
            url = args.postgresql_url
            try:
                recreate_database(url)
            except sa.exc.OperationalError as error:
                print(f"\nPostgreSQL at {safe_url(url)} is not reachable, so it is not "
                      f"measured: {str(error.orig).strip().splitlines()[0]}")
                continue
            try:
                load(url, args.scale)
                run_engine(args, "PostgreSQL", url)
            finally:
                drop_database(url)
        else:
            sys.exit(f"unknown engine {engine!r}: sqlite or postgresql")


def engine_name(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def safe_url(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def recreate_database(url: str) -> None:
    """Create the database of `url` afresh."""
    drop_database(url, create=True)


def drop_database(url: str, *, create: bool = False) -> None:
    """Drop the database of `url` (and create it again), through the server's `postgres`."""
    target = sa.engine.make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
            if create:
                connection.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    finally:
        server.dispose()


def load(url: str, scale: float) -> None:
    """Fill the new database with bench/generate.py and print how long each part took."""
    print(f"\nLoading scale {scale:g} into {safe_url(url)}")
    started = time.perf_counter()
    seconds = generate(url, scale=scale, seed=1)
    seconds.setdefault("total", time.perf_counter() - started)
    for part, spent in seconds.items():
        print(f"  {part:36} {spent:8.1f} s")
    if url.startswith("postgresql"):
        settle(url)


def settle(url: str) -> None:
    """VACUUM a new PostgreSQL database, as autovacuum does within a minute of a bulk insert:
    until then its visibility map is empty and every index-only scan also reads the table (the
    API list's sector tallies took 480 ms instead of 60)."""
    started = time.perf_counter()
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    finally:
        engine.dispose()
    print(f"  {'vacuum (as autovacuum would)':36} {time.perf_counter() - started:8.1f} s")


def run_engine(args: argparse.Namespace, engine: str, url: str) -> None:
    """Serve the database with gunicorn, load each page with wrk, print the table."""
    folder = Path(tempfile.mkdtemp(prefix="ruam-serve-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = dict(os.environ)
    environment.update(
        PARTICIPATION_ENV="production",
        PARTICIPATION_SECRET_KEY=secrets.token_hex(32),
        PARTICIPATION_DATABASE_URL=url,
        PARTICIPATION_SIGNING_KEY_FILE=str(folder / "signing-key.pem"),
    )
    if args.no_page_cache:
        environment["PARTICIPATION_PAGE_CACHE_SECONDS"] = "0"
    log = (folder / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(args.config),
         "--bind", f"127.0.0.1:{port}", "bench.wsgi:app"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    script = folder / "figures.lua"
    script.write_text(WRK_SCRIPT)
    database = sa.engine.make_url(url).database if url.startswith("postgresql") else None
    watch = Watch(master=server.pid, database=database)
    watcher = threading.Thread(target=watch.run, daemon=True)
    results: list[Figures] = []
    try:
        wait_until_serving(base, server, folder / "gunicorn.log")
        addresses = [("ceiling", CEILING_PATH), *pages(args.scale)]
        for _name, path in addresses:
            check_page(base, path)
        watcher.start()
        # The ceiling first and again last: the pages are held to the better of the two. Each
        # page is warmed up just before it is measured, so that it is measured as it is served
        # while readers keep coming (the workers' copies of it renewed as they age), not as
        # the first burst after a minute without any reader.
        for name, path in [*addresses, ("ceiling, again", CEILING_PATH)]:
            wrk(base + path, script, args.threads, args.connections, args.warmup)
            watch.begin()
            figures = measure(name, path, base, script, args)
            watch.end()
            figures.others = watch.others_share
            results.append(figures)
        at_end = {pid: (resident_mb(pid), proportional_mb(pid)) for pid in workers_of(server.pid)}
        watch.stop.set()
        stop(server)
        print_table(engine, results, at_end, watch, args)
        ceiling = best_ceiling(results)
        misses = [figures for figures in results
                  if figures.path != CEILING_PATH and misses_target(figures, ceiling)]
        if misses and not args.no_profile:
            profile(url, folder, [(figures.name, figures.path) for figures in misses])
    finally:
        watch.stop.set()
        stop(server)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + CEILING_PATH, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within 2 minutes:\n{log.read_text()[-3000:]}")


def check_page(base: str, path: str) -> None:
    """Refuse to measure a page that is not a visitor's full 200 answer."""
    request = urllib.request.Request(base + path)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status = response.status
            final = response.url
    except urllib.error.HTTPError as error:
        status, final = error.code, base + path
    if status != 200 or final != base + path:
        sys.exit(f"{path} answered {status} (at {final}): fix PAGES or the data first")


def wrk(url: str, script: Path, threads: int, connections: int, seconds: int) -> dict[str, Any]:
    completed = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
         "--timeout", "10s", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    )
    match = re.search(r"^RESULT (\{.*\})$", completed.stdout, re.MULTILINE)
    if match is None:
        sys.exit(f"wrk printed no figures for {url}:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(match.group(1))


def measure(name: str, path: str, base: str, script: Path, args: argparse.Namespace) -> Figures:
    raw = wrk(base + path, script, args.threads, args.connections, args.seconds)
    requests = max(raw["requests"], 1)
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    # No answer within the run: slower than the run itself.
    never = math.inf if raw["requests"] == 0 else None
    return Figures(
        name=name,
        path=path,
        per_second=raw["requests"] / (raw["duration_us"] / 1e6),
        p50_ms=never or raw["p50_us"] / 1000,
        p99_ms=never or raw["p99_us"] / 1000,
        response_bytes=raw["bytes"] / requests,
        errors=errors,
    )


def children_of(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def workers_of(master: int) -> list[int]:
    """The master's child processes: its workers."""
    return children_of(master)


def resident_mb(pid: int, source: str = "status", name: str = "VmRSS") -> float | None:
    """VmRSS of a process in MB: its pages in memory, those it shares with the preloaded
    master and the other workers included."""
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def proportional_mb(pid: int) -> float | None:
    """Pss of a process in MB: its own pages, plus its share of the pages it shares."""
    return resident_mb(pid, "smaps_rollup", "Pss")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def best_ceiling(results: list[Figures]) -> Figures:
    return max((figures for figures in results if figures.path == CEILING_PATH),
               key=lambda figures: figures.per_second)


def misses_target(figures: Figures, ceiling: Figures) -> bool:
    return (figures.per_second < MIN_SHARE_OF_CEILING * ceiling.per_second
            or figures.p99_ms >= MAX_P99_MS or figures.errors > 0)


def mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def print_table(engine: str, results: list[Figures],
                at_end: dict[int, tuple[float | None, float | None]],
                watch: Watch, args: argparse.Namespace) -> None:
    ceiling = best_ceiling(results)
    print(f"\n{engine}: wrk -t{args.threads} -c{args.connections} -d{args.seconds}s per page; "
          f"targets: >= {MIN_SHARE_OF_CEILING:.0%} of the ceiling's requests/s (the better of "
          f"its two runs), p99 < {MAX_P99_MS:.0f} ms, workers < {MAX_WORKER_MB:.0f} MB; "
          f"'others': the machine's CPU other processes took meanwhile")
    print(f"{'page':28} {'path':26} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>12} "
          f"{'of ceiling':>12} {'kB/resp':>8} {'errors':>6} {'others':>6}")
    for figures in results:
        share = figures.per_second / max(ceiling.per_second, 1e-9)
        is_ceiling = figures.path == CEILING_PATH
        share_mark = "" if is_ceiling else mark(share >= MIN_SHARE_OF_CEILING)
        p99_mark = "" if is_ceiling else mark(figures.p99_ms < MAX_P99_MS)
        path = unquote(figures.path)
        print(f"{figures.name[:28]:28} {path[:26]:26} {figures.per_second:7.0f} "
              f"{figures.p50_ms:7.1f} {figures.p99_ms:7.1f} {p99_mark:>4} "
              f"{share:7.0%} {share_mark:>4} {figures.response_bytes / 1024:8.1f} "
              f"{figures.errors:6d} {figures.others:6.0%}")
    sizes = [(rss, pss) for rss, pss in at_end.values() if rss is not None and pss is not None]
    if sizes:
        largest = max(rss for rss, _pss in sizes)
        listed = ", ".join(f"{rss:.0f} ({pss:.0f})" for rss, pss in sizes)
        print(f"worker memory at the end, RSS (PSS): {listed} MB; largest RSS {largest:.0f} MB "
              f"{mark(largest < MAX_WORKER_MB)}")
    if watch.peak_mb:
        most = max(watch.peak_mb.values())
        print(f"largest worker RSS seen during the run ({len(watch.peak_mb)} workers, recycled "
              f"ones included): {most:.0f} MB {mark(most < MAX_WORKER_MB)}")
    others = max(figures.others for figures in results)
    if others >= 0.05:
        print(f"other processes took up to {others:.0%} of the machine's CPU ({os.cpu_count()} "
              f"cores) while pages were measured: those figures are low, measure again on a "
              f"quiet machine")


@dataclass
class Statements:
    """SQL statements run, and the time spent waiting for them, since the last clear()."""

    count: int = 0
    seconds: float = 0.0
    started: list[float] = field(default_factory=list)

    def before(self, *_args: Any) -> None:
        self.started.append(time.perf_counter())

    def after(self, *_args: Any) -> None:
        self.count += 1
        self.seconds += time.perf_counter() - self.started.pop()

    def clear(self) -> None:
        self.count, self.seconds = 0, 0.0


def profile(url: str, folder: Path, addresses: list[tuple[str, str]], requests: int = 5) -> None:
    """Print where a render's time goes, in this process, for each page that missed: wall
    and CPU time per request, the time spent executing SQL statements (on SQLite, rows are
    mostly read afterwards, while fetched), and pyinstrument's call tree (the calls that took
    4% of the time or more)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("\n(pyinstrument is not installed: pip install -e '.[dev]' to profile the misses)")
        return
    from participation import create_app
    from participation.extensions import db

    # Without the application's copies of pages, which would answer every request here: the
    # profile shows the render, what a copy saves and what a changing page costs.
    app = create_app({"ENV": "production", "SECRET_KEY": secrets.token_hex(32),
                      "DATABASE_URL": url, "SIGNING_KEY_FILE": str(folder / "signing-key.pem"),
                      "PAGE_CACHE_SECONDS": 0})
    statements = Statements()
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", statements.before)
        sa.event.listen(db.engine, "after_cursor_execute", statements.after)
    client = app.test_client()
    for name, path in addresses:
        for _ in range(3):
            client.get(path)
        statements.clear()
        profiler = Profiler(interval=0.0005)
        started, cpu = time.perf_counter(), time.process_time()
        with profiler:
            for _ in range(requests):
                client.get(path)
        spent = (time.perf_counter() - started) / requests * 1000
        cpu_spent = (time.process_time() - cpu) / requests * 1000
        print(f"\nProfile of {name} ({unquote(path)}), {requests} requests in-process: "
              f"{spent:.1f} ms each ({cpu_spent:.1f} ms of CPU), of which executing "
              f"{statements.count // requests} SQL statements "
              f"{statements.seconds / requests * 1000:.1f} ms")
        print(profiler.output_text(unicode=True, color=False, time="percent_of_total",
                                   processor_options={"filter_threshold": 0.04}))


if __name__ == "__main__":
    main()
