"""Reads of the accountability log: filtered pages, one entry, what each subject is, and the
signed checkpoints with the keys that signed them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from participation.accountability.models import Checkpoint, LogEntry
from participation.accounts.models import Organisation, User
from participation.comments.models import Comment
from participation.commitments.models import Commitment
from participation.core.pagination import MAX_PAGE, Page, paginate
from participation.decisions.models import Decision
from participation.environment.models import DataImport
from participation.extensions import db
from participation.groups.models import Seat, WorkingGroup
from participation.kpis.models import Kpi
from participation.meetings.models import Meeting
from participation.moderation.models import ModerationReason
from participation.proposals.models import Category, Proposal, ProposalState
from participation.proposals.queries import visible_proposal
from participation.votes.models import Ballot


@dataclass(frozen=True)
class LogFilter:
    """The filters of the log page, already validated."""

    subject_type: str | None = None
    subject_id: int | None = None
    verb: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.subject_type or self.verb)


@dataclass(frozen=True)
class SubjectInfo:
    """What a log entry is about: its title and, for a ballot, the proposal it decides; for a
    proposal a moderator hid, the reason instead of the title."""

    title: str | None = None
    proposal_id: int | None = None
    hidden_reason: ModerationReason | None = None


def entries_page(log_filter: LogFilter, *, page: int, per_page: int, entry_count: int) -> Page:
    """Return one page of entries, newest first, with their actors loaded; `entry_count` is
    the whole log's length (services.head()).

    Unfiltered, the page is found by its first id, as fast at page 2,500 as at page 1: ids run
    1, 2, 3... without a gap (record() gives each entry the previous id + 1 under a lock, and
    verify-log reports a gap), so page N starts at id entry_count - (N - 1) * per_page and the
    log's length is its count."""
    if log_filter.active:
        return paginate(entries_matching(log_filter), page=page, per_page=per_page)
    page = min(max(1, page), MAX_PAGE)
    first_id = entry_count - (page - 1) * per_page
    items = list(db.session.scalars(
        entries_matching(log_filter).where(LogEntry.id <= first_id).limit(per_page)
    ))
    return Page(items=items, page=page, per_page=per_page, total=entry_count)


def entries_matching(log_filter: LogFilter) -> sa.Select:
    """The entries a filter selects, newest first, with their actors loaded."""
    statement = sa.select(LogEntry).options(selectinload(LogEntry.actor))
    if log_filter.subject_type:
        statement = statement.where(LogEntry.subject_type == log_filter.subject_type)
        if log_filter.subject_id is not None:
            statement = statement.where(LogEntry.subject_id == log_filter.subject_id)
    if log_filter.verb:
        statement = statement.where(LogEntry.verb == log_filter.verb)
    return statement.order_by(LogEntry.id.desc())


def corrections_of(entry_id: int) -> list[LogEntry]:
    """Return the entries that correct the given one, oldest first."""
    return list(
        db.session.scalars(
            sa.select(LogEntry)
            .where(LogEntry.corrects_id == entry_id)
            .options(selectinload(LogEntry.actor))
            .order_by(LogEntry.id)
        )
    )


def neighbours(entry_id: int) -> tuple[int | None, int | None]:
    """Return the ids of the entries just before and after the given one."""
    before = db.session.scalar(sa.select(sa.func.max(LogEntry.id)).where(LogEntry.id < entry_id))
    after = db.session.scalar(sa.select(sa.func.min(LogEntry.id)).where(LogEntry.id > entry_id))
    return before, after


def subjects_of(entries: Iterable[LogEntry]) -> dict[tuple[str, int], SubjectInfo]:
    """Describe the subjects of many entries with one query per subject type."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        wanted.setdefault(entry.subject_type, set()).add(entry.subject_id)
    found: dict[tuple[str, int], SubjectInfo] = {}
    if ids := wanted.get("proposal"):
        # A draft is its author's alone until it opens for comment, and a hidden proposal's
        # title is shown to nobody: the entries stay, without the title.
        title = sa.case(
            (Proposal.state == ProposalState.DRAFT, None),
            (sa.not_(visible_proposal()), None),
            else_=Proposal.title,
        )
        rows = db.session.execute(
            sa.select(Proposal.id, title.label("title"), Proposal.hidden_reason)
            .where(Proposal.id.in_(ids))
        )
        for row in rows:
            found["proposal", row.id] = SubjectInfo(
                title=row.title, proposal_id=row.id, hidden_reason=row.hidden_reason
            )
    if ids := wanted.get("comment"):
        # A comment is titled by its proposal, whose page shows it (moderation lane A1).
        title = sa.case(
            (Proposal.state == ProposalState.DRAFT, None),
            (sa.not_(visible_proposal()), None),
            else_=Proposal.title,
        )
        rows = db.session.execute(
            sa.select(Comment.id, Comment.proposal_id, title.label("title"))
            .join(Proposal, Proposal.id == Comment.proposal_id)
            .where(Comment.id.in_(ids))
        )
        for row in rows:
            found["comment", row.id] = SubjectInfo(title=row.title, proposal_id=row.proposal_id)
    # A ballot or a decision is titled by the proposal it decides.
    for subject_type, model in (("ballot", Ballot), ("decision", Decision)):
        if ids := wanted.get(subject_type):
            rows = db.session.execute(
                sa.select(model.id, Proposal.id.label("proposal_id"), Proposal.title)
                .join(Proposal, Proposal.id == model.proposal_id)
                .where(model.id.in_(ids))
            )
            for row in rows:
                found[subject_type, row.id] = SubjectInfo(
                    title=row.title, proposal_id=row.proposal_id
                )
    if ids := wanted.get("commitment"):
        rows = db.session.execute(
            sa.select(Commitment.id, Commitment.title).where(Commitment.id.in_(ids))
        )
        for row in rows:
            found["commitment", row.id] = SubjectInfo(title=row.title)
    if ids := wanted.get("group"):
        for group in db.session.scalars(sa.select(WorkingGroup).where(WorkingGroup.id.in_(ids))):
            found["group", group.id] = SubjectInfo(title=group.name)
    if ids := wanted.get("organisation"):
        for organisation in db.session.scalars(
            sa.select(Organisation).where(Organisation.id.in_(ids))
        ):
            found["organisation", organisation.id] = SubjectInfo(title=organisation.name)
    if ids := wanted.get("category"):
        for category in db.session.scalars(sa.select(Category).where(Category.id.in_(ids))):
            found["category", category.id] = SubjectInfo(title=category.name)
    if ids := wanted.get("seat"):
        for seat in db.session.scalars(sa.select(Seat).where(Seat.id.in_(ids))):
            title = seat.role.label
            if seat.organisation is not None:
                title = f"{title}: {seat.organisation.name}"
            found["seat", seat.id] = SubjectInfo(title=title)
    if ids := wanted.get("user"):
        rows = db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids)))
        for row in rows:
            found["user", row.id] = SubjectInfo(title=row.display_name)
    if ids := wanted.get("kpi"):
        for kpi in db.session.scalars(sa.select(Kpi).where(Kpi.id.in_(ids))):
            found["kpi", kpi.id] = SubjectInfo(title=kpi.name)
    if ids := wanted.get("data_import"):
        rows = db.session.execute(
            sa.select(DataImport.id, DataImport.filename).where(DataImport.id.in_(ids))
        )
        for row in rows:
            found["data_import", row.id] = SubjectInfo(title=row.filename)
    if ids := wanted.get("meeting"):
        rows = db.session.execute(sa.select(Meeting.id, Meeting.title).where(Meeting.id.in_(ids)))
        for row in rows:
            found["meeting", row.id] = SubjectInfo(title=row.title)
    return found


def checkpoints_page(*, page: int, per_page: int) -> Page:
    """Return one page of checkpoints, newest first."""
    return paginate(
        sa.select(Checkpoint).order_by(Checkpoint.id.desc()), page=page, per_page=per_page
    )


@dataclass(frozen=True)
class SigningKey:
    """A public key that signed checkpoints: how many, and when it first and last did."""

    public_key: str
    checkpoints: int
    first_used: datetime
    last_used: datetime


def signing_keys() -> list[SigningKey]:
    """Every key that ever signed a checkpoint, the most recently used first."""
    rows = db.session.execute(
        sa.select(
            Checkpoint.public_key,
            sa.func.count().label("checkpoints"),
            sa.func.min(Checkpoint.created_at).label("first_used"),
            sa.func.max(Checkpoint.created_at).label("last_used"),
        )
        .group_by(Checkpoint.public_key)
        .order_by(sa.func.max(Checkpoint.created_at).desc(), Checkpoint.public_key)
    )
    return [
        SigningKey(row.public_key, row.checkpoints, row.first_used, row.last_used)
        for row in rows
    ]
