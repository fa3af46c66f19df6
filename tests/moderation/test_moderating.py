"""Hiding, restoring and dismissing: only moderators, only in the states the rules allow; each is
logged with the reason and the number of reports, resolves the open reports, keeps the comment
count right, and the author (only) is told in the site and by e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.accountability.models import LogEntry
from participation.accounts.models import EmailMode
from participation.comments import services as comments
from participation.core.models import utcnow
from participation.extensions import db
from participation.mail.models import MailKind, OutboxMail
from participation.moderation import services
from participation.moderation.models import ReportOutcome
from participation.moderation.services import ModerationRefused, NotAModerator
from participation.notifications import services as notifications
from participation.notifications.models import FollowedType
from participation.proposals.models import Proposal, ProposalState
from tests.moderation.scene import (
    ABUSE,
    COMMENT,
    OTHER,
    PROPOSAL,
    SPAM,
    report,
    reports_of,
    thread,
)
from tests.notifications.scene import told
from tests.rows import count_rows

S = ProposalState


def log_of(verb: str) -> list[LogEntry]:
    return list(db.session.scalars(
        db.select(LogEntry).where(LogEntry.verb == verb).order_by(LogEntry.id)
    ))


def test_hiding_a_comment_resolves_its_reports_logs_and_tells_only_its_author(make, cast):
    scene = thread(make, cast)
    follower = make.user()
    notifications.follow(user=follower, kind=FollowedType.PROPOSAL, subject=scene.proposal,
                         now=utcnow())
    report(cast.outsider, COMMENT, scene.comment, SPAM)
    report(cast.chair, COMMENT, scene.comment, ABUSE, note="Rude too")
    other = report(cast.chair, PROPOSAL, scene.proposal)
    now = utcnow() + timedelta(minutes=1)

    closed = services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.comment,
                           reason=SPAM, now=now)

    assert closed == 2
    assert (scene.comment.hidden_at, scene.comment.hidden_reason) == (now, SPAM)
    assert {(r.outcome, r.resolved_by_id, r.resolved_at) for r in reports_of(
        COMMENT, scene.comment.id)} == {(ReportOutcome.HIDDEN, scene.moderator.id, now)}
    assert reports_of(PROPOSAL, scene.proposal.id)[0].resolved_at is None  # not this one
    assert other.outcome is None
    [entry] = log_of("moderation.hidden")
    assert (entry.actor_id, entry.subject_type, entry.subject_id) == (
        scene.moderator.id, "comment", scene.comment.id)
    assert entry.data == {"reason": "spam", "reports": 2}
    [told_author] = told(cast.member, "moderation.hidden")
    assert (told_author.subject_type, told_author.subject_id) == ("proposal", scene.proposal.id)
    assert told_author.actor_id == scene.moderator.id
    assert told_author.data["reason"] == "spam"
    assert told_author.data["comment_id"] == scene.comment.id
    assert told_author.data["title"] == "Spray water near schools"
    assert told(follower, "moderation.hidden") == []
    assert told(cast.author, "moderation.hidden") == []


def test_the_author_who_wants_each_email_gets_one_queued(make, cast):
    scene = thread(make, cast)
    cast.member.email_mode = EmailMode.IMMEDIATE
    cast.outsider.email_mode = EmailMode.DAILY

    services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.comment, reason=SPAM,
                  now=utcnow())
    services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.reply, reason=ABUSE,
                  now=utcnow())

    [immediate] = told(cast.member, "moderation.hidden")
    mail = db.session.get(OutboxMail, immediate.outbox_id)
    assert (mail.user_id, mail.kind) == (cast.member.id, MailKind.IMMEDIATE)
    [daily] = told(cast.outsider, "moderation.hidden")
    assert daily.outbox_id is None  # the day's digest carries it


def test_hiding_a_comment_takes_it_out_of_the_count_and_restoring_puts_it_back(make, cast):
    scene = thread(make, cast)
    assert scene.proposal.comment_count == 2

    services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.comment, reason=SPAM,
                  now=utcnow())
    db.session.refresh(scene.proposal)
    assert scene.proposal.comment_count == 1

    services.restore(moderator=scene.moderator, kind=COMMENT, content=scene.comment,
                     now=utcnow())
    db.session.refresh(scene.proposal)
    assert scene.proposal.comment_count == 2
    assert scene.comment.hidden_at is None and scene.comment.hidden_reason is None


def test_restoring_logs_the_reports_the_hiding_closed_and_tells_the_author(make, cast):
    scene = thread(make, cast)
    report(cast.outsider, PROPOSAL, scene.proposal)
    report(cast.member, PROPOSAL, scene.proposal)
    services.hide(moderator=scene.moderator, kind=PROPOSAL, content=scene.proposal,
                  reason=ABUSE, now=utcnow())

    count = services.restore(moderator=scene.moderator, kind=PROPOSAL, content=scene.proposal,
                             now=utcnow() + timedelta(minutes=5))

    assert count == 2
    assert not scene.proposal.is_hidden and scene.proposal.state == S.OPEN
    [entry] = log_of("moderation.restored")
    assert (entry.subject_type, entry.subject_id, entry.data) == (
        "proposal", scene.proposal.id, {"reports": 2})
    assert [n.event for n in told(cast.author)] == ["moderation.hidden", "moderation.restored"]
    assert "comment_id" not in told(cast.author)[0].data


def test_dismissing_closes_the_open_reports_logs_and_tells_nobody(make, cast):
    scene = thread(make, cast)
    report(cast.outsider, COMMENT, scene.comment)
    report(cast.chair, COMMENT, scene.comment, ABUSE)
    now = utcnow()

    dismissed = services.dismiss(moderator=scene.moderator, kind=COMMENT, content=scene.comment,
                                 now=now)

    assert dismissed == 2
    assert {r.outcome for r in reports_of(COMMENT, scene.comment.id)} == {
        ReportOutcome.DISMISSED}
    assert not scene.comment.is_hidden
    [entry] = log_of("moderation.dismissed")
    assert (entry.subject_type, entry.subject_id, entry.data) == (
        "comment", scene.comment.id, {"reports": 2})
    assert told(cast.member) == []
    # A later report opens a new case.
    report(cast.vice_chair, COMMENT, scene.comment)
    assert [r.outcome for r in reports_of(COMMENT, scene.comment.id)] == [
        ReportOutcome.DISMISSED, ReportOutcome.DISMISSED, None]


def test_dismissing_needs_open_reports(make, cast):
    scene = thread(make, cast)
    with pytest.raises(ModerationRefused, match="no open reports"):
        services.dismiss(moderator=scene.moderator, kind=PROPOSAL, content=scene.proposal,
                         now=utcnow())
    assert log_of("moderation.dismissed") == []


@pytest.mark.parametrize("state", [S.OPEN, S.WITHDRAWN, S.MERGED])
def test_a_proposal_can_be_hidden_before_the_group_takes_it_up(make, cast, state):
    scene = thread(make, cast, state)
    services.hide(moderator=scene.moderator, kind=PROPOSAL, content=scene.proposal,
                  reason=SPAM, now=utcnow())
    assert scene.proposal.is_hidden and scene.proposal.state == state


@pytest.mark.parametrize("state", [S.UNDER_CONSIDERATION, S.ADOPTED, S.REJECTED, S.DRAFT])
def test_a_proposal_of_the_groups_record_or_a_draft_cannot_be_hidden(make, cast, state):
    scene = thread(make, cast, state)
    with pytest.raises(ModerationRefused, match="only while it is open for comment"):
        services.hide(moderator=scene.moderator, kind=PROPOSAL, content=scene.proposal,
                      reason=SPAM, now=utcnow())
    db.session.refresh(scene.proposal)
    assert not scene.proposal.is_hidden
    assert log_of("moderation.hidden") == []


def test_comments_of_a_proposal_under_consideration_can_still_be_hidden(make, cast):
    scene = thread(make, cast, S.ADOPTED)
    services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.reply, reason=ABUSE,
                  now=utcnow())
    assert scene.reply.is_hidden


def test_a_deleted_comment_cannot_be_hidden(make, cast):
    scene = thread(make, cast)
    comments.delete_comment(comment=scene.reply, actor=cast.outsider, now=utcnow())
    with pytest.raises(ModerationRefused, match="deleted"):
        services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.reply,
                      reason=SPAM, now=utcnow())


def test_hiding_twice_and_restoring_what_is_shown_are_refused(make, cast):
    scene = thread(make, cast)
    with pytest.raises(ModerationRefused, match="nothing to restore"):
        services.restore(moderator=scene.moderator, kind=COMMENT, content=scene.comment,
                         now=utcnow())
    services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.comment, reason=SPAM,
                  now=utcnow())
    with pytest.raises(ModerationRefused, match="already hidden"):
        services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.comment,
                      reason=ABUSE, now=utcnow())
    assert len(log_of("moderation.hidden")) == 1


def test_another_reason_is_no_reason_to_show_readers(make, cast):
    scene = thread(make, cast)
    with pytest.raises(ModerationRefused) as refused:
        services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.comment,
                      reason=OTHER, now=utcnow())
    assert refused.value.field == "reason"
    assert not scene.comment.is_hidden


@pytest.mark.parametrize("who", ["outsider", "secretary", "author"])
def test_only_moderators_and_administrators_moderate(make, cast, who):
    scene = thread(make, cast)
    report(cast.vice_chair, COMMENT, scene.comment)
    for step in (services.hide, services.dismiss):
        arguments = {"reason": SPAM} if step is services.hide else {}
        with pytest.raises(NotAModerator):
            step(moderator=cast[who], kind=COMMENT, content=scene.comment, now=utcnow(),
                 **arguments)
    services.hide(moderator=cast.admin, kind=COMMENT, content=scene.comment, reason=SPAM,
                  now=utcnow())
    with pytest.raises(NotAModerator):
        services.restore(moderator=cast[who], kind=COMMENT, content=scene.comment, now=utcnow())


# Through the pages.


def test_a_moderator_hides_from_the_queue_and_is_sent_back_with_a_message(make, cast, login, db):
    scene = thread(make, cast)
    report(cast.outsider, COMMENT, scene.comment)
    db.session.commit()
    client = login(scene.moderator)

    done = client.post(f"/moderation/comment/{scene.comment.id}/hide", data={"reason": "spam"},
                       follow_redirects=True)

    assert done.request.path == "/moderation/queue"
    assert "Hidden: readers now see the reason instead of the text; 1 report was closed." in (
        done.text)
    assert reports_of(COMMENT, scene.comment.id)[0].outcome == ReportOutcome.HIDDEN


def test_a_refused_hide_is_a_message_and_changes_nothing(make, cast, login, db):
    scene = thread(make, cast, S.UNDER_CONSIDERATION)
    db.session.commit()
    client = login(scene.moderator)

    refused = client.post(f"/moderation/proposal/{scene.proposal.id}/hide",
                          data={"reason": "spam"}, follow_redirects=True)
    other = client.post(f"/moderation/comment/{scene.comment.id}/hide",
                        data={"reason": "other"}, follow_redirects=True)

    assert "can be hidden only while it is open for comment" in refused.text
    assert 'class="flash flash-error"' in other.text
    db.session.expire_all()
    assert not db.session.get(Proposal, scene.proposal.id).is_hidden
    assert log_of("moderation.hidden") == []


def test_restore_and_dismiss_through_the_pages(make, cast, login, db):
    scene = thread(make, cast)
    report(cast.outsider, PROPOSAL, scene.proposal)
    services.hide(moderator=scene.moderator, kind=COMMENT, content=scene.comment, reason=SPAM,
                  now=utcnow())
    db.session.commit()
    client = login(scene.moderator)

    restored = client.post(f"/moderation/comment/{scene.comment.id}/restore")
    dismissed = client.post(f"/moderation/proposal/{scene.proposal.id}/dismiss",
                            follow_redirects=True)
    back = client.post(f"/moderation/comment/{scene.comment.id}/hide?back=content",
                       data={"reason": "abuse"})

    assert restored.headers["Location"].endswith("/moderation/queue?show=hidden")
    assert "1 report was dismissed; the contribution stays as it is." in dismissed.text
    assert back.headers["Location"].endswith(
        f"/comments/{scene.comment.id}")
    assert count_rows(LogEntry, LogEntry.verb.like("moderation.%")) == 4


@pytest.mark.parametrize("action", ["hide", "restore", "dismiss"])
def test_others_may_not_moderate_through_the_pages(make, cast, login, client, db, action):
    scene = thread(make, cast)
    report(cast.outsider, COMMENT, scene.comment)
    db.session.commit()
    url = f"/moderation/comment/{scene.comment.id}/{action}"

    assert client.post(url, data={"reason": "spam"}).headers["Location"].startswith("/login")
    for who in ("outsider", "member", "secretary", "chair"):
        assert login(cast[who]).post(url, data={"reason": "spam"}).status_code == 403
    assert count_rows(LogEntry, LogEntry.verb.like("moderation.%")) == 0
