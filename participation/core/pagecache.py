"""Visitors' pages kept by the application itself, so that a burst of readers costs one render.

A decision shared on social media can bring thousands of readers in minutes, almost all of them
visitors without a cookie, all asking for the same few pages. Whatever stands in front of the
application (participation.core.caching tells CDNs and reverse proxies what they may keep), the
application keeps those pages too:

- **What is kept:** exactly what participation.core.caching shares: a visitor's GET answered
  200 with `Cache-Control: public`, not streamed, up to PAGE_CACHE_MAX_BYTES. A request is
  looked up, and its answer kept, only when it carries no cookie at all (a cookie may hold a
  session, a language chosen, a flashed message: such a reader gets their own render) and no
  `?lang=` (which writes the choice into a cookie). The key is the full address and the
  language Accept-Language picks, the only other thing a cookie-less visitor's page depends on.
- **How long:** never a page older than the last change. Every committed transaction that
  wrote something moves a *generation* forward, and a copy from an earlier generation is never
  served. PAGE_CACHE_SECONDS also bounds a copy's age, for what changes without a write through
  this application (a ballot that closes when its time comes, a template in a new release,
  a write made by hand) and, with the memory store, other machines' writes. When a copy
  is only too old, one request renders the page again while the others are still answered
  from the old copy (up to twice PAGE_CACHE_SECONDS old), rather than all rendering it at
  once: under load, that burst of renders made one answer in a hundred wait 200-400 ms.
- **Where:** `memory://` keeps copies in each server process (each renders a page once), with
  the generation in a file's modification time that every process serving the same database
  on this machine reads and moves; `redis://…` keeps one copy and one generation
  for every server process and machine (deploy/), in two round trips per hit at most (the
  generation and the copy come in one MGET). When Redis does not answer, pages are rendered as
  if nothing were kept, and it is said once in the log.

A copy keeps its ETag: a reader who has it gets a 304 from the copy as from a render.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, request
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

EXTENSION = "participation.page_cache"
# Headers a copy does not keep: the server and the after-request hooks set them on each answer.
NOT_KEPT = frozenset({"content-length", "date", "set-cookie"})
_WROTE = "participation.page_cache.wrote"
# Renders of pages one at a time per process: a few locks shared by all keys (two pages rarely
# wait for each other) rather than one per key, which would have to be forgotten again.
_RENDERING = [threading.Lock() for _ in range(64)]
RENDER_WAIT_SECONDS = 2
UNKEPT_ENTRIES = 10_000
# Seconds one request has to render an old copy again before another may take it on.
RENEWAL_SECONDS = 10


class MemoryStore:
    """Copies in this process, the least recently used dropped past `entries`; the generation
    is the modification time of a file that every process of this instance on this machine
    reads (a stat per lookup), so that a write in one worker ends the copies of all."""

    def __init__(self, generation_file: Path, entries: int = 2_000) -> None:
        self.entries = entries
        self.copies: OrderedDict[str, tuple[float, int, bytes]] = OrderedDict()
        self.renewing: dict[str, float] = {}  # key: when a request took on rendering it again
        self.generation_file = generation_file
        self.lock = threading.Lock()

    def get(self, key: str) -> tuple[int, tuple[float, int, bytes] | None]:
        generation = self.generation()
        with self.lock:
            copy = self.copies.get(key)
            if copy is not None:
                self.copies.move_to_end(key)
            return generation, copy

    def put(self, key: str, copy: tuple[float, int, bytes], seconds: int) -> None:
        with self.lock:
            self.copies[key] = copy
            self.copies.move_to_end(key)
            self.renewing.pop(key, None)
            while len(self.copies) > self.entries:
                self.copies.popitem(last=False)

    def take_renewal(self, key: str) -> bool:
        with self.lock:
            now = time.monotonic()
            if now - self.renewing.get(key, -RENEWAL_SECONDS) < RENEWAL_SECONDS:
                return False
            self.renewing[key] = now
            return True

    def generation(self) -> int:
        try:
            return os.stat(self.generation_file).st_mtime_ns
        except FileNotFoundError:
            self.generation_file.touch()
            return os.stat(self.generation_file).st_mtime_ns

    def advance(self) -> None:
        with self.lock:
            self.copies.clear()
        moment = time.time_ns()
        try:
            os.utime(self.generation_file, ns=(moment, moment))
        except FileNotFoundError:
            self.generation_file.touch()


class RedisStore:
    """One copy and one generation for every server, kept in Redis."""

    def __init__(self, url: str, prefix: str) -> None:
        self.redis = Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = prefix
        self.generation_key = prefix + "generation"

    def get(self, key: str) -> tuple[int, tuple[float, int, bytes] | None]:
        generation, raw = self.redis.mget(self.generation_key, self.prefix + key)
        return int(generation or 0), _unpack(raw) if raw else None

    def put(self, key: str, copy: tuple[float, int, bytes], seconds: int) -> None:
        # Kept twice as long as it is fresh: an old copy answers while one request renews it.
        with self.redis.pipeline(transaction=False) as both:
            both.set(self.prefix + key, _pack(copy), ex=2 * seconds)
            both.delete(self.prefix + "renewing:" + key)
            both.execute()

    def take_renewal(self, key: str) -> bool:
        return bool(self.redis.set(self.prefix + "renewing:" + key, 1, nx=True,
                                   ex=RENEWAL_SECONDS))

    def generation(self) -> int:
        return int(self.redis.get(self.generation_key) or 0)

    def advance(self) -> None:
        self.redis.incr(self.generation_key)


def _pack(copy: tuple[float, int, bytes]) -> bytes:
    stored_at, generation, page = copy
    return f"{stored_at!r} {generation} ".encode() + page


def _unpack(raw: bytes) -> tuple[float, int, bytes]:
    stored_at, generation, page = raw.split(b" ", 2)
    return float(stored_at), int(generation), page


def _page(response: Response) -> bytes:
    """The response as bytes: status, kept headers as JSON on one line, then the body."""
    headers = [(name, value) for name, value in response.headers.items()
               if name.lower() not in NOT_KEPT]
    return json.dumps([response.status_code, headers]).encode() + b"\n" + response.get_data()


def _response(page: bytes) -> Response:
    head, body = page.split(b"\n", 1)
    status, headers = json.loads(head)
    return Response(body, status=status, headers=headers)


class PageCache:
    def __init__(self, url: str, prefix: str, seconds: int, max_bytes: int,
                 generation_file: Path) -> None:
        self.store = (MemoryStore(generation_file) if url.startswith("memory://")
                      else RedisStore(url, prefix))
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.failing = False
        # Addresses whose last render was not kept (a form's token, an error, a cookie set),
        # with when: their readers are not made to wait for each other's render.
        self.unkept_at: dict[str, float] = {}

    def _call(self, action: Any, *args: Any) -> Any:
        try:
            result = action(*args)
        except (RedisError, OSError) as error:
            if not self.failing:
                log.warning("page cache unavailable, rendering every page: %s", error)
            self.failing = True
            return None
        self.failing = False
        return result

    def lookup(self, key: str) -> tuple[Response | None, bool]:
        """The copy to answer with, if any, and whether this request is to renew it."""
        found = self._call(self.store.get, key)
        if found is None or found[1] is None:
            return None, False
        generation, (stored_at, copy_generation, page) = found
        age = time.time() - stored_at
        if copy_generation != generation or age > 2 * self.seconds:
            return None, False
        if age > self.seconds and self._call(self.store.take_renewal, key) is not False:
            return None, True  # this request renders it again (or Redis failed: so do all)
        return _response(page), False

    def generation(self) -> int | None:
        return self._call(self.store.generation)

    def not_kept(self, key: str) -> None:
        if len(self.unkept_at) >= UNKEPT_ENTRIES:
            self.unkept_at.clear()
        self.unkept_at[key] = time.monotonic()

    def unkept(self, key: str) -> bool:
        at = self.unkept_at.get(key)
        return at is not None and time.monotonic() - at < self.seconds

    def keep(self, key: str, generation: int, response: Response) -> bool:
        """Keep a copy of the response; False when it is too large or could not be kept."""
        page = _page(response)
        if len(page) > self.max_bytes:
            return False
        self._call(self.store.put, key, (time.time(), generation, page), self.seconds)
        return not self.failing

    def advance(self) -> None:
        self._call(self.store.advance)


def _key() -> str | None:
    """The key of this request's page, or None when it is not looked up nor kept."""
    if (
        request.method not in ("GET", "HEAD")
        or "Cookie" in request.headers
        or "lang" in request.args
        or request.endpoint in (None, "static")
    ):
        return None
    languages = current_app.config["LANGUAGES"]
    language = request.accept_languages.best_match(languages) or current_app.config[
        "DEFAULT_LOCALE"]
    return f"{language} {request.url}"


def serve_kept_page() -> Response | None:
    """Before the view: answer from a kept copy, or note the generation the render belongs to
    (taken before the view reads anything, so a write during the render makes it stale).

    A page with no copy yet (or none of this generation) is rendered by one thread of the
    process at a time: the others wait for its copy, up to RENDER_WAIT_SECONDS, rather than
    all render it at once (16 readers arriving together made each wait about a second)."""
    cache: PageCache = current_app.extensions[EXTENSION]
    key = _key()
    if key is None:
        return None
    kept, renewing = cache.lookup(key)
    if kept is not None or request.method != "GET":
        return kept
    # (Not while Redis fails: nothing would be kept to wait for.)
    if not renewing and not cache.failing and not cache.unkept(key):
        lock = _RENDERING[hash(key) % len(_RENDERING)]
        if lock.acquire(timeout=RENDER_WAIT_SECONDS):
            g.page_cache_lock = lock
            kept, _renewing = cache.lookup(key)  # rendered by the thread this one waited for
            if kept is not None:
                return kept
    generation = cache.generation()
    if generation is not None:
        g.page_cache = (key, generation)
    return None


def keep_page(response: Response) -> None:
    """After participation.core.caching judged the response shareable: keep a copy of it."""
    pending = g.get("page_cache")
    if pending is None or response.status_code != 200 or response.is_streamed:
        return
    key, generation = pending
    if current_app.extensions[EXTENSION].keep(key, generation, response):
        g.pop("page_cache")


def _end_rendering(response: Response | None = None) -> Response | None:
    """Once the response is made (before a streamed body is sent), or when the request ends in
    an error: a page the render did not keep is remembered as such (its readers then render it
    side by side, not one after the other), and the render's turn ends."""
    pending = g.pop("page_cache", None)
    if pending is not None:
        current_app.extensions[EXTENSION].not_kept(pending[0])
    lock = g.pop("page_cache_lock", None)
    if lock is not None:
        lock.release()
    return response


def _note_write(session: Session, *_: Any) -> None:
    session.info[_WROTE] = True


def _note_statement(state: Any) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


def _advance_after_commit(session: Session) -> None:
    if session.info.pop(_WROTE, False) and has_app_context():
        cache = current_app.extensions.get(EXTENSION)
        if cache is not None:
            cache.advance()


def _forget_write(session: Session, *_: Any) -> None:
    session.info.pop(_WROTE, None)


def init_app(app: Flask) -> None:
    seconds = app.config["PAGE_CACHE_SECONDS"]
    if seconds <= 0:
        return
    # One generation file per database on this machine: the processes serving it share it.
    database = hashlib.sha256(app.config["DATABASE_URL"].encode()).hexdigest()[:16]
    app.extensions[EXTENSION] = PageCache(
        app.config["PAGE_CACHE_URL"], app.config["PAGE_CACHE_KEY_PREFIX"], seconds,
        app.config["PAGE_CACHE_MAX_BYTES"],
        Path(tempfile.gettempdir()) / f"ruam-pages-{database}.generation")
    app.before_request(serve_kept_page)
    app.after_request(_end_rendering)
    app.teardown_request(lambda _error: _end_rendering())
    if not sa.event.contains(Session, "after_commit", _advance_after_commit):
        sa.event.listen(Session, "after_flush", _note_write)
        sa.event.listen(Session, "do_orm_execute", _note_statement)
        sa.event.listen(Session, "after_commit", _advance_after_commit)
        sa.event.listen(Session, "after_rollback", _forget_write)
