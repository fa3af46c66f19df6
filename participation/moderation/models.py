"""Reports of contributions, and blocks of accounts; a contribution's own `hidden_at` and
`hidden_reason` columns say whether a moderator hid it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, enum_type, utcnow


class ModerationReason(LabelledEnum):
    """Why a contribution is reported, hidden, or an account blocked. A hidden contribution
    shows its reason to every reader, in the reader's language."""

    SPAM = "spam"
    ABUSE = "abuse"
    PERSONAL_DATA = "personal_data"
    MISLEADING = "misleading"
    OFF_TOPIC = "off_topic"
    ILLEGAL = "illegal"
    OTHER = "other"


set_labels(
    {
        ModerationReason.SPAM: _l("Spam or advertising"),
        ModerationReason.ABUSE: _l("Insults, harassment or hate"),
        ModerationReason.PERSONAL_DATA: _l("Someone's private information"),
        ModerationReason.MISLEADING: _l("Deliberately false or misleading"),
        ModerationReason.OFF_TOPIC: _l("Off topic"),
        ModerationReason.ILLEGAL: _l("Illegal content"),
        ModerationReason.OTHER: _l("Another reason"),
    }
)


class ContentKind(LabelledEnum):
    """What can be reported and hidden."""

    PROPOSAL = "proposal"
    COMMENT = "comment"


set_labels({ContentKind.PROPOSAL: _l("Proposal"), ContentKind.COMMENT: _l("Comment")})


class ReportOutcome(LabelledEnum):
    HIDDEN = "hidden"
    DISMISSED = "dismissed"


set_labels({ReportOutcome.HIDDEN: _l("Hidden"), ReportOutcome.DISMISSED: _l("Dismissed")})


class Report(Base):
    """A participant's report of a proposal or comment. Private: reporters are never shown to
    anyone but moderators, and reports are not written to the public log (their outcomes are)."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_kind: Mapped[ContentKind] = mapped_column(enum_type(ContentKind))
    content_id: Mapped[int]
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reason: Mapped[ModerationReason] = mapped_column(enum_type(ModerationReason))
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a moderator hides the contribution or dismisses its open reports.
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    outcome: Mapped[ReportOutcome | None] = mapped_column(enum_type(ReportOutcome))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])

    __table_args__ = (
        # One report per person per contribution.
        sa.UniqueConstraint("content_kind", "content_id", "reporter_id"),
        sa.CheckConstraint(
            "(resolved_at IS NULL) = (outcome IS NULL)", name="resolved_with_outcome"
        ),
        sa.Index("ix_reports_open", "resolved_at", "content_kind", "content_id"),
    )


class Block(Base):
    """A moderator stops an account from taking part until `ends_at` (or until lifted). The
    account's `blocked_until` mirrors the block in force, so no page needs a query to know."""

    __tablename__ = "blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reason: Mapped[ModerationReason] = mapped_column(enum_type(ModerationReason))
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime]
    blocked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)
