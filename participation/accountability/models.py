"""Log entries: codes and JSON, chained by SHA-256, never updated or deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.core.models import Base

GENESIS_HASH = "0" * 64


class LogEntry(Base):
    __tablename__ = "log_entries"

    # Assigned by the writer as previous id + 1 under a lock, so the chain has no gaps or forks.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    created_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verb: Mapped[str] = mapped_column(sa.String(64))
    subject_type: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("log_entries.id"))
    prev_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    actor: Mapped[User | None] = relationship()

    # The log page's filters, each ending with the id the page sorts by, so a filtered page's
    # keys come in order from the index alone, however deep the page.
    __table_args__ = (
        sa.Index("ix_log_entries_by_subject", "subject_type", "subject_id", "id"),
        sa.Index("ix_log_entries_by_verb", "verb", "id"),
    )


class Checkpoint(Base):
    """A signed statement of the log's length and head hash at a moment, never changed."""

    __tablename__ = "log_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_count: Mapped[int]
    head_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime]
    # The raw Ed25519 public key (base64) and its signature over the canonical statement.
    public_key: Mapped[str] = mapped_column(sa.String(64))
    signature: Mapped[str] = mapped_column(sa.String(128))

    __table_args__ = (sa.CheckConstraint("entry_count >= 0", name="entry_count_not_negative"),)
