"""Sessions that end: a session remembers the account's session version, and raising it (a
password reset, "log out on every other device") ends the sessions begun before."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import User
from participation.accounts.views import load_user
from participation.extensions import db
from tests.factories import PASSWORD


def log_in(client, user: User) -> None:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def version_of(user: User) -> int:
    return db.session.scalar(sa.select(User.session_version).where(User.id == user.id))


def test_a_session_remembers_the_id_and_the_version(make):
    user = make.user()
    assert user.get_id() == f"{user.id}:0"
    user.session_version = 4
    assert user.get_id() == f"{user.id}:4"


def test_a_stale_or_malformed_session_finds_nobody(make):
    user = make.user()
    user.session_version = 2
    db.session.flush()
    assert load_user(f"{user.id}:2") is user
    for stale in (f"{user.id}:1", f"{user.id}:3", str(user.id), f"{user.id}:", f":{user.id}",
                  f"{user.id}:2:2", "9" * 40, f"{user.id}:-2", "²", "", "abc", "0:0",
                  "99999999:0"):
        assert load_user(stale) is None, stale


def test_a_session_from_before_versions_existed_works_until_the_version_rises(make):
    user = make.user()
    db.session.flush()
    assert load_user(str(user.id)) is user
    user.session_version = 1
    assert load_user(str(user.id)) is None


def test_logging_out_everywhere_ends_the_other_sessions_and_keeps_this_one(app, client, make):
    user = make.user()
    db.session.commit()
    phone, laptop = app.test_client(), client
    log_in(phone, user)
    log_in(laptop, user)

    response = laptop.post("/account/sessions/end", follow_redirects=True)

    assert "You are logged out on every other device." in response.text
    assert version_of(user) == 1
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302  # sent to log in
    log_in(phone, user)  # logging in again works as before
    assert phone.get("/account").status_code == 200


def test_a_remembered_login_ends_too(app, make):
    user = make.user()
    db.session.commit()
    phone = app.test_client()
    phone.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert phone.get_cookie("remember_token") is not None
    # The browser was closed: only the remember-me cookie is left.
    phone.delete_cookie("session")
    assert phone.get("/account").status_code == 200

    user.session_version += 1
    db.session.commit()
    phone.delete_cookie("session")

    assert phone.get("/account").status_code == 302


def test_the_account_page_offers_to_log_out_everywhere_else(client, make, login):
    login(make.user())
    assert 'action="/account/sessions/end"' in client.get("/account").text
