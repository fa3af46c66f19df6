"""The e-mail outbox: one row per message, sent by `flask send-notifications`, never twice."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.accounts.models import User
from participation.core.enums import LabelledEnum, set_labels
from participation.core.models import Base, enum_type, utcnow


class MailKind(LabelledEnum):
    IMMEDIATE = "immediate"  # one notification
    DIGEST = "digest"  # the day's notifications of one person
    # Account mails: their link is signed when the mail is sent.
    VERIFY_EMAIL = "verify_email"  # open the link to confirm the address
    PASSWORD_RESET = "password_reset"  # a single-use link to choose a new password
    EMAIL_CHANGED = "email_changed"  # to the former address, after a change
    ACCOUNT_EXISTS = "account_exists"  # someone tried to register with this address


class MailStatus(LabelledEnum):
    PENDING = "pending"  # waiting for its first or next attempt (next_attempt_at)
    SENDING = "sending"  # claimed by a sender; if it never comes back, it is not resent
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry, or the server refused it for good
    UNCERTAIN = "uncertain"  # a sender died mid-send: it may have gone, so it is never retried
    SKIPPED = "skipped"  # the person unsubscribed or removed their address before it went


set_labels(
    {
        MailKind.IMMEDIATE: _l("Immediate"),
        MailKind.DIGEST: _l("Daily digest"),
        MailStatus.PENDING: _l("Waiting to be sent"),
        MailStatus.SENDING: _l("Sending"),
        MailStatus.SENT: _l("Sent"),
        MailStatus.FAILED: _l("Failed"),
        MailStatus.UNCERTAIN: _l("Uncertain"),
        MailStatus.SKIPPED: _l("Skipped"),
    }
)


class OutboxMail(Base):
    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    kind: Mapped[MailKind] = mapped_column(enum_type(MailKind))
    status: Mapped[MailStatus] = mapped_column(
        enum_type(MailStatus), default=MailStatus.PENDING, server_default="pending"
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # The Message-ID it was sent with, derived from the row id so a copy is recognisable.
    message_id: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    # Sent here rather than to the person's current address (the former one, after a change).
    to_address: Mapped[str | None] = mapped_column(sa.String(254))

    user: Mapped[User] = relationship()

    __table_args__ = (
        # The sender's question: which pending mails are due?
        sa.Index("ix_email_outbox_due", "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        sa.CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_has_time"),
    )
