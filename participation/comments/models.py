"""Comments and their edit history."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, Timestamped, enum_type, utcnow
from participation.moderation.models import ModerationReason


class Stance(LabelledEnum):
    FOR = "for"
    AGAINST = "against"
    NEUTRAL = "neutral"


set_labels({Stance.FOR: _l("For"), Stance.AGAINST: _l("Against"), Stance.NEUTRAL: _l("Neutral")})


class Comment(Timestamped, Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comments.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    stance: Mapped[Stance | None] = mapped_column(enum_type(Stance))
    revision_count: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None]
    # Hidden by a moderator: readers see the reason instead of the text.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[ModerationReason | None] = mapped_column(enum_type(ModerationReason))

    author: Mapped[User] = relationship()

    __table_args__ = (
        sa.Index("ix_comments_proposal_id_created_at", "proposal_id", "created_at"),
        # The stances of a proposal's shown comments by sector (its page, the open data), read
        # from the index alone.
        sa.Index("ix_comments_tally", "proposal_id", "deleted_at", "hidden_at", "stance",
                 "author_id"),
        sa.CheckConstraint("(hidden_at IS NULL) = (hidden_reason IS NULL)", name="hidden_reason"),
    )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentRevision(Base):
    """A comment's text as it was before an edit."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comments.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    stance: Mapped[Stance | None] = mapped_column(enum_type(Stance))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
