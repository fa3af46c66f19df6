"""A person with a record of every kind the site keeps about people: as a citizen (proposals,
comments, supports, reviews, volunteering, reports), as a member (a seat, votes, meetings) and
in the official roles (ballots, answers, progress, KPIs, imports, moderation, settings). Rows
are placed directly: the services test their own rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from participation.accountability.services import record
from participation.accounts.models import (
    RecoveryCode,
    Sector,
    TwoFactorRequirement,
    TwoFactorRole,
    User,
)
from participation.answers.models import Answer, AnswerState
from participation.comments.models import Comment, CommentRevision, Stance
from participation.commitments.models import (
    Commitment,
    CommitmentStatus,
    Completion,
    ProgressUpdate,
)
from participation.environment.models import DataImport, DataKind
from participation.evaluations.models import (
    Assessment,
    AssessmentKind,
    OpenedGovernment,
    Review,
    ReviewKind,
)
from participation.extensions import db
from participation.kpis.models import Direction, Kpi, Measurement, Rule
from participation.mail.models import MailKind, MailStatus, OutboxMail
from participation.meetings.models import Attendance, AttendanceStatus, Meeting
from participation.moderation.models import (
    Block,
    ContentKind,
    ModerationReason,
    Report,
    ReportOutcome,
)
from participation.notifications.models import Follow, FollowedType, Notification
from participation.proposals.models import ProposalRevision, Support
from participation.volunteering.models import Signup, SignupStatus, VolunteerTask
from participation.votes.models import VoteChoice
from tests.factories import Factories

NOW = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass
class Record:
    """The ids of one round of the person's records."""

    proposal: int
    edited_proposal: int
    comment: int
    deleted_comment: int
    seat: int
    ballot: int
    vote: int
    task: int
    review: int
    report: int
    block: int
    meeting: int


def busy_person(make: Factories, **details) -> User:
    """A citizen of a civil-society organisation, with two-factor authentication on and
    three recovery codes, one used."""
    organisation = make.organisation(sector=Sector.CIVIL_SOCIETY, name_th="เครือข่ายอากาศสะอาดลำปาง")
    person = make.user(sector=Sector.CIVIL_SOCIETY, organisation=organisation, **details)
    person.totp_secret = TOTP_SECRET
    person.totp_enabled_at = NOW
    person.last_login_at = NOW
    db.session.add_all(
        RecoveryCode(user_id=person.id, code_hash=f"{n:064x}", used_at=NOW if n == 0 else None)
        for n in range(3)
    )
    db.session.flush()
    return person


def records_of(make: Factories, person: User, other: User) -> Record:
    """One row of every kind about `person` (`other` is the rest of the world); each call adds
    a new round in a new working group."""
    group = make.group()
    seat = make.seat(group, holder=person, sector=Sector.CIVIL_SOCIETY)
    proposal = make.proposal(group=group, author=person, title="Clean air for Mae Moh")
    db.session.add(ProposalRevision(proposal_id=proposal.id, number=2, title=proposal.title,
                                    body="A second version.", category_id=proposal.category_id,
                                    editor_id=person.id, created_at=NOW))
    elsewhere = make.proposal(group=group, author=other, title="Someone else's proposal")
    db.session.add(ProposalRevision(proposal_id=elsewhere.id, number=2, title=elsewhere.title,
                                    body="Tidied by the person.", category_id=elsewhere.category_id,
                                    editor_id=person.id, created_at=NOW))
    comment = Comment(proposal_id=elsewhere.id, author_id=person.id, body="Second words",
                      stance=Stance.FOR, revision_count=2)
    deleted = Comment(proposal_id=elsewhere.id, author_id=person.id, body="Taken back",
                      deleted_at=NOW)
    db.session.add_all([comment, deleted])
    db.session.flush()
    db.session.add_all([
        CommentRevision(comment_id=comment.id, body="First words", stance=Stance.FOR),
        CommentRevision(comment_id=comment.id, body="Second words", stance=Stance.FOR),
        Support(proposal_id=elsewhere.id, user_id=person.id),
        Follow(user_id=person.id, subject_type=FollowedType.PROPOSAL, subject_id=elsewhere.id),
        Notification(user_id=person.id, event="comment.posted", subject_type="proposal",
                     subject_id=proposal.id, actor_id=other.id,
                     data={"title": proposal.title, "author": other.display_name}),
        OutboxMail(user_id=person.id, kind=MailKind.EMAIL_CHANGED, status=MailStatus.SENT,
                   to_address="old.address@example.org", sent_at=NOW),
    ])

    ballot = make.ballot(elsewhere, opened_by=person)
    vote = make.vote(seat, ballot=ballot, choice=VoteChoice.NO)
    answered = make.proposal(group=group, author=other)
    db.session.add(Answer(proposal_id=answered.id, state=AnswerState.ACCEPTED, body="Accepted.",
                          answered_by_id=person.id, answered_at=NOW, answered_on=date(2026, 3, 1),
                          due_on=date(2026, 3, 31)))

    decision = make.decision(group=group)
    commitment = Commitment(decision_id=decision.id, group_id=group.id, title="Forecasts",
                            lead_organisation_id=make.organisation().id,
                            start_date=date(2026, 1, 1), due_date=date(2026, 12, 31))
    db.session.add(commitment)
    db.session.flush()
    update = ProgressUpdate(commitment_id=commitment.id, author_id=person.id,
                            reported_on=date(2026, 2, 1), completion=Completion.LIMITED,
                            percent=20, status=CommitmentStatus.ON_TRACK, note="Started.")
    task = VolunteerTask(commitment_id=commitment.id, title="Fire watch", place="Mae Moh",
                         starts_at=NOW + timedelta(days=3), ends_at=NOW + timedelta(days=3, hours=4),
                         capacity=5, created_by_id=person.id)
    db.session.add_all([update, task])
    db.session.flush()
    review = Review(update_id=update.id, reviewer_id=person.id, kind=ReviewKind.DISPUTE,
                    comment="Nothing has started.", answer_due_on=date(2026, 3, 15))
    answered_dispute = Review(update_id=update.id, reviewer_id=other.id, kind=ReviewKind.DISPUTE,
                              comment="Really?", answer_due_on=date(2026, 3, 15),
                              answer="Yes, really.", answered_by_id=person.id, answered_at=NOW)
    kpi = Kpi(group_id=group.id, name_th="วันฝุ่นเกิน", unit_th="วัน", direction=Direction.LOWER,
              baseline_value=20, baseline_start=date(2024, 1, 1), baseline_end=date(2024, 12, 31),
              target_value=5, target_date=date(2027, 12, 31), rule=Rule.MANUAL)
    meeting = Meeting(group_id=group.id, title="การประชุมครั้งที่ 1/2569", starts_at=NOW,
                      created_by_id=person.id, minutes_taker_id=person.id)
    db.session.add_all([
        review, answered_dispute, kpi, meeting,
        Assessment(commitment_id=commitment.id, kind=AssessmentKind.INDEPENDENT,
                   assessed_on=date(2026, 2, 15), completion=Completion.LIMITED,
                   opened_government=OpenedGovernment.MARGINAL, explanation="Too slow.",
                   author_id=person.id),
        Signup(task_id=task.id, user_id=person.id, status=SignupStatus.CONFIRMED),
        DataImport(kind=DataKind.AIR, filename="air.csv", sha256="c" * 64, actor_id=person.id),
    ])
    db.session.flush()
    db.session.add(Measurement(kpi_id=kpi.id, period_start=date(2026, 2, 1), value=12,
                               author_id=person.id))
    db.session.add(Attendance(meeting_id=meeting.id, seat_id=seat.id,
                              status=AttendanceStatus.PRESENT, attendee_id=person.id))

    report = Report(content_kind=ContentKind.PROPOSAL, content_id=elsewhere.id,
                    reporter_id=person.id, reason=ModerationReason.SPAM, note="An advert.")
    db.session.add_all([
        report,
        Report(content_kind=ContentKind.PROPOSAL, content_id=proposal.id, reporter_id=other.id,
               reason=ModerationReason.OFF_TOPIC, resolved_at=NOW, resolved_by_id=person.id,
               outcome=ReportOutcome.DISMISSED),
    ])
    block = Block(user_id=person.id, reason=ModerationReason.ABUSE, starts_at=NOW - timedelta(days=9),
                  ends_at=NOW - timedelta(days=2), blocked_by_id=other.id)
    db.session.add_all([
        block,
        Block(user_id=other.id, reason=ModerationReason.SPAM, starts_at=NOW - timedelta(days=9),
              ends_at=NOW - timedelta(days=8), blocked_by_id=person.id, lifted_by_id=person.id,
              lifted_at=NOW - timedelta(days=8, hours=12)),
    ])
    db.session.flush()
    record(actor=person, verb="proposal.opened", subject_type="proposal", subject_id=proposal.id,
           data={"from": "draft", "to": "open"}, now=NOW)
    record(actor=other, verb="user.blocked", subject_type="user", subject_id=person.id,
           data={"reason": "abuse", "until": (NOW - timedelta(days=2)).isoformat()}, now=NOW)
    return Record(proposal=proposal.id, edited_proposal=elsewhere.id, comment=comment.id,
                  deleted_comment=deleted.id, seat=seat.id, ballot=ballot.id, vote=vote.id,
                  task=task.id, review=review.id, report=report.id, block=block.id,
                  meeting=meeting.id)


def requires_two_factor_of_administrators(person: User) -> None:
    """A setting the person chose as an administrator (one row for the whole site)."""
    db.session.add(TwoFactorRequirement(role=TwoFactorRole.ADMINISTRATOR, required_by_id=person.id,
                                        required_at=NOW))
    db.session.flush()
