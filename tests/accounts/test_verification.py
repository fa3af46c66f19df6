"""Confirming an e-mail address: registration mails a signed link that expires; until it is
opened a person reads and follows but does not take part; a taken address looks the same."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from participation.accounts.models import EmailMode, User
from participation.accounts.tokens import reset_token, verification_token
from participation.comments.permissions import can_comment
from participation.core.models import utcnow
from participation.evaluations.permissions import can_review
from participation.extensions import db
from participation.mail.models import MailKind, OutboxMail
from participation.mail.services import send_due
from participation.privacy.notices import current_notice_version
from participation.proposals.models import Proposal, Support
from participation.proposals.permissions import can_support
from participation.volunteering.permissions import can_sign_up
from tests.factories import PASSWORD
from tests.mail.conftest import mailbox  # noqa: F401 - the SMTP server fixture
from tests.rows import count_rows

NEW_PASSWORD = "a long enough passphrase"
LINK = re.compile(r"https://ruam\.example(/verify/[A-Za-z0-9_.\-]+)")


def registration(**overrides) -> dict:
    data = {"email": "mali@example.org", "display_name": "Mali", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD, "sector": "citizen", "organisation": "", "consent": "y"}
    data.update(overrides)
    return data


def person(email: str) -> User:
    return db.session.scalar(
        sa.select(User).where(User.email == email).execution_options(populate_existing=True)
    )


def outbox(kind: MailKind) -> list[OutboxMail]:
    return list(db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == kind)))


def test_registering_mails_a_link_that_confirms_the_address_once(client, mailbox):  # noqa: F811
    response = client.post("/register?lang=en", data=registration())
    assert response.headers["Location"] == "/check-email?for=register"
    assert "Check your e-mail" in client.get(response.headers["Location"]).text
    assert person("mali@example.org").email_verified_at is None

    report = send_due(now=utcnow())

    assert report.sent == 1
    (mail,) = mailbox.to("mali@example.org")
    assert mail.message["Subject"] == "Confirm your e-mail address for Ruam"
    assert mail.message["Content-Language"] == "en"
    path = LINK.search(mail.text)[1]
    assert path in mail.html

    first = client.get(path)
    assert first.status_code == 200
    assert "mali@example.org is confirmed" in first.text
    confirmed_at = person("mali@example.org").email_verified_at
    assert confirmed_at is not None

    again = client.get(path)
    assert again.status_code == 200
    assert "was already confirmed" in again.text
    assert person("mali@example.org").email_verified_at == confirmed_at


def test_the_mail_comes_in_the_language_the_person_registered_in(client, mailbox):  # noqa: F811
    client.post("/register?lang=th", data=registration())
    send_due(now=utcnow())
    (mail,) = mailbox.to("mali@example.org")
    assert mail.message["Content-Language"] == "th"
    assert '<html lang="th">' in mail.html
    assert re.search(r"https://ruam\.example/verify/\S+\?lang=th", mail.text)


def test_a_link_older_than_three_days_confirms_nothing(client, make):
    user = make.user(verified=False)
    db.session.commit()
    token = verification_token(user, now=utcnow() - timedelta(days=3, minutes=1))

    response = client.get(f"/verify/{token}")

    assert response.status_code == 400
    assert "not valid any more" in response.text
    assert person(user.email).email_verified_at is None


@pytest.mark.parametrize("spoil", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: "x" + token,
    lambda token: token.split(".")[0],
    lambda token: "not-a-token",
    lambda token: "x" * 600,
])
def test_a_tampered_or_malformed_link_confirms_nothing(client, make, spoil):
    user = make.user(verified=False)
    db.session.commit()
    token = verification_token(user, now=utcnow())

    response = client.get(f"/verify/{spoil(token)}")

    assert response.status_code in (400, 404)
    assert person(user.email).email_verified_at is None


def test_a_reset_link_is_not_a_confirmation_link(client, make):
    user = make.user(verified=False)
    db.session.commit()
    response = client.get(f"/verify/{reset_token(user, now=utcnow())}")
    assert response.status_code == 400
    assert person(user.email).email_verified_at is None


def test_a_link_for_an_address_the_account_no_longer_has_confirms_nothing(client, make):
    user = make.user(email="old@example.org", verified=False)
    token = verification_token(user, now=utcnow())
    user.email = "new@example.org"
    db.session.commit()

    assert client.get(f"/verify/{token}").status_code == 400
    assert person("new@example.org").email_verified_at is None


def test_registering_a_taken_address_looks_the_same_and_mails_its_owner(
    client, make, mailbox  # noqa: F811
):
    owner = make.user(email="mali@example.org", display_name="Mali Owner")
    owner.language = "en"
    db.session.commit()
    before_hash, users_before = owner.password_hash, count_rows(User)

    fresh = client.post("/register", data=registration(email="someone.new@example.org"))
    taken = client.post("/register", data=registration(email=" MALI@example.org"))

    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]
    assert client.get("/account").status_code == 302  # nobody was logged in
    assert count_rows(User) == users_before + 1
    assert person("mali@example.org").password_hash == before_hash
    assert person("mali@example.org").display_name == "Mali Owner"

    send_due(now=utcnow())
    (note,) = mailbox.to("mali@example.org")
    assert note.message["Subject"] == "You already have an account on Ruam"
    assert "https://ruam.example/password/forgot" in note.text
    assert "/verify/" not in note.text


def test_an_unconfirmed_person_is_told_why_on_every_page_and_can_ask_again(client, make, login):
    user = make.user(verified=False)
    db.session.commit()
    login(user)

    page = client.get("/proposals").text
    assert "Confirm your e-mail address to take part" in page
    assert 'action="/account/verify/resend"' in page

    client.post("/account/verify/resend")
    client.post("/account/verify/resend")
    # Asking twice while the first mail waits queues one mail.
    assert count_rows(OutboxMail, OutboxMail.user_id == user.id,
                      OutboxMail.kind == MailKind.VERIFY_EMAIL) == 1


def test_a_confirmed_person_sees_no_reminder_and_asking_again_sends_nothing(
    client, make, login
):
    user = make.user()
    db.session.commit()
    login(user)
    assert "Confirm your e-mail address to take part" not in client.get("/proposals").text
    response = client.post("/account/verify/resend", follow_redirects=True)
    assert "already confirmed" in response.text
    assert count_rows(OutboxMail, OutboxMail.user_id == user.id) == 0


def test_until_confirmed_a_person_cannot_propose_comment_or_support(client, make, login):
    proposal = make.proposal()
    user = make.user(verified=False)
    db.session.commit()
    login(user)
    proposals_before = count_rows(Proposal)

    attempts = [
        client.get("/proposals/new"),
        client.post("/proposals/new", data={"title": "Smoke", "body": "Less smoke.",
                                            "category": proposal.category_id,
                                            "group": proposal.group_id}),
        client.post(f"/proposals/{proposal.id}/comments", data={"body": "Yes", "stance": "for"}),
        client.post(f"/proposals/{proposal.id}/support"),
        client.post("/tasks/1/signup"),
        client.get("/progress/1/review"),
    ]

    for response in attempts:
        assert response.status_code == 403
        assert "Confirm your e-mail address first" in response.text
    assert count_rows(Proposal) == proposals_before
    assert count_rows(Support) == 0
    # Reading and following stay open.
    assert client.get(f"/proposals/{proposal.id}").status_code == 200
    assert client.post(f"/follow/proposal/{proposal.id}").status_code == 302


def test_once_confirmed_the_same_person_takes_part(client, make, login):
    proposal = make.proposal()
    user = make.user(verified=False)
    db.session.commit()
    login(user)
    assert client.get(f"/verify/{verification_token(user, now=utcnow())}").status_code == 200

    assert client.post(f"/proposals/{proposal.id}/support").status_code == 302
    assert count_rows(Support, Support.user_id == user.id) == 1


def test_the_permission_predicates_ask_for_a_confirmed_address(make):
    proposal = make.proposal()
    unconfirmed, confirmed = make.user(verified=False), make.user()
    later = utcnow() + timedelta(days=1)
    task = SimpleNamespace(starts_at=later)
    update = SimpleNamespace(author_id=proposal.author_id)
    for predicate in (lambda u: can_comment(u, proposal), lambda u: can_support(u, proposal),
                      lambda u: can_sign_up(u, task, utcnow()),
                      lambda u: can_review(u, update)):
        assert predicate(confirmed) is True
        assert predicate(unconfirmed) is False


def test_the_sender_sends_account_mails_before_news_and_ignores_email_off(
    make, mailbox  # noqa: F811
):
    from participation.accounts.services import queue_account_mail
    from tests.mail.conftest import comment_posted, follower

    proposal = make.proposal(title="Ban open burning")
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=utcnow() - timedelta(minutes=5))
    reader.email_mode = EmailMode.OFF
    queue_account_mail(user=reader, kind=MailKind.PASSWORD_RESET, now=utcnow())
    db.session.commit()

    report = send_due(now=utcnow(), limit=1)

    assert report.sent == 1
    (first,) = mailbox.to(reader.email)
    assert first.message["Subject"] == "Choose a new password for Ruam"
    assert "List-Unsubscribe" not in first.message
    report = send_due(now=utcnow())
    assert report.skipped == 1  # the news mail: they turned e-mail off


def test_the_factory_default_is_confirmed_and_registration_via_the_service_is_not(db):
    from participation.accounts.models import Sector
    from participation.accounts.services import register, register_user

    user = register(email="a@example.org", password=PASSWORD, display_name="A",
                    sector=Sector.CITIZEN, organisation_name=None, now=utcnow(),
                    privacy_version=current_notice_version())
    assert user.email_verified_at is None
    assert [m.kind for m in outbox(MailKind.VERIFY_EMAIL)] == [MailKind.VERIFY_EMAIL]
    vouched = register_user(email="b@example.org", password=PASSWORD, display_name="B",
                            sector=Sector.CITIZEN, organisation_name=None, now=utcnow(),
                            verified=True)
    assert vouched.email_verified_at is not None
