"""Proposals, their categories, edit history and supports."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import Organisation, Sector, User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.i18n import Bilingual
from participation.core.models import Base, Timestamped, enum_type, utcnow
from participation.groups.models import WorkingGroup
from participation.moderation.models import ModerationReason


class ProposalState(LabelledEnum):
    DRAFT = "draft"
    OPEN = "open"
    UNDER_CONSIDERATION = "under_consideration"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


set_labels(
    {
        ProposalState.DRAFT: _l("Draft"),
        ProposalState.OPEN: _l("Open for comment"),
        ProposalState.UNDER_CONSIDERATION: _l("Under consideration"),
        ProposalState.ADOPTED: _l("Adopted"),
        ProposalState.REJECTED: _l("Rejected"),
        ProposalState.WITHDRAWN: _l("Withdrawn"),
        ProposalState.MERGED: _l("Merged"),
    }
)


class Category(Bilingual, Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    position: Mapped[int] = mapped_column(default=0)


# What the public list filters on besides its sort (see the list indexes below).
LIST_FILTER_COLUMNS = ("state", "hidden_at", "category_id", "sector")


class Proposal(Timestamped, Base):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # The sector and organisation the author speaks for, fixed when the proposal is made.
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    state: Mapped[ProposalState] = mapped_column(enum_type(ProposalState), default=ProposalState.DRAFT)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id"))
    opened_at: Mapped[datetime | None]
    # The agency expected to give the official answer; None: the group's secretariat answers.
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    # Set when the proposal opens for comment: the opening day plus the group's answer_days.
    answer_due_on: Mapped[date | None]
    # When the missed deadline was written to the log (once per proposal).
    answer_overdue_at: Mapped[datetime | None]
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    # Hidden by a moderator: readers see the reason instead of the text.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[ModerationReason | None] = mapped_column(enum_type(ModerationReason))

    group: Mapped[WorkingGroup] = relationship()
    category: Mapped[Category] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    agency: Mapped[Organisation | None] = relationship(foreign_keys=[agency_id])
    merged_into: Mapped[Proposal | None] = relationship(remote_side=[id])

    __table_args__ = (
        sa.Index("ix_proposals_state_created_at", "state", "created_at"),
        # One per sort of the public list (queries.list_statement), ending with the columns its
        # filters read: the keys of any page, however deep, come from the index alone.
        sa.Index("ix_proposals_list_newest", "created_at", "id", *LIST_FILTER_COLUMNS),
        sa.Index("ix_proposals_list_supported", "support_count", "created_at", "id",
                 *LIST_FILTER_COLUMNS),
        sa.Index("ix_proposals_list_discussed", "comment_count", "created_at", "id",
                 *LIST_FILTER_COLUMNS),
        sa.CheckConstraint(
            "(state = 'merged') = (merged_into_id IS NOT NULL)", name="merged_has_target"
        ),
        sa.CheckConstraint("(hidden_at IS NULL) = (hidden_reason IS NULL)", name="hidden_reason"),
    )

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ProposalRevision(Base):
    """One saved version of a proposal's text; the first is the original."""

    __tablename__ = "proposal_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"))
    editor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User] = relationship()
    category: Mapped[Category] = relationship()

    __table_args__ = (sa.UniqueConstraint("proposal_id", "number"),)


class Support(Base):
    __tablename__ = "supports"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("proposal_id", "user_id"),)
