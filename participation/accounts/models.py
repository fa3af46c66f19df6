"""Users, organisations and the sectors they speak for."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participation.core.enums import LabelledEnum, set_labels
from participation.core.i18n import Bilingual
from participation.core.models import Base, enum_type, utcnow


class Sector(LabelledEnum):
    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    PRIVATE = "private_sector"
    ACADEMIA = "academia"
    CITIZEN = "citizen"


set_labels(
    {
        Sector.GOVERNMENT: _l("Government"),
        Sector.CIVIL_SOCIETY: _l("Civil society"),
        Sector.PRIVATE: _l("Private sector"),
        Sector.ACADEMIA: _l("Academia"),
        Sector.CITIZEN: _l("Citizens"),
    }
)


class EmailMode(LabelledEnum):
    """How a person wants the notifications of what they follow by e-mail."""

    IMMEDIATE = "immediate"
    DAILY = "daily"
    OFF = "off"


set_labels(
    {
        EmailMode.IMMEDIATE: _l("Each one as it happens"),
        EmailMode.DAILY: _l("One daily digest"),
        EmailMode.OFF: _l("No e-mail"),
    }
)


class Organisation(Bilingual, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_th: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def pseudonym(user_id: int) -> str:
    """What an erased account is called, in the reader's language."""
    return _("Former participant #%(number)d", number=user_id)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    # Read and written as `display_name` (below): an erased account shows a pseudonym.
    _display_name: Mapped[str] = mapped_column("display_name", sa.String(80))
    sector: Mapped[Sector] = mapped_column(enum_type(Sector))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    is_admin: Mapped[bool] = mapped_column(default=False)
    # May post progress on the commitments that their organisation leads.
    is_agency_contact: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # The language of the e-mails they receive ("th" or "en").
    language: Mapped[str] = mapped_column(sa.String(2), default="th", server_default="th")
    email_mode: Mapped[EmailMode] = mapped_column(
        enum_type(EmailMode), default=EmailMode.IMMEDIATE, server_default="immediate"
    )

    # Set when the person opened the link of the verification e-mail sent to this address.
    email_verified_at: Mapped[datetime | None]
    # Raised when the password changes or every session is ended: older sessions stop working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Two-factor authentication (TOTP, RFC 6238): the base32 secret, and when it was confirmed
    # with a first code (a secret without that date is a set-up in progress).
    totp_secret: Mapped[str | None] = mapped_column(sa.String(32))
    totp_enabled_at: Mapped[datetime | None]

    # Moderators handle reports: they hide and restore contributions and block accounts.
    is_moderator: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A moderator's block: until then the person reads but does not take part.
    blocked_until: Mapped[datetime | None]
    # The version of the privacy notice the person consented to, and when.
    privacy_version: Mapped[str | None] = mapped_column(sa.String(20))
    privacy_consented_at: Mapped[datetime | None]
    # Set when the person erased their account: personal data is gone, contributions stay
    # under the pseudonym "Former participant #<id>".
    erased_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    __table_args__ = (
        sa.CheckConstraint(
            "NOT is_agency_contact OR organisation_id IS NOT NULL", name="agency_contact_org"
        ),
        sa.CheckConstraint("language IN ('th', 'en')", name="language_known"),
        # Tallies by sector join thousands of supports and comments to their people: with the
        # sector beside the id, PostgreSQL reads it from the index, not from each user's row.
        sa.Index("ix_users_id_sector", "id", "sector"),
    )

    @hybrid_property
    def display_name(self) -> str:
        """The public name: the pseudonym in the reader's language once the account is erased
        (SQL reads the stored text, which erasure sets to the English pseudonym)."""
        if self.erased_at is not None:
            return pseudonym(self.id)
        return self._display_name

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self._display_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls) -> sa.ColumnElement[str]:
        return cls._display_name

    def get_id(self) -> str:
        """What a session remembers: the id and the session version, so that raising the
        version (a password reset, "log out everywhere") ends the sessions begun before."""
        return f"{self.id}:{self.session_version}"


class TwoFactorRole(LabelledEnum):
    """The roles for which an administrator can require two-factor authentication."""

    ADMINISTRATOR = "administrator"
    SECRETARIAT = "secretariat"
    MEMBER = "member"  # a seat in a working group, the chair included


set_labels(
    {
        TwoFactorRole.ADMINISTRATOR: _l("Administrators"),
        TwoFactorRole.SECRETARIAT: _l("Secretariat"),
        TwoFactorRole.MEMBER: _l("Working-group members"),
    }
)


class RecoveryCode(Base):
    """A single-use code that replaces a two-factor code once (stored as a SHA-256 digest)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    __table_args__ = (sa.UniqueConstraint("user_id", "code_hash"),)


class TwoFactorRequirement(Base):
    """An administrator requires two-factor authentication of everyone holding the role."""

    __tablename__ = "two_factor_requirements"

    role: Mapped[TwoFactorRole] = mapped_column(enum_type(TwoFactorRole), primary_key=True)
    required_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    required_at: Mapped[datetime] = mapped_column(default=utcnow)
