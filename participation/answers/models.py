"""The official answer to a proposal."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import Organisation, User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, enum_type, utcnow
from participation.proposals.models import Proposal


class AnswerState(LabelledEnum):
    ACCEPTED = "accepted"  # accepted for consideration
    REJECTED = "rejected"  # rejected, with reasons
    MERGED = "merged"  # merged with another proposal
    REFERRED = "referred"  # referred to another agency


set_labels(
    {
        AnswerState.ACCEPTED: _l("Accepted for consideration"),
        AnswerState.REJECTED: _l("Rejected with reasons"),
        AnswerState.MERGED: _l("Merged with another proposal"),
        AnswerState.REFERRED: _l("Referred to another agency"),
    }
)


class Answer(Base):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"), unique=True)
    state: Mapped[AnswerState] = mapped_column(enum_type(AnswerState))
    body: Mapped[str] = mapped_column(sa.Text)
    referred_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id"))
    answered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # The agency the answer speaks for; None: the group's secretariat.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True
    )
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The site-time day of the answer and the deadline it had, so "on time" is a comparison.
    answered_on: Mapped[date]
    due_on: Mapped[date]

    proposal: Mapped[Proposal] = relationship(foreign_keys=[proposal_id])
    referred_to: Mapped[Organisation | None] = relationship(foreign_keys=[referred_to_id])
    merged_into: Mapped[Proposal | None] = relationship(foreign_keys=[merged_into_id])
    answered_by: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])

    @property
    def on_time(self) -> bool:
        return self.answered_on <= self.due_on

    __table_args__ = (
        sa.CheckConstraint(
            "(state = 'referred') = (referred_to_id IS NOT NULL)", name="referred_has_agency"
        ),
        sa.CheckConstraint(
            "merged_into_id IS NULL OR state = 'merged'", name="merged_target_only_if_merged"
        ),
        sa.CheckConstraint("body <> ''", name="body_not_empty"),
    )
