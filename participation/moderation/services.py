"""Writes of moderation: reporting a proposal or comment, and hiding, restoring and dismissing
the reports of one. Never commits.

Reports are private (never logged, reporters never shown but to moderators); what moderators do
about them is public: each hide, restore and dismissal is an entry in the accountability log,
and the author is told when their contribution is hidden or restored."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from participation.accountability.services import record
from participation.accounts.models import User
from participation.accounts.permissions import can_moderate, is_blocked
from participation.comments.services import recount_comments
from participation.core.db import insert_for_dialect
from participation.core.errors import DomainError, NotAllowed
from participation.extensions import db
from participation.moderation.models import (
    ContentKind,
    ModerationReason,
    Report,
    ReportOutcome,
)
from participation.moderation.permissions import HIDE_REASONS, HIDEABLE_STATES, Content
from participation.notifications import services as notifications
from participation.proposals.models import Proposal, ProposalState
from participation.proposals.services import lock_proposal

NOTE_MAX = 1000


class ReportRefused(DomainError):
    """This contribution cannot be reported by this person now."""


class ModerationRefused(DomainError):
    """The contribution's state does not allow this moderation step."""


class NotAModerator(NotAllowed):
    """Only moderators and administrators moderate."""


def proposal_of(kind: ContentKind | str, content: Content) -> Proposal:
    """The proposal itself, or the proposal a comment is on."""
    if ContentKind(kind) == ContentKind.PROPOSAL:
        return content
    return db.session.get(Proposal, content.proposal_id)


def _has_reported(reporter: User, kind: ContentKind, content_id: int) -> bool:
    return db.session.scalar(
        sa.select(Report.id).where(
            Report.content_kind == kind,
            Report.content_id == content_id,
            Report.reporter_id == reporter.id,
        )
    ) is not None


def report_refusal(*, reporter: User, kind: ContentKind | str, content: Content) -> str | None:
    """Why this person cannot report this contribution, in their language; None if they can."""
    kind = ContentKind(kind)
    proposal = proposal_of(kind, content)
    if reporter.id == content.author_id:
        return _("You cannot report your own contribution.")
    if proposal.state == ProposalState.DRAFT:
        return _("A draft is not public yet, so it cannot be reported.")
    if content.is_hidden or proposal.is_hidden:
        return _("A moderator has already hidden this. It needs no report.")
    if kind == ContentKind.COMMENT and content.is_deleted:
        return _("This comment was deleted by its author. It needs no report.")
    if _has_reported(reporter, kind, content.id):
        return _("You have already reported this. A moderator will look at it.")
    return None


def report(
    *, reporter: User, kind: ContentKind | str, content: Content, reason: ModerationReason,
    note: str, now: datetime,
) -> Report:
    """Ask the moderators to look at a proposal or comment, once per person and contribution."""
    kind, reason = ContentKind(kind), ModerationReason(reason)
    if is_blocked(reporter, now):
        raise NotAllowed(_("Your account is blocked: you cannot report until the block ends."))
    refusal = report_refusal(reporter=reporter, kind=kind, content=content)
    if refusal is not None:
        raise ReportRefused(refusal)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ReportRefused(
            _("The note may be at most %(max)d characters long.", max=NOTE_MAX), field="note"
        )
    # A second click racing the first finds the unique row and is told so, not a 500.
    statement = (
        insert_for_dialect(Report.__table__)
        .values(content_kind=kind, content_id=content.id, reporter_id=reporter.id,
                reason=reason, note=note, created_at=now)
        .on_conflict_do_nothing(index_elements=["content_kind", "content_id", "reporter_id"])
        .returning(Report.__table__.c.id)
    )
    report_id = db.session.execute(statement).scalar_one_or_none()
    if report_id is None:
        raise ReportRefused(_("You have already reported this. A moderator will look at it."))
    return db.session.get(Report, report_id)


def _require_moderator(actor: User | None) -> None:
    if not can_moderate(actor):
        raise NotAModerator(_("Only moderators may do this."))


def _lock(kind: ContentKind, content: Content) -> Proposal:
    """Lock the proposal (the comment's proposal) so the checks below see the current row; a
    comment is read again too."""
    proposal = proposal_of(kind, content)
    lock_proposal(proposal)
    if kind == ContentKind.COMMENT:
        db.session.refresh(content)
    return proposal


def _open_reports(kind: ContentKind, content_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        Report.content_kind == kind,
        Report.content_id == content_id,
        Report.resolved_at.is_(None),
    )


def _resolve_open_reports(
    kind: ContentKind, content_id: int, *, outcome: ReportOutcome, moderator: User,
    now: datetime,
) -> int:
    """Close every open report of the contribution with the outcome; return how many."""
    return db.session.execute(
        sa.update(Report)
        .where(_open_reports(kind, content_id))
        .values(resolved_at=now, resolved_by_id=moderator.id, outcome=outcome)
        .execution_options(synchronize_session=False)
    ).rowcount


def _author_of(content: Content) -> User:
    return db.session.get(User, content.author_id)


def hide(
    *, moderator: User, kind: ContentKind | str, content: Content, reason: ModerationReason,
    now: datetime,
) -> int:
    """Hide a proposal or comment for a public reason, resolving its open reports as hidden;
    log it and tell the author. Return the number of reports resolved."""
    _require_moderator(moderator)
    kind = ContentKind(kind)
    try:
        reason = ModerationReason(reason)
    except ValueError:
        reason = None
    if reason not in HIDE_REASONS:
        raise ModerationRefused(
            _("Choose one of the reasons offered: readers see it instead of the text."),
            field="reason",
        )
    proposal = _lock(kind, content)
    if content.is_hidden:
        raise ModerationRefused(_("This is already hidden."))
    if kind == ContentKind.PROPOSAL and content.state not in HIDEABLE_STATES:
        raise ModerationRefused(
            _("A proposal can be hidden only while it is open for comment, withdrawn or "
              "merged: once the working group takes it up it belongs to the group's record.")
        )
    if kind == ContentKind.COMMENT and content.is_deleted:
        raise ModerationRefused(_("This comment was deleted by its author: nothing to hide."))
    content.hidden_at = now
    content.hidden_reason = reason
    db.session.flush()
    resolved = _resolve_open_reports(
        kind, content.id, outcome=ReportOutcome.HIDDEN, moderator=moderator, now=now
    )
    if kind == ContentKind.COMMENT:
        recount_comments(proposal)
    record(
        actor=moderator, verb="moderation.hidden", subject_type=kind.value,
        subject_id=content.id, data={"reason": reason.value, "reports": resolved}, now=now,
    )
    notifications.content_moderated(
        event="moderation.hidden", author=_author_of(content), proposal=proposal,
        comment=content if kind == ContentKind.COMMENT else None, moderator=moderator,
        data={"reason": reason.value}, now=now,
    )
    return resolved


def restore(*, moderator: User, kind: ContentKind | str, content: Content, now: datetime) -> int:
    """Show a hidden proposal or comment again, as it was; log it and tell the author. Return
    the number of reports that the hiding had resolved."""
    _require_moderator(moderator)
    kind = ContentKind(kind)
    proposal = _lock(kind, content)
    if not content.is_hidden:
        raise ModerationRefused(_("This is not hidden: there is nothing to restore."))
    reports = db.session.scalar(
        sa.select(sa.func.count(Report.id)).where(
            Report.content_kind == kind,
            Report.content_id == content.id,
            Report.outcome == ReportOutcome.HIDDEN,
            Report.resolved_at == content.hidden_at,
        )
    ) or 0
    content.hidden_at = None
    content.hidden_reason = None
    db.session.flush()
    if kind == ContentKind.COMMENT:
        recount_comments(proposal)
    record(
        actor=moderator, verb="moderation.restored", subject_type=kind.value,
        subject_id=content.id, data={"reports": reports}, now=now,
    )
    notifications.content_moderated(
        event="moderation.restored", author=_author_of(content), proposal=proposal,
        comment=content if kind == ContentKind.COMMENT else None, moderator=moderator,
        data={}, now=now,
    )
    return reports


def dismiss(*, moderator: User, kind: ContentKind | str, content: Content, now: datetime) -> int:
    """Close the open reports of a contribution with no action; log it (the author, who was
    never told of the reports, is not told). Return the number of reports dismissed."""
    _require_moderator(moderator)
    kind = ContentKind(kind)
    _lock(kind, content)
    resolved = _resolve_open_reports(
        kind, content.id, outcome=ReportOutcome.DISMISSED, moderator=moderator, now=now
    )
    if not resolved:
        raise ModerationRefused(_("There are no open reports of this to dismiss."))
    record(
        actor=moderator, verb="moderation.dismissed", subject_type=kind.value,
        subject_id=content.id, data={"reports": resolved}, now=now,
    )
    return resolved
