"""A real Ruam server for browser tests: gunicorn on 127.0.0.1 with a database of its own."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# The servers' key, new for each test run: the tests sign an e-mail's unsubscribe link with it,
# as the site does when it writes the e-mail.
SECRET_KEY = secrets.token_hex(32)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _database(tmp: Path, postgres_url: str) -> Iterator[str]:
    """A new SQLite file, or a new PostgreSQL database beside the test database."""
    if not postgres_url:
        yield f"sqlite:///{tmp / 'browser.db'}"
        return
    name = f"ruam_browser_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /healthz within 30 s:\n{log.read_text()}")


@dataclass(frozen=True)
class RunningServer:
    url: str
    database_url: str  # for a journey that lets time pass where waiting would be too slow


@contextmanager
def running_server(tmp: Path, postgres_url: str = "") -> Iterator[RunningServer]:
    """Migrate, load the demo, serve it with production settings; yield where."""
    with _database(tmp, postgres_url) as database_url:
        env = {
            **os.environ,
            "PARTICIPATION_ENV": "production",
            "PARTICIPATION_SECRET_KEY": SECRET_KEY,
            "PARTICIPATION_DATABASE_URL": database_url,
            # Plain HTTP on loopback: the browser would not send Secure cookies back.
            "PARTICIPATION_SESSION_COOKIE_SECURE": "false",
            # The limits stay on, but the journeys' demo people propose and comment more in a
            # few minutes than anyone should in an hour.
            "PARTICIPATION_RATELIMIT_PROPOSAL": "100/hour",
            "PARTICIPATION_RATELIMIT_COMMENT": "100/minute",
            # The key that signs the log's checkpoints: the server's own, never the checkout's.
            "PARTICIPATION_SIGNING_KEY_FILE": str(tmp / "signing-key.pem"),
        }
        flask = [str(BIN / "flask"), "--app", "participation"]
        for command in (["db", "upgrade"], ["seed-demo", "--if-empty"]):
            done = subprocess.run(flask + command, env=env, cwd=ROOT, capture_output=True,
                                  text=True)
            if done.returncode:
                raise RuntimeError(f"flask {' '.join(command)} failed:\n{done.stderr}")
        url = f"http://127.0.0.1:{_free_port()}"
        log = tmp / "server.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [str(BIN / "gunicorn"), "--bind", url.removeprefix("http://"),
                 "--workers", "2", "--threads", "4", "--access-logfile", "-",
                 "participation:create_app()"],
                env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_healthy(url, process, log)
            yield RunningServer(url, database_url)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
