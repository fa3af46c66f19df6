"""Erasing one's account: the personal data goes, public contributions stay under the pseudonym
"Former participant #<id>" (in the reader's language), every session ends and nobody can log in
again; refused with a wrong password, to a seat holder or deputy, and to the last
administrator."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from participation.accountability.models import LogEntry
from participation.accounts.models import EmailMode, RecoveryCode, Sector, User, pseudonym
from participation.accounts.services import WrongPassword
from participation.comments import services as comments
from participation.comments.models import Comment, Stance
from participation.core.models import utcnow
from participation.core.security import verify_password
from participation.evaluations.models import Review
from participation.extensions import db
from participation.groups import services as groups
from participation.groups.models import Seat
from participation.mail.models import MailKind, OutboxMail
from participation.meetings.models import Attendance
from participation.moderation.models import Block, Report
from participation.notifications import services as follows
from participation.notifications.models import Follow, FollowedType, Notification
from participation.privacy.erasure import (
    HoldsSeat,
    LastAdministrator,
    erase_account,
    erased_email,
)
from participation.proposals.models import Proposal, Support
from participation.volunteering import services as volunteering
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from participation.votes import services as votes
from participation.votes.models import Vote, VoteChoice
from tests.factories import PASSWORD
from tests.privacy.scene import busy_person, records_of
from tests.rows import count_rows
from tests.security.world import changed_tables, fingerprint
from tests.votes.helpers import committee

PSEUDONYM = "Former participant #{}"


def former_member(make):
    """A citizen with a record of every kind who once held a seat (now given up), and the
    other person of their world."""
    person = busy_person(make, email="somchai@example.org", display_name="สมชาย ใจดี",
                         is_moderator=True)
    other = make.user(is_admin=True)
    ids = records_of(make, person, other)
    db.session.get(Seat, ids.seat).holder_id = None
    person.is_agency_contact = True
    person.is_admin = True
    person.email_mode = EmailMode.DAILY
    person.language = "en"
    db.session.add(OutboxMail(user_id=person.id, kind=MailKind.IMMEDIATE))
    db.session.flush()
    return person, other, ids


# The rules.


def test_erasing_removes_every_personal_field_of_the_account(make):
    person, _other, _ids = former_member(make)
    version, now = person.session_version, utcnow()

    erase_account(user=person, password=PASSWORD, now=now)
    db.session.expire_all()
    person = db.session.get(User, person.id)

    assert person._display_name == PSEUDONYM.format(person.id)
    assert person.email == erased_email(person.id) == f"erased-{person.id}@invalid"
    assert not verify_password(person.password_hash, PASSWORD)
    assert person.totp_secret is None and person.totp_enabled_at is None
    assert count_rows(RecoveryCode, RecoveryCode.user_id == person.id) == 0
    assert person.organisation_id is None and not person.is_agency_contact
    assert not person.is_admin and not person.is_moderator
    assert person.email_mode == EmailMode.OFF
    assert person.last_login_at is None and person.email_verified_at is None
    assert person.privacy_version is None and person.privacy_consented_at is None
    assert person.blocked_until is None
    assert person.erased_at == now
    assert person.session_version == version + 1
    (entry,) = db.session.scalars(sa.select(LogEntry).where(LogEntry.verb == "user.erased"))
    assert (entry.actor_id, entry.subject_type, entry.subject_id, entry.data) == (
        person.id, "user", person.id, {})


def test_erasing_deletes_what_only_concerns_the_person_and_keeps_the_public_record(make):
    person, other, ids = former_member(make)
    mine = Notification.user_id == person.id
    assert count_rows(Follow, Follow.user_id == person.id) == count_rows(Notification, mine) == 1
    assert count_rows(OutboxMail, OutboxMail.user_id == person.id) == 2

    erase_account(user=person, password=PASSWORD, now=utcnow())

    assert count_rows(Follow, Follow.user_id == person.id) == 0
    assert count_rows(Notification, mine) == 0
    assert count_rows(OutboxMail, OutboxMail.user_id == person.id) == 0
    # Contributions, votes and the records of moderation stay, still theirs.
    assert db.session.get(Proposal, ids.proposal).author_id == person.id
    assert db.session.get(Comment, ids.comment).author_id == person.id
    assert count_rows(Support, Support.user_id == person.id) == 1
    assert db.session.get(Vote, ids.vote).voter_id == person.id
    assert db.session.get(Review, ids.review).reviewer_id == person.id
    assert db.session.get(Report, ids.report).reporter_id == person.id
    assert db.session.get(Block, ids.block).user_id == person.id
    assert count_rows(Attendance, Attendance.attendee_id == person.id) == 1
    assert count_rows(LogEntry, LogEntry.actor_id == person.id) == 2  # proposal.opened, user.erased
    assert count_rows(User, User.id == other.id, User.erased_at.is_(None)) == 1


def test_other_peoples_notifications_name_the_pseudonym_instead(make):
    author = make.user(display_name="Somchai Jaidee")
    follower = make.user()
    proposal = make.proposal()
    now = utcnow()
    follows.follow(user=follower, kind=FollowedType.PROPOSAL, subject=proposal, now=now)
    comments.add_comment(proposal=proposal, author=author, body="Please act.", stance=Stance.FOR,
                         now=now)
    (told,) = db.session.scalars(sa.select(Notification).where(Notification.user_id == follower.id))
    assert told.data["author"] == "Somchai Jaidee"

    erase_account(user=author, password=PASSWORD, now=now)
    db.session.expire_all()

    told = db.session.get(Notification, told.id)
    assert told.data["author"] == PSEUDONYM.format(author.id)
    assert told.data["title"] == proposal.title
    assert "Somchai" not in str(db.session.scalars(sa.select(Notification.data)).all())


def test_places_on_tasks_not_started_are_given_up_and_the_waiting_list_moves_up(make):
    person, other, ids = former_member(make)
    task = db.session.get(VolunteerTask, ids.task)
    task.capacity = 1
    task.starts_at = utcnow() + timedelta(days=3)
    task.ends_at = task.starts_at + timedelta(hours=4)
    waiting = make.user()
    volunteering.sign_up(task=task, user=waiting, now=utcnow())

    erase_account(user=person, password=PASSWORD, now=utcnow())

    def status(user):
        return db.session.scalar(sa.select(Signup.status).where(
            Signup.task_id == task.id, Signup.user_id == user.id))

    assert status(person) == SignupStatus.WITHDRAWN
    assert status(waiting) == SignupStatus.CONFIRMED


def test_a_wrong_password_is_refused_and_changes_nothing(make):
    person = make.user()
    db.session.commit()
    before = fingerprint()
    with pytest.raises(WrongPassword):
        erase_account(user=person, password="not the password", now=utcnow())
    assert changed_tables(before, fingerprint()) == []
    assert person.erased_at is None


@pytest.mark.parametrize("role", ["holder", "deputy"])
def test_a_seat_holder_or_deputy_must_leave_the_seat_first(make, role):
    group = make.group()
    person = make.user()
    seat = make.seat(group, holder=person if role == "holder" else make.user())
    if role == "deputy":
        seat.deputy_id = person.id
    db.session.flush()
    with pytest.raises(HoldsSeat, match="A seat is a public office: ask the secretariat"):
        erase_account(user=person, password=PASSWORD, now=utcnow())
    assert person.erased_at is None


def test_the_last_administrator_cannot_erase_their_account(make):
    admin = make.user(is_admin=True)
    db.session.execute(sa.update(User).where(User.id != admin.id).values(is_admin=False))
    with pytest.raises(LastAdministrator):
        erase_account(user=admin, password=PASSWORD, now=utcnow())
    make.user(is_admin=True)
    erase_account(user=admin, password=PASSWORD, now=utcnow())
    assert admin.erased_at is not None


# Through the pages.


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def test_the_page_says_what_happens_and_asks_for_the_password_and_a_ticked_box(make, login):
    person = make.user()
    text = login(person).get("/account/delete").get_data(as_text=True)
    assert "What is deleted" in text and "What stays, without your name" in text
    assert PSEUDONYM.format(person.id) in text
    assert 'name="password"' in text and 'name="confirm"' in text
    assert 'href="/account/data.json"' in text


def test_the_page_of_a_seat_holder_says_why_and_offers_no_form(make, login):
    group = make.group()
    member = make.member(group)
    text = login(member).get("/account/delete").get_data(as_text=True)
    assert "A seat is a public office" in text
    assert 'name="password"' not in text


def test_without_the_ticked_box_or_with_a_wrong_password_nothing_happens(make, login):
    person = make.user()
    db.session.commit()
    client = login(person)
    for data, message in (({"password": PASSWORD}, "Tick the box"),
                          ({"password": PASSWORD, "confirm": "no"}, "Tick the box"),
                          ({"password": "wrong password", "confirm": "y"},
                           "The password is not right.")):
        before = fingerprint()
        response = client.post("/account/delete", data=data)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
        assert changed_tables(before, fingerprint()) == []


def test_erasing_ends_every_session_and_nobody_can_log_in_again(app, make):
    person = make.user(email="somchai@example.org")
    db.session.commit()
    laptop, phone = app.test_client(), app.test_client()
    for client in (laptop, phone):
        assert log_in(client, "somchai@example.org").status_code == 302

    response = laptop.post("/account/delete", data={"password": PASSWORD, "confirm": "y"},
                           follow_redirects=True)

    assert response.request.path == "/"
    assert "Your account has been deleted." in response.get_data(as_text=True)
    for client in (laptop, phone):
        assert client.get("/account").status_code == 302
    refused = log_in(app.test_client(), "somchai@example.org")
    assert refused.status_code == 200
    assert "The e-mail address or the password is not right." in refused.get_data(as_text=True)
    assert log_in(app.test_client(), erased_email(person.id)).status_code == 200


def test_with_two_factor_on_the_password_alone_confirms(make, login):
    person = busy_person(make)
    db.session.commit()
    text = login(person).get("/account/delete").get_data(as_text=True)
    assert "even with two-factor authentication on" in text
    response = login(person).post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert db.session.get(User, person.id).erased_at is not None


def test_the_address_is_free_again_for_a_new_registration(make, client):
    person = make.user(email="somchai@example.org")
    erase_account(user=person, password=PASSWORD, now=utcnow())
    db.session.commit()
    response = client.post("/register", data={
        "email": "somchai@example.org", "display_name": "Somchai Again",
        "password": "a long enough passphrase", "confirm": "a long enough passphrase",
        "sector": "citizen", "organisation": "", "consent": "y",
    })
    assert response.status_code == 302
    again = db.session.scalars(sa.select(User).where(User.email == "somchai@example.org")).one()
    assert again.id != person.id


# The pseudonym everywhere, in the reader's language.


def expected(user_id: int, language: str) -> str:
    with force_locale(language):
        return pseudonym(user_id)


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_proposal_page_shows_the_pseudonym_in_the_readers_language(make, client, language):
    author = make.user(display_name="Somchai Jaidee")
    proposal = make.proposal(author=author)
    commenter = make.user(display_name="Malee Suksan")
    comments.add_comment(proposal=proposal, author=commenter, body="Yes.", stance=Stance.FOR,
                         now=utcnow())
    for person in (author, commenter):
        erase_account(user=person, password=PASSWORD, now=utcnow())
    db.session.commit()

    text = client.get(f"/proposals/{proposal.id}?lang={language}").get_data(as_text=True)

    assert expected(author.id, language) in text
    assert expected(commenter.id, language) in text
    assert "Somchai" not in text and "Malee" not in text


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_roll_call_keeps_a_former_members_vote_under_the_pseudonym(make, client, language):
    c = committee(make)
    ballot = c.open_ballot()
    member = c.members[0]
    member.display_name = "Wichai Member"
    for voter in c.voters:
        votes.cast_vote(ballot=ballot, member=voter, choice=VoteChoice.YES, now=utcnow())
    decision = votes.close_ballot(ballot=ballot, actor=c.secretary, now=utcnow(), resolution="")
    seat = db.session.scalars(sa.select(Seat).where(Seat.holder_id == member.id)).one()
    groups.assign_holder(seat=seat, holder=None, actor=c.secretary, now=utcnow())
    erase_account(user=member, password=PASSWORD, now=utcnow())
    db.session.commit()

    text = client.get(f"/decisions/{decision.id}?lang={language}").get_data(as_text=True)

    assert "Wichai" not in text
    assert expected(member.id, language) in text
    assert count_rows(Vote, Vote.voter_id == member.id) == 1


def test_the_log_shows_the_pseudonym_as_the_actor(make, client):
    person = make.user(display_name="Somchai Jaidee", sector=Sector.CITIZEN)
    erase_account(user=person, password=PASSWORD, now=utcnow())
    db.session.commit()
    entry = db.session.scalars(sa.select(LogEntry.id).where(LogEntry.verb == "user.erased")).one()
    text = client.get(f"/log/{entry}?lang=en").get_data(as_text=True)
    assert PSEUDONYM.format(person.id) in text and "Somchai" not in text
    assert "Account deleted by its owner" in text

