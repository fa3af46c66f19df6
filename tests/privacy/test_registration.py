"""Agreeing to the privacy notice when registering, and the accounts made by the command line."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accounts.models import User
from participation.accounts.queries import user_by_email
from participation.core.models import utcnow
from participation.privacy.notices import current_notice_version
from tests.rows import count_rows

PASSWORD = "a long enough passphrase"


def form(**overrides):
    data = {"email": "kanya@example.org", "display_name": "Kanya", "password": PASSWORD,
            "confirm": PASSWORD, "sector": "citizen", "organisation": "", "consent": "y"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_asks_to_agree_to_the_notice_in_force_and_links_to_it(client):
    english = client.get("/register?lang=en").text
    thai = client.get("/register?lang=th").text

    assert ('<input aria-describedby="consent-hint" id="consent" name="consent" required '
            'type="checkbox" value="y"> <label for="consent">I have read the privacy notice '
            '(version of November 27, 2026) and agree to it.</label>') in english
    assert '<a href="/privacy">read the privacy notice</a>' in english
    assert "27 พฤศจิกายน 2569" in thai


def test_registering_records_the_version_agreed_to_and_when(client, db):
    before = utcnow()
    response = client.post("/register", data=form())

    assert response.status_code == 302
    assert response.headers["Location"] == "/check-email?for=register"
    user = user_by_email("kanya@example.org")
    assert user.privacy_version == current_notice_version() == "2026-11-27"
    assert before - timedelta(seconds=1) <= user.privacy_consented_at <= utcnow()


def test_without_the_box_ticked_nothing_is_made_and_the_person_is_told_why(client, db):
    users, log = count_rows(User), count_rows(LogEntry)
    for refused in (form(consent=None), form(consent=""), form(consent="no"),
                    form(consent=None, organisation="A brand new organisation")):
        response = client.post("/register?lang=en", data=refused)

        assert response.status_code == 200
        assert ("Tick the box to agree to the privacy notice: without it we cannot make an "
                "account.") in response.text
        assert 'value="Kanya"' in response.text  # what they typed is kept
    assert count_rows(User) == users
    assert count_rows(LogEntry) == log


def test_the_refusal_is_shown_beside_the_box(client, db):
    response = client.post("/register?lang=th", data=form(consent=None))

    assert response.status_code == 200
    assert ('aria-describedby="consent-hint consent-error" id="consent" name="consent"'
            in response.text)
    assert '<p class="error" id="consent-error">' in response.text
    assert count_rows(User) == 0


def test_a_taken_address_still_looks_like_a_new_one_and_keeps_its_owners_consent(
    client, make, db
):
    owner = make.user(email="kanya@example.org", consented=False)
    db.session.commit()

    taken = client.post("/register", data=form())
    fresh = client.post("/register", data=form(email="someone.else@example.org"))

    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]
    db.session.refresh(owner)
    assert owner.privacy_version is None and owner.privacy_consented_at is None
    # And without the box, both are refused alike.
    for email in ("kanya@example.org", "another@example.org"):
        refused = client.post("/register?lang=en", data=form(email=email, consent=None))
        assert refused.status_code == 200
        assert "Tick the box to agree to the privacy notice" in refused.text


def test_a_notice_published_while_the_form_was_open_is_refused_alike_for_every_address(
    client, make, db, new_notice, monkeypatch
):
    from participation.accounts import views

    make.user(email="kanya@example.org")
    db.session.commit()
    # The page was read under the shipped notice; the new one is in force when it is posted.
    monkeypatch.setattr(views, "current_notice_version", lambda: "2026-11-27")
    users = count_rows(User)
    for email in ("kanya@example.org", "new.person@example.org"):
        response = client.post("/register?lang=en", data=form(email=email))
        assert response.status_code == 200
        assert "The privacy notice has just changed" in response.text
    assert count_rows(User) == users


def test_accounts_made_on_the_command_line_agree_to_the_notice_in_force(runner, db):
    result = runner.invoke(args=["create-user", "boss@example.org", "--role", "admin",
                                 "--password", PASSWORD])

    assert result.exit_code == 0, result.output
    boss = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
    assert boss.privacy_version == current_notice_version()
    assert boss.privacy_consented_at is not None
