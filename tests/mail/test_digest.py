"""The daily digest: one e-mail gathering a reader's notifications, at most one a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from participation.accounts.models import EmailMode
from participation.extensions import db
from participation.mail.models import MailKind, MailStatus, OutboxMail
from participation.mail.services import DIGEST_SHOWN, queue_digests, send_due
from participation.notifications.models import Follow, FollowedType, Notification
from tests.mail.conftest import comment_posted, follower

NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def digests_of(user) -> list[OutboxMail]:
    return list(db.session.scalars(
        sa.select(OutboxMail)
        .where(OutboxMail.user_id == user.id, OutboxMail.kind == MailKind.DIGEST)
        .order_by(OutboxMail.id)
        .execution_options(populate_existing=True)
    ))


def test_a_digest_gathers_several_notifications_in_one_mail(make, mailbox):
    burning = make.proposal(title="Ban open burning")
    masks = make.proposal(title="Masks for schools")
    reader = follower(make, burning, mode=EmailMode.DAILY)
    follower(make, masks, mode=EmailMode.DAILY)  # another reader, their own digest
    db.session.add(Follow(user_id=reader.id, subject_type=FollowedType.PROPOSAL,
                          subject_id=masks.id))
    immediate = follower(make, burning)
    actor = make.user(display_name="Somchai")
    comment_posted(burning, actor=actor, now=NOW - timedelta(hours=5), excerpt="First")
    comment_posted(masks, actor=actor, now=NOW - timedelta(hours=3), excerpt="Second")
    comment_posted(burning, actor=actor, now=NOW - timedelta(hours=1), excerpt="Third")

    assert send_due(now=NOW).sent == 2  # the immediate reader's two mails only
    report = send_due(now=NOW, digest=True)

    assert (report.digests, report.sent) == (2, 2)
    (mail,) = mailbox.to(reader.email)
    assert mail.message["Subject"] == "Ruam daily digest: 3 updates"
    text = mail.text
    assert text.index("Ban open burning") < text.index("Masks for schools")
    assert [text.index(f"> {word}") for word in ("First", "Second", "Third")] == sorted(
        text.index(f"> {word}") for word in ("First", "Second", "Third"))
    assert "3 updates" in text and "daily digest because you follow" in text
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (digest,) = digests_of(reader)
    assert digest.status == MailStatus.SENT
    carried = db.session.scalars(
        sa.select(Notification.outbox_id).where(Notification.user_id == reader.id)).all()
    assert carried == [digest.id] * 3
    assert len(mailbox.to(immediate.email)) == 2 and digests_of(immediate) == []


def test_nobody_gets_a_second_digest_within_twenty_hours(make, mailbox):
    proposal = make.proposal(title="Ban open burning")
    reader = follower(make, proposal, mode=EmailMode.DAILY)
    actor = make.user()
    comment_posted(proposal, actor=actor, now=NOW - timedelta(hours=2), excerpt="Before")
    send_due(now=NOW, digest=True)
    comment_posted(proposal, actor=actor, now=NOW + timedelta(hours=1), excerpt="After")

    assert send_due(now=NOW + timedelta(hours=19), digest=True).digests == 0
    assert send_due(now=NOW + timedelta(hours=20, minutes=1), digest=True).digests == 1

    first, second = mailbox.to(reader.email)
    assert "> Before" in first.text and "> After" not in first.text
    assert "> After" in second.text and "> Before" not in second.text
    assert second.message["Subject"] == "Ruam daily digest: 1 update"


def test_digests_are_only_for_those_who_chose_them(make, mailbox):
    proposal = make.proposal()
    off = follower(make, proposal, mode=EmailMode.OFF)
    immediate = follower(make, proposal)
    comment_posted(proposal, actor=make.user(), now=NOW - timedelta(hours=1))

    report = send_due(now=NOW, digest=True)

    assert report.digests == 0 and report.sent == 1
    assert mailbox.to(off.email) == [] and len(mailbox.to(immediate.email)) == 1


def test_a_second_digest_run_finds_nothing_left_to_gather(make, mailbox):
    proposal = make.proposal()
    reader = follower(make, proposal, mode=EmailMode.DAILY)
    comment_posted(proposal, actor=make.user(), now=NOW - timedelta(hours=1))

    assert queue_digests(now=NOW) == 1
    # Even without the twenty-hour rule, nothing is left for another digest.
    assert queue_digests(now=NOW + timedelta(days=1)) == 0
    assert len(digests_of(reader)) == 1


def test_a_long_digest_lists_the_first_ones_and_says_how_many_more(make, mailbox):
    proposal = make.proposal(title="Ban open burning")
    reader = follower(make, proposal, mode=EmailMode.DAILY)
    actor = make.user()
    for minute in range(DIGEST_SHOWN + 3):
        comment_posted(proposal, actor=actor, now=NOW - timedelta(hours=2, minutes=-minute),
                       excerpt=f"Comment number {minute}")

    send_due(now=NOW, digest=True)

    (mail,) = mailbox.to(reader.email)
    assert f"Comment number {DIGEST_SHOWN - 1}" in mail.text
    assert f"Comment number {DIGEST_SHOWN}" not in mail.text
    assert "And 3 more" in mail.text and "And 3 more" in mail.html
