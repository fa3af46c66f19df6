"""Resetting a forgotten password: the same answer whether the address exists, a mailed link
that works once and for one hour, and every session ended by the new password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accounts.models import EmailMode, User
from participation.accounts.tokens import reset_token, verification_token
from participation.core.models import utcnow
from participation.core.security import verify_password
from participation.extensions import db
from participation.mail.models import MailKind, MailStatus, OutboxMail
from participation.mail.services import send_due
from tests.factories import PASSWORD
from tests.mail.conftest import mailbox  # noqa: F401 - the SMTP server fixture
from tests.rows import count_rows

NEW_PASSWORD = "another long passphrase"
LINK = re.compile(r"https://ruam\.example(/password/reset/[A-Za-z0-9_.\-]+)")


def reloaded(user: User) -> User:
    return db.session.scalar(
        sa.select(User).where(User.id == user.id).execution_options(populate_existing=True)
    )


def new_password(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


@pytest.fixture
def mali(make):
    user = make.user(email="mali@example.org", display_name="Mali")
    user.language = "en"
    db.session.commit()
    return user


def test_a_mailed_link_sets_a_new_password_once(client, app, mali, mailbox):  # noqa: F811
    response = client.post("/password/forgot", data={"email": "Mali@Example.org"})
    assert response.headers["Location"] == "/check-email?for=reset"
    assert "we have sent it a link" in client.get(response.headers["Location"]).text

    send_due(now=utcnow())
    (mail,) = mailbox.to("mali@example.org")
    assert mail.message["Subject"] == "Choose a new password for Ruam"
    path = LINK.search(mail.text)[1]
    assert client.get(path).status_code == 200

    saved = new_password(client, path)

    assert saved.status_code == 302 and saved.headers["Location"] == "/login"
    user = reloaded(mali)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert not verify_password(user.password_hash, PASSWORD)
    # The link worked once: the same link now sets nothing.
    again = new_password(client, path, "a third long passphrase")
    assert again.status_code == 400
    assert "expired or was already used" in again.text
    assert verify_password(reloaded(mali).password_hash, NEW_PASSWORD)
    # The new password logs in; the old one does not.
    other = app.test_client()
    assert other.post("/login", data={"email": mali.email, "password": PASSWORD}).status_code == 200
    assert other.post("/login", data={"email": mali.email,
                                      "password": NEW_PASSWORD}).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mali):
    known = client.post("/password/forgot", data={"email": "mali@example.org"})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert count_rows(OutboxMail) == 1
    assert db.session.scalar(sa.select(OutboxMail.user_id)) == mali.id


def test_asking_again_while_a_link_waits_queues_one_mail(client, mali):
    for _ in range(3):
        client.post("/password/forgot", data={"email": "mali@example.org"})
    assert count_rows(OutboxMail, OutboxMail.kind == MailKind.PASSWORD_RESET) == 1


def test_a_link_older_than_an_hour_is_refused(client, mali):
    token = reset_token(mali, now=utcnow() - timedelta(hours=1, minutes=1))

    assert client.get(f"/password/reset/{token}").status_code == 400
    response = new_password(client, f"/password/reset/{token}")

    assert response.status_code == 400
    assert "Ask for a new link" in response.text
    assert verify_password(reloaded(mali).password_hash, PASSWORD)


@pytest.mark.parametrize("spoil", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: token.replace(".", "", 1),
    lambda token: "garbage",
])
def test_a_tampered_link_is_refused(client, mali, spoil):
    token = spoil(reset_token(mali, now=utcnow()))

    response = new_password(client, f"/password/reset/{token}")

    assert response.status_code == 400
    assert verify_password(reloaded(mali).password_hash, PASSWORD)


def test_a_confirmation_link_does_not_reset_a_password(client, mali):
    token = verification_token(mali, now=utcnow())
    assert new_password(client, f"/password/reset/{token}").status_code == 400
    assert verify_password(reloaded(mali).password_hash, PASSWORD)


def test_a_weak_new_password_is_refused_and_the_link_still_works(client, mali):
    path = f"/password/reset/{reset_token(mali, now=utcnow())}"

    refused = new_password(client, path, "short")

    assert refused.status_code == 200
    assert "Use between 10 and 256 characters." in refused.text
    assert verify_password(reloaded(mali).password_hash, PASSWORD)
    assert new_password(client, path).status_code == 302


def test_a_reset_ends_every_session_of_the_person(app, client, mali):
    phone = app.test_client()
    phone.post("/login", data={"email": mali.email, "password": PASSWORD})
    assert phone.get("/account").status_code == 200

    new_password(client, f"/password/reset/{reset_token(mali, now=utcnow())}")

    assert phone.get("/account").status_code == 302  # sent to log in
    assert reloaded(mali).session_version == 1


def test_a_reset_skips_the_other_links_still_waiting_and_confirms_the_address(client, make):
    user = make.user(verified=False)
    client.post("/password/forgot", data={"email": user.email})
    db.session.commit()

    new_password(client, f"/password/reset/{reset_token(user, now=utcnow())}")

    (waiting,) = db.session.scalars(
        sa.select(OutboxMail).execution_options(populate_existing=True)
    )
    assert waiting.status == MailStatus.SKIPPED
    # The link came by mail to this address, so the address is proven.
    assert reloaded(user).email_verified_at is not None


def test_someone_who_turned_email_off_still_gets_the_link(client, mali, mailbox):  # noqa: F811
    mali.email_mode = EmailMode.OFF
    db.session.commit()
    client.post("/password/forgot", data={"email": mali.email})

    assert send_due(now=utcnow()).sent == 1
    assert len(mailbox.to(mali.email)) == 1


def test_the_login_page_links_to_the_reset(client):
    assert 'href="/password/forgot"' in client.get("/login").text
