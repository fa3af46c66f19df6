"""Writes about the privacy notice: a person's consent to a version of it.

Consent is personal: like the e-mail settings, it is never written to the public log."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from participation.accounts.models import User
from participation.core.errors import DomainError
from participation.privacy.notices import current_notice_version


class NoticeChanged(DomainError):
    """The version agreed to is not the current one (a new notice was published meanwhile)."""


def check_current(version: str) -> None:
    """Refuse consent to any version but the current one (NoticeChanged)."""
    if version != current_notice_version():
        raise NoticeChanged(
            _("The privacy notice has just changed: read the new version and agree to it."),
            field="consent",
        )


def record_consent(*, user: User, version: str, now: datetime) -> bool:
    """Record that `user` agreed to `version` of the notice, which must be the current one;
    return False when they had already agreed to it (its first date is kept). Raise
    NoticeChanged otherwise."""
    check_current(version)
    if user.privacy_version == version:
        return False
    user.privacy_version = version
    user.privacy_consented_at = now
    return True
