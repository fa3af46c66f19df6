"""Everything the site holds about one person, as one JSON document: the PDPA's rights of access
and data portability. Built in a fixed number of queries, one per kind of record, whatever the
number of rows.

Every column that points at a person (a foreign key to users.id) is either read here (`SECTIONS`
and `ACCOUNT_COLUMNS`) or named in `NOT_EXPORTED` with the reason; a test fails when a new one is
neither. Secrets are never exported: not the password hash, the two-factor secret or the
recovery codes' digests (only how many codes are unused)."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app

from participation.accountability.models import LogEntry
from participation.accounts.models import TwoFactorRequirement, User
from participation.accounts.two_factor import is_enabled, unused_recovery_codes
from participation.answers.models import Answer
from participation.comments.models import Comment, CommentRevision
from participation.commitments.models import ProgressUpdate
from participation.environment.models import DataImport
from participation.evaluations.models import Assessment, Review
from participation.extensions import db
from participation.groups.models import Seat
from participation.kpis.models import Measurement
from participation.mail.models import OutboxMail
from participation.meetings.models import Attendance, Meeting
from participation.moderation.models import Block, Report
from participation.notifications.models import Follow, Notification
from participation.proposals.models import Proposal, ProposalRevision, Support
from participation.volunteering.models import Signup, VolunteerTask
from participation.votes.models import Ballot, Vote

FORMAT = "ruam-personal-data/1"


@dataclass(frozen=True)
class Section:
    """One list of the download: the rows of one kind that are about the person."""

    # Where the list goes in the document: "comments", or "moderation.reports_filed".
    path: str
    # The columns that name the person: a row is theirs when one of them does.
    person: tuple[Any, ...]
    # Given the person's id, the statement that reads the rows (plain columns, never objects).
    statement: Callable[[int], sa.Select]


def _yours(column: Any, user_id: int) -> sa.ColumnElement[bool]:
    # "Was it you?" as a plain true/false, also when the column is NULL.
    return sa.func.coalesce(column == user_id, sa.false(), type_=sa.Boolean)


def _proposals(uid: int) -> sa.Select:
    return sa.select(
        Proposal.id, Proposal.group_id, Proposal.title, Proposal.body, Proposal.category_id,
        Proposal.sector, Proposal.organisation_id, Proposal.state, Proposal.merged_into_id,
        Proposal.created_at, Proposal.updated_at, Proposal.opened_at, Proposal.support_count,
        Proposal.comment_count, Proposal.hidden_at, Proposal.hidden_reason,
    ).where(Proposal.author_id == uid).order_by(Proposal.id)


def _proposal_revisions(uid: int) -> sa.Select:
    # The revisions of their proposals (whoever saved them), and those they saved elsewhere.
    authored = sa.select(Proposal.id).where(Proposal.author_id == uid)
    return sa.select(
        ProposalRevision.id, ProposalRevision.proposal_id, ProposalRevision.number,
        ProposalRevision.title, ProposalRevision.body, ProposalRevision.category_id,
        _yours(ProposalRevision.editor_id, uid).label("saved_by_you"),
        ProposalRevision.created_at,
    ).where(
        sa.or_(ProposalRevision.proposal_id.in_(authored), ProposalRevision.editor_id == uid)
    ).order_by(ProposalRevision.proposal_id, ProposalRevision.number)


def _comments(uid: int) -> sa.Select:
    return sa.select(
        Comment.id, Comment.proposal_id, Comment.parent_id, Comment.body, Comment.stance,
        Comment.revision_count, Comment.created_at, Comment.updated_at,
        Comment.deleted_at.is_not(None).label("deleted"), Comment.deleted_at,
        Comment.hidden_at.is_not(None).label("hidden"), Comment.hidden_at, Comment.hidden_reason,
    ).where(Comment.author_id == uid).order_by(Comment.id)


def _comment_revisions(uid: int) -> sa.Select:
    written = sa.select(Comment.id).where(Comment.author_id == uid)
    return sa.select(
        CommentRevision.id, CommentRevision.comment_id, CommentRevision.body,
        CommentRevision.stance, CommentRevision.created_at,
    ).where(CommentRevision.comment_id.in_(written)).order_by(
        CommentRevision.comment_id, CommentRevision.id
    )


SECTIONS: tuple[Section, ...] = (
    Section("seats", (Seat.holder_id, Seat.deputy_id), lambda uid: sa.select(
        Seat.id, Seat.group_id, Seat.role, Seat.sector, Seat.organisation_id, Seat.voting,
        _yours(Seat.holder_id, uid).label("holder"), _yours(Seat.deputy_id, uid).label("deputy"),
    ).where(sa.or_(Seat.holder_id == uid, Seat.deputy_id == uid)).order_by(Seat.id)),
    Section("proposals", (Proposal.author_id,), _proposals),
    Section("proposal_edits", (ProposalRevision.editor_id,), _proposal_revisions),
    Section("comments", (Comment.author_id,), _comments),
    # Another person's proposal a moderator hid: its title is not the supporter's to take.
    Section("supports", (Support.user_id,), lambda uid: sa.select(
        Support.proposal_id,
        sa.case((Proposal.hidden_at.is_(None), Proposal.title), else_=None).label(
            "proposal_title"),
        Support.created_at,
    ).join(Proposal, Proposal.id == Support.proposal_id)
        .where(Support.user_id == uid).order_by(Support.id)),
    Section("follows", (Follow.user_id,), lambda uid: sa.select(
        Follow.subject_type, Follow.subject_id, Follow.created_at,
    ).where(Follow.user_id == uid).order_by(Follow.id)),
    Section("notifications", (Notification.user_id,), lambda uid: sa.select(
        Notification.id, Notification.event, Notification.subject_type, Notification.subject_id,
        Notification.data, Notification.created_at, Notification.read_at,
    ).where(Notification.user_id == uid).order_by(Notification.id)),
    Section("email_outbox", (OutboxMail.user_id,), lambda uid: sa.select(
        OutboxMail.id, OutboxMail.kind, OutboxMail.status, OutboxMail.to_address,
        OutboxMail.created_at, OutboxMail.sent_at,
    ).where(OutboxMail.user_id == uid).order_by(OutboxMail.id)),
    Section("volunteering.signups", (Signup.user_id,), lambda uid: sa.select(
        Signup.task_id, VolunteerTask.title.label("task_title"),
        VolunteerTask.starts_at.label("task_starts_at"), Signup.status, Signup.queued_at,
        Signup.updated_at,
    ).join(VolunteerTask, VolunteerTask.id == Signup.task_id)
        .where(Signup.user_id == uid).order_by(Signup.id)),
    Section("volunteering.tasks_offered", (VolunteerTask.created_by_id,), lambda uid: sa.select(
        VolunteerTask.id, VolunteerTask.commitment_id, VolunteerTask.title,
        VolunteerTask.description, VolunteerTask.place, VolunteerTask.starts_at,
        VolunteerTask.ends_at, VolunteerTask.capacity, VolunteerTask.created_at,
    ).where(VolunteerTask.created_by_id == uid).order_by(VolunteerTask.id)),
    Section("evaluations.reviews", (Review.reviewer_id,), lambda uid: sa.select(
        Review.id, Review.update_id, ProgressUpdate.commitment_id, Review.kind, Review.comment,
        Review.evidence_url, Review.created_at, Review.answer_due_on, Review.answer,
        Review.answered_at,
    ).join(ProgressUpdate, ProgressUpdate.id == Review.update_id)
        .where(Review.reviewer_id == uid).order_by(Review.id)),
    Section("evaluations.disputes_answered", (Review.answered_by_id,), lambda uid: sa.select(
        Review.id, Review.update_id, Review.answer, Review.answered_at,
    ).where(Review.answered_by_id == uid).order_by(Review.id)),
    Section("evaluations.assessments", (Assessment.author_id,), lambda uid: sa.select(
        Assessment.id, Assessment.commitment_id, Assessment.kind, Assessment.assessed_on,
        Assessment.completion, Assessment.opened_government, Assessment.explanation,
        Assessment.organisation_id, Assessment.created_at,
    ).where(Assessment.author_id == uid).order_by(Assessment.id)),
    Section("votes", (Vote.voter_id,), lambda uid: sa.select(
        Vote.id, Vote.ballot_id, Ballot.proposal_id, Ballot.secret.label("secret_ballot"),
        Vote.seat_id, Seat.group_id, Seat.role.label("seat_role"), Vote.choice, Vote.reason,
        Vote.cast_at, Vote.updated_at,
    ).join(Ballot, Ballot.id == Vote.ballot_id).join(Seat, Seat.id == Vote.seat_id)
        .where(Vote.voter_id == uid).order_by(Vote.id)),
    Section("ballots_opened_or_closed", (Ballot.opened_by_id, Ballot.closed_by_id),
            lambda uid: sa.select(
        Ballot.id, Ballot.proposal_id, Ballot.group_id, Ballot.opened_at, Ballot.closes_at,
        Ballot.closed_at, Ballot.status, Ballot.result,
        _yours(Ballot.opened_by_id, uid).label("opened_by_you"),
        _yours(Ballot.closed_by_id, uid).label("closed_by_you"),
    ).where(sa.or_(Ballot.opened_by_id == uid, Ballot.closed_by_id == uid)).order_by(Ballot.id)),
    Section("official_answers", (Answer.answered_by_id,), lambda uid: sa.select(
        Answer.id, Answer.proposal_id, Answer.state, Answer.body, Answer.organisation_id,
        Answer.answered_at,
    ).where(Answer.answered_by_id == uid).order_by(Answer.id)),
    Section("progress_updates", (ProgressUpdate.author_id,), lambda uid: sa.select(
        ProgressUpdate.id, ProgressUpdate.commitment_id, ProgressUpdate.reported_on,
        ProgressUpdate.completion, ProgressUpdate.percent, ProgressUpdate.status,
        ProgressUpdate.note, ProgressUpdate.reason, ProgressUpdate.evidence,
        ProgressUpdate.created_at,
    ).where(ProgressUpdate.author_id == uid).order_by(ProgressUpdate.id)),
    Section("kpi_measurements", (Measurement.author_id,), lambda uid: sa.select(
        Measurement.id, Measurement.kpi_id, Measurement.period_start, Measurement.value,
        Measurement.source, Measurement.evidence_url, Measurement.created_at,
    ).where(Measurement.author_id == uid).order_by(Measurement.id)),
    Section("data_imports", (DataImport.actor_id,), lambda uid: sa.select(
        DataImport.id, DataImport.kind, DataImport.filename, DataImport.sha256,
        DataImport.new_rows, DataImport.created_at,
    ).where(DataImport.actor_id == uid).order_by(DataImport.id)),
    Section("meetings.scheduled_or_minuted", (Meeting.created_by_id, Meeting.minutes_taker_id),
            lambda uid: sa.select(
        Meeting.id, Meeting.group_id, Meeting.title, Meeting.starts_at, Meeting.status,
        _yours(Meeting.created_by_id, uid).label("scheduled_by_you"),
        _yours(Meeting.minutes_taker_id, uid).label("minutes_taken_by_you"),
    ).where(sa.or_(Meeting.created_by_id == uid, Meeting.minutes_taker_id == uid))
        .order_by(Meeting.id)),
    Section("meetings.attendance", (Attendance.attendee_id,), lambda uid: sa.select(
        Attendance.meeting_id, Meeting.title.label("meeting_title"),
        Meeting.starts_at.label("meeting_starts_at"), Attendance.seat_id, Attendance.status,
        Attendance.note,
    ).join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.attendee_id == uid).order_by(Attendance.id)),
    Section("moderation.reports_filed", (Report.reporter_id,), lambda uid: sa.select(
        Report.id, Report.content_kind, Report.content_id, Report.reason, Report.note,
        Report.created_at, Report.resolved_at, Report.outcome,
    ).where(Report.reporter_id == uid).order_by(Report.id)),
    Section("moderation.reports_resolved", (Report.resolved_by_id,), lambda uid: sa.select(
        Report.id, Report.content_kind, Report.content_id, Report.resolved_at, Report.outcome,
    ).where(Report.resolved_by_id == uid).order_by(Report.id)),
    Section("moderation.blocks_received", (Block.user_id,), lambda uid: sa.select(
        Block.id, Block.reason, Block.starts_at, Block.ends_at, Block.lifted_at,
    ).where(Block.user_id == uid).order_by(Block.id)),
    # A moderator's own acts; the blocked account is not named (it is someone else's record).
    Section("moderation.blocks_given_or_lifted", (Block.blocked_by_id, Block.lifted_by_id),
            lambda uid: sa.select(
        Block.id, Block.reason, Block.starts_at, Block.ends_at, Block.lifted_at,
        _yours(Block.blocked_by_id, uid).label("blocked_by_you"),
        _yours(Block.lifted_by_id, uid).label("lifted_by_you"),
    ).where(sa.or_(Block.blocked_by_id == uid, Block.lifted_by_id == uid)).order_by(Block.id)),
    # The public log: what they did, and what was done about their account.
    Section("accountability_log", (LogEntry.actor_id,), lambda uid: sa.select(
        LogEntry.id, LogEntry.verb, LogEntry.subject_type, LogEntry.subject_id,
        LogEntry.created_at, _yours(LogEntry.actor_id, uid).label("you_acted"),
    ).where(sa.or_(
        LogEntry.actor_id == uid,
        sa.and_(LogEntry.subject_type == "user", LogEntry.subject_id == uid),
    )).order_by(LogEntry.id)),
    Section("two_factor_requirements_set", (TwoFactorRequirement.required_by_id,),
            lambda uid: sa.select(
        TwoFactorRequirement.role, TwoFactorRequirement.required_at,
    ).where(TwoFactorRequirement.required_by_id == uid).order_by(TwoFactorRequirement.role)),
)

# Read for the "account" part of the document.
ACCOUNT_COLUMNS = {
    # Only the number of unused codes: the digests are secrets.
    ("recovery_codes", "user_id"): "account.two_factor.unused_recovery_codes",
}

# Columns that point at a person but are not part of that person's download, and why.
NOT_EXPORTED = {
    ("notifications", "actor_id"): (
        "Other people's notifications of this person's acts belong to their recipients; the "
        "acts themselves (comments, progress reports...) are exported, and erasure replaces "
        "the person's name in those notifications with the pseudonym."
    ),
}


def covered_columns() -> dict[tuple[str, str], str]:
    """Every (table, column) pointing at users.id that the download reads, and where."""
    covered = {
        (column.table.name, column.name): section.path
        for section in SECTIONS
        for column in section.person
    }
    covered.update(ACCOUNT_COLUMNS)
    return covered


def _plain(value: Any) -> Any:
    """A value as JSON holds it: codes for enums, ISO 8601 for moments and days."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _rows(statement: sa.Select) -> list[dict[str, Any]]:
    return [
        {key: _plain(value) for key, value in row._mapping.items()}
        for row in db.session.execute(statement)
    ]


def _account(user: User) -> dict[str, Any]:
    organisation = user.organisation
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "sector": _plain(user.sector),
        "organisation": None if organisation is None else {
            "id": organisation.id, "name_th": organisation.name_th,
            "name_en": organisation.name_en,
        },
        "language": user.language,
        "email_mode": _plain(user.email_mode),
        "created_at": _plain(user.created_at),
        "last_login_at": _plain(user.last_login_at),
        "email_verified_at": _plain(user.email_verified_at),
        "privacy_notice": {
            "version": user.privacy_version,
            "consented_at": _plain(user.privacy_consented_at),
        },
        "roles": {
            "administrator": bool(user.is_admin),
            "moderator": bool(user.is_moderator),
            "agency_contact": bool(user.is_agency_contact),
        },
        "two_factor": {
            "enabled": is_enabled(user),
            "enabled_at": _plain(user.totp_enabled_at),
            "unused_recovery_codes": unused_recovery_codes(user),
        },
        "blocked_until": _plain(user.blocked_until),
        "erased_at": _plain(user.erased_at),
    }


def _place(document: dict[str, Any], path: str, value: Any) -> None:
    *parents, name = path.split(".")
    for parent in parents:
        document = document.setdefault(parent, {})
    document[name] = value


def personal_data(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything about the person, for them to download: their account, their contributions
    and every record that names them."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "site": current_app.config["SITE_NAME"],
        "exported_at": _plain(now),
        "account": _account(user),
    }
    for section in SECTIONS:
        _place(document, section.path, _rows(section.statement(user.id)))

    # Revisions go under the proposal or comment they belong to.
    revisions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    authored = {proposal["id"] for proposal in document["proposals"]}
    edits = []
    for revision in document["proposal_edits"]:
        if revision["proposal_id"] in authored:
            revisions[revision["proposal_id"]].append(revision)
        else:
            edits.append(revision)
    for proposal in document["proposals"]:
        proposal["revisions"] = revisions.get(proposal["id"], [])
    document["proposal_edits"] = edits

    comment_revisions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for revision in _rows(_comment_revisions(user.id)):
        comment_revisions[revision["comment_id"]].append(revision)
    for comment in document["comments"]:
        comment["revisions"] = comment_revisions.get(comment["id"], [])
    return document
