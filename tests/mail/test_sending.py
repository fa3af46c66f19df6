"""Sending the outbox to a real SMTP server: content in the reader's language, retries with
backoff, permanent refusals, and never sending a mail twice."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import flask_babel
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from participation.accounts.models import EmailMode
from participation.extensions import db
from participation.mail.models import MailKind, MailStatus, OutboxMail
from participation.mail.services import BACKOFF, claim_next, send_due
from participation.mail.tokens import user_id_from_token
from participation.notifications.models import FollowedType, Notification
from participation.notifications.services import notify
from tests.factories import Factories
from tests.mail.conftest import Mailbox, comment_posted, follower, free_port

NOW = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)  # 10.30 in Bangkok


def in_language(language: str, text: str, **values) -> str:
    with flask_babel.force_locale(language):
        return flask_babel.gettext(text, **values)


def outbox_of(user) -> list[OutboxMail]:
    return list(db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.user_id == user.id).order_by(OutboxMail.id)
        .execution_options(populate_existing=True)
    ))


def state_changed(proposal, *, actor, now, state="under_consideration"):
    return notify(
        event="proposal.state_changed", subject_type="proposal", subject_id=proposal.id,
        audiences=[(FollowedType.PROPOSAL, proposal.id)], actor=actor,
        data={"title": proposal.title, "state": state}, now=now,
    )


def test_each_follower_gets_the_mail_in_their_own_language(make, mailbox):
    proposal = make.proposal(title="ห้ามเผาในที่โล่ง Ban open burning")
    thai = follower(make, proposal, language="th", name="มาลี")
    english = follower(make, proposal, language="en", name="Jane")
    state_changed(proposal, actor=make.user(), now=NOW)

    report = send_due(now=NOW)

    assert report.sent == 2
    (thai_mail,) = mailbox.to(thai.email)
    (english_mail,) = mailbox.to(english.email)
    for mail, language in ((thai_mail, "th"), (english_mail, "en")):
        event = in_language(language, "Proposal moved to a new stage")
        assert mail.message["Subject"] == f"{event}: ห้ามเผาในที่โล่ง Ban open burning"
        assert mail.message["Content-Language"] == language
        assert f'<html lang="{language}">' in mail.html
        assert f"https://ruam.example/proposals/{proposal.id}?lang={language}" in mail.text
        assert in_language(language, "Hello %(name)s,", name="มาลี" if language == "th"
                           else "Jane") in mail.text
    # The stage's name is already in the Thai catalogue: each reads it in their language.
    assert "อยู่ระหว่างการพิจารณา" in thai_mail.text and "อยู่ระหว่างการพิจารณา" in thai_mail.html
    assert "Under consideration" in english_mail.text
    assert "Under consideration" not in thai_mail.text


def test_dates_in_a_mail_follow_the_readers_calendar(make, mailbox):
    proposal = make.proposal(title="Ballot on burn permits")
    thai = follower(make, proposal, language="th")
    english = follower(make, proposal, language="en")
    notify(event="ballot.opened", subject_type="proposal", subject_id=proposal.id,
           audiences=[(FollowedType.PROPOSAL, proposal.id)], actor=None,
           data={"title": proposal.title, "closes_at": "2026-03-09T10:00:00+00:00"}, now=NOW)

    send_due(now=NOW)

    # 17.00 in Bangkok; the Thai reader sees the Buddhist Era year.
    assert "9 มีนาคม 2569 17:00 น." in mailbox.to(thai.email)[0].text
    assert "March 9, 2026, 17:00" in mailbox.to(english.email)[0].text


def test_a_mail_has_text_and_html_and_a_one_click_unsubscribe(make, mailbox):
    proposal = make.proposal(title="Clean air <b>now</b>")
    reader = follower(make, proposal, language="en", name="Jane O'Neil")
    author = make.user(display_name="Somchai")
    comment_posted(proposal, actor=author, now=NOW, excerpt="Line one\n<script>x</script>")

    send_due(now=NOW)

    (mail,) = mailbox.to(reader.email)
    message = mail.message
    assert message.get_content_type() == "multipart/alternative"
    assert mail.sender == "no-reply@ruam.example"
    assert message["From"] == "Ruam <no-reply@ruam.example>"
    assert message["To"].addresses[0].addr_spec == reader.email
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https://ruam\.example/unsubscribe/([^?>]+)\?lang=en)>",
                        message["List-Unsubscribe"].strip())
    assert link is not None
    assert user_id_from_token(link.group(2)) == reader.id
    assert link.group(1) in mail.text and link.group(1) in mail.html
    assert "https://ruam.example/account/notifications?lang=en" in mail.text
    # The text part is plain; the HTML part escapes what people wrote.
    assert "New comment: Clean air <b>now</b>" in mail.text
    assert "> <script>x</script>" in mail.text and "By Somchai" in mail.text
    assert "&lt;script&gt;x&lt;/script&gt;" in mail.html and "<script>" not in mail.html
    assert "Clean air &lt;b&gt;now&lt;/b&gt;" in mail.html
    assert "https://ruam.example/comments/1?lang=en" in mail.text
    (row,) = outbox_of(reader)
    assert row.status == MailStatus.SENT and row.sent_at == NOW and row.attempts == 1
    assert message["Message-ID"] == row.message_id
    assert row.message_id.startswith(f"<outbox-{row.id}.")


def test_running_the_sender_again_sends_nothing_twice(make, mailbox):
    proposal = make.proposal()
    readers = [follower(make, proposal) for _ in range(3)]
    comment_posted(proposal, actor=make.user(), now=NOW)

    first = send_due(now=NOW)
    second = send_due(now=NOW + timedelta(minutes=1))

    assert (first.sent, second.sent) == (3, 0)
    assert sorted(r for m in mailbox.messages for r in m.recipients) == sorted(
        r.email for r in readers)


def test_the_actor_gets_no_mail_of_their_own_act(make, mailbox):
    proposal = make.proposal()
    author = follower(make, proposal)
    comment_posted(proposal, actor=author, now=NOW)

    assert send_due(now=NOW).sent == 0
    assert mailbox.messages == []


def test_a_temporary_refusal_is_retried_after_a_pause_and_then_delivered(make, mailbox):
    proposal = make.proposal()
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    mailbox.data_replies.append("451 4.3.0 Mailbox busy, try again later")

    report = send_due(now=NOW)

    assert (report.sent, report.retrying) == (0, 1)
    (row,) = outbox_of(reader)
    assert row.status == MailStatus.PENDING and row.attempts == 1
    assert row.next_attempt_at == NOW + BACKOFF[0]
    assert "451" in row.last_error
    assert send_due(now=NOW + BACKOFF[0] - timedelta(seconds=1)).sent == 0  # not yet due

    assert send_due(now=NOW + BACKOFF[0]).sent == 1
    (row,) = outbox_of(reader)
    assert row.status == MailStatus.SENT and row.attempts == 2 and row.last_error == ""
    assert len(mailbox.to(reader.email)) == 1


def test_the_pauses_grow_and_the_sender_gives_up_after_the_last_attempt(make, mailbox, app):
    proposal = make.proposal()
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    mailbox.always_refuse = "421 4.7.0 Too many connections"
    max_attempts = app.config["MAIL_MAX_ATTEMPTS"]

    moment, pauses = NOW, []
    for _attempt in range(max_attempts):
        send_due(now=moment)
        (row,) = outbox_of(reader)
        if row.status == MailStatus.FAILED:
            break
        pauses.append(row.next_attempt_at - moment)
        moment = row.next_attempt_at

    assert row.status == MailStatus.FAILED and row.attempts == max_attempts
    assert pauses == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                      timedelta(hours=2), timedelta(hours=12)]
    assert send_due(now=moment + timedelta(days=2)).sent == 0
    assert mailbox.messages == []


def test_a_permanent_refusal_fails_at_once_and_is_not_retried(make, mailbox):
    proposal = make.proposal()
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    mailbox.rcpt_replies.append("550 5.1.1 No such user here")

    report = send_due(now=NOW)

    assert report.failed == 1
    (row,) = outbox_of(reader)
    assert row.status == MailStatus.FAILED and row.attempts == 1
    assert "550" in row.last_error
    assert send_due(now=NOW + timedelta(days=1)).failed == 0
    assert mailbox.messages == []


def test_one_refused_mail_does_not_hold_up_the_others(make, mailbox):
    proposal = make.proposal()
    first, second = follower(make, proposal), follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    mailbox.rcpt_replies.append("550 5.1.1 No such user here")

    report = send_due(now=NOW)

    assert (report.failed, report.sent) == (1, 1)
    assert len(mailbox.messages) == 1
    assert {outbox_of(first)[0].status, outbox_of(second)[0].status} == {
        MailStatus.FAILED, MailStatus.SENT}


def test_a_sender_that_died_mid_send_leaves_the_mail_uncertain_never_resent(make, mailbox):
    proposal = make.proposal()
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    # A sender claims the mail, then dies before recording what happened.
    assert claim_next(now=NOW) is not None
    db.session.commit()

    assert send_due(now=NOW + timedelta(minutes=10)).sent == 0
    assert outbox_of(reader)[0].status == MailStatus.SENDING  # perhaps still at work

    report = send_due(now=NOW + timedelta(minutes=16))
    (row,) = outbox_of(reader)
    assert report.uncertain == 1 and row.status == MailStatus.UNCERTAIN
    assert send_due(now=NOW + timedelta(days=3)).sent == 0
    assert mailbox.messages == []


def test_a_connection_lost_after_the_message_was_handed_over_is_uncertain(make, mailbox, app,
                                                                          monkeypatch):
    proposal = make.proposal()
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.3)
    mailbox.delay = 1.0  # the server keeps the message but answers too late

    report = send_due(now=NOW)

    (row,) = outbox_of(reader)
    assert report.uncertain == 1 and row.status == MailStatus.UNCERTAIN
    assert send_due(now=NOW + timedelta(days=1)).sent == 0
    assert len(mailbox.to(reader.email)) == 1  # it did arrive: resending would be twice


def test_an_unreachable_server_keeps_the_mails_for_later(make, mailbox, app, monkeypatch):
    proposal = make.proposal()
    readers = [follower(make, proposal) for _ in range(2)]
    comment_posted(proposal, actor=make.user(), now=NOW)
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there

    report = send_due(now=NOW)

    assert report.server_down and report.retrying == 1
    rows = sorted((row for reader in readers for row in outbox_of(reader)),
                  key=lambda row: row.attempts)
    # The run stops at the first failure to connect, rather than spend every mail's attempts.
    assert [(row.status, row.attempts) for row in rows] == [
        (MailStatus.PENDING, 0), (MailStatus.PENDING, 1)]
    monkeypatch.setitem(app.config, "MAIL_PORT", mailbox.port)
    assert send_due(now=NOW + timedelta(minutes=1)).sent == 2


def test_people_who_turned_email_off_are_skipped(make, mailbox):
    proposal = make.proposal()
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    reader.email_mode = EmailMode.OFF
    db.session.flush()

    report = send_due(now=NOW)

    assert (report.skipped, report.sent) == (1, 0)
    assert outbox_of(reader)[0].status == MailStatus.SKIPPED
    assert mailbox.messages == []


def test_switching_to_the_digest_moves_waiting_mails_into_it(make, mailbox):
    proposal = make.proposal(title="Firebreaks in Mae Moh")
    reader = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW)
    reader.email_mode = EmailMode.DAILY
    db.session.flush()

    assert send_due(now=NOW).skipped == 1
    assert mailbox.messages == []
    report = send_due(now=NOW + timedelta(hours=1), digest=True)

    assert (report.digests, report.sent) == (1, 1)
    (mail,) = mailbox.to(reader.email)
    assert "Firebreaks in Mae Moh" in mail.text


def test_two_senders_at_once_send_each_mail_once(fresh_app):
    """Real concurrent senders on a database that commits: every mail goes exactly once."""
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    fresh_app.config.update(MAIL_SERVER=box.host, MAIL_PORT=box.port, MAIL_TIMEOUT=5)
    try:
        with fresh_app.app_context():
            make = Factories()
            proposal = make.proposal()
            readers = [follower(make, proposal) for _ in range(24)]
            comment_posted(proposal, actor=make.user(), now=NOW)
            db.session.commit()
            expected = sorted(reader.email for reader in readers)

        reports, errors = [], []

        def sender() -> None:
            try:
                with fresh_app.app_context():
                    reports.append(send_due(now=NOW))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=sender) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        controller.stop()

    assert errors == []
    assert sum(report.sent for report in reports) == 24
    assert sorted(r for m in box.messages for r in m.recipients) == expected
    assert len({m.message["Message-ID"] for m in box.messages}) == 24
    with fresh_app.app_context():
        statuses = db.session.scalars(sa.select(OutboxMail.status)).all()
        assert set(statuses) == {MailStatus.SENT}
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 24
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(OutboxMail)
            .where(OutboxMail.kind == MailKind.IMMEDIATE)) == 24


def test_an_address_with_thai_letters_is_delivered_over_smtputf8(make, mailbox):
    proposal = make.proposal(title="Ban open burning")
    reader = follower(make, proposal, name="มาลี")
    reader.email = "มาลี@example.org"
    db.session.flush()
    comment_posted(proposal, actor=make.user(), now=NOW)

    assert send_due(now=NOW).sent == 1
    (mail,) = mailbox.to("มาลี@example.org")
    # Headers in UTF-8 as they are (RFC 6531), not encoded words.
    assert "To: มาลี <มาลี@example.org>" in mail.raw.decode("utf-8")
