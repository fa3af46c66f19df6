"""The search index: one row per searchable thing, with its text segmented into words.

The full-text structure over it depends on the engine and is made by the migration: an FTS5
table kept in step by triggers on SQLite, a weighted `tsv` tsvector column with a GIN index
on PostgreSQL (written by the indexer in the same statement as the row).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, enum_type, utcnow


class DocumentKind(LabelledEnum):
    PROPOSAL = "proposal"
    COMMENT = "comment"
    DECISION = "decision"
    COMMITMENT = "commitment"
    MEETING = "meeting"
    MINUTES = "minutes"  # the minutes of one agenda item


set_labels(
    {
        DocumentKind.PROPOSAL: _l("Proposals"),
        DocumentKind.COMMENT: _l("Comments"),
        DocumentKind.DECISION: _l("Decisions"),
        DocumentKind.COMMITMENT: _l("Commitments"),
        DocumentKind.MEETING: _l("Meetings"),
        DocumentKind.MINUTES: _l("Minutes"),
    }
)


class SearchDocument(Base):
    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_type(DocumentKind))
    object_id: Mapped[int]
    # The page it lives on, when that is not its own: a comment's proposal, minutes' meeting.
    parent_id: Mapped[int | None]
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("working_groups.id"))
    # The text as written, for the result's title and highlighted snippet.
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # The same text segmented into normalised words, separated by spaces.
    title_terms: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    body_terms: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # When the thing was written or happened, shown beside the result.
    dated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("kind", "object_id"),)
