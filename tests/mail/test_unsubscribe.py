"""Unsubscribing with the signed link of an e-mail: the confirm page, the button, and the
one-click POST of RFC 8058 that mail programs send without a session or a form token."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from participation.accounts.models import EmailMode
from participation.extensions import db
from participation.mail.models import MailStatus, OutboxMail
from participation.mail.services import send_due
from participation.mail.tokens import unsubscribe_token
from tests.mail.conftest import comment_posted, follower
from tests.querycount import page_queries

NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def mode_of(user) -> EmailMode:
    db.session.refresh(user)
    return user.email_mode


def test_opening_the_link_asks_first_and_changes_nothing(make, client):
    user = make.user(email="mali@example.org")
    db.session.commit()

    response = client.get(f"/unsubscribe/{unsubscribe_token(user.id)}")

    assert response.status_code == 200
    assert "Stop all e-mails" in response.text
    assert "ma…@example.org" in response.text and "mali@example.org" not in response.text
    assert mode_of(user) == EmailMode.IMMEDIATE


def test_the_confirm_button_stops_the_mails_without_a_session_or_form_token(
    make, client, csrf_on
):
    user = make.user()
    db.session.commit()
    page = client.get(f"/unsubscribe/{unsubscribe_token(user.id)}").text
    assert 'name="csrf_token"' not in page

    response = client.post(f"/unsubscribe/{unsubscribe_token(user.id)}")

    assert response.status_code == 200
    assert "E-mails stopped" in response.text
    assert mode_of(user) == EmailMode.OFF


def test_the_one_click_post_from_the_mail_header_stops_every_later_mail(
    make, client, mailbox, csrf_on
):
    proposal = make.proposal()
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    send_due(now=NOW)
    (mail,) = mailbox.to(reader.email)
    address = mail.message["List-Unsubscribe"].strip()[1:-1]
    comment_posted(proposal, actor=make.user(), now=NOW)
    db.session.commit()

    # What a mail program does (RFC 8058): a POST to the header's address, no cookies.
    response = client.post(
        address.removeprefix("https://ruam.example"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert mode_of(reader) == EmailMode.OFF
    report = send_due(now=NOW)
    assert (report.sent, report.skipped) == (0, 1)
    assert len(mailbox.to(reader.email)) == 1


def test_unsubscribing_twice_is_harmless(make, client):
    user = make.user()
    user.email_mode = EmailMode.OFF
    db.session.commit()
    url = f"/unsubscribe/{unsubscribe_token(user.id)}"

    assert "We send no e-mails to" in client.get(url).text
    assert client.post(url).status_code == 200
    assert mode_of(user) == EmailMode.OFF


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_is_a_translated_not_found_page_and_changes_nothing(
    method, make, client, app, csrf_on
):
    user = make.user()
    db.session.commit()
    good = unsubscribe_token(user.id)
    other_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="other").dumps(user.id)
    other_key = URLSafeSerializer("x" * 40, salt="unsubscribe").dumps(user.id)
    not_an_id = URLSafeSerializer(app.config["SECRET_KEY"], salt="unsubscribe").dumps("1")
    beyond = URLSafeSerializer(app.config["SECRET_KEY"], salt="unsubscribe").dumps(2**40)
    for token in (good[:-2], good + "x", "junk", other_salt, other_key, not_an_id, beyond,
                  "%ED%A0%80", "a" * 3000):
        response = getattr(client, method)(f"/unsubscribe/{token}?lang=en")
        assert response.status_code == 404, token
        assert "This unsubscribe link does not work" in response.text
    thai = getattr(client, method)("/unsubscribe/junk?lang=th")
    assert thai.status_code == 404 and '<html lang="th">' in thai.text
    assert mode_of(user) == EmailMode.IMMEDIATE


def test_a_link_for_someone_deleted_or_unknown_is_not_found(client):
    response = client.post(f"/unsubscribe/{unsubscribe_token(987654)}")
    assert response.status_code == 404


def test_the_unsubscribe_page_runs_a_fixed_number_of_queries(make, client):
    user = make.user()
    db.session.commit()
    count, _text = page_queries(client, f"/unsubscribe/{unsubscribe_token(user.id)}")
    assert count <= 2


def test_a_mail_already_queued_is_skipped_after_unsubscribing(make, client, mailbox):
    proposal = make.proposal()
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    db.session.commit()

    client.post(f"/unsubscribe/{unsubscribe_token(reader.id)}")

    assert send_due(now=NOW).skipped == 1
    assert mailbox.messages == []
    assert db.session.scalars(sa.select(OutboxMail.status).where(
        OutboxMail.user_id == reader.id)).all() == [MailStatus.SKIPPED]
