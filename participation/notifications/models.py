"""Follows and the notifications they bring, one row per recipient."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, enum_type, utcnow


class FollowedType(LabelledEnum):
    """What a person can follow."""

    PROPOSAL = "proposal"
    COMMITMENT = "commitment"
    KPI = "kpi"
    GROUP = "group"


set_labels(
    {
        FollowedType.PROPOSAL: _l("Proposal"),
        FollowedType.COMMITMENT: _l("Commitment"),
        FollowedType.KPI: _l("KPI"),
        FollowedType.GROUP: _l("Working group"),
    }
)


class Follow(Base):
    __tablename__ = "follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    subject_type: Mapped[FollowedType] = mapped_column(enum_type(FollowedType))
    subject_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("user_id", "subject_type", "subject_id"),
        # "Who follows proposal 7?" is asked on every event.
        sa.Index("ix_follows_subject", "subject_type", "subject_id"),
    )


class Notification(Base):
    """One event for one recipient: shown in the site, and carried by at most one e-mail.

    Like the log, it stores codes and JSON (the event, the subject, a few words of context),
    so it is written in the reader's language when shown or mailed.
    """

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    event: Mapped[str] = mapped_column(sa.String(64))  # a key of notifications.events.EVENTS
    subject_type: Mapped[str] = mapped_column(sa.String(32))  # proposal, meeting, kpi ...
    subject_id: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # The e-mail that carries it (immediate, or the day's digest); NULL until queued.
    outbox_id: Mapped[int | None] = mapped_column(sa.ForeignKey("email_outbox.id"), index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    __table_args__ = (
        # The unread count and the notifications page, newest first.
        sa.Index("ix_notifications_user_created", "user_id", "created_at"),
    )
