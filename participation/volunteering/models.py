"""Volunteer tasks a commitment offers, and the people signed up for them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.commitments.models import Commitment
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, Timestamped, enum_type, utcnow


class SignupStatus(LabelledEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    WITHDRAWN = "withdrawn"


set_labels(
    {
        SignupStatus.CONFIRMED: _l("Signed up"),
        SignupStatus.WAITING: _l("On the waiting list"),
        SignupStatus.WITHDRAWN: _l("Withdrawn"),
    }
)


class VolunteerTask(Timestamped, Base):
    __tablename__ = "volunteer_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(sa.ForeignKey("commitments.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    place: Mapped[str] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int]
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    commitment: Mapped[Commitment] = relationship()
    created_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint("capacity BETWEEN 1 AND 10000", name="capacity_range"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )


class Signup(Base):
    __tablename__ = "signups"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_tasks.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[SignupStatus] = mapped_column(enum_type(SignupStatus))
    # Order on the waiting list: the time of the latest sign-up.
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[VolunteerTask] = relationship()
    user: Mapped[User] = relationship()

    # One row per person per task; withdrawing and signing up again reuse it.
    __table_args__ = (
        sa.UniqueConstraint("task_id", "user_id"),
        sa.Index("ix_signups_task_status_queued", "task_id", "status", "queued_at"),
    )
