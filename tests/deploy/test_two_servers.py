"""Two app servers, one database, one Redis: what deploy/README.md promises of several servers.

Two gunicorn processes run with deploy/gunicorn.conf.py and production settings on two ports,
against one database (a SQLite file in the SQLite pass, a PostgreSQL schema in the PostgreSQL
pass) and one Redis. A browser here is a cookie jar: its cookies go to both servers, as a
browser's go to whichever server the load balancer picks. Each browser comes from a network
address of its own, passed in X-Forwarded-For as nginx does (PARTICIPATION_PROXY_COUNT=1).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from participation.extensions import db
from tests.accounts.test_rate_limits import GENERIC, LOCKED
from tests.browser.server import BIN, ROOT, _free_port, _wait_until_healthy
from tests.conftest import build_app
from tests.factories import PASSWORD, Factories

# A Redis database of this test's own; it deletes the keys it made.
REDIS_URI = "redis://127.0.0.1:6379/14"
KANYA = "kanya@example.org"
SOMCHAI = "somchai@example.org"
WRONG = "not the right password"
PER_ADDRESS = 6  # log-in attempts per network address and hour, on both servers together
# People whose password is guessed once each, so that no back-off per e-mail address counts.
GUESSED = [f"guessed{n}@example.org" for n in range(PER_ADDRESS + 5)]


@dataclass(frozen=True)
class Page:
    status: int
    headers: dict[str, str]
    text: str


class Browser:
    """One person's browser, from one network address, following no redirect."""

    def __init__(self) -> None:
        # An IPv6 documentation address, new for each browser (and each run).
        self.address = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )
        self.token = ""

    def open(self, url: str, form: dict[str, str] | None = None, host: str | None = None) -> Page:
        """`host`: the Host header a load balancer passes on (the site's public name)."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"X-Forwarded-For": self.address, **({"Host": host} if host else {})}
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with self._opener.open(request, timeout=20) as response:
                return Page(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx, 5xx
            return Page(answer.code, dict(answer.headers), answer.read().decode())

    def read_form_token(self, url: str) -> str:
        """Open a page with a form and keep its CSRF token (valid for this browser's session)."""
        page = self.open(url)
        assert page.status == 200, page.status
        self.token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                               page.text).group(1)
        return self.token

    def post(self, url: str, **fields: str) -> Page:
        return self.open(url, {"csrf_token": self.token, **fields})

    def log_in(self, server: str, email: str, password: str = WRONG) -> Page:
        """Send the log-in form to a server; the form is read from it first if none was."""
        if not self.token:
            self.read_form_token(f"{server}/login")
        return self.post(f"{server}/login", email=email, password=password)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass(frozen=True)
class Servers:
    a: str
    b: str
    access_logs: tuple[Path, Path]
    proposal: str  # the page of a proposal by Kanya
    page_cache_prefix: str


def _start_gunicorn(tmp: Path, name: str, env: dict[str, str]) -> tuple[str, subprocess.Popen]:
    """An app server as deployed (deploy/gunicorn.conf.py), one worker, on a free port."""
    url = f"http://127.0.0.1:{_free_port()}"
    with (tmp / f"{name}-access.log").open("wb") as out, \
            (tmp / f"{name}-error.log").open("wb") as err:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--bind", url.removeprefix("http://"), "--workers", "1", "--threads", "2"],
            env=env, cwd=ROOT, stdout=out, stderr=err,
        )
    return url, process


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:  # all at once: each takes a few seconds to wind down
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    tmp = tmp_path_factory.mktemp("two-servers")
    setup, drop_database = build_app(tmp)  # migrated: a SQLite file, or a PostgreSQL schema
    env = {
        **os.environ,
        "PARTICIPATION_ENV": "production",
        # One key for both: it signs the sessions and keys the counters' hashes. New each run,
        # so no counter of an earlier run can count here.
        "PARTICIPATION_SECRET_KEY": secrets.token_hex(32),
        "PARTICIPATION_DATABASE_URL": setup.config["DATABASE_URL"],
        "PARTICIPATION_RATELIMIT_ENABLED": "true",
        "PARTICIPATION_RATELIMIT_STORAGE_URI": REDIS_URI,
        "PARTICIPATION_RATELIMIT_LOGIN_PER_ADDRESS": f"{PER_ADDRESS}/hour",
        "PARTICIPATION_PROXY_COUNT": "1",
        # Plain HTTP on loopback: a Secure cookie would not come back.
        "PARTICIPATION_SESSION_COOKIE_SECURE": "false",
        "PARTICIPATION_DEFAULT_LOCALE": "en",
        "PARTICIPATION_SIGNING_KEY_FILE": str(tmp / "signing-key.pem"),
        # Visitors' pages kept once for both servers (participation/core/pagecache.py).
        "PARTICIPATION_PAGE_CACHE_URL": REDIS_URI,
        "PARTICIPATION_PAGE_CACHE_KEY_PREFIX": f"two-servers-{secrets.token_hex(4)}:",
    }
    store = redis.Redis.from_url(REDIS_URI)
    before = set(store.keys("*"))
    started: list[tuple[str, subprocess.Popen]] = []
    try:
        with setup.app_context():
            make = Factories()
            kanya = make.user(email=KANYA, display_name="Kanya")
            make.user(email=SOMCHAI, display_name="Somchai")
            for email in GUESSED:
                make.user(email=email)
            proposal = make.proposal(author=kanya, title="Shared burn calendar")
            db.session.commit()
            proposal_page = f"/proposals/{proposal.id}"
        started += [_start_gunicorn(tmp, name, env) for name in ("a", "b")]
        for (url, process), name in zip(started, ("a", "b"), strict=True):
            _wait_until_healthy(url, process, tmp / f"{name}-error.log")
        yield Servers(started[0][0], started[1][0], (tmp / "a-access.log", tmp / "b-access.log"),
                      proposal_page, env["PARTICIPATION_PAGE_CACHE_KEY_PREFIX"])
    finally:
        _stop([process for _, process in started])
        for key in set(store.keys("*")) - before:
            store.delete(key)
        store.close()
        drop_database()


def _access_log_lines(servers: Servers, *expected: str) -> str:
    """Both servers' access lines, once those expected are written (just after the answer)."""
    deadline = time.monotonic() + 5
    while True:
        lines = "".join(log.read_text() for log in servers.access_logs)
        if all(line in lines for line in expected) or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


# Rate limits.


def test_log_in_attempts_from_one_address_are_counted_across_both_servers(servers):
    browser = Browser()

    attempts = [browser.log_in([servers.a, servers.b][n % 2], GUESSED[n])
                for n in range(PER_ADDRESS)]
    on_a = browser.log_in(servers.a, GUESSED[PER_ADDRESS])
    on_b = browser.log_in(servers.b, GUESSED[PER_ADDRESS + 1])

    assert [page.status for page in attempts] == [200] * PER_ADDRESS
    assert all(GENERIC in page.text for page in attempts)
    assert (on_a.status, on_b.status) == (429, 429)
    assert "Too many attempts" in on_b.text and int(on_b.headers["Retry-After"]) > 60
    # The limit is the address's, not everyone's: another address may still try on both.
    elsewhere = Browser()
    assert elsewhere.log_in(servers.a, GUESSED[PER_ADDRESS + 2]).status == 200
    assert elsewhere.log_in(servers.b, GUESSED[PER_ADDRESS + 3]).status == 200


def test_failed_log_ins_on_one_server_make_the_other_wait(servers):
    browser = Browser()

    failures = [browser.log_in(server, SOMCHAI)
                for server in [servers.a, servers.b, servers.a, servers.b, servers.a]]
    locked = browser.log_in(servers.b, SOMCHAI, PASSWORD)

    assert [page.status for page in failures] == [200] * 5
    assert all(GENERIC in page.text for page in failures)
    assert locked.status == 429 and locked.headers["Retry-After"] == "1"
    assert LOCKED in locked.text
    time.sleep(1.1)
    # (From another device: this address has used its attempts for the hour.)
    assert Browser().log_in(servers.a, SOMCHAI, PASSWORD).status == 302


# Sessions.


def test_a_session_begun_on_one_server_is_signed_in_on_the_other(servers):
    browser = Browser()

    # The form comes from server B and is sent to server A: its CSRF token holds on both.
    browser.read_form_token(f"{servers.b}/login")
    logged_in = browser.log_in(servers.a, KANYA, PASSWORD)
    on_b = browser.open(f"{servers.b}/account")

    assert logged_in.status == 302
    assert on_b.status == 200 and KANYA in on_b.text
    stranger = Browser().open(f"{servers.b}/account")
    assert stranger.status == 302 and "/login" in stranger.headers["Location"]


def test_logging_out_every_other_device_ends_the_session_on_both_servers(servers):
    laptop, phone = Browser(), Browser()
    assert laptop.log_in(servers.a, KANYA, PASSWORD).status == 302
    assert phone.log_in(servers.b, KANYA, PASSWORD).status == 302
    assert {laptop.open(f"{server}/account").status for server in (servers.a, servers.b)} == {200}

    # On the phone: the account page from server B, the button's request to server A.
    phone.read_form_token(f"{servers.b}/account")
    ended = phone.post(f"{servers.a}/account/sessions/end")

    assert ended.status == 302
    for server in (servers.a, servers.b):
        laptop_page = laptop.open(f"{server}/account")
        assert laptop_page.status == 302 and "/login" in laptop_page.headers["Location"]
        assert phone.open(f"{server}/account").status == 200  # this device goes on


# Visitors' pages.


def test_a_visitors_page_is_kept_once_for_both_and_a_change_on_either_ends_the_copy(servers):
    store = redis.Redis.from_url(REDIS_URI)
    site = "ruam.example"  # as behind the load balancer: one public name for both servers
    first = Browser().open(f"{servers.a}{servers.proposal}", host=site)
    from_b = Browser().open(f"{servers.b}{servers.proposal}", host=site)
    kept = [key.decode() for key in store.scan_iter(f"{servers.page_cache_prefix}*")
            if not key.endswith(b"generation")]

    assert first.status == from_b.status == 200 and "Kanya" in first.text
    assert from_b.text == first.text and from_b.headers["ETag"] == first.headers["ETag"]
    # One copy, made by the first server, answered by the second.
    assert kept == [f"{servers.page_cache_prefix}en http://{site}{servers.proposal}"]
    # Kanya renames herself through server B; server A's next visitor sees it at once.
    kanya = Browser()
    assert kanya.log_in(servers.b, KANYA, PASSWORD).status == 302
    kanya.read_form_token(f"{servers.b}/account")
    renamed = kanya.post(f"{servers.b}/account", display_name="Kanya Srisuk", sector="citizen",
                         organisation="")
    assert renamed.status == 302
    after = Browser().open(f"{servers.a}{servers.proposal}", host=site)
    assert after.status == 200 and "Kanya Srisuk" in after.text
    store.close()


# Logs.


def test_the_access_logs_hold_requests_but_no_network_address_or_secret_link(servers):
    browser = Browser()
    browser.log_in(servers.a, GUESSED[PER_ADDRESS + 4])
    browser.open(f"{servers.b}/password/reset/a-secret-token-from-a-mail?lang=en")

    lines = _access_log_lines(servers, '"POST /login"', '"GET /password/reset/[hidden]"')

    assert '"POST /login"' in lines and '"GET /password/reset/[hidden]"' in lines
    assert browser.address not in lines and "127.0.0.1" not in lines
    assert "a-secret-token-from-a-mail" not in lines and "lang=en" not in lines
