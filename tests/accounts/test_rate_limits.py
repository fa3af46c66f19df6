"""Rate limits and the back-off after failed log-ins, on an application with limits switched
on (the rest of the suite runs with them off)."""

from __future__ import annotations

import multiprocessing
import time
import uuid
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from participation import create_app
from participation.accounts import limits, services
from participation.accounts.models import User
from participation.comments.models import Comment
from participation.extensions import db, limiter
from participation.proposals.models import Proposal
from tests.conftest import TEST_SECRET, build_app
from tests.factories import PASSWORD, Factories

GENERIC = "The e-mail address or the password is not right."
LOCKED = "There have been too many failed attempts to log in with this e-mail address."
REDIS_URI = "redis://127.0.0.1:6379/13"


@pytest.fixture
def fresh_app(tmp_path: Path):
    """An application of its own (committing for real) with the rate limits switched on."""
    app, teardown = build_app(tmp_path, RATELIMIT_ENABLED=True)
    yield app
    teardown()


@pytest.fixture
def person(fresh_app):
    with fresh_app.app_context():
        user = Factories().user(email="kanya@example.org", display_name="Kanya")
        db.session.commit()
        return user.id


def log_in(client, email: str, password: str = "not the right password", **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def error_block(response) -> str:
    page = response.get_data(as_text=True)
    start = page.index('<div class="form-errors"')
    return page[start:page.index("</div>", start)]


def signed_in(fresh_app, client, user_id: int):
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    return client


# Log-in limits.


def test_login_attempts_per_network_and_email_address_are_limited(fresh_app):
    fresh_app.config["RATELIMIT_LOGIN_PER_EMAIL"] = "3/minute"
    client = fresh_app.test_client()

    statuses = [log_in(client, f"guess{n % 2}@example.org").status_code for n in range(6)]
    refused = log_in(client, "guess0@example.org")

    assert statuses == [200] * 6  # three attempts for each of two addresses
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 61  # the minute's end, rounded up
    page = refused.get_data(as_text=True)
    assert "Too many attempts" in page and "Please wait" in page
    # Another address from here, or the same address from elsewhere, may still try.
    assert log_in(client, "guess2@example.org").status_code == 200
    elsewhere = log_in(client, "guess0@example.org", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert elsewhere.status_code == 200


def test_login_attempts_per_network_address_are_limited_whatever_the_email(fresh_app):
    fresh_app.config["RATELIMIT_LOGIN_PER_ADDRESS"] = "4/hour"
    client = fresh_app.test_client()

    statuses = [log_in(client, f"spray{n}@example.org").status_code for n in range(5)]

    assert statuses == [200, 200, 200, 200, 429]


def test_showing_the_login_form_is_not_counted(fresh_app):
    fresh_app.config["RATELIMIT_LOGIN_PER_ADDRESS"] = "2/hour"
    client = fresh_app.test_client()

    assert {client.get("/login").status_code for _ in range(5)} == {200}
    assert [log_in(client, "a@example.org").status_code for _ in range(3)] == [200, 200, 429]


# Back-off after failed log-ins.


def test_the_wait_doubles_after_five_failures_up_to_fifteen_minutes():
    waits = [limits.backoff_seconds(failures) for failures in range(1, 21)]

    assert waits[:4] == [0, 0, 0, 0]
    assert waits[4:10] == [1, 2, 4, 8, 16, 32]
    assert waits[-1] == 15 * 60 and max(waits) == 15 * 60


def test_after_five_failures_even_the_right_password_must_wait_then_works(fresh_app, person):
    fresh_app.config["RATELIMIT_LOGIN_PER_EMAIL"] = "100/minute"  # the back-off alone
    client = fresh_app.test_client()

    failures = [log_in(client, "kanya@example.org") for _ in range(5)]
    locked = log_in(client, "kanya@example.org", PASSWORD)

    assert [response.status_code for response in failures] == [200] * 5
    assert all(GENERIC in response.get_data(as_text=True) for response in failures)
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == "1"
    assert LOCKED in locked.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # not logged in

    time.sleep(1.1)
    assert log_in(client, "kanya@example.org", PASSWORD).status_code == 302

    # Success clears the count: five new failures are again without a wait.
    client.post("/logout")
    assert [log_in(client, "kanya@example.org").status_code for _ in range(5)] == [200] * 5


def test_each_further_failure_doubles_the_wait(fresh_app, person):
    client = fresh_app.test_client()
    for _ in range(5):
        log_in(client, "kanya@example.org")
    time.sleep(1.1)

    sixth = log_in(client, "kanya@example.org")
    seventh = log_in(client, "kanya@example.org")

    assert sixth.status_code == 200 and GENERIC in sixth.get_data(as_text=True)
    assert seventh.status_code == 429 and seventh.headers["Retry-After"] == "2"


def test_an_unknown_address_is_answered_exactly_like_a_known_one(fresh_app, person):
    client = fresh_app.test_client()

    def attempts(email: str):
        return [log_in(client, email) for _ in range(6)]

    known, unknown = attempts("kanya@example.org"), attempts("nobody@example.org")

    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 5 + [429]
    assert [r.headers.get("Retry-After") for r in known] == [
        r.headers.get("Retry-After") for r in unknown
    ]
    assert [error_block(r) for r in known] == [error_block(r) for r in unknown]


def test_unknown_and_known_addresses_both_cost_one_password_verification(
    fresh_app, person, monkeypatch
):
    checked: list[str] = []
    real = services.verify_password

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(services, "verify_password", counting)
    client = fresh_app.test_client()

    log_in(client, "kanya@example.org", "wrong one")
    log_in(client, "nobody@example.org", "wrong two")

    assert checked == ["wrong one", "wrong two"]


def test_the_backoff_counts_an_address_in_any_case_and_stores_no_address(fresh_app):
    client = fresh_app.test_client()
    for _ in range(5):
        log_in(client, "Nobody@Example.org")

    assert log_in(client, " nobody@example.org").status_code == 429
    with fresh_app.test_request_context():
        keys = limits._backoff_keys("nobody@example.org")
    assert all("nobody" not in key and "example" not in key for key in keys)


def test_the_shared_counters_hold_digests_never_a_network_or_e_mail_address(tmp_path):
    """What the privacy notice promises: Redis holds keyed digests of both addresses."""
    app, teardown = build_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URI)
    email = f"counted-{uuid.uuid4().hex}@example.org"
    network_address = "203.0.113.77"
    store = redis.Redis.from_url(REDIS_URI)
    before = set(store.keys("*"))
    try:
        for _ in range(2):
            log_in(app.test_client(), email, environ_base={"REMOTE_ADDR": network_address})
        keys = [key.decode() for key in set(store.keys("*")) - before]
        values = [repr(store.dump(key)) for key in keys]
        assert len(keys) >= 2  # a counter per network address, and per address and e-mail
        for text in keys + values:
            assert network_address not in text and "counted-" not in text, text
    finally:
        with app.test_request_context():
            limits.forget_login_failures(email)
        for key in set(store.keys("*")) - before:
            store.delete(key)
        teardown()


def test_with_the_shared_storage_unreachable_each_server_keeps_counting_on_its_own(tmp_path):
    """Redis down: no log-in fails with an error; the limits and the back-off hold per server."""
    app, teardown = build_app(tmp_path, RATELIMIT_ENABLED=True,
                              RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
                              RATELIMIT_LOGIN_PER_ADDRESS="2/hour")
    try:
        client = app.test_client()
        answers = [log_in(client, "nobody@example.org").status_code for _ in range(3)]
        assert answers == [200, 200, 429]
        with app.test_request_context():
            waits = [limits.record_login_failure("someone@example.org") for _ in range(7)]
            assert waits == [0, 0, 0, 0, 1, 2, 4]
            assert limits.login_wait("someone@example.org") >= 1
            limits.forget_login_failures("someone@example.org")
            assert limits.login_wait("someone@example.org") == 0
    finally:
        teardown()


def test_an_application_counts_in_its_own_storage_after_another_found_its_storage_down(
    tmp_path
):
    """The process has one Limiter: the verdict "storage down" that an earlier application's
    Redis error left (as in the test above) does not send a new application's counts to the
    fallback memory, from where they would move to its storage half way through."""
    # What the Redis-down test leaves: Flask-Limiter took the storage for dead and will look
    # at it again only after a back-off (here 32 s).
    limiter._storage_dead = True
    limiter._Limiter__check_backend_count = 5
    limiter._Limiter__last_check_backend = time.time()
    app, teardown = build_app(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_REGISTER="1/hour")
    try:
        client = app.test_client()
        assert [register(client, n).status_code for n in (1, 2)] == [302, 429]
        with app.test_request_context():
            counted = f"LIMITER/{limits._address()}/accounts.register:register/1/1/hour"
            assert limiter.storage.get(counted) == 1  # the application's own storage
    finally:
        teardown()


# Registration and password reset.


def register(client, n: int, password: str = "a long enough passphrase"):
    return client.post("/register", data={
        "email": f"new{n}@example.org", "display_name": f"New {n}", "sector": "citizen",
        "password": password, "confirm": password, "consent": "y",
    })


def test_registrations_per_network_address_are_limited_and_refused_forms_do_not_count(
    fresh_app
):
    fresh_app.config["RATELIMIT_REGISTER"] = "2/hour"
    client = fresh_app.test_client()

    first = register(client, 1)
    with_errors = register(client, 2, password="short")
    second = register(client, 3)
    third = register(client, 4)

    assert (first.status_code, with_errors.status_code, second.status_code) == (302, 200, 302)
    assert third.status_code == 429
    with fresh_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_reset_requests_are_limited_per_email_and_per_network_address(fresh_app):
    client = fresh_app.test_client()

    def ask(email: str, address: str = "198.51.100.1"):
        return client.post("/password/forgot", data={"email": email},
                           environ_base={"REMOTE_ADDR": address}).status_code

    assert [ask("kanya@example.org") for _ in range(4)] == [302, 302, 302, 429]
    # Per address asked about, whatever the network.
    assert ask("kanya@example.org", "198.51.100.2") == 429
    # Five per network address, whatever the address asked about.
    many = [ask(f"other{n}@example.org", "198.51.100.3") for n in range(6)]
    assert many == [302] * 5 + [429]


# Comments and proposals, per person.


@pytest.fixture
def author(fresh_app):
    with fresh_app.app_context():
        make = Factories()
        proposal = make.proposal()
        user = make.user()
        group = make.group()
        category = make.category()
        db.session.commit()
        return {"user": user.id, "proposal": proposal.id, "group": group.id,
                "category": category.id}


def test_comments_per_person_are_limited_and_refused_ones_do_not_count(fresh_app, author):
    fresh_app.config["RATELIMIT_COMMENT"] = "2/minute"
    client = signed_in(fresh_app, fresh_app.test_client(), author["user"])
    address = f"/proposals/{author['proposal']}/comments"

    first = client.post(address, data={"body": "First point"})
    empty = client.post(address, data={"body": ""})
    second = client.post(address, data={"body": "Second point"})
    refused = client.post(address, data={"body": "One more point"})

    assert (first.status_code, empty.status_code, second.status_code) == (302, 200, 302)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    with fresh_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 2

    # Another person may still comment.
    with fresh_app.app_context():
        other = Factories().user()
        db.session.commit()
        other_id = other.id
    other_client = signed_in(fresh_app, fresh_app.test_client(), other_id)
    assert other_client.post(address, data={"body": "Mine"}).status_code == 302


def test_proposals_per_person_are_limited(fresh_app, author):
    fresh_app.config["RATELIMIT_PROPOSAL"] = "1/hour"
    client = signed_in(fresh_app, fresh_app.test_client(), author["user"])

    def propose(title: str):
        return client.post("/proposals/new", data={
            "title": title, "body": "Clear the smoke.", "group": author["group"],
            "category": author["category"], "save_draft": "1",
        })

    assert client.get("/proposals/new").status_code == 200
    assert propose("").status_code == 200  # refused by the form: not counted
    assert propose("Burn less").status_code == 302
    assert propose("Burn even less").status_code == 429
    with fresh_app.app_context():
        titles = db.session.scalars(sa.select(Proposal.title)).all()
    assert "Burn less" in titles and "Burn even less" not in titles


# The switch, per application.


def test_an_application_with_limits_off_never_counts_beside_one_with_limits_on(
    fresh_app, tmp_path
):
    fresh_app.config["RATELIMIT_LOGIN_PER_ADDRESS"] = "3/hour"
    (tmp_path / "off").mkdir()
    unlimited, teardown = build_app(tmp_path / "off")
    try:
        off = [log_in(unlimited.test_client(), "a@example.org").status_code for _ in range(8)]
        on = [log_in(fresh_app.test_client(), f"a{n}@example.org").status_code
              for n in range(4)]
    finally:
        teardown()

    assert off == [200] * 8
    assert on == [200, 200, 200, 429]


# Several servers: counts shared through Redis, not through memory.


def _fail_logins_elsewhere(storage_uri: str, database_url: str, email: str) -> None:
    """In another process (another server): eight failed log-ins for `email`."""
    app = create_app({
        "ENV": "testing", "SECRET_KEY": TEST_SECRET, "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage_uri,
    })
    with app.test_request_context():
        for _ in range(8):
            limits.record_login_failure(email)


@pytest.mark.parametrize(("storage_uri", "shared"), [("memory://", False), (REDIS_URI, True)])
def test_failures_on_one_server_make_another_wait_only_with_shared_storage(
    tmp_path, storage_uri, shared
):
    app, teardown = build_app(tmp_path, RATELIMIT_ENABLED=True,
                              RATELIMIT_STORAGE_URI=storage_uri)
    email = f"shared-{uuid.uuid4().hex}@example.org"
    try:
        other = multiprocessing.get_context("spawn").Process(
            target=_fail_logins_elsewhere,
            args=(storage_uri, app.config["DATABASE_URL"], email),
        )
        other.start()
        other.join(60)
        assert other.exitcode == 0

        response = log_in(app.test_client(), email)
        if shared:
            assert response.status_code == 429
            assert 1 <= int(response.headers["Retry-After"]) <= 8  # 2 ** (8 - 5)
            assert LOCKED in response.get_data(as_text=True)
        else:
            assert response.status_code == 200
            assert GENERIC in response.get_data(as_text=True)
    finally:
        with app.test_request_context():
            limits.forget_login_failures(email)
        teardown()
