"""Reads for the public moderation page: how many reports, hidden contributions, restorations,
dismissals and blocks, by reason and by kind, and the latest moderation actions. Counts and
public reasons only: never who reported, never the hidden text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from participation.accountability.models import LogEntry
from participation.accountability.verbs import verb_label
from participation.accounts.models import User
from participation.comments.models import Comment
from participation.extensions import db
from participation.moderation.models import ContentKind, ModerationReason, Report, ReportOutcome

RECENT_DAYS = 30
LATEST_ACTIONS = 20
PERIODS = ("all", "recent")
# The log entries each figure counts; reports and dismissed reports are counted in `reports`.
COUNTED_VERBS = {
    "moderation.hidden": "hidden",
    "moderation.restored": "restored",
    "user.blocked": "blocks",
}
ACTION_VERBS = (
    "moderation.hidden", "moderation.restored", "moderation.dismissed", "user.blocked",
    "user.unblocked",
)


def _reason(value: object) -> ModerationReason | None:
    try:
        return ModerationReason(value) if value is not None else None
    except ValueError:
        return None


def _kind(value: object) -> ContentKind | None:
    try:
        return ContentKind(value) if value is not None else None
    except ValueError:
        return None


@dataclass
class Tally:
    """The figures of the page: for each measure (reports, hidden, restored, dismissed, blocks)
    and period (all, recent), the counts by kind and reason."""

    since: datetime
    counts: dict[tuple[str, str], Counter] = field(default_factory=dict)

    def add(self, measure: str, period: str, kind: ContentKind | None,
            reason: ModerationReason | None, number: int) -> None:
        if number:
            self.counts.setdefault((measure, period), Counter())[kind, reason] += number

    def count(self, measure: str, period: str = "all", *, kind: ContentKind | None = None,
              reason: ModerationReason | None = None) -> int:
        """How many, optionally of one kind or for one reason."""
        counter = self.counts.get((measure, period), Counter())
        return sum(
            number for (its_kind, its_reason), number in counter.items()
            if (kind is None or its_kind == kind) and (reason is None or its_reason == reason)
        )


def tally(*, now: datetime) -> Tally:
    """Count everything the page shows, overall and over the last RECENT_DAYS days, in two
    queries whatever the number of reports and actions."""
    since = now - timedelta(days=RECENT_DAYS)
    result = Tally(since=since)
    dismissed = Report.outcome == ReportOutcome.DISMISSED
    rows = db.session.execute(
        sa.select(
            Report.content_kind,
            Report.reason,
            sa.func.count(Report.id),
            sa.func.count(Report.id).filter(Report.created_at >= since),
            sa.func.count(Report.id).filter(dismissed),
            sa.func.count(Report.id).filter(dismissed, Report.resolved_at >= since),
        ).group_by(Report.content_kind, Report.reason)
    )
    for kind, reason, received, received_recent, dismissed_all, dismissed_recent in rows:
        result.add("reports", "all", kind, reason, received)
        result.add("reports", "recent", kind, reason, received_recent)
        result.add("dismissed", "all", kind, reason, dismissed_all)
        result.add("dismissed", "recent", kind, reason, dismissed_recent)
    reason = LogEntry.data["reason"].as_string()
    rows = db.session.execute(
        sa.select(
            LogEntry.verb,
            LogEntry.subject_type,
            reason,
            sa.func.count(LogEntry.id),
            sa.func.count(LogEntry.id).filter(LogEntry.created_at >= since),
        )
        .where(LogEntry.verb.in_(COUNTED_VERBS))
        .group_by(LogEntry.verb, LogEntry.subject_type, reason)
    )
    for verb, subject_type, reason_code, number, recent in rows:
        measure = COUNTED_VERBS[verb]
        result.add(measure, "all", _kind(subject_type), _reason(reason_code), number)
        result.add(measure, "recent", _kind(subject_type), _reason(reason_code), recent)
    return result


@dataclass(frozen=True)
class Action:
    """One moderation action as the public sees it."""

    entry: LogEntry
    kind: ContentKind | None  # None: an account
    reason: ModerationReason | None
    proposal_id: int | None  # the proposal page the content is on
    comment_id: int | None

    @property
    def label(self) -> str:
        return verb_label(self.entry.verb)


def latest_actions(*, limit: int = LATEST_ACTIONS) -> list[Action]:
    """The latest moderation actions from the accountability log, newest first, with the
    proposal each hidden comment belongs to: two queries."""
    entries = list(db.session.scalars(
        sa.select(LogEntry)
        .where(LogEntry.verb.in_(ACTION_VERBS))
        .order_by(LogEntry.id.desc())
        .limit(limit)
    ))
    comment_ids = {entry.subject_id for entry in entries if entry.subject_type == "comment"}
    proposal_of = (
        dict(db.session.execute(
            sa.select(Comment.id, Comment.proposal_id).where(Comment.id.in_(comment_ids))
        ).tuples().all())
        if comment_ids else {}
    )
    actions = []
    for entry in entries:
        kind = _kind(entry.subject_type)
        actions.append(Action(
            entry=entry,
            kind=kind,
            reason=_reason(entry.data.get("reason")),
            proposal_id=(
                entry.subject_id if kind == ContentKind.PROPOSAL
                else proposal_of.get(entry.subject_id) if kind == ContentKind.COMMENT
                else None
            ),
            comment_id=entry.subject_id if kind == ContentKind.COMMENT else None,
        ))
    return actions


def moderators() -> list[User]:
    """The people holding the moderator role, by name."""
    return list(db.session.scalars(
        sa.select(User)
        .where(User.is_moderator.is_(True), User.erased_at.is_(None))
        .order_by(User.display_name, User.id)
    ))
