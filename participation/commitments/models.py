"""Commitments, milestones and progress updates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import Organisation, User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, Timestamped, enum_type, utcnow
from participation.decisions.models import Decision
from participation.groups.models import WorkingGroup


class Completion(LabelledEnum):
    """OGP completion levels."""

    NOT_STARTED = "not_started"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"
    COMPLETE = "complete"


class CommitmentStatus(LabelledEnum):
    ON_TRACK = "on_track"
    DELAYED = "delayed"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"

    @property
    def needs_reason(self) -> bool:
        return self in (CommitmentStatus.DELAYED, CommitmentStatus.WITHDRAWN)


set_labels(
    {
        Completion.NOT_STARTED: _l("Not started"),
        Completion.LIMITED: _l("Limited"),
        Completion.SUBSTANTIAL: _l("Substantial"),
        Completion.COMPLETE: _l("Complete"),
        CommitmentStatus.ON_TRACK: _l("On track"),
        CommitmentStatus.DELAYED: _l("Delayed"),
        CommitmentStatus.WITHDRAWN: _l("Withdrawn"),
        CommitmentStatus.COMPLETED: _l("Completed"),
    }
)

commitment_supporters = sa.Table(
    "commitment_supporters",
    Base.metadata,
    sa.Column("commitment_id", sa.ForeignKey("commitments.id"), primary_key=True),
    sa.Column("organisation_id", sa.ForeignKey("organisations.id"), primary_key=True),
)


class Commitment(Timestamped, Base):
    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), unique=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    lead_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    start_date: Mapped[date]
    due_date: Mapped[date]
    completion: Mapped[Completion] = mapped_column(
        enum_type(Completion), default=Completion.NOT_STARTED
    )
    percent: Mapped[int] = mapped_column(default=0)
    status: Mapped[CommitmentStatus] = mapped_column(
        enum_type(CommitmentStatus), default=CommitmentStatus.ON_TRACK
    )
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")

    decision: Mapped[Decision] = relationship()
    group: Mapped[WorkingGroup] = relationship()
    lead_organisation: Mapped[Organisation] = relationship()
    supporters: Mapped[list[Organisation]] = relationship(secondary=commitment_supporters)
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="commitment", order_by="Milestone.due_date, Milestone.id"
    )

    __table_args__ = (
        sa.CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
        sa.CheckConstraint("due_date >= start_date", name="due_after_start"),
    )


class Milestone(Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(sa.ForeignKey("commitments.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    due_date: Mapped[date]
    completion: Mapped[Completion] = mapped_column(
        enum_type(Completion), default=Completion.NOT_STARTED
    )
    # Share of the commitment's progress, 0 to 1; a commitment's weights are all set (summing to
    # 1) or all None (equal shares).
    weight: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 3))

    commitment: Mapped[Commitment] = relationship(back_populates="milestones")

    __table_args__ = (sa.CheckConstraint("weight BETWEEN 0 AND 1", name="weight_range"),)


class ProgressUpdate(Base):
    __tablename__ = "progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(sa.ForeignKey("commitments.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reported_on: Mapped[date]
    completion: Mapped[Completion] = mapped_column(enum_type(Completion))
    percent: Mapped[int]
    status: Mapped[CommitmentStatus] = mapped_column(enum_type(CommitmentStatus))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()

    __table_args__ = (sa.CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),)
