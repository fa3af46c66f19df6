"""The application's own copies of visitors' pages (participation/core/pagecache.py)."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
import redis
from flask import template_rendered

from participation import create_app, extensions
from participation.core import pagecache
from participation.proposals.models import Proposal
from tests.conftest import build_app
from tests.factories import Factories
from tests.querycount import count_queries

REDIS_URI = "redis://127.0.0.1:6379/12"


def cached_app(folder: Path, **overrides):
    folder.mkdir(exist_ok=True)
    return build_app(folder, PAGE_CACHE_SECONDS=30, **overrides)


@pytest.fixture(autouse=True)
def db():
    """Every test here runs apps of its own, whose transactions really commit (in place of
    the suite's rolled-back transaction, which would bind the session to another app)."""
    yield extensions.db


@pytest.fixture
def fresh_app(tmp_path: Path):
    app, teardown = cached_app(tmp_path)
    yield app
    teardown()


@pytest.fixture
def proposal_id(fresh_app) -> int:
    with fresh_app.app_context():
        proposal = Factories().proposal(title="Burn permits by district")
        extensions.db.session.commit()
        return proposal.id


def queries_for(app, client, url: str, **kwargs):
    with app.app_context(), count_queries() as queries:
        response = client.get(url, **kwargs)
    return response, len(queries)


def rename(app, proposal_id: int, title: str) -> None:
    with app.app_context():
        extensions.db.session.get(Proposal, proposal_id).title = title
        extensions.db.session.commit()


def test_a_visitors_second_request_is_answered_from_the_copy_without_a_query(
        fresh_app, proposal_id):
    client = fresh_app.test_client()
    first, rendering = queries_for(fresh_app, client, f"/proposals/{proposal_id}")
    second, kept = queries_for(fresh_app, client, f"/proposals/{proposal_id}")
    assert rendering > 0 and kept == 0
    assert first.status_code == second.status_code == 200
    assert second.get_data() == first.get_data()
    assert second.headers["ETag"] == first.headers["ETag"]
    # The copy is answered with the same headers as a render: shareable, and secure.
    for name in ("Cache-Control", "Vary", "Content-Security-Policy", "Content-Language"):
        assert second.headers[name] == first.headers[name], name


def test_a_copy_answers_a_304_to_a_reader_who_has_it(fresh_app, proposal_id):
    client = fresh_app.test_client()
    etag = client.get(f"/proposals/{proposal_id}").headers["ETag"]
    again, kept = queries_for(fresh_app, client, f"/proposals/{proposal_id}",
                              headers={"If-None-Match": etag})
    assert again.status_code == 304 and kept == 0 and again.get_data() == b""


def test_any_change_through_the_application_is_seen_at_once(fresh_app, proposal_id):
    client = fresh_app.test_client()
    assert "Burn permits by district" in client.get(f"/proposals/{proposal_id}").text
    rename(fresh_app, proposal_id, "Burn permits by sub-district")
    page, rendering = queries_for(fresh_app, client, f"/proposals/{proposal_id}")
    assert rendering > 0
    assert "Burn permits by sub-district" in page.text


def test_a_write_in_another_process_ends_this_ones_copies(fresh_app, proposal_id):
    """Two server processes of one instance (here two apps on one database): each keeps its
    own copies, and a write through either ends the copies of both."""
    other = create_app({**fresh_app.config, "ENV": "testing"})
    try:
        client = fresh_app.test_client()
        assert "Burn permits by district" in client.get(f"/proposals/{proposal_id}").text
        rename(other, proposal_id, "Burn permits by sub-district")
        page, rendering = queries_for(fresh_app, client, f"/proposals/{proposal_id}")
        assert rendering > 0 and "Burn permits by sub-district" in page.text
    finally:
        with other.app_context():
            extensions.db.engine.dispose()


def test_a_rolled_back_write_keeps_the_copies(fresh_app, proposal_id):
    client = fresh_app.test_client()
    client.get(f"/proposals/{proposal_id}")
    with fresh_app.app_context():
        extensions.db.session.get(Proposal, proposal_id).title = "Never saved"
        extensions.db.session.flush()
        extensions.db.session.rollback()
    page, kept = queries_for(fresh_app, client, f"/proposals/{proposal_id}")
    assert kept == 0 and "Never saved" not in page.text


def test_a_copy_older_than_the_setting_is_renewed_by_one_request_while_others_get_it(
        fresh_app, proposal_id, monkeypatch):
    client = fresh_app.test_client()
    address = f"/proposals/{proposal_id}"
    first = client.get(address)
    now = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: now + 31)
    store = fresh_app.extensions[pagecache.EXTENSION].store
    # Another request has just taken on rendering it again: this one gets the old copy.
    assert store.take_renewal(f"en http://localhost{address}")
    meanwhile, kept = queries_for(fresh_app, client, address)
    assert kept == 0 and meanwhile.get_data() == first.get_data()
    store.renewing.clear()  # that request failed, or its time ran out: this one renders
    _page, rendering = queries_for(fresh_app, client, address)
    assert rendering > 0
    _page, kept = queries_for(fresh_app, client, address)  # and its copy is fresh
    assert kept == 0
    # Past twice the setting, no copy is served at all.
    monkeypatch.setattr(pagecache.time, "time", lambda: now + 31 + 61)
    _page, rendering = queries_for(fresh_app, client, address)
    assert rendering > 0


def test_each_language_has_its_own_copy(fresh_app, proposal_id):
    client = fresh_app.test_client()
    thai = client.get("/proposals", headers={"Accept-Language": "th"})
    english = client.get("/proposals", headers={"Accept-Language": "en"})
    assert thai.headers["Content-Language"] == "th" and "ข้อเสนอ" in thai.text
    assert english.headers["Content-Language"] == "en" and "Proposals" in english.text
    again, kept = queries_for(fresh_app, client, "/proposals", headers={"Accept-Language": "th"})
    assert kept == 0 and again.get_data() == thai.get_data()


@pytest.mark.parametrize("asking", [
    {"headers": {"Cookie": "session=anything"}},  # a session, a chosen language, a message
    {"query_string": {"lang": "en"}},  # writes the choice into a cookie
])
def test_a_reader_with_a_cookie_or_choosing_a_language_gets_a_render(
        fresh_app, proposal_id, asking):
    client = fresh_app.test_client(use_cookies=False)
    for _ in range(2):
        _page, rendering = queries_for(fresh_app, client, f"/proposals/{proposal_id}", **asking)
        assert rendering > 0


def test_a_signed_in_person_never_gets_nor_leaves_a_copy(fresh_app, proposal_id):
    with fresh_app.app_context():
        person = Factories().user(display_name="Somchai")
        extensions.db.session.commit()
        person_id = person.id
    signed_in = fresh_app.test_client()
    with signed_in.session_transaction() as session:
        session["_user_id"] = str(person_id)
        session["_fresh"] = True
    visitor = fresh_app.test_client()
    visitor.get("/")  # kept for visitors
    mine = signed_in.get("/")
    assert "Somchai" in mine.text and mine.headers["Cache-Control"] == "private, no-store"
    page, kept = queries_for(fresh_app, visitor, "/")
    assert kept == 0 and "Somchai" not in page.text


def test_pages_with_a_form_token_errors_and_redirects_are_never_kept(tmp_path):
    app, teardown = cached_app(tmp_path, WTF_CSRF_ENABLED=True)
    try:
        client = app.test_client(use_cookies=False)
        for url in ("/register", "/proposals/999999", "/account"):
            assert client.get(url).status_code in (200, 302, 404)
        client.get("/proposals")
        cache = app.extensions[pagecache.EXTENSION]
        assert list(cache.store.copies) == ["en http://localhost/proposals"]
        # Their readers are not made to wait for one another's render.
        assert cache.unkept("en http://localhost/register")
        assert not cache.unkept("en http://localhost/proposals")
    finally:
        teardown()


def test_readers_arriving_together_wait_for_one_render(fresh_app, proposal_id):
    renders = []

    def rendered(_app, template, context, **_extra):
        if template.name == "proposals/detail.html":
            renders.append(threading.get_ident())

    readers = 6
    start = threading.Barrier(readers)
    answers = []

    def read():
        client = fresh_app.test_client()
        start.wait()
        answers.append(client.get(f"/proposals/{proposal_id}"))

    with template_rendered.connected_to(rendered, fresh_app):
        threads = [threading.Thread(target=read) for _ in range(readers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(renders) == 1
    assert [answer.status_code for answer in answers] == [200] * readers
    assert len({answer.get_data() for answer in answers}) == 1


def test_redis_keeps_one_copy_and_one_generation_for_every_server(tmp_path):
    settings = {"PAGE_CACHE_URL": REDIS_URI, "PAGE_CACHE_KEY_PREFIX": f"test:{uuid.uuid4()}:"}
    one, drop_one = cached_app(tmp_path / "one", **settings)
    # Two servers of one instance: same Redis and prefix (and, here, each its own database,
    # which shows the second server never renders what the first kept).
    two, drop_two = cached_app(tmp_path / "two", **settings)
    try:
        with one.app_context():
            proposal_id = Factories().proposal(title="Shared copy").id
            extensions.db.session.commit()
        assert "Shared copy" in one.test_client().get(f"/proposals/{proposal_id}").text
        from_two, rendering = queries_for(two, two.test_client(), f"/proposals/{proposal_id}")
        assert rendering == 0 and "Shared copy" in from_two.text
        # A write on the second server moves the generation the first server reads.
        with two.app_context():
            Factories().user()
            extensions.db.session.commit()
        _page, rendering = queries_for(one, one.test_client(), f"/proposals/{proposal_id}")
        assert rendering > 0
    finally:
        store = redis.Redis.from_url(REDIS_URI)
        for key in store.scan_iter(f"{settings['PAGE_CACHE_KEY_PREFIX']}*"):
            store.delete(key)
        drop_one()
        drop_two()


def test_with_redis_down_every_page_is_rendered(tmp_path):
    app, teardown = cached_app(tmp_path / "down", PAGE_CACHE_URL="redis://127.0.0.1:1/0")
    try:
        with app.app_context():
            proposal_id = Factories().proposal(title="Still served").id
            extensions.db.session.commit()
        client = app.test_client()
        for _ in range(2):
            page, rendering = queries_for(app, client, f"/proposals/{proposal_id}")
            assert page.status_code == 200 and rendering > 0 and "Still served" in page.text
        assert app.extensions[pagecache.EXTENSION].failing  # and the log said so, once
    finally:
        teardown()


def test_development_and_tests_keep_no_copies_unless_asked(tmp_path):
    app, teardown = build_app(tmp_path)
    try:
        assert pagecache.EXTENSION not in app.extensions
    finally:
        teardown()
