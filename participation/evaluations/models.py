"""Reviews of progress updates (confirm or dispute) and OGP assessments of commitments."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import Organisation, User
from participation.commitments.models import Commitment, Completion, ProgressUpdate
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, enum_type, utcnow


class ReviewKind(LabelledEnum):
    CONFIRM = "confirm"
    DISPUTE = "dispute"


class AssessmentKind(LabelledEnum):
    SELF = "self"  # by the lead agency
    INDEPENDENT = "independent"  # by civil-society members of the group


class OpenedGovernment(LabelledEnum):
    """OGP's "did it open government?" scale."""

    WORSENED = "worsened"
    DID_NOT_CHANGE = "did_not_change"
    MARGINAL = "marginal"
    MAJOR = "major"
    OUTSTANDING = "outstanding"


set_labels(
    {
        ReviewKind.CONFIRM: _l("Confirmed"),
        ReviewKind.DISPUTE: _l("Disputed"),
        AssessmentKind.SELF: _l("Self-assessment by the lead agency"),
        AssessmentKind.INDEPENDENT: _l("Independent assessment by civil society"),
        OpenedGovernment.WORSENED: _l("Worsened"),
        OpenedGovernment.DID_NOT_CHANGE: _l("Did not change"),
        OpenedGovernment.MARGINAL: _l("Marginal"),
        OpenedGovernment.MAJOR: _l("Major"),
        OpenedGovernment.OUTSTANDING: _l("Outstanding"),
    }
)


class Review(Base):
    """A participant's confirmation or dispute of a progress update."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(sa.ForeignKey("progress_updates.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[ReviewKind] = mapped_column(enum_type(ReviewKind))
    comment: Mapped[str] = mapped_column(sa.Text)
    evidence_url: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Disputes only: the day by which the lead agency must answer, and the answer.
    answer_due_on: Mapped[date | None]
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]
    # When the missed deadline was written to the log (once per dispute).
    overdue_at: Mapped[datetime | None]

    update: Mapped[ProgressUpdate] = relationship()
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    __table_args__ = (
        sa.UniqueConstraint("update_id", "reviewer_id"),
        sa.CheckConstraint(
            "(kind = 'dispute') = (answer_due_on IS NOT NULL)", name="dispute_has_deadline"
        ),
        sa.CheckConstraint(
            "(answered_at IS NULL) = (answered_by_id IS NULL)", name="answer_has_author"
        ),
        sa.CheckConstraint("answered_at IS NULL OR kind = 'dispute'", name="only_disputes_answered"),
    )


class Assessment(Base):
    """A periodic OGP assessment of a commitment, by its lead agency or by civil society."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(sa.ForeignKey("commitments.id"), index=True)
    kind: Mapped[AssessmentKind] = mapped_column(enum_type(AssessmentKind))
    assessed_on: Mapped[date]
    completion: Mapped[Completion] = mapped_column(enum_type(Completion))
    opened_government: Mapped[OpenedGovernment] = mapped_column(enum_type(OpenedGovernment))
    explanation: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    commitment: Mapped[Commitment] = relationship()
    author: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("commitment_id", "kind", "author_id", "assessed_on"),
    )
