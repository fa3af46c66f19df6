"""Changing the e-mail address: it needs the current password, the new address must be
confirmed with its own link, and the old address is told."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.accounts.tokens import verification_token
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.models import MailKind, OutboxMail
from participation.mail.services import send_due
from tests.factories import PASSWORD
from tests.mail.conftest import mailbox  # noqa: F401 - the SMTP server fixture
from tests.rows import count_rows

LINK = re.compile(r"https://ruam\.example(/verify/[A-Za-z0-9_.\-]+)")


def reloaded(user: User) -> User:
    return db.session.scalar(
        sa.select(User).where(User.id == user.id).execution_options(populate_existing=True)
    )


@pytest.fixture
def mali(make, login):
    user = make.user(email="mali@example.org", display_name="Mali")
    user.language = "en"
    db.session.commit()
    login(user)
    return user


def test_a_new_address_is_confirmed_by_its_own_link_and_the_old_one_is_told(
    client, mali, mailbox  # noqa: F811
):
    old_link = f"/verify/{verification_token(mali, now=utcnow())}"
    response = client.post("/account/email", data={"email": "Mali.New@example.org",
                                                   "password": PASSWORD})

    assert response.status_code == 302 and response.headers["Location"] == "/account"
    user = reloaded(mali)
    assert user.email == "mali.new@example.org"
    assert user.email_verified_at is None

    assert send_due(now=utcnow()).sent == 2
    (notice,) = mailbox.to("mali@example.org")
    assert notice.message["Subject"] == "The e-mail address of your Ruam account was changed"
    assert "/verify/" not in notice.text
    (confirm,) = mailbox.to("mali.new@example.org")
    # A link mailed for the old address confirms nothing now; the new one does.
    assert client.get(old_link).status_code == 400
    assert reloaded(mali).email_verified_at is None
    assert client.get(LINK.search(confirm.text)[1]).status_code == 200
    assert reloaded(mali).email_verified_at is not None
    # Until then the person was logged in all along, with the new address.
    assert "mali.new@example.org" in client.get("/account").text


@pytest.mark.parametrize(("email", "password", "message"), [
    ("mali.new@example.org", "not my password", "The password is not right."),
    ("mali.new@example.org", "", "This field is required."),
    ("not-an-address", PASSWORD, "Enter a valid e-mail address."),
    ("taken@example.org", PASSWORD, "An account with this e-mail address already exists."),
])
def test_a_refused_change_says_why_and_changes_nothing(client, make, mali, email, password,
                                                        message):
    make.user(email="taken@example.org")
    db.session.commit()

    response = client.post("/account/email", data={"email": email, "password": password})

    assert response.status_code == 200
    assert message in response.text
    user = reloaded(mali)
    assert user.email == "mali@example.org" and user.email_verified_at is not None
    assert count_rows(OutboxMail) == 0


def test_the_same_address_again_changes_nothing(client, mali):
    response = client.post("/account/email", data={"email": "MALI@example.org",
                                                   "password": PASSWORD}, follow_redirects=True)
    assert "This is already your e-mail address." in response.text
    assert reloaded(mali).email_verified_at is not None
    assert count_rows(OutboxMail) == 0


def test_the_old_address_mail_goes_to_the_old_address(client, mali):
    client.post("/account/email", data={"email": "mali.new@example.org", "password": PASSWORD})
    kinds = dict(db.session.execute(sa.select(OutboxMail.kind, OutboxMail.to_address)).all())
    assert kinds == {MailKind.VERIFY_EMAIL: None, MailKind.EMAIL_CHANGED: "mali@example.org"}


def test_only_a_signed_in_person_changes_an_address(client):
    response = client.post("/account/email", data={"email": "x@example.org",
                                                   "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_account_page_shows_the_state_and_the_way_to_change_it(client, mali):
    page = client.get("/account").text
    assert "(confirmed)" in page
    assert 'href="/account/email"' in page
    assert client.get("/account/email").status_code == 200
