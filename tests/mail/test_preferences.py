"""A person's e-mail settings: how often (each one, daily digest, none) and in which language;
and the language of the e-mails chosen at registration."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from participation.accounts.models import EmailMode, User
from participation.extensions import db
from tests.querycount import page_queries

PASSWORD = "a long enough passphrase"


def settings_of(user) -> tuple[EmailMode, str]:
    db.session.refresh(user)
    return user.email_mode, user.language


def test_visitors_are_asked_to_log_in(client):
    response = client.get("/account/notifications")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_page_shows_the_current_settings(make, login, db):
    user = make.user(email="mali@example.org")
    user.email_mode, user.language = EmailMode.DAILY, "th"
    db.session.commit()

    page = login(user).get("/account/notifications?lang=en").text

    assert "mali@example.org" in page
    checked = re.findall(r'<input checked[^>]*value="([a-z]+)"', page)
    assert checked == ["daily", "th"]
    for label in ("Each one as it happens", "One daily digest", "No e-mail", "ภาษาไทย",
                  "English"):
        assert label in page


def test_saving_changes_how_often_and_the_language(make, login, db):
    user = make.user()
    db.session.commit()

    response = login(user).post("/account/notifications",
                                data={"email_mode": "daily", "language": "en"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/notifications"
    assert settings_of(user) == (EmailMode.DAILY, "en")
    assert "Your e-mail settings have been saved." in login(user).get(
        "/account/notifications").text


@pytest.mark.parametrize("data", [
    {"email_mode": "weekly", "language": "en"},
    {"email_mode": "daily", "language": "fr"},
    {"email_mode": "daily"},
    {"language": "en"},
    {"email_mode": "", "language": "en"},
])
def test_an_unknown_choice_is_refused_and_changes_nothing(data, make, login, db):
    user = make.user()
    db.session.commit()

    response = login(user).post("/account/notifications", data=data)

    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert settings_of(user) == (EmailMode.IMMEDIATE, "th")


def test_the_account_page_links_to_the_email_settings(make, login):
    user = make.user()
    page = login(user).get("/account").text
    assert 'href="/account/notifications"' in page
    assert "Each one as it happens" in page


def test_the_settings_page_runs_a_fixed_number_of_queries(make, login, db):
    user = make.user()
    db.session.commit()
    count, _text = page_queries(login(user), "/account/notifications")
    assert count <= 4  # with the two-factor requirements (two-factor lane)


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_emails_of_a_new_account_are_in_the_language_it_registered_in(language, client):
    response = client.post(f"/register?lang={language}", data={
        "email": f"new-{language}@example.org", "display_name": "Somchai",
        "password": PASSWORD, "confirm": PASSWORD, "sector": "citizen", "organisation": "",
        "consent": "y",
    })

    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == f"new-{language}@example.org"))
    assert user.language == language and user.email_mode == EmailMode.IMMEDIATE
